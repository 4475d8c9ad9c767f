"""A worker of a distributed crawl: joins an open run in Redis and crawls its shared frontier
with the run's own settings (network guard included) until the coordinator says it is over.

Workers never open SQLite: what the spider would write (pages with their links, checks) is
pushed to the run's record list, in one transaction with the requests it led to and the removal
of the request from this worker's in-flight hash. A worker killed at any moment therefore leaves
either all of a response's effects or none, and its in-flight requests are put back.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import date

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider

from core.records import Check
from crawler import distributed
from crawler.distributed import HEARTBEAT_TTL, RUNS, Frontier, Keys, RedisMemo, RedisPrevious, RedisTally
from crawler.settings import scrapy_settings
from crawler.spider import PortalSpider


class RecordBuffer:
    """Stands in for store.Writer in a worker: keeps the rows of the response being handled.
    What the last complete run stored is copied by the coordinator (reuse_*); a reused page's
    digest and link targets come from what it published (`previous`: a RedisPrevious)."""

    def __init__(self, previous=None):
        self.rows: list[list] = []
        self.previous = previous

    def page(self, url, depth, status, kind, title, content_type, encoding, facts, links, digest="", etag="",
             last_modified="") -> None:
        links = [[key, link.text, link.tag, link.attr] for key, link in links]
        self.rows.append(["page", url, depth, status, kind, title, content_type, encoding, facts, links, digest,
                          etag, last_modified])

    def check(self, check: Check) -> None:
        self.rows.append(["check", asdict(check)])

    def reuse_page(self, previous_run: int, url: str, depth: int):
        self.rows.append(["reuse_page", previous_run, url, depth])
        return self.previous.page(url)

    def reuse_check(self, previous_run: int, url: str) -> None:
        self.rows.append(["reuse_check", previous_run, url])

    def take(self) -> list[str]:
        rows, self.rows = self.rows, []
        return [json.dumps(r, ensure_ascii=False, default=str) for r in rows]

    def flush(self) -> None:
        pass


class DistributedSpider(PortalSpider):
    """PortalSpider with its seen-sets in Redis and every callback settled in one transaction."""

    leaves_beside = False  # every request, leaves too, goes through the shared frontier
    share_hops = False  # another worker may be checking a redirect's next hop: it is asked again

    def __init__(self, *, server, keys: Keys, worker_id: str, **kwargs):
        super().__init__(writer=RecordBuffer(kwargs.get("previous")), **kwargs)
        self.server, self.keys, self.worker_id = server, keys, worker_id
        self.owner: tuple = (None, False)  # (id, replayed?) of the request whose callback is running
        owner = lambda: self.owner  # noqa: E731
        self.seen = RedisMemo(server, keys.seen, "s", keys, owner)
        self.parsed = RedisMemo(server, keys.parsed, "p", keys, owner)
        self.bodies = RedisMemo(server, keys.bodies, "b", keys, owner)
        self.families = RedisTally(server, keys.families)
        self.frontier = Frontier(server, self, keys.frontier)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        return spider

    def on_opened(self, spider):
        # Scrapy looks at an idle scheduler every 5 s; other workers fill this one's frontier
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = 0.2

    async def start(self):
        return  # the coordinator seeds the frontier
        yield

    def on_idle(self, spider):
        state = self.server.hget(self.keys.meta, "state")
        if state == b"open" and self.server.exists(self.keys.coordinator):
            raise DontCloseSpider

    def on_response(self, response):
        return self._settle(response.meta, lambda: super(DistributedSpider, self).on_response(response))

    def on_failure(self, failure):
        return self._settle(failure.request.meta, lambda: super(DistributedSpider, self).on_failure(failure) or ())

    def _settle(self, meta, produce):
        """Run a callback to its end, then commit its records, the requests it yielded, its
        counters and the end of its request's flight in one MULTI/EXEC."""
        rid = meta.get("rid")
        self.owner = (rid, meta.get("replayed", False))
        skipped, counts = Counter(self.skipped), Counter(self.counts)
        requests = []
        try:
            requests = [r for r in produce() if isinstance(r, scrapy.Request)]
        finally:
            self.owner = (None, False)
            members = self.frontier.members(requests) if requests else {}
            pipe = self.server.pipeline(transaction=True)
            records = self.writer.take()
            if records:
                pipe.rpush(self.keys.records, *records)
            if members:
                pipe.zadd(self.keys.frontier, members)
            for key, delta in ((self.keys.skipped, self.skipped - skipped), (self.keys.counts, self.counts - counts)):
                for field, n in delta.items():
                    pipe.hincrby(key, field, n)
            if rid:
                pipe.hdel(self.keys.inflight(self.worker_id), rid)
                pipe.delete(self.keys.claims(rid), self.keys.inherited(rid))
            pipe.execute()
        return ()


