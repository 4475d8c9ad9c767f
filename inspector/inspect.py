"""One inspection, end to end: crawl into the store, run the rules over the stored facts,
store the findings. Everything the CLI and the scheduler do goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core import history, store
from core.urls import canonical
from core.verdict import compute, load_table
from crawler import columns
from rules import catalogue, evaluate, site_veto


@dataclass
class Outcome:
    run: dict
    status: str  # complete | interrupted | failed
    counts: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    findings: int = 0
    start_check: dict | None = None
    error: str = ""
    published: object = None  # inspector.publish.Published when store.postgres is set


def inspect(db, start_url: str, config, *, as_of: date | None = None, resume: bool = False,
            verbose: bool = False, show_progress: bool = True, crawl_step=None) -> Outcome:
    """Crawl `start_url` (or resume its last incomplete run), then evaluate the rules.
    `crawl_step` replaces crawler.run.crawl (same arguments and result), e.g. the coordinator
    of a distributed crawl (inspector.coordinator.coordinate)."""
    if crawl_step is None:
        from crawler.run import crawl as crawl_step  # Scrapy is imported only when a crawl runs

    as_of_text = (as_of or date.today()).isoformat()
    run = store.last_incomplete_run(db, start_url) if resume else None
    if run is None:
        settings = {"crawl": config.crawl, "site": config.site, "rules": config.rules, "config": config.source}
        run_id = store.start_run(db, site=config.site["name"] or start_url, start_url=start_url, as_of=as_of_text,
                                 settings=settings)
        resume = False
    else:
        run_id = run["id"]
        store.set_run(db, run_id, status="running")
    result = crawl_step(db, run_id, start_url, config, resume=resume, verbose=verbose, show_progress=show_progress)
    counts = {**result.get("counts", {}), "home": result.get("home")}
    # "crawled": every fact is stored, the findings are not yet; only saved findings make a run
    # complete, so a run killed during the rules is resumed (and re-evaluated), never taken as done
    crawled = "crawled" if result["status"] == "complete" else result["status"]
    store.finish_run(db, run_id, status=crawled, counts=counts, skipped=result.get("skipped"),
                     note=result.get("reason", ""))
    run = store.get_run(db, run_id)
    run["status"] = result["status"]  # the rules judge the crawl's own outcome, not the pending "crawled"
    columns.build(db, run)  # pages -> columns, before the rules read them
    start = store.Facts(db, run).checks("url = ?", [canonical(start_url)])
    outcome = Outcome(run, result["status"], counts, result.get("skipped", {}), start_check=start[0] if start else None)
    if outcome.start_check and outcome.start_check["outcome"] != "ok":
        outcome.error = f"start page {start_url} could not be opened: {outcome.start_check['detail'] or outcome.start_check['outcome']}"
    outcome.findings = evaluate_run(db, run, config)
    if result["status"] == "complete":
        store.set_run(db, run_id, status="complete")
    if config.store.get("postgres"):  # the single writer also feeds the shared database
        from inspector.publish import publish

        outcome.published = publish(db, run_id, config.store["postgres"])
    return outcome


def evaluate_run(db, run: dict, config) -> int:
    """(Re-)evaluate the rules over a stored run; returns the number of findings."""
    facts = store.Facts(db, run, config)
    found = evaluate(facts, config)
    counters = site_veto.counters(facts, {**site_veto.DEFAULT, **config.rules.get(site_veto.ID, {})})
    store.save_rules(db, catalogue())
    saved = history.save_findings(db, run, found)
    # the night's verdict, from the findings open after it (waivers included), as the reports compute it
    view = history.view(db, run)
    todo = [f for f in view if f["status"] in history.OPEN]
    verdict = {**compute(todo, load_table(config.site.get("scoring") or None)), "counters": counters["counters"],
               "night": history.night_counts(view)}
    store.set_run(db, run["id"], verdict=verdict)
    run["verdict"] = verdict
    return saved


def summary_counts(db, run_id: int) -> dict:
    rows = db.execute("SELECT rule, level, count(*) FROM findings WHERE run = ? GROUP BY rule, level", [run_id])
    out: dict = {}
    for rule, level, n in rows:
        out.setdefault(rule, {})[level] = n
    return out
