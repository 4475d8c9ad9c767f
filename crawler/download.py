"""The HTTP download handler, with a connection pool sized for a crawl that checks links.

Scrapy keeps as many idle connections per host as requests in flight; the next request often
starts before the last connection is back in the pool, so a new TCP connection is opened and
an idle one closed — for 86 % of requests in the benchmark. A pool a few times larger keeps
them (bench/findings.md).
"""

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class PooledHTTPDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = 4 * crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
