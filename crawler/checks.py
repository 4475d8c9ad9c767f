"""What became of one request: its outcome as a value (core.records lists the outcomes).

Classification of answers (soft 404s, redirects home or to an error page) and of failures
(exceptions of Scrapy and Twisted) into outcomes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
# Error templates are short; a long article that *mentions* 页面不存在 is not one.
SOFT_404_MAX_BODY = 3000
_SOFT_404 = [
    (phrase, re.compile(r"\s*".join(re.escape(w) for w in phrase.split()), re.IGNORECASE))
    for phrase in sorted(SOFT_404_PHRASES, key=len, reverse=True)
]


def soft_404_phrase(title: str, body_text: str) -> str | None:
    """The error phrase that makes this page a soft 404 (a 200 error page), or None.

    The title is always searched; the body only when it is short, as error pages are.
    """
    texts = [title if isinstance(title, str) else ""]
    body = _WS.sub(" ", body_text).strip() if isinstance(body_text, str) else ""
    if len(body) <= SOFT_404_MAX_BODY:
        texts.append(body)
    for phrase, pattern in _SOFT_404:
        if any(pattern.search(t) for t in texts):
            return phrase
    return None


def classify_answer(url: str, status: int, final_url: str, redirects: list, title: str = "",
                    text: str = "") -> tuple[str, str]:
    """(outcome, detail) for a final, non-redirect answer to a request for `url`."""
    if status >= 400:
        return "http-error", f"HTTP {status}"
    if redirects and is_home_url(final_url) and not is_home_url(url) and not _same_place(url, final_url):
        return "redirect-home", f"redirected to the home page {final_url}"
    if redirects and _ERROR_PATH.search(urlsplit(final_url).path):
        return "redirect-404", f"redirected to the error page {final_url}"
    phrase = soft_404_phrase(title, text) if (title or text) else None
    if phrase:
        return "soft-404", f"error page: {phrase}"
    return "ok", ""


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
