"""What became of one request: its outcome as a value (core.records lists the outcomes).

Classification of answers (soft 404s, redirects home or to an error page) and of failures
(exceptions of Scrapy and Twisted) into outcomes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from core.urls import is_home_url

_ERROR_PATH = re.compile(r"/(404|40x|error|notfound|not[-_]found|nopage|404page)(\.[a-z]+)?/?$", re.I)
_WS = re.compile(r"\s+")

#: Phrases that make a 200 answer an error page. Phrases only: "404" alone is a legit word.
SOFT_404_PHRASES = (
    "您访问的页面不存在", "页面不存在", "网页不存在", "页面已删除", "页面已被删除",
    "该信息已删除", "已撤稿", "文章不存在", "信息已过期", "页面未找到", "找不到该页面",
    "找不到文件或目录", "404 Not Found", "ERROR 404", "Page Not Found",
    "was not found on this server",
)
# Error templates are short: a page whose main message (its text without link texts) is longer
# is an article, even one that mentions 页面不存在 or links to a withdrawn item (已撤稿).
SOFT_404_MAX_MESSAGE = 1000
_SOFT_404 = [
    (phrase, re.compile(r"\s*".join(re.escape(w) for w in phrase.split()), re.IGNORECASE))
    for phrase in sorted(SOFT_404_PHRASES, key=len, reverse=True)
]
_ANY_PHRASE = re.compile("|".join(pattern.pattern for _, pattern in _SOFT_404), re.IGNORECASE)
# text a reader takes for the page's message: not inside a link, a script or a style
_MESSAGE = etree.XPath("//body//text()[not(ancestor::a or ancestor::script or ancestor::style"
                       " or ancestor::noscript or ancestor::select)]")
_HEADING_TEXT = etree.XPath(".//text()[not(ancestor::a)]")


def error_page_phrase(doc) -> str | None:
    """The error phrase that makes a parsed page (None: no page) an error page, a soft 404, or None.

    Read as a reader reads it: the title, the main headings (h1-h3) and the main message (the
    body's text without link texts, scripts and styles), whitespace collapsed; see soft_404_phrase.
    """
    if doc is None or not _ANY_PHRASE.search(doc.text_content()):
        return None  # nearly every page: no phrase anywhere, so the costlier reading below is skipped
    headings = " | ".join("".join(_HEADING_TEXT(h)) for h in doc.iter("h1", "h2", "h3"))
    message = ""
    for piece in _MESSAGE(doc):
        message += piece
        if len(message) > 4 * SOFT_404_MAX_MESSAGE:  # long enough to be no error page, even collapsed
            break
    return soft_404_phrase(doc.findtext(".//title") or "", message, _WS.sub(" ", headings))


def soft_404_phrase(title: str, message: str, headings: str = "") -> str | None:
    """The error phrase that makes this page a soft 404 (a 200 error page), or None.

    Judged, as a reader does, from the title, the main headings and the main message, and only
    on a short page (error pages are short): never from link texts, never on a long article.
    """
    message = _WS.sub(" ", message).strip() if isinstance(message, str) else ""
    if len(message) > SOFT_404_MAX_MESSAGE:
        return None
    texts = [t for t in (title, headings, message) if isinstance(t, str) and t]
    for phrase, pattern in _SOFT_404:
        if any(pattern.search(t) for t in texts):
            return phrase
    return None


def classify_answer(url: str, status: int, final_url: str, redirects: list, soft_404: str | None = None
                    ) -> tuple[str, str]:
    """(outcome, detail) for a final, non-redirect answer to a request for `url`; `soft_404`: the
    error phrase its page shows (error_page_phrase)."""
    if status >= 400:
        return "http-error", f"HTTP {status}"
    if status >= 300:  # a 3xx that is no redirect (a 304 nobody asked for, a 300, no Location): no page
        return "http-error", f"HTTP {status} without a redirect a browser follows"
    if (redirects and is_home_url(final_url) and not is_home_url(url) and _same_host(url, final_url)
            and not _same_place(url, final_url)):
        return "redirect-home", f"redirected to the home page {final_url}"
    if redirects and _ERROR_PATH.search(urlsplit(final_url).path):
        return "redirect-404", f"redirected to the error page {final_url}"
    if soft_404:
        return "soft-404", f"error page: {soft_404}"
    return "ok", ""


def _same_host(a: str, b: str) -> bool:
    """A deleted page is sent to its own site's home (`www.` or not); a moved site's links
    lead to another host's home, which is an answer, not a deletion."""
    return _bare_host(a) == _bare_host(b)


def _bare_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _same_place(a: str, b: str) -> bool:
    """http→https or a trailing-slash fix of the same address is not a redirect home."""
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.path.rstrip("/") == pb.path.rstrip("/") and pa.query == pb.query


_FAILURES = {  # exception class name (Scrapy's or Twisted's) -> outcome
    "DNSLookupError": "dns", "CannotResolveHostError": "dns",
    "ConnectionRefusedError": "refused", "DownloadConnectionRefusedError": "refused",
    "TimeoutError": "timeout", "TCPTimedOutError": "timeout", "DownloadTimeoutError": "timeout",
    "ResponseNeverReceived": "connection-error", "ResponseFailed": "connection-error",
    "ConnectionLost": "connection-error", "ConnectionDone": "connection-error", "ConnectError": "connection-error",
    "ConnectionAborted": "connection-error", "DownloadFailedError": "connection-error",
    "ResponseDataLossError": "connection-error", "NoRouteError": "connection-error",
}


def classify_failure(exc: BaseException, host: str, blocked: dict) -> tuple[str, str]:
    """(outcome, detail) for a request that got no HTTP answer."""
    text = str(exc) or type(exc).__name__
    if type(exc).__name__ == "IgnoreRequest" and "robots" in text.lower():
        return "robots-excluded", "forbidden by robots.txt"
    names = []
    while exc is not None and len(names) < 5:  # Scrapy wraps Twisted's errors: look down the chain
        names.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    outcome = next((_FAILURES[n] for n in names if n in _FAILURES), None)
    if outcome is None and any("SSL" in n or "TLS" in n for n in names):
        outcome = "tls-error"
    if outcome == "dns" and host in blocked:
        where = f"resolves to the private address {blocked[host]}" if blocked[host] else "is an intranet name"
        return "not-checked-private", f"{host} {where}: not fetched"
    detail = {"dns": f"cannot resolve {host}", "refused": "connection refused", "timeout": "no answer in time"}
    if outcome is None:
        return "error", f"{names[0]}: {text[:200]}"
    return outcome, detail.get(outcome, text[:200])
