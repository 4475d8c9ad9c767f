"""Re-verify a run's open findings by fetching only what they point at (minutes, not a crawl).

Inspectors re-open every URL before filing it. Each rule says how its findings are re-verified
(its module's RECHECK; see rules/__init__.py), and so what is fetched and when a finding counts
as fixed:

- "target" (broken-link): the finding's target is fetched again; fixed when it now answers ok.
- "link" (wrong-link): the page it was seen on is fetched and parsed again (its links are read,
  not followed); fixed when the page no longer links the address.
- "page" (rules whose findings depend only on the page's own facts): the page is fetched and
  parsed and the rule run over it again; fixed when the rule no longer finds it.
- none (site-wide rules: columns, the verdict): open until the next full crawl.
For all but "target", a page that is gone (404/410) takes its findings with it.

The fetching reuses the crawler's spider (same politeness, resolver guard, robots.txt, redirect
handling) with link following switched off, writing to a scratch store. Like a crawl, it runs
Scrapy in this process, so one process runs one recheck. Results are history rows of the run
(source ``recheck``): see inspector.history.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from core import history, store
from core.urls import canonical, page_key
from rules import RULES, findings

GONE = (404, 410)


def plan(rows: list[dict]) -> tuple[set[str], set[str]]:
    """(pages to fetch and parse, targets to fetch only) for the open findings in `rows`; the
    pages of site-wide rules' findings are not fetched: one page cannot settle them."""
    from rules import RULES

    pages, leaves = set(), set()
    for r in rows:
        if _how(r["rule"]) == "target":
            leaves.add(r["url"])
        elif r["page"] and (r["rule"] == "wrong-link" or getattr(RULES.get(r["rule"]), "RECHECK", None) == "page"):
            pages.add(r["page"])
    return pages, leaves - pages


def refetch(start_url: str, config, pages: set[str], leaves: set[str], verbose: bool = False):
    """Fetch `pages` (parsed) and `leaves` (checked) into a scratch store; returns its Facts."""
    from crawler.run import run_spider

    scratch = store.open_db(Path(tempfile.mkdtemp(prefix="inspector-recheck-")) / "recheck.db")
    run_id = store.start_run(scratch, site="recheck", start_url=start_url, as_of="", settings={})
    seeds = sorted(pages | leaves)
    state = {"seen": {canonical(start_url)}, "parsed": set(), "digests": set(),
             # a #fragment target (crawl.check_fragments) is seeded as a link: its page is parsed for the anchor
             "frontier": [(url, 0, "a" if url in pages or "#" in url else "img") for url in seeds]}
    # a re-fetched page's links are read (stored), never fetched
    run_spider(store.Writer(scratch, run_id), start_url, config, verbose=verbose, resume=state, follow_links=False)
    return store.Facts(scratch, store.get_run(scratch, run_id), config)


def _how(rule_id: str) -> str | None:
    """How a rule's findings are re-verified: its module's RECHECK (None for an unknown rule)."""
    return getattr(RULES.get(rule_id), "RECHECK", None)


def verdict(row: dict, facts, checks: dict, parsed: set[str], reproduced) -> tuple[str, str]:
    """(fixed | open, note) for one finding after the re-fetch."""
    how = _how(row["rule"])
    if how == "target":
        c = checks.get(row["url"])
        if c is None:
            return "open", "未能重新访问 (not re-fetched)"
        if c["outcome"] == "ok":
            return "fixed", f"复查可正常访问 (HTTP {c['status']})"
        return "open", f"复查仍无法访问: {c['detail'] or c['outcome']}"
    page = checks.get(row["page"])
    if page_key(row["page"]) not in parsed:
        if page and page["status"] in GONE:
            return "fixed", f"所在页面已删除 (HTTP {page['status']})"
        return "open", "所在页面未能重新访问" + (f": {page['detail'] or page['outcome']}" if page else "")
    if how == "link":
        if any(link["url"] == row["url"] for link in facts.db["links"].rows_where("run = ? AND source = ?",
                                                                                 [facts.id, page_key(row["page"])])):
            return "open", "复查页面仍含此链接"
        return "fixed", "复查页面已不含此链接"
    if how == "page":
        return ("open", "复查仍存在") if row["fingerprint"] in reproduced(row["rule"]) else ("fixed", "复查已不存在")
    return "open", "此类问题需完整检查复核 (needs a full crawl)"


def recheck(db, run: dict, config, verbose: bool = False) -> list[dict]:
    """Re-verify the open findings of `run` (waived and fixed ones are left alone) and record
    the outcome of each as a history row of the run; returns them."""
    rows = [r for r in history.view(db, run) if r["status"] in history.OPEN]
    if not rows:
        return []
    pages, leaves = plan(rows)
    facts = refetch(run["start_url"], config, pages, leaves, verbose)
    checks = {c["url"]: c for c in facts.checks()}
    parsed = {p["url"] for p in facts.pages()}
    found: dict[str, set] = {}

    def reproduced(rule_id):
        if rule_id not in found:
            found[rule_id] = {f.fingerprint for f in findings(rule_id, facts, config)}
        return found[rule_id]

    at = store.now()
    results = []
    for r in rows:
        status, note = verdict(r, facts, checks, parsed, reproduced)
        results.append({**{k: r[k] for k in history.COPY}, "evidence": json.dumps(r["evidence"], ensure_ascii=False),
                        "run": run["id"], "last_seen": r["last_seen"], "status": status, "source": "recheck",
                        "note": note, "at": at})
    with db.conn:
        db["history"].insert_all(results, replace=True)
    return results
