"""Leaves — attachments, images, external pages — checked beside the crawl, not through it.

A leaf is never parsed: its answer is the whole check. Sending it through Scrapy's scheduler,
spider middlewares and scraper cost more CPU than the request itself (bench/findings.md), and
three requests in four are leaves. So leaves go to `engine.download_async()`, Scrapy's own
API for requests outside the crawl: the same downloader, with its per-host slots
(concurrency and delay shared with the pages), its middlewares (robots.txt, Retry-After, the
user agent) and the guarded connections — only the scheduling and callback machinery is
skipped.

A few worker tasks take leaves from a queue in turn. A worker starts its next download in the
same step in which the last one ended, so the engine never sees the crawl idle while leaves
wait; the spider_idle handler keeps the spider open all the same until the queue is empty.
"""

from __future__ import annotations

from collections import deque

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro


class LeafChecks:
    def __init__(self, crawler, answer, failed, limit: int):
        self.engine = lambda: crawler.engine
        self.answer = answer  # answer(response) -> follow-up requests (a redirect's next hop)
        self.failed = failed  # failed(request, exception)
        self.limit = limit
        self.pending: deque = deque()
        self.workers = 0
        crawler.signals.connect(self._keep_open, signal=signals.spider_idle)

    def put(self, request) -> None:
        self.pending.append(request)
        self._start_workers()

    def _start_workers(self) -> None:
        while self.workers < min(self.limit, len(self.pending)):
            self.workers += 1
            deferred_from_coro(self._work())

    def __len__(self) -> int:
        return len(self.pending) + self.workers

    async def _work(self) -> None:
        try:
            while self.pending:
                request = self.pending.popleft()
                try:
                    response = await self.engine().download_async(request)
                except Exception as exc:  # noqa: BLE001 - every failure is an outcome
                    self.failed(request, exc)
                    continue
                for follow_up in self.answer(response):
                    if follow_up.meta.get("kind") == "leaf":
                        self.pending.append(follow_up)
                    else:  # a leaf that redirected to one of the site's pages
                        self.engine().crawl(follow_up)
        finally:
            self.workers -= 1

    def _keep_open(self, spider):
        if len(self):
            self._start_workers()
            raise DontCloseSpider
