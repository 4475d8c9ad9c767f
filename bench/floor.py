"""Scrapy's own floor: the tool's Scrapy stack with a spider that does nothing else.

Same settings as `inspector crawl` (crawler.settings: middlewares, download handler, guarded
resolver, --connect-to routes, concurrency) and the same split of the work — pages through
the scheduler, leaves through crawler.leaves.LeafChecks — but the spider only extracts
links with lxml and follows them: no page understanding, no checks classified, no store, no
rules. What the tool spends above this line is its own; what this line costs is Scrapy's.
`--scheduled` sends the leaves through the scheduler as well (plain Scrapy).

    python bench/floor.py http://www.bench-gov.cn/ --connect-to www.bench-gov.cn:80:127.0.0.1:PORT ...

Prints one JSON line: {"pages", "checks", "seconds", "pages_per_s", "checks_per_s"}.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree
from scrapy.crawler import CrawlerProcess

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import load  # noqa: E402
from crawler.leaves import LeafChecks  # noqa: E402
from crawler.run import GC_THRESHOLDS  # noqa: E402
from crawler.settings import scrapy_settings  # noqa: E402
from crawler.spider import ATTACHMENT_EXT  # noqa: E402

TAGS = {"a": "href", "area": "href", "img": "src", "script": "src", "link": "href", "iframe": "src"}


class FloorSpider(scrapy.Spider):
    name = "floor"

    def __init__(self, start: str, scheduled: bool, **kwargs):
        super().__init__(**kwargs)
        self.start_url, self.scheduled = start, scheduled
        self.site = urlsplit(start).hostname
        self.seen = {start}
        self.pages = self.checks = 0
        self.leaves = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.scheduled:
            s = crawler.settings
            spider.leaves = LeafChecks(crawler, spider.answer, lambda request, exc: spider.answer(None),
                                       limit=s.getint("CONCURRENT_REQUESTS"), per_host=s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        return spider

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse, errback=self.failed, dont_filter=True,
                             meta={"kind": "page", "handle_httpstatus_all": True})

    def answer(self, response):
        self.checks += 1
        return ()

    def failed(self, failure):
        self.checks += 1

    def parse(self, response):
        self.checks += 1
        if response.status != 200 or not hasattr(response, "text"):
            return
        self.pages += 1
        root = etree.HTML(response.body)
        if root is None:
            return
        for el in root.iter(*TAGS):
            href = (el.get(TAGS[el.tag]) or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            url = urljoin(response.url, href).split("#")[0]
            if url in self.seen or not url.startswith("http"):
                continue
            self.seen.add(url)
            parts = urlsplit(url)
            ext = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
            page = el.tag in ("a", "area", "iframe") and parts.hostname == self.site and ext not in ATTACHMENT_EXT
            request = scrapy.Request(url, callback=self.parse if page else self.answer, errback=self.failed,
                                     dont_filter=True, priority=0 if page else 1,
                                     meta={"kind": "page" if page else "leaf", "handle_httpstatus_all": True})
            if page or self.leaves is None:
                yield request
            else:
                self.leaves.put(request)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--connect-to", action="append", default=[])
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--scheduled", action="store_true", help="leaves through the scheduler too (plain Scrapy)")
    args = ap.parse_args()
    config = load(None)
    crawl = {**config.crawl, "concurrency": args.concurrency, "delay": 0.0, "offline": True,
             "connect_to": args.connect_to}
    settings = scrapy_settings(crawl, {urlsplit(args.url).hostname})
    gc.set_threshold(*GC_THRESHOLDS)  # as crawler.run.run_spider does
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(FloorSpider)
    t0 = time.perf_counter()
    process.crawl(crawler, start=args.url, scheduled=args.scheduled)
    process.start()
    seconds = time.perf_counter() - t0
    spider = crawler.spider
    print(json.dumps({"pages": spider.pages, "checks": spider.checks, "seconds": round(seconds, 2),
                      "pages_per_s": round(spider.pages / seconds, 1),
                      "checks_per_s": round(spider.checks / seconds, 1)}))


if __name__ == "__main__":
    main()