def _heartbeat(server, worker: str, joined: list, stop: threading.Event) -> None:
    # a thread, not a reactor call: a long parse must not make a live worker look dead
    while not stop.is_set():
        try:
            server.set(Keys.alive(worker), "1", px=int(HEARTBEAT_TTL * 1000))
            for keys in joined:  # back in the run if the coordinator took it for dead
                server.sadd(keys.workers, worker)
        except Exception:  # noqa: BLE001 - Redis away for a moment: the next beat tries again
            pass
        stop.wait(HEARTBEAT_TTL / 6)


def find_run(server, worker: str, wait: float = 0.0) -> Keys | None:
    """Join an open run (the one with the fewest workers first); None after `wait` seconds
    without one (0: wait for ever)."""
    deadline = time.monotonic() + wait
    while True:
        runs = sorted(server.smembers(RUNS), key=lambda r: server.scard(Keys(r.decode()).workers))
        for run in runs:
            keys = Keys(run.decode())
            if distributed.join(server, keys, worker) == 1:
                return keys
        if wait and time.monotonic() > deadline:
            return None
        time.sleep(0.3)


def work(redis_url: str, *, name: str | None = None, wait: float = 0.0, verbose: bool = False) -> dict | None:
    """Take part in one run: returns {"run", "worker", "reason"}, or None when no run came."""
    server = distributed.connect(redis_url)
    worker = name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    stop, joined = threading.Event(), []
    beat = threading.Thread(target=_heartbeat, args=(server, worker, joined, stop), daemon=True)
    beat.start()
    keys = None
    try:
        keys = find_run(server, worker, wait)
        if keys is None:
            return None
        joined.append(keys)
        crawler = _crawl(server, keys, worker, redis_url, verbose)
        return {"run": keys.run, "worker": worker, "reason": crawler.spider.close_reason}
    finally:
        stop.set()
        beat.join(2)
        if keys is not None:
            if server.hget(keys.meta, "state") == b"open":
                distributed.requeue(server, keys, worker)  # left early (Ctrl-C): hand the work back
            server.srem(keys.workers, worker)
        server.delete(Keys.alive(worker))


def _crawl(server, keys: Keys, worker: str, redis_url: str, verbose: bool):
    meta = json.loads(server.hget(keys.meta, "settings"))
    crawl, hosts = meta["crawl"], set(meta["hosts"])
    settings = scrapy_settings(crawl, hosts, verbose)
    settings.update({
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.Frontier",
        "SCHEDULER_QUEUE_KEY": keys.frontier,
        "SCHEDULER_PERSIST": True,  # the frontier is the run's: a leaving worker must not clear it
        "DUPEFILTER_CLASS": "crawler.distributed.NoDupeFilter",
        "REDIS_URL": redis_url,
        "DOWNLOAD_DELAY": 0,  # HostTokens spaces the starts, across all workers
        "DOWNLOADER_MIDDLEWARES": {**settings["DOWNLOADER_MIDDLEWARES"], "crawler.distributed.HostTokens": 900},
        "INSPECTOR_REDIS_URL": redis_url,
        "INSPECTOR_WORKER": worker,
        "INSPECTOR_HOST_LIMIT": crawl["concurrency"],
        "INSPECTOR_HOST_DELAY": crawl["delay"],
    })
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DistributedSpider)
    as_of, previous = meta.get("as_of"), meta.get("previous_run")
    process.crawl(crawler, server=server, keys=keys, worker_id=worker, start_url=meta["start_url"], crawl=crawl,
                  site_hosts=hosts, as_of=date.fromisoformat(as_of) if as_of else None,
                  previous=RedisPrevious(server, keys, previous) if previous else None)
    process.start()
    return crawler
