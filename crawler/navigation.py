"""The navigation of a portal page: its highlighted item, and the links to columns in the main
area and in sub-navigation.

Pure functions over an lxml tree: values out, never exceptions for odd markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from core.urls import column_url, host_of, same_column
from crawler.layout import (ARTICLE_URL, ATTACHMENT, FOOTER_WORDS, HOME_NAMES, Scan, class_key, crumb_key, is_chrome,
                            join_url, text_of, tokens)

_NOT_COLUMN_TEXT = {"更多", "more", "MORE", "More", "上一页", "下一页", "尾页", "首页", "返回", "打印", "关闭",
                    "返回顶部", "加入收藏", "设为首页", ">>", "更多>>", "查看更多", "网站地图"}
_ACTIVE = {"on", "cur", "current", "active", "selected", "hover", "this"}


def current_nav_item(root, scan: Scan | None = None) -> str:
    """The highlighted item of a left navigation (`li.on`, `.cur`, `.active`…), or ""."""
    scan = scan if scan is not None else Scan(root)
    for el, key in scan.classed:
        if el.tag in ("li", "a", "dd", "span") and tokens(key) & _ACTIVE:
            el_nav = any(is_chrome(a) for a in el.iterancestors())
            if el_nav and scan.text(el) and len(scan.text(el)) <= 20:
                return scan.text(el)
    return ""


_HOME_PATHS = ("", "/", "/index.html", "/index.htm", "/index.shtml")


def _is_column_link(url: str, text: str, page_url: str) -> bool:
    # (the checks are pure and cannot fail: the cheapest go first)
    return (2 <= len(text) <= 30 and text not in _NOT_COLUMN_TEXT and url.startswith(("http://", "https://"))
            and _host(url) == _host(page_url) and not _not_a_column(url) and not same_column(url, page_url))


@lru_cache(maxsize=8192)
def _host(url: str) -> str:
    return host_of(url)


@lru_cache(maxsize=8192)
def _not_a_column(url: str) -> bool:
    path = urlsplit(url).path
    return path in _HOME_PATHS or bool(ATTACHMENT.search(path)) or bool(ARTICLE_URL.search(url))


def _block_heading(a, text=text_of) -> str:
    """The heading of the block a "更多" link sits in (`<h3>工作动态</h3> … 更多>>`)."""
    for block in list(a.iterancestors())[:3]:
        for h in block.iter("h1", "h2", "h3", "h4", "h5", "strong", "b", "span"):
            name = text(h)
            if name and "更多" not in name and len(name) <= 20 and not any(x is a for x in h.iter("a")):
                return name
    return ""


_SKIP_HREF = ("javascript:", "#", "mailto:", "tel:")
_MORE = re.compile(r"(更多|查看更多|more|MORE|More)?\s*(>>|&gt;&gt;|»|>)?\s*(更多)?")


def column_links(root, base: str, page_url: str, chrome: set, scan: Scan | None = None) -> tuple[list[dict], int]:
    """Links to columns in the main area and in sub-navigation (a nav list that does not
    link the home page), as [{"name", "url"}]; and how many were "更多" links of blocks."""
    text_fn = scan.text if scan is not None else text_of
    found: dict[str, dict] = {}
    more = 0
    navs: dict = {}  # chrome list -> whether it is a sub-navigation (_sub_nav, per list)
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(_SKIP_HREF):
            continue
        if a in chrome and not _sub_nav(a, text_fn, navs):
            continue
        url = join_url(base, href)
        text = text_fn(a) or (a.get("title") or "").strip()
        if _MORE.fullmatch(text) and text:
            text = _block_heading(a, text_fn)
            more += 1 if text else 0
        if _is_column_link(url, text, page_url):
            key = column_url(url)
            found.setdefault(key, {"name": text, "url": key})
    return list(found.values()), more


def _sub_nav(a, text=text_of, navs=None) -> bool:
    for el in a.iterancestors():
        if el.tag in ("ul", "ol", "div", "dl") and is_chrome(el):
            if navs is not None and el in navs:
                return navs[el]
            if any(text(x) in HOME_NAMES for x in el.iter("a")):
                answer = False
            else:
                # a footer or breadcrumb is not a navigation of sub-columns
                key = class_key(el)
                answer = not (tokens(key) & FOOTER_WORDS or crumb_key(key))
            if navs is not None:
                navs[el] = answer
            return answer
    return False
