"""The breadcrumb (当前位置) of a portal page: the trail of column names and their links.

Pure functions over an lxml tree: values out, never exceptions for odd markup.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.layout import HOME_NAMES, Scan, crumb_key, join_url

_CRUMB_TEXT = re.compile(r"(当前的?位置|您的位置|您现在的位置|所在位置|现在位置)\s*[:：]?")
_CRUMB_SEP = re.compile(r"\s*(?:>>|>|›|»|＞|→|-&gt;|&gt;)\s*")
_CRUMB_TAGS = frozenset({"div", "p", "span", "td", "ul", "ol", "nav", "section"})
# The elements with 位 in a text of their own (a text node's parent owns it), in document order:
# anywhere, or before a given element (those it follows, and its ancestors).
_WEI_OWNERS = etree.XPath("descendant-or-self::text()[contains(., '位')]/..")
_WEI_OWNERS_BEFORE = etree.XPath("preceding::text()[contains(., '位')]/.. | ancestor::*[text()[contains(., '位')]]")


def _crumb_element(root, scan: Scan):
    """The first element, in document order, that is marked as the breadcrumb (当前位置 in its
    own text, or a crumb word in its class or id) and holds links and at most 400 characters."""
    by_class = [el for el, key in scan.classed if el.tag in _CRUMB_TAGS and crumb_key(key)]
    first = next((el for el in by_class if _crumb_usable(el, scan)), None)
    if "位" not in scan.whole_text():  # no own text can show 当前位置
        return first
    if first is not None and root.getroottree().getroot() is root:
        owners = _WEI_OWNERS_BEFORE(first)  # only an element before `first` can come first
    else:
        owners = _WEI_OWNERS(root)
    found = {el for el in owners if el.tag in _CRUMB_TAGS and _CRUMB_TEXT.search(_own_text(el))}
    if not found:
        return first
    found.update(by_class)
    return next((el for el in sorted(found, key=scan.position) if _crumb_usable(el, scan)), None)


def _crumb_usable(el, scan: Scan) -> bool:
    return any(a.get("href") for a in el.iter("a")) and len(scan.text(el)) <= 400


def _own_text(el) -> str:
    return (el.text or "") + "".join(c.tail or "" for c in el if c.tail is not None)


def breadcrumb(root, base: str, scan: Scan | None = None) -> dict:
    """The 当前位置 trail: {"names": [...], "links": [(name, url)], "last_is_link": bool}."""
    scan = scan if scan is not None else Scan(root)
    el = _crumb_element(root, scan)
    if el is None:
        return {"names": [], "links": [], "last_is_link": False}
    text = scan.text
    anchors = [a for a in el.iter("a") if a.get("href")]
    trail = _CRUMB_TEXT.split(text(el))[-1]
    names = [n.strip() for n in _CRUMB_SEP.split(trail) if n.strip()]
    links = [(text(a) or (a.get("title") or "").strip(), join_url(base, a.get("href").strip())) for a in anchors]
    last_is_link = bool(names) and bool(links) and names[-1] == links[-1][0]
    return {"names": names, "links": links, "last_is_link": last_is_link}


def crumb_path(names: list[str]) -> list[str]:
    """Breadcrumb names after 首页."""
    return [n for n in names if n not in HOME_NAMES]
