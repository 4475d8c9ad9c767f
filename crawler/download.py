"""The HTTP download handler, with a connection pool sized for a crawl that checks links.

Scrapy keeps as many idle connections per host as requests in flight; the next request often
starts before the last connection is back in the pool, so a new TCP connection is opened and
an idle one closed — for 86 % of requests in the benchmark. A pool a few times larger keeps
them (bench/findings.md).
"""

from urllib.parse import urlunparse

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from twisted.web.client import URI


def _origin_form(uri) -> bytes:
    """The request target a browser sends: the path, params and query as they are. Twisted
    builds it with urlunparse, which from Python 3.13 on writes a path starting with `//` (an
    empty first segment: http://host//a.html) as `////a.html`, so the server was asked for
    another page than the one linked."""
    path = uri.path + (b";" + uri.params if uri.params else b"") + (b"?" + uri.query if uri.query else b"")
    return path or b"/"


if urlunparse((b"", b"", b"//a", b"", b"", b"")) != b"//a":  # Python 3.13 and later
    URI.originForm = property(_origin_form)


class PooledHTTPDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = 4 * crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
