"""Scrapy settings for an inspection, built from the one configuration door.

Scrapy's own defaults suit a scraper, not a polite monitor: 180 s timeouts, robots ignored,
8 requests per domain. These are the monitor's, and the middlewares the spider does not
need (redirects and deduplication are its own; proxies are never used) are switched off.
"""

from __future__ import annotations


LOG_LEVELS = ("ERROR", "INFO", "DEBUG")  # by the number of -v


def scrapy_settings(crawl: dict, site_hosts: set[str], verbose: int = 0) -> dict:
    return {
        "BOT_NAME": "portal-inspector",
        "USER_AGENT": crawl["user_agent"],
        "ROBOTSTXT_OBEY": crawl["obey_robots"],
        "CONCURRENT_REQUESTS": max(16, crawl["concurrency"] * 4),
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl["concurrency"],
        # Scrapy starts this many asyncio tasks for *every* callback's output; the spider yields
        # requests, never items, so one is enough (100, the default, cost 60 % of the CPU).
        "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_DELAY": crawl["delay"],
        "DOWNLOAD_TIMEOUT": crawl["timeout"],
        "DNS_TIMEOUT": crawl["timeout"],
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 1,  # one more try for network errors; 429/503 are RetryAfterMiddleware's
        "RETRY_HTTP_CODES": [],
        "COOKIES_ENABLED": True,  # some portals set a cookie and redirect until they get it back
        "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False,
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        # http and https only: a file://, ftp:// or s3:// link is a finding, never a fetch
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None,
                              "http": "crawler.download.PooledHTTPDownloadHandler",
                              "https": "crawler.download.PooledHTTPDownloadHandler"},
        "WARN_ON_GENERATOR_RETURN_VALUE": False,  # it re-parses the callback's source per response
        "TWISTED_DNS_RESOLVER": "crawler.resolver.GuardedResolver",
        "INSPECTOR_RESOLVE": crawl["resolve"],
        "INSPECTOR_CONNECT_TO": crawl["connect_to"],
        "INSPECTOR_OFFLINE": crawl["offline"],
        "INSPECTOR_TRUSTED_HOSTS": sorted(site_hosts),
        "INSPECTOR_RETRIES": crawl["retries"],
        "INSPECTOR_LEAF_BACKLOG": crawl["leaf_backlog"],
        "INSPECTOR_RETRY_AFTER_MAX": crawl["retry_after_max"],
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,  # never leave via a proxy
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
            # per-request bookkeeping nobody reads: the spider counts what the summary says
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            "crawler.politeness.RetryAfterMiddleware": 560,
            # Scrapy 2.19's lets every request but the first past a robots.txt still loading
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.robots.RobotsTxtMiddleware": 100,
        },
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
            "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "EXTENSIONS": {  # no listening ports, no feeds, no job state: the store is the state
            "scrapy.extensions.telnet.TelnetConsole": None,
            "scrapy.extensions.remote_control.RemoteControl": None,
            "scrapy.extensions.feedexport.FeedExporter": None,
            "scrapy.extensions.spiderstate.SpiderState": None,
            "scrapy.extensions.memdebug.MemoryDebugger": None,
            "scrapy.extensions.throttle.AutoThrottle": None,
            "scrapy.extensions.corestats.CoreStats": None,
        },
        "TELNETCONSOLE_ENABLED": False,
        # -v: INFO (every check that is not ok, with its outcome and detail), -vv: DEBUG (every request)
        "LOG_LEVEL": LOG_LEVELS[min(int(verbose), 2)] if verbose or not crawl.get("log_file") else "INFO",
        "LOG_ENABLED": True,
        "LOG_FILE": crawl.get("log_file") or None,
        "LOG_INSTALL_ROOT_HANDLER": bool(verbose) or bool(crawl.get("log_file")),
        "STATS_DUMP": bool(verbose),
        "DOWNLOAD_FAIL_ON_DATALOSS": False,
        "DOWNLOAD_MAXSIZE": 64 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "REACTOR_THREADPOOL_MAXSIZE": 10,
    }
