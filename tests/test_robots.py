"""robots.txt middleware (crawler.robots): every request waiting for a host's robots.txt is
checked against it, and a robots.txt that cannot be read is treated as RFC 9309 says."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, TimeoutError

from crawler.robots import RobotsTxtMiddleware

SITE = "http://www.example.gov.cn"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Engine:
    """Answers robots.txt after a moment, so that other requests queue up behind it; `moved`
    maps a URL to where it redirects."""

    def __init__(self, status=200, body=ROBOTS, error=None, moved=None):
        self.status, self.body, self.error, self.moved, self.fetched = status, body, error, moved or {}, 0

    async def download_async(self, request):
        self.fetched += 1
        await asyncio.sleep(0.05)
        if self.error:
            raise self.error
        if request.url in self.moved:
            return TextResponse(request.url, status=301, headers={"Location": self.moved[request.url]}, body=b"",
                                request=request)
        return TextResponse(request.url, status=self.status, body=self.body, request=request)


def outcomes(engine, paths):
    """'ok' or 'forbidden' for each path, all requested at once."""
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.engine = engine
    middleware = RobotsTxtMiddleware(crawler)

    async def one(path):
        try:
            await middleware.process_request(Request(SITE + path))
            return "ok"
        except IgnoreRequest:
            return "forbidden"

    async def all_at_once():
        return await asyncio.gather(*(one(p) for p in paths))

    return asyncio.run(all_at_once())


PATHS = ["/", "/a.html", "/private/report.html", "/private/other.html"]


def test_every_request_waiting_for_robots_txt_is_checked():
    """The requests queued while robots.txt is fetched are each held against it (Scrapy's own
    middleware let the waiting ones through), and robots.txt is fetched once."""
    engine = Engine()
    assert outcomes(engine, PATHS) == ["ok", "ok", "forbidden", "forbidden"]
    assert engine.fetched == 1


@pytest.mark.parametrize("engine, expected", [
    (Engine(status=404, body=b"Disallow: /"), "ok"),  # 4xx: no rules (its body is an error page)
    (Engine(status=503, body=b""), "forbidden"),  # the server is struggling: keep away
    (Engine(status=429, body=b""), "forbidden"),
    (Engine(error=TimeoutError()), "forbidden"),  # reached, no answer: unreachable, RFC 9309 §2.3.1.4
    (Engine(error=ConnectionRefusedError()), "ok"),  # nobody there: the link's own check says so
])
def test_a_robots_txt_that_cannot_be_read(engine, expected):
    assert outcomes(engine, ["/a.html", "/b.html"]) == [expected, expected]


def test_a_redirected_robots_txt_is_followed():
    """http -> https and www moves are common on portals: the rules at the end of the chain count."""
    https = "https://www.example.gov.cn/robots.txt"
    engine = Engine(moved={f"{SITE}/robots.txt": https})
    assert outcomes(engine, PATHS) == ["ok", "ok", "forbidden", "forbidden"]
    assert engine.fetched == 2
    endless = {f"{SITE}/robots.txt": f"{SITE}/r1.txt", **{f"{SITE}/r{i}.txt": f"{SITE}/r{i + 1}.txt" for i in range(1, 9)}}
    assert outcomes(Engine(moved=endless), PATHS) == ["ok"] * 4  # more than five hops: no rules
