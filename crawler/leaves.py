"""Leaves — attachments, images, external pages — checked beside the crawl, not through it.

A leaf is never parsed: its answer is the whole check. Sending it through Scrapy's scheduler,
spider middlewares and scraper cost more CPU than the request itself (bench/findings.md), and
three requests in four are leaves. So leaves go to `engine.download_async()`, Scrapy's own
API for requests outside the crawl: the same downloader, with its per-host slots
(concurrency and delay shared with the pages), its middlewares (robots.txt, Retry-After, the
user agent) and the guarded connections — only the scheduling and callback machinery is
skipped.

Leaves wait in one queue per host and at most `per_host` of a host's leaves are handed to
the downloader at once, so a slow external host holds a few workers, not all of them.
While more than `backlog` leaves wait, the engine is paused: no new page is fetched (and
so no new leaf found) until half of them are checked. Memory stays bounded however large
the site, and the pages' own requests wait in the scheduler, not here.

The engine may look at the crawl between a leaf's download ending and its worker taking the
next one, and find it idle: the spider_idle handler then keeps the spider open, and the last
worker to finish asks the engine to look again (else it would wait for its 5 s heartbeat).
"""

from __future__ import annotations

from collections import Counter, deque

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached


class LeafChecks:
    def __init__(self, crawler, answer, failed, limit: int, per_host: int, backlog: int = 2000):
        self.crawler = crawler  # its engine exists only once the spider does
        self.answer = answer  # answer(response) -> follow-ups: a redirect's next hop, a leaf too
        self.failed = failed  # failed(request, exception)
        self.limit, self.per_host, self.backlog = limit, per_host, backlog
        self.queues: dict[str, deque] = {}  # host -> its waiting leaves; dict order = whose turn
        self.busy: Counter = Counter()  # host -> its leaves in the downloader
        self.waiting = 0
        self.workers = 0
        self.held_open = False  # the engine found the crawl idle while leaves were being checked
        crawler.signals.connect(self._keep_open, signal=signals.spider_idle)

    def put(self, request) -> None:
        self.queues.setdefault(urlparse_cached(request).hostname or "", deque()).append(request)
        self.waiting += 1
        if self.waiting > self.backlog and not self.crawler.engine.paused:
            self.crawler.engine.pause()
        self._start_workers()

    def __len__(self) -> int:
        return self.waiting + self.workers

    def _start_workers(self) -> None:
        while self.workers < min(self.limit, self.waiting):
            self.workers += 1
            deferred_from_coro(self._work())

    def _take(self):
        """The next leaf of the first host (in turn) with room in the downloader, or None."""
        for host, queue in self.queues.items():
            if self.busy[host] < self.per_host:
                request = queue.popleft()
                del self.queues[host]
                if queue:
                    self.queues[host] = queue  # to the back of the line
                self.waiting -= 1
                if self.waiting <= self.backlog // 2 and self.crawler.engine.paused:
                    self.crawler.engine.unpause()
                self.busy[host] += 1
                return host, request
        return None

    async def _work(self) -> None:
        try:
            while (taken := self._take()) is not None:
                host, request = taken
                try:
                    response = await self.crawler.engine.download_async(request)
                except Exception as exc:  # noqa: BLE001 - every failure is an outcome
                    self.failed(request, exc)
                    continue
                finally:
                    self.busy[host] -= 1
                for follow_up in self.answer(response):
                    self.put(follow_up)
        finally:
            self.workers -= 1
            if self.held_open and not len(self):
                self.held_open = False
                slot = getattr(self.crawler.engine, "_slot", None)  # Scrapy has no public "look again"
                if slot is not None:
                    slot.nextcall.schedule()

    def _keep_open(self, spider):
        if len(self):
            self.held_open = True
            self._start_workers()
            raise DontCloseSpider
