"""The records that pass between layers: a link check (Check) and its outcomes, a page's facts
(PageFacts), a finding (Finding) and the levels of the national checklist.

Check outcomes (the `checks.outcome` column):

    ok                   the target answered 2xx and is what it claims to be
    http-error           status >= 400 (404, 403, 410, 500 …), after 429/503 retries
    soft-404             a 200 answer that is an error page (its phrase in `detail`)
    redirect-home        a deep link redirected to the site's home page (a deleted article)
    redirect-404         redirected to an error page such as /404.html
    redirect-loop        the redirect chain comes back to a URL it already visited
    too-many-redirects   more hops than crawl.max_redirects
    missing-fragment     (crawl.check_fragments) the page has no id or name the link's #fragment names
    dns                  the host name does not resolve
    refused              nothing listens on the port
    timeout              no answer within crawl.timeout
    connection-error     the connection broke (reset, closed mid-answer)
    tls-error            the TLS handshake failed
    robots-excluded      robots.txt forbids it: not fetched, not broken
    excluded             matches crawl.exclude (or misses crawl.include): not fetched, not reported
    not-checked-private  the host resolves to a private or loopback address: not fetched
    wrong-link           the URL text itself is a 错链 (detail names why): not fetched
    error                anything else (detail says what; a redirect to ftp: and other schemes
                         no browser loads a page from is `unsupported-scheme: …`)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TypedDict

BROKEN = {"http-error", "soft-404", "redirect-home", "redirect-404", "redirect-loop", "too-many-redirects",
          "missing-fragment", "dns", "refused", "timeout", "connection-error", "tls-error", "error"}
NOT_FETCHED = {"robots-excluded", "excluded", "not-checked-private", "wrong-link"}

# The links the crawl's live count calls problems, and the summary counts the same way: broken
# targets (confirmed or suspected) and wrong links.
PROBLEMS = BROKEN | {"wrong-link", "not-checked-private"}

LEVELS = {"veto": "单项否决风险", "deduct": "扣分", "hint": "提示"}
# What each outcome means, for Chinese readers (the machine values stay in checks.outcome and
# in a finding's evidence: outcome, status, detail).
OUTCOME_TEXT = {
    "ok": "正常", "http-error": "HTTP {status} 错误", "soft-404": "错误页面", "redirect-home": "已删除，跳转到首页",
    "redirect-404": "跳转到错误页面", "redirect-loop": "重定向循环", "too-many-redirects": "重定向次数过多",
    "dns": "域名无法解析", "refused": "连接被拒绝", "timeout": "访问超时", "connection-error": "连接中断",
    "tls-error": "证书/TLS 错误", "robots-excluded": "robots.txt 禁止访问，未检查", "not-checked-private": "解析到内网地址，未访问",
    "wrong-link": "错链，未访问", "missing-fragment": "页内锚点不存在", "excluded": "按设置排除，未检查",
    "error": "无法访问",
}


def outcome_text(outcome: str, status=None, detail: str = "", final_url: str = "") -> str:
    """An outcome in Chinese, with what a unit needs to act: the status, the error page's
    phrase, where a redirect led."""
    text = OUTCOME_TEXT.get(outcome, outcome).format(status=status or "")
    if outcome == "soft-404" and detail.startswith("error page: "):
        return f"{text}（{detail.removeprefix('error page: ')}）"
    if outcome in ("redirect-home", "redirect-404") and final_url:
        return f"{text} {final_url}"
    return text


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str  # veto | deduct | hint
    url: str  # the defective thing itself: a link's target, a column's list page, a document
    page: str  # where it was seen (the linking page); equal to url for page-level findings
    message: str
    column: str = ""  # the column's name
    unit: str = ""  # 责任单位, from the site profile
    column_url: str = ""  # the column's list page, to find its unit
    evidence: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Stable across runs: rule + defective URL + where it was seen."""
        return hashlib.sha1(f"{self.rule}\n{self.url}\n{self.page}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one target (a row of the `checks` table), from the crawler to the store."""

    url: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    redirects: list = field(default_factory=list)  # [[url, status], …] hops before the final answer
    detail: str = ""
    elapsed: float = 0.0
    content_type: str = ""
    same_site: bool = False  # the answering host is one of the site's own
    size: int | None = None  # body bytes actually read
    etag: str = ""  # the validators a leaf of the site's own host answered: tomorrow's conditional request
    last_modified: str = ""


class PageFacts(TypedDict):
    """What a page is, as crawler.understand reads it (stored as `pages.facts` JSON; every key is
    always present; the meaning of each is in crawler/understand.py's docstring)."""

    kind: str  # home | column | document | other
    title: str
    meta: dict
    column: dict  # {"url", "name", "path", "kind"}
    list: dict  # {"kind", "items", "pages"}
    published: str | None
    published_source: str
    metadata: dict
    doc_number: str | None
    review: dict
    text: str
    excerpt: str
    identity: dict  # {"site_id_code", "icp", "psb", "jiucuo", "dzjg", "footer"}
    links_to_columns: list  # [{"name", "url"}]


def blank_facts(title: str = "") -> PageFacts:
    """The facts of a page nothing was understood of yet: every key, at its empty value."""
    return PageFacts(
        kind="other", title=title or "", meta={},
        column={"url": None, "name": "", "path": [], "kind": None},
        list={"kind": "none", "items": [], "pages": []},
        published=None, published_source="none", metadata={}, doc_number=None, review={},
        text="", excerpt="",
        identity={"site_id_code": None, "icp": None, "psb": None, "jiucuo": False, "dzjg": False, "footer": ""},
        links_to_columns=[],
    )
