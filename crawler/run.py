"""Run one crawl in this process and store its facts.

The Twisted reactor cannot be restarted: one process runs one crawl. The CLI and the
scheduler start a fresh process per inspection.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from core import store
from core.urls import canonical, host_of, page_key
from crawler.settings import scrapy_settings
from crawler.spider import PortalSpider


def site_hosts(start_url: str, aliases) -> set[str]:
    return {host_of(start_url)} | {a.lower() for a in aliases}


def previous_run(db, run: dict, crawl: dict) -> store.Previous | None:
    """What an incremental night reuses: the site's last complete run, or None."""
    return store.Previous.of(db, run, crawl["recheck_ok_after"]) if crawl["incremental"] else None


def resume_state(db, run_id: int, start_url: str) -> dict:
    """Rebuild the frontier of an interrupted run from what it stored: every link target of a
    stored page that has no check yet, at its page's depth + 1. Nothing stored is fetched again."""
    seen = {r[0] for r in db.execute("SELECT url FROM checks WHERE run = ?", [run_id])}
    pages = db.execute("SELECT url, digest, depth FROM pages WHERE run = ?", [run_id]).fetchall()
    rows = db.execute(
        """SELECT l.url, min(p.depth) + 1, max(l.tag IN ('a','area','iframe','frame','pager'))
           FROM links l JOIN pages p ON p.run = l.run AND p.url = l.source
           WHERE l.run = ? AND l.url NOT IN (SELECT url FROM checks WHERE run = ?)
           GROUP BY l.url""",
        [run_id, run_id],
    ).fetchall()
    # not marked seen: the spider admits each through follow(), which stops wrong links
    frontier = [(url, depth, "a" if as_page else "img") for url, depth, as_page in rows]
    return {"seen": seen, "parsed": {url for url, _, _ in pages}, "digests": {d for _, d, _ in pages if d},
            "depths": [(url, depth) for url, _, depth in pages if "?" in url],  # query families' hops
            "frontier": frontier, "home": stored_home(db, run_id, start_url)}


def stored_home(db, run_id: int, start_url: str) -> str | None:
    """Where the run's start page led (its final URL), once its check is stored."""
    start = db.execute("SELECT final_url FROM checks WHERE run = ? AND url = ?", [run_id, canonical(start_url)]).fetchone()
    return page_key(start[0]) if start and start[0] else None


class Progress:
    """One live line on a terminal: pages, links checked, problems, rate. Silent elsewhere."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.live = stream.isatty()
        self.t0 = self.last = time.monotonic()

    def __call__(self, counts: Counter) -> None:
        now = time.monotonic()
        if not self.live or now - self.last < 0.5:
            return
        self.last = now
        rate = counts["checks"] / max(now - self.t0, 1e-6)
        self.stream.write(f"\r  {counts['pages']} pages, {counts['checks']} links checked, "
                          f"{counts['problems']} problems, {rate:.1f}/s ")
        self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()


FRONTIER_PREFIX = "inspector-frontier-"
# Python's cycle collector runs every 700 allocations by default; a crawl allocates millions of
# short-lived objects (requests, responses, Deferreds): 11-15 % of its CPU went there.
GC_THRESHOLDS = (50_000, 20, 100)


def run_spider(writer, start_url: str, config, *, verbose: bool = False, **spider_kwargs):
    """Run one PortalSpider to its end in this process (the reactor runs once); returns it.

    The pages waiting to be fetched live on disk (Scrapy's disk queues, in a temporary folder
    removed at the end): a breadth-first frontier of a 100,000-page site is tens of thousands of
    requests. It is not the crawl's state — `--resume` rebuilds the frontier from the store."""
    hosts = site_hosts(start_url, config.site["aliases"])
    _remove_orphan_frontiers()
    gc.set_threshold(*GC_THRESHOLDS)
    with tempfile.TemporaryDirectory(prefix=f"{FRONTIER_PREFIX}{os.getpid()}-") as frontier:
        process = CrawlerProcess({**scrapy_settings(config.crawl, hosts, verbose), "JOBDIR": frontier})
        crawler = process.create_crawler(PortalSpider)
        process.crawl(crawler, start_url=start_url, writer=writer, crawl=config.crawl, site_hosts=hosts,
                      **spider_kwargs)
        process.start()
    writer.flush()
    return crawler.spider


def _remove_orphan_frontiers() -> None:
    """Frontier folders left by crawls that were killed (kill -9 skips the clean-up)."""
    for folder in Path(tempfile.gettempdir()).glob(FRONTIER_PREFIX + "*"):
        pid = folder.name[len(FRONTIER_PREFIX):].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def crawl(db, run_id: int, start_url: str, config, *, resume: bool = False, verbose: bool = False,
          show_progress: bool = True) -> dict:
    """Crawl `start_url` into run `run_id`; returns {"status", "counts", "skipped", "home"}."""
    run = store.get_run(db, run_id)
    previous = previous_run(db, run, config.crawl)
    progress = Progress() if show_progress else None
    spider = run_spider(store.Writer(db, run_id), start_url, config, verbose=verbose,
                        resume=resume_state(db, run_id, start_url) if resume else None, progress=progress,
                        as_of=date.fromisoformat(run["as_of"]) if run["as_of"] else None, previous=previous)
    if progress:
        progress.done()
    reason = spider.close_reason or "crawler stopped"
    return {"status": "complete" if reason == "finished" else "interrupted", "reason": reason,
            "counts": dict(spider.counts), "skipped": dict(spider.skipped), "home": spider.home or page_key(start_url)}
