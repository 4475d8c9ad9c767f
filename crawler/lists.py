"""The list of a column page, read as a visitor sees it: items (title, URL, date, pinned),
further list pages, and whether the list is readable at all.

Knows TRS (`ul li a + span`, `createPageHTML`), Hanweb JCMS (`<datastore>` CDATA records),
generic `.list` / `.news_list` / table lists, and lists a script fills from a data endpoint
(those cannot be read: "script", never "empty").
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree, html

from core.urls import canonical, column_url, resolve_href
from crawler.dates import parse_date
from crawler.layout import ARTICLE_URL, ATTACHMENT, Scan, pc_url, text_of, tokens
from crawler.pagination import script_pages

_ROW_TAGS = {"li", "tr", "dd", "dt"}
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_PARSER = html.HTMLParser(recover=True, remove_comments=True, no_network=True)
_DATE_WORDS = ("date", "time", "rq", "riqi", "sj", "pubdate", "fbsj")
_PIN_WORDS = {"zhiding", "istop", "settop", "is-top", "top", "zd"}
EMPTY_MARKERS = re.compile(r"暂无(信息|数据|内容|记录|文章|相关)|没有(记录|数据|信息|找到相关)|无相关信息|建设中|正在更新|共\s*0\s*条")
LOADING = re.compile(r"加载中|loading|正在加载|数据加载", re.I)
# A script that fills the list from a data endpoint the crawler does not call.
_DATA_SCRIPT = re.compile(
    r"\.json\b|\bajax\b|\$\.(get|post|getJSON)\b|\bfetch\s*\(|\baxios\b|XMLHttpRequest|loadList|dataproxy|jpage"
    r"|gkmlpt|/api/|laypage|\.render\s*\(|new\s+Vue|createApp\s*\(|document\.write\s*\([^)]*<(li|tr|a)\b", re.I)
_FRAMEWORK_ATTRS = ("v-for", "ng-repeat", "v-html", ":key", "x-for")
_LIST_CLASS = re.compile(r"lists?([-_](box|con|cont|content|wrap|main|ul|body|area))?$")
_PAGER_TEXT = re.compile(r"^(\[?\d+\]?|下一页|下页|尾页|末页|>|>>|next|›|»)$", re.I)


@lru_cache(maxsize=8192)
def absolute(href: str, base: str) -> str | None:
    """The canonical URL a link on the page leads to (as the crawler keys it), or None."""
    url = resolve_href(href or "", base)
    return canonical(url) if url and url.startswith(("http://", "https://")) else None


def _row_of(a, hrefs=None):
    el = a.getparent()
    for _ in range(4):
        if el is None:
            return a.getparent()
        if el.tag in _ROW_TAGS:
            return el
        el = el.getparent()
    # div lists: climb (a little) while the block holds this item only
    row = a.getparent()
    for _ in range(2):
        parent = row.getparent() if row is not None else None
        if parent is None or _distinct_hrefs(parent, hrefs) != 1:
            break
        row = parent
    return row


def _distinct_hrefs(el, memo=None) -> int:
    """How many different hrefs the links under el have (`memo`: per reading of a tree)."""
    found = memo.get(el) if memo is not None else None
    if found is None:
        found = len({x.get("href") for x in el.iter("a")})
        if memo is not None:
            memo[el] = found
    return found


def _texts(scan: Scan | None, root):
    """text_of, memoised for one reading of `root` (the page's Scan when it is that tree)."""
    if scan is not None and scan.root is root:
        return scan.text
    memo: dict = {}

    def text(el) -> str:
        found = memo.get(el)
        if found is None:
            found = memo[el] = text_of(el)
        return found
    return text


def _key(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


@lru_cache(maxsize=4096)
def _dated_key(key: str) -> bool:
    return any(w in t for t in tokens(key) for w in _DATE_WORDS)


def _date_in(row, title: str, as_of: date | None, text=text_of) -> date | None:
    for el in row.iter():
        if isinstance(el.tag, str) and el.tag != "a" and _dated_key(_key(el)):
            found = parse_date(text(el), as_of)
            if found:
                return found
    rest = text(row)
    for cut in [text(a) for a in row.iter("a")] + [title]:
        if cut:
            rest = rest.replace(cut, " ")
    return parse_date(rest, as_of)


_PIN_IMAGE = re.compile(r"置顶|zhiding|top|ding", re.I)


def _pinned(row, text=text_of) -> bool:
    if "置顶" in text(row):
        return True
    for el in row.iter():
        if not isinstance(el.tag, str) or el.tag == "a":
            continue
        if tokens(_key(el)) & _PIN_WORDS:
            return True
        if el.tag == "img" and _PIN_IMAGE.search((el.get("src") or "") + (el.get("alt") or "")):
            return True
    return False


def _title(a, text=text_of) -> str:
    title_text = text(a)
    if not title_text:
        img = next(a.iter("img"), None)
        title_text = (img.get("alt") or "").strip() if img is not None else ""
    title = (a.get("title") or "").strip()
    # a cut title ("区政府召开第十二次…") is completed by the title attribute
    return title if title and (not title_text or len(title) > len(title_text)) else title_text


def read_rows(root, base: str, as_of: date | None, chrome=frozenset(), scan: Scan | None = None) -> dict:
    """Items grouped by their list container: {container: [item, …]} in document order."""
    text = _texts(scan, root)
    groups: dict = {}
    hrefs: dict = {}
    for a in scan.anchors if scan is not None and scan.root is root else root.iter("a"):
        if a in chrome:
            continue
        url = absolute(a.get("href"), base)
        title = _title(a, text)
        if not url or len(title) < 4:
            continue
        row = _row_of(a, hrefs)
        if row is None:
            continue
        found = _date_in(row, title, as_of, text)
        if found is None and not (ARTICLE_URL.search(url) or ATTACHMENT.search(url)):
            continue
        items = groups.setdefault(row.getparent() if row.getparent() is not None else row, {})
        item = {"title": title, "url": url, "date": found.isoformat() if found else None, "pinned": _pinned(row, text)}
        known = items.setdefault(url, item)
        if known is not item:  # the same item linked twice (picture and caption): merge
            known["date"] = known["date"] or item["date"]
            known["pinned"] = known["pinned"] or item["pinned"]
            known["title"] = max(known["title"], title, key=len)
    return {c: list(items.values()) for c, items in groups.items()}


def main_list(groups: dict) -> list[dict]:
    """The page's list: the container with the most (dated) items, plus containers of the
    same shape beside it (TRS often splits one list into several `<ul>` of five)."""
    if not groups:
        return []
    # a dated block before any undated one: a strip of picture or video links is not the list
    best = max(groups, key=lambda c: (any(i["date"] for i in groups[c]), len(groups[c]),
                                      sum(1 for i in groups[c] if i["date"])))
    shape = _shape(best)
    items: list[dict] = []
    for c, rows in groups.items():
        if c is best or _shape(c) == shape:
            items.extend(rows)
    return items


def _shape(container) -> tuple:
    """What containers of one list share: tag, class and parent; a row that sits in a table of
    its own (each item its own <table>) is placed by the table, beside its sibling tables."""
    if container.tag in ("tbody", "thead") and container.getparent() is not None:
        container = container.getparent()
    return container.tag, container.get("class"), container.getparent()


def _scripts(root, scan: Scan | None):
    return scan.scripts if scan is not None and scan.root is root else root.iter("script")


def datastore_items(root, base: str, as_of: date | None, scan: Scan | None = None) -> list[dict] | None:
    """Items of Hanweb `<datastore>` records, or None when the page has no datastore."""
    chunks = []
    for script in _scripts(root, scan):
        if script.text and ("<datastore" in script.text or "<record" in script.text):
            chunks += _CDATA.findall(script.text)
    if not chunks:
        return None
    try:
        frag = html.fragment_fromstring("".join(chunks), create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):
        return []
    groups = read_rows(frag, base, as_of)
    return [item for rows in groups.values() for item in rows]


# A list a template renders from records the page carries (Jiangxi's 集约化 platform since 2024:
# `var listData = {articleList: [{"title": …, "pubDate": …, "urls": "{\"pc\": …}"}, …]}`).
_RECORD_ARRAY = re.compile(r"""["']?\w*(?:[Ll]ist|[Rr]ecords|[Aa]rticles|[Dd]ocs)["']?\s*[:=]\s*(?P<array>\[)\s*\{""")
_TITLE_KEYS = ("title", "showTitle", "name", "docTitle")
_DATE_KEYS = ("pubDate", "publishTime", "pubdate", "publishDate", "releaseDate", "docPubTime", "createTime")
_URL_KEYS = ("url", "urls", "link", "href", "docUrl", "pcUrl")
_TAGS = re.compile(r"<[^>]+>")
_JSON = json.JSONDecoder()


def record_items(base: str, as_of: date | None, scan: Scan) -> list[dict] | None:
    """Items of the records a page's script hands to its list template (an array of objects
    with a title, a date and a URL), or None when the page carries none."""
    for script in scan.scripts:
        code = script.text or ""
        if "{" not in code or not any(k in code for k in _DATE_KEYS):
            continue
        for match in _RECORD_ARRAY.finditer(code):
            try:
                records, _end = _JSON.raw_decode(code, match.start("array"))
            except ValueError:
                continue
            items = [item for r in records if isinstance(r, dict) and (item := _record_item(r, base, as_of))]
            if items:
                return items
    return None


def _record_item(record: dict, base: str, as_of: date | None) -> dict | None:
    title = next((_TAGS.sub("", str(record[k])).strip() for k in _TITLE_KEYS if record.get(k)), "")
    when = next((str(record[k]) for k in _DATE_KEYS if record.get(k)), "")
    href = pc_url(next((record[k] for k in _URL_KEYS if record.get(k)), ""))
    url = absolute(href, base) if href else None
    if not (title and url):
        return None
    found = parse_date(when, as_of)
    return {"title": title, "url": url, "date": found.isoformat() if found else None,
            "pinned": bool(record.get("topStatus") or record.get("isTop"))}


_FRAMEWORK_MARKUP = tuple(f'{k}="'.encode() for k in _FRAMEWORK_ATTRS)  # as an attribute shows when serialised


def filled_by_script(root, chrome, scan: Scan | None = None) -> bool:
    """True when the page's list is built by a script from data the crawler did not read."""
    body = root.find("body")
    if body is None:
        return False
    markup = scan.markup() if scan is not None and scan.root is root else None
    if markup is None or any(k in markup for k in _FRAMEWORK_MARKUP):
        for el in body.iter():
            if isinstance(el.tag, str) and any(k in el.attrib for k in _FRAMEWORK_ATTRS):
                return True
    for script in body.iter("script"):
        code = script.text or ""
        # scripts of the footer or navigation (the 党政机关 badge, visit counters) fill no list
        if script not in chrome and _DATA_SCRIPT.search(code) and "<record" not in code:
            return True
    # a placeholder ("数据加载中") where the list should be, and a script of the page's own
    if not LOADING.search(body.text_content()):
        return False  # no element's text can show one
    text = _texts(scan, root)
    placeholder = any(LOADING.search(text(el)) for el in body.iter("li", "div", "td", "p", "span")
                      if el not in chrome and len(text(el)) < 20)
    return placeholder and any(s.get("src") or s.text for s in body.iter("script"))


@lru_cache(maxsize=4096)
def _list_key(key: str) -> bool:
    return any(_LIST_CLASS.search(t) for t in tokens(key))


def empty_evidence(root, chrome, scan: Scan | None = None) -> str:
    """Why the page looks like an empty list: a 暂无信息 marker or an empty list container."""
    scan = scan if scan is not None and scan.root is root else Scan(root)
    text = scan.text
    if EMPTY_MARKERS.search(scan.whole_text()):  # else no element's text can show one
        for el in root.iter():
            if not isinstance(el.tag, str) or el in chrome or len(el) > 3:
                continue
            found = text(el)
            if len(found) < 40 and EMPTY_MARKERS.search(found):
                return found
    for el, key in scan.classed:
        if el.tag in ("ul", "ol", "table", "div") and el not in chrome and _list_key(key) \
                and not list(el.iter("a")) and len(text(el)) < 20:
            return f"empty <{el.tag} class={el.get('class')!r}>"
    return ""


@lru_cache(maxsize=4096)
def _pager_key(key: str) -> bool:
    return any("page" in t or "fenye" in t for t in tokens(key))


_PAGER_TAGS = ("div", "p", "span", "td", "ul")


def further_pages(root, base: str, page_url: str, chrome=frozenset(), scan: Scan | None = None) -> list[str]:
    """Other pages of the same list, as the page links them: the TRS pager script, and the
    numbered, 下一页 and 尾页 links of a pager — an element with a pager class, or the one around
    a 下一页 link (ASP.NET `page2.htm`, 共N页 with numbered links). Only pages of the list's own
    folder or address count; no URL is made up."""
    scan = scan if scan is not None and scan.root is root else Scan(root)
    urls: list[str] = []
    for script in scan.scripts:
        if script.text and ("createPageHTML" in script.text or "countPage" in script.text):
            urls += [canonical(u) for u in script_pages(script.text, page_url)]
    pagers = [el for el, key in scan.classed if el.tag in _PAGER_TAGS and _pager_key(key)]
    for a in scan.anchors:
        if a not in chrome and _NEXT_TEXT.match(scan.text(a)):
            el = a.getparent()
            # the pager is the nearest element that holds more than this link (the numbers, 共N页)
            while el is not None and el.getparent() is not None and len(scan.text(el)) <= len(scan.text(a)) + 2:
                el = el.getparent()
            pagers.append(el if el is not None else a)
    for el in pagers:
        for a in el.iter("a"):
            url = absolute(a.get("href"), base)
            if url and _PAGER_TEXT.match(scan.text(a)):
                urls.append(url)
    me, path, folder = column_url(page_url), _path(page_url), _folder(page_url)
    return sorted({u for u in urls if u != canonical(page_url)
                   and (column_url(u) == me or _path(u) == path or _folder(u) == folder)}, key=lambda u: (len(u), u))


_NEXT_TEXT = re.compile(r"^(下一页|下页|尾页|末页)$")


def _folder(url: str) -> str:
    """The URL up to its last "/" (the folder a static list's pages share)."""
    return url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[0]


def _path(url: str) -> str | None:
    try:
        return urlsplit(url).path
    except ValueError:  # an unparsable link (http://[::1) leads to no page of the list
        return None
