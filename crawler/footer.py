"""The footer of a portal page and its identity items (domain.md §7): 网站标识码, the ICP and
公网安备 filings, the 找错 entry and the 党政机关 badge.

Pure functions over an lxml tree: values out, never exceptions for odd markup.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from lxml import etree

from crawler.layout import Scan, footer_key

_ID_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")
_ICP = re.compile(r"([\u4e00-\u9fff])\s*ICP\s*备\s*(\d{6,10})\s*号(?:\s*[-－—]\s*(\d{1,3}))?", re.I)
_PSB = re.compile(r"([\u4e00-\u9fff])\s*公网安备\s*(\d{14})\s*号?")


def footer(root, scan: Scan | None = None):
    """The page's footer element (the last one marked as such), or None."""
    scan = scan if scan is not None else Scan(root)
    found = None
    for el, key in scan.classed:
        if el.tag == "footer" or footer_key(key):
            if found is None or not any(x is found for x in el.iterancestors()):
                found = el
    return found


_BADGE_BYTES = tuple(w.encode() for w in ("找错", "jiucuo", "党政机关", "dzjg", "conac"))
_BADGE_TEXT = ("找错", "jiucuo", "党政机关")


def _ends_with_a_start(words) -> re.Pattern:
    """A text ending with the first part of one of `words` (a word that may run on)."""
    return re.compile("(?:" + "|".join(sorted({re.escape(w[:n]) for w in words for n in range(1, len(w))})) + ")$")


_A_SPLIT = _ends_with_a_start(_BADGE_TEXT)  # a link's label: attributes, then its text
_SCRIPT_SPLIT = _ends_with_a_start(_BADGE_TEXT + ("dzjg", "conac"))  # a script's: then its code


def _badges(root, scan: Scan, jiucuo: bool, dzjg: bool) -> tuple[bool, bool]:
    """(找错 entry, 党政机关 badge) anywhere on the page, given what the footer showed: a word
    in the label of an a, img, script, span or div (its href, src, alt, title and id lower-
    cased; a script's code lower-cased; a link's text).

    Without any of the words in the page's markup (attributes and scripts: its serialisation)
    or text (links: its text content), only a label that runs across an id and a text or code
    can hold one."""
    markup = scan.markup()
    # bytes.lower() folds ASCII letters only: all str.lower() could fold into these words
    markup = markup.lower() if markup is not None else b"jiucuo"  # unknown: read every element
    text = scan.whole_text()
    if any(w in markup for w in _BADGE_BYTES) or any(w in text for w in _BADGE_TEXT):
        return _badges_in(root.iter("a", "img", "script", "span", "div"), scan, jiucuo, dzjg)
    # a label that runs across the id (its end: the start of a word) and a link's text or code
    split = [el for el in scan.anchors if _A_SPLIT.search((el.get("id") or "").lower())]
    split += [el for el in scan.scripts if _SCRIPT_SPLIT.search((el.get("id") or "").lower())]
    return _badges_in(split, scan, jiucuo, dzjg)


def _badges_in(elements, scan: Scan, jiucuo: bool, dzjg: bool) -> tuple[bool, bool]:
    for el in elements:
        attrs = " ".join(el.get(k) or "" for k in ("href", "src", "alt", "title", "id")).lower()
        # the national badge and 找错 entry are often written by a script (document.write)
        attrs += (el.text or "").lower() if el.tag == "script" else ""
        label = attrs + (scan.text(el) if el.tag == "a" else "")
        jiucuo = jiucuo or "找错" in label or "jiucuo" in label
        dzjg = dzjg or "党政机关" in label or "dzjg" in attrs or "conac" in attrs
        if jiucuo and dzjg:
            break
    return jiucuo, dzjg


# The identity items: pattern and how the item is reported.
_ITEMS = (
    (_ID_CODE, lambda m: m.group(1)),
    (_ICP, lambda m: f"{m.group(1)}ICP备{m.group(2)}号" + (f"-{m.group(3)}" if m.group(3) else "")),
    (_PSB, lambda m: f"{m.group(1)}公网安备 {m.group(2)}号"),
)
_FOOTERS: dict[bytes, tuple] = {}  # a footer's markup -> what it shows (_footer_facts)


def identity(root, scan: Scan | None = None) -> dict:
    """网站标识码, ICP and 公网安备 filings, the 找错 entry and the 党政机关 badge."""
    scan = scan if scan is not None else Scan(root)
    foot = footer(root, scan)
    foot_text, items, jiucuo, dzjg = _footer_facts(foot, scan) if foot is not None else ("", (None,) * 3, False, False)
    whole = None
    if not foot_text or None in items:  # an item the footer does not show: searched in the whole page
        whole = _whole_text(root, scan)
        found = []
        for (pattern, item), known in zip(_ITEMS, items):
            match = None if known is not None or foot_text else pattern.search(whole[-1500:])
            match = match or (None if known is not None else pattern.search(whole))
            found.append(known if known is not None else item(match) if match else None)
        items = found
    if not (jiucuo and dzjg):
        jiucuo, dzjg = _badges(root, scan, jiucuo, dzjg)
    code, icp, psb = items
    return {
        "site_id_code": code,
        "icp": icp,
        "psb": psb,
        "jiucuo": jiucuo,
        "dzjg": dzjg,
        "footer": _footer_hash(foot_text) if foot_text else "",
    }


def _footer_facts(foot, scan: Scan) -> tuple[str, tuple, bool, bool]:
    """(text, identity items shown in it, 找错 entry, 党政机关 badge) of a footer element: the
    same on every page of a template, so kept by the footer's markup."""
    try:
        key = etree.tostring(foot, encoding="utf-8", with_tail=False)
    except (ValueError, etree.LxmlError):
        key = None
    known = _FOOTERS.get(key) if key is not None else None
    if known is None:
        text = scan.text(foot)
        items = tuple(item(m) if (m := pattern.search(text)) else None for pattern, item in _ITEMS)
        known = (text, items if text else (None,) * 3,
                 *_badges_in(foot.iter("a", "img", "script", "span", "div"), scan, False, False))
        if key is not None:
            if len(_FOOTERS) >= 256:
                _FOOTERS.clear()
            _FOOTERS[key] = known
    return known


def _whole_text(root, scan: Scan) -> str:
    body = root.find("body")
    return scan.text(body if body is not None else root)


@lru_cache(maxsize=1024)
def _footer_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
