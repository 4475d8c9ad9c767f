"""One inspection, end to end: crawl into the store, run the rules over the stored facts,
store the findings. Everything the CLI and the scheduler do goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core import history, store
from core.urls import canonical, is_home_url
from core.verdict import compute, load_table
from crawler import columns
from rules import catalogue, evaluate, settings, site_veto


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
    at_home = started_at_home(db, run_id, start_url, result.get("home"))
    counts = {**result.get("counts", {}), "home": result.get("home") if at_home else None,
              "start": "home" if at_home else "below-home"}
    note = result.get("reason", "") + ("" if at_home else f"; {BELOW_HOME}")
    # "crawled": every fact is stored, the findings are not yet; only saved findings make a run
    # complete, so a run killed during the rules is resumed (and re-evaluated), never taken as done
    crawled = "crawled" if result["status"] == "complete" else result["status"]
    store.finish_run(db, run_id, status=crawled, counts=counts, skipped=result.get("skipped"), note=note)
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


BELOW_HOME = "started below the home page: site-wide rules not judged"


def started_at_home(db, run_id: int, start_url: str, home: str | None) -> bool:
    """Whether a crawl started at the site's home page: its start URL is the site's root
    (`/`, `/index.html` …: where a root that only redirects led is the home page), or the page
    it led to was understood as a home page (a Hanweb `/col/col1/index.html` given as start).
    A crawl started at a column or an article sees only part of the site: nothing it lacks
    is judged, and none of its pages is the home page."""
    if is_home_url(start_url):
        return True
    run = store.get_run(db, run_id)
    return home is not None and any(page["url"] == home for page in store.Facts(db, run).homes())


def evaluate_run(db, run: dict, config) -> int:
    """(Re-)evaluate the rules over a stored run; returns the number of findings."""
    facts = store.Facts(db, run, config)
    found = evaluate(facts, config)
    counters = site_veto.counters(facts, settings(site_veto, config.rules))
    store.save_rules(db, catalogue())
    saved = history.save_findings(db, run, found)
    # the night's verdict, from the findings open after it (waivers included), as the reports compute it
    view = history.view(db, run)
    todo = [f for f in view if f["status"] in history.OPEN]
    verdict = {**compute(todo, load_table(config.site.get("scoring") or None)), "night": history.night_counts(view),
               "counters": counters.get("counters", {})}
    if counters.get("judged") is False:  # a spot check or a crawl below the home page: the site is not judged
        verdict.update(judged=False, reason=counters["reason"])
    store.set_run(db, run["id"], verdict=verdict)
    run["verdict"] = verdict
    return saved


def summary_counts(db, run_id: int) -> dict:
    rows = db.execute("SELECT rule, level, count(*) FROM findings WHERE run = ? GROUP BY rule, level", [run_id])
    out: dict = {}
    for rule, level, n in rows:
        out.setdefault(rule, {})[level] = n
    return out
