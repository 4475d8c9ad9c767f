"""The machine's ceiling: the simplest correct crawler, asyncio + aiohttp.

Same job as `inspector crawl` in its barest form: start at URL, fetch every distinct target
once (GET), parse the same host's HTML pages with one regex for href/src, follow them;
everything else (attachments, images, the external host) is fetched and its body read, never
parsed. No politeness, no storage, no rules. Every host named with --route is dialled at
127.0.0.1:PORT (the Host header stays the URL's); any other host is refused, so nothing
leaves loopback.

    python bench/ceiling.py http://www.bench-gov.cn/ --route www.bench-gov.cn=PORT \
        --route www.ext-bench.cn=PORT --concurrency 16

Prints one JSON line: {"pages", "checks", "links", "errors", "seconds", "pages_per_s", ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import sys
import time
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver

HREF = re.compile(rb"""(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.I)
SKIP = (b"javascript:", b"mailto:", b"tel:", b"data:", b"#")


class LoopbackResolver(AbstractResolver):
    """Bench hosts -> 127.0.0.1:their port; every other name fails (never leaves loopback)."""

    def __init__(self, routes: dict[str, int]):
        self.routes = routes

    async def resolve(self, host, port=0, family=socket.AF_INET):
        to_port = self.routes.get(host.lower())
        if to_port is None:
            raise OSError(f"{host} is not a bench host")
        return [{"hostname": host, "host": "127.0.0.1", "port": to_port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self):
        pass


async def crawl(start: str, routes: dict[str, int], concurrency: int, max_pages: int) -> dict:
    site = urlsplit(start).hostname
    seen = {start}
    queue: asyncio.Queue = asyncio.Queue()
    queue.put_nowait(start)
    stats = {"pages": 0, "checks": 0, "links": 0, "errors": 0, "bytes": 0, "status": {}}
    connector = aiohttp.TCPConnector(resolver=LoopbackResolver(routes), limit=concurrency * 4,
                                     limit_per_host=concurrency, ttl_dns_cache=None)
    timeout = aiohttp.ClientTimeout(total=15)

    async def fetch(session, url: str) -> None:
        try:
            async with session.get(url, allow_redirects=False) as resp:
                body = await resp.read()
                code = str(resp.status)
                stats["status"][code] = stats["status"].get(code, 0) + 1
                stats["bytes"] += len(body)
                if (resp.status == 200 and resp.content_type == "text/html"
                        and urlsplit(url).hostname == site and stats["pages"] < max_pages):
                    stats["pages"] += 1
                    for m in HREF.finditer(body):
                        href = m.group(1)
                        if href.lower().startswith(SKIP):
                            continue
                        stats["links"] += 1
                        target = urldefrag(urljoin(url, href.decode("utf-8", "replace")))[0]
                        if target not in seen and target.startswith(("http://", "https://")):
                            seen.add(target)
                            queue.put_nowait(target)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            stats["errors"] += 1
        finally:
            stats["checks"] += 1

    async def worker(session) -> None:
        while True:
            url = await queue.get()
            try:
                await fetch(session, url)
            finally:
                queue.task_done()

    t0 = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, auto_decompress=True) as session:
        workers = [asyncio.create_task(worker(session)) for _ in range(concurrency * 2)]
        await queue.join()
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    seconds = time.perf_counter() - t0
    stats.update(seconds=round(seconds, 3), pages_per_s=round(stats["pages"] / seconds, 1),
                 checks_per_s=round(stats["checks"] / seconds, 1))
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("--route", action="append", default=[], metavar="HOST=PORT",
                    help="dial HOST at 127.0.0.1:PORT (repeatable)")
    ap.add_argument("--concurrency", type=int, default=16, help="requests at once per host")
    ap.add_argument("--max-pages", type=int, default=10**9)
    args = ap.parse_args(argv)
    routes = {}
    for r in args.route:
        host, _, port = r.rpartition("=")
        routes[host.lower()] = int(port)
    if not routes:
        ap.error("at least one --route HOST=PORT is needed (nothing is dialled outside loopback)")
    stats = asyncio.run(crawl(args.url, routes, args.concurrency, args.max_pages))
    json.dump(stats, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
