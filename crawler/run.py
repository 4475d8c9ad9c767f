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
from crawler.links import redirect_target
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
        """SELECT l.url, min(p.depth) + 1, max(l.tag IN ('a','area','iframe','frame','pager','refresh'))
           FROM links l JOIN pages p ON p.run = l.run AND p.url = l.source
           WHERE l.run = ? AND l.url NOT IN (SELECT url FROM checks WHERE run = ?)
           GROUP BY l.url""",
        [run_id, run_id],
    ).fetchall()
    # not marked seen: the spider admits each through follow(), which stops wrong links
    frontier = [(url, depth, "a" if as_page else "img") for url, depth, as_page in rows]
    return {"seen": seen, "parsed": {url for url, _, _ in pages}, "digests": {d for _, d, _ in pages if d},
            "depths": [(url, depth) for url, _, depth in pages if "?" in url],  # query families' hops
            "frontier": frontier}


def stored_home(db, run_id: int, start_url: str) -> str | None:
    """Where the run's start page led, as far as the store tells: its final URL after HTTP
    redirects, then on through pages that only redirect (a root page that is only a meta
    refresh to /index.html), never round a loop. None while the start page has no check."""
    home, url, visited = None, canonical(start_url), set()
    while url not in visited:
        visited.add(url)
        check = db.execute("SELECT final_url FROM checks WHERE run = ? AND url = ?", [run_id, url]).fetchone()
        if check is None:
            break
        final = check[0] or url
        home = page_key(final)
        if visited != {canonical(start_url)} and _stored(db, run_id, canonical(final)):
            home = canonical(final)  # reached through a page that only redirects: stored by its own URL
        links = db.execute("SELECT url, tag FROM links WHERE run = ? AND source = ? ORDER BY seq", [run_id, home])
        url = redirect_target(links.fetchall())
        if url is None:
            break
    return home


def _stored(db, run_id: int, url: str) -> bool:
    return db.execute("SELECT 1 FROM pages WHERE run = ? AND url = ?", [run_id, url]).fetchone() is not None


class Progress:
    """The crawl's progress: on a terminal one live line (rich), elsewhere (cron, systemd) a log
    line every `every` seconds. Elapsed time, pages parsed and waiting, targets checked, the
    problem links found (counted as the summary counts them), and an estimate once one can be made."""

    def __init__(self, stream=sys.stderr, every: float = 60.0):
        self.stream, self.every = stream, every
        self.t0 = self.last = time.monotonic()
        self.live = None
        if stream.isatty():
            from rich.console import Console
            from rich.live import Live

            self.live = Live(console=Console(file=stream), refresh_per_second=2, transient=True)
            self.live.start()

    def __call__(self, counts: Counter) -> None:
        now = time.monotonic()
        if now - self.last < (0.5 if self.live else self.every):
            return
        self.last = now
        line = self.line(counts, now - self.t0)
        if self.live:
            self.live.update(line)
        else:
            self.stream.write(f"进度 {line}\n")
            self.stream.flush()

    @staticmethod
    def line(counts: Counter, elapsed: float) -> str:
        pages, waiting = counts["pages"], max(0, counts["pages_scheduled"] - counts["pages"])
        text = (f"已用 {_clock(elapsed)}：页面 {pages}（待抓取 {waiting}），已检查链接 {counts['checks']}"
                f"（{counts['checks'] / max(elapsed, 1e-6):.1f}/秒），问题链接 {counts['problems']}")
        if pages >= 50 and waiting:  # pages still to parse at the rate so far: the site may hold more
            text += f"，预计至少还需 {_clock(waiting * elapsed / pages)}"
        return text

    def done(self) -> None:
        if self.live:
            self.live.stop()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


FRONTIER_PREFIX = "inspector-frontier-"
# Python's cycle collector runs every 700 allocations by default; a crawl allocates millions of
# short-lived objects (requests, responses, Deferreds): 11-15 % of its CPU went there.
GC_THRESHOLDS = (50_000, 20, 100)


def run_spider(writer, start_url: str, config, *, verbose: int = 0, **spider_kwargs):
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


def crawl(db, run_id: int, start_url: str, config, *, resume: bool = False, verbose: int = 0,
          show_progress: bool = True) -> dict:
    """Crawl `start_url` into run `run_id`; returns {"status", "counts", "skipped", "home"}."""
    run = store.get_run(db, run_id)
    previous = previous_run(db, run, config.crawl)
    progress = Progress(every=config.crawl["progress_every"]) if show_progress else None
    spider = run_spider(store.Writer(db, run_id), start_url, config, verbose=verbose,
                        resume=resume_state(db, run_id, start_url) if resume else None, progress=progress,
                        as_of=date.fromisoformat(run["as_of"]) if run["as_of"] else None, previous=previous)
    if progress:
        progress.done()
    reason = spider.close_reason or "crawler stopped"
    return {"status": "complete" if reason == "finished" else "interrupted", "reason": reason,
            "counts": dict(spider.counts), "skipped": dict(spider.skipped),
            "home": stored_home(db, run_id, start_url) or page_key(start_url)}
