"""robots.txt, obeyed: Scrapy's RobotsTxtMiddleware with one bug fixed and RFC 9309's answer to a
robots.txt that cannot be read.

**The bug** (Scrapy 2.19, since its middleware became a coroutine; asyncio reactor). While a
host's robots.txt is being fetched, every other request for that host awaits the same pending
Deferred through `maybe_deferred_to_future`, i.e. `Deferred.asFuture`, which *consumes* the
result: the first waiter gets the parser, every later one gets None, which Scrapy reads as "no
robots.txt, everything allowed". A distributed worker that joins a running crawl pops a dozen
requests for the site at once, so all but one of them skipped robots.txt — that is how a worker
fetched the disallowed /private/report.html. (Single-process crawls meet it on any host first
seen with several links at once.) Here each waiter gets its own Deferred, fed by a callback that
passes the result on.

**Unreadable robots.txt** (Scrapy allows everything, silently):

* 3xx: followed, five hops at most (§2.3.1.2; the crawl's own redirects are the spider's, so
  Scrapy would read a redirect's empty body as "no rules"). More hops: no rules.
* 2xx: parsed. 4xx other than 429: no rules, everything allowed (RFC 9309 §2.3.1.3).
* 5xx and 429 — the server is struggling, often under our own load — and network failures after
  a server was reached (timeouts, resets): everything disallowed for the run (§2.3.1.4, Google
  does the same); such URLs are recorded `robots-excluded`, and the failure is logged as an error.
* Failures that prove no request can reach a server there — DNS (the network guard's refusals
  included), connection refused, TLS handshake, a request our own middlewares dropped — allow
  everything: there is nobody to be polite to, and each link's own check then records what it
  is (`dns`, `refused`, …) instead of a broken link being hidden as `robots-excluded`.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.checks import classify_failure

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
MAX_REDIRECTS = 5
NO_SERVER = {"dns", "refused", "tls-error"}  # classify_failure outcomes: nothing was reached


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):  # fetching: wait without consuming the shared result
            mine: Deferred = Deferred()

            def relay(result):
                mine.callback(result)
                return result  # the next waiter's callback gets it too

            pending.addCallback(relay)
            return await maybe_deferred_to_future(mine)
        return await super().robot_parser(request)

    async def _parse_robots(self, response, netloc, request):
        for _ in range(MAX_REDIRECTS):
            location = response.headers.get(b"Location")
            if not (300 <= response.status < 400 and location):
                break
            url = urljoin(response.url, location.decode("latin-1").strip())
            try:
                response = await self.crawler.engine.download_async(Request(
                    url, priority=self.DOWNLOAD_PRIORITY, meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK))
            except Exception as exc:  # noqa: BLE001 - judged as a failed robots.txt fetch
                self._robots_error(exc, netloc)
                return
        if response.status >= 500 or response.status == 429:
            logger.error("robots.txt of %s answered %s: everything there is treated as disallowed", netloc,
                         response.status)
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 300:  # 4xx, or still redirecting after five hops
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc):
        outcome, _ = classify_failure(exc, netloc, {})
        pending = self._parsers[netloc]
        if outcome in NO_SERVER or isinstance(exc, IgnoreRequest) or not isinstance(pending, Deferred):
            return super()._robots_error(exc, netloc)
        logger.error("robots.txt of %s could not be read (%s): everything there is treated as disallowed", netloc,
                     outcome)
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        rp = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = rp
        pending.callback(rp)
