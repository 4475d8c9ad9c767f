"""The template parts of a portal page: site chrome (header, navigation, footer), the
breadcrumb (当前位置), the footer's identity items and the links to sub-columns.

Pure functions over an lxml tree: values out, never exceptions for odd markup.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from core.urls import column_url, host_of, same_column

# Class/id words of site chrome. A word in PARTS marks chrome wherever it appears in a
# hyphenated token (left-nav, sub_menu); a word in TOKENS only as the whole token, since
# "head" or "top" inside a longer token (block-head, list-top) is content.
_PARTS = {"nav", "navs", "navbar", "menu", "menus", "footer", "foot", "crumb", "crumbs", "breadcrumb", "copyright",
          "sidebar", "topbar", "dqwz", "weizhi", "position", "location", "bread"}
_TOKENS = {"header", "head", "bottom", "aside", "share", "print", "yqlj", "links", "friendlink", "friend-links",
           "wz", "dh"}
_CHROME_TAGS = {"header", "nav", "footer", "aside"}
_FOOTER_WORDS = {"footer", "foot", "copyright"}  # anywhere in a token (bt-foot); "bottom" only whole
_CRUMB_WORDS = ("crumb", "position", "location", "dqwz", "weizhi", "bread")
_CRUMB_TEXT = re.compile(r"(当前的?位置|您的位置|您现在的位置|所在位置|现在位置)\s*(?:是|为)?\s*[:：]?")
_CRUMB_SEP = re.compile(r"\s*(?:>>|>|›|»|＞|→|-&gt;|&gt;|/|｜|\|)\s*")
# What may stand between the links of a trail found by its shape alone (no class, no 当前位置):
# arrows and slashes only, since a bar (|) separates the links of navigation bars as well.
_SHAPE_GAP = re.compile(r"[\s\xa0\u3000]*(?:(?:>>|>|›|»|＞|→|/)[\s\xa0\u3000]*)*")
_HOME_HREF = re.compile(r"^(?:https?://[^/]+)?(?:\.{0,2}/)*(?:index\.s?html?)?$", re.I)
HOME_NAMES = {"首页", "网站首页", "主页", "门户首页", "返回首页"}

# Identity items of the footer (domain.md §7).
_ID_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")
# (号 is often left out of an ICP filing)
_ICP = re.compile(r"([\u4e00-\u9fff])\s*ICP\s*备\s*(\d{6,10})(?!\d)\s*号?(?:\s*[-－—]\s*(\d{1,3}))?", re.I)
# 公安机关备案号: 京公网安备 11010202000001号, 12 digits in older filings, 赣公安备案 N号, 公安机关备案号：N
_PSB = re.compile(r"([\u4e00-\u9fff]?)\s*(?:公网安备|公安备案|公安机关备案)\s*号?\s*[:：]?\s*(\d{14}|\d{12})(?!\d)\s*号?")

ARTICLE_URL = re.compile(
    r"(/t\d{8}_\d+|/art/\d{4}/|art_\d+_\d+|/\d{6}/[^/]+$|/\d{8}/[^/]+$|/\d{4}/\d{4}/|content_\d+|/content/\d+"
    r"|detail|article[_/-]?\d|[?&](id|docid|articleid|contentid|infoid)=|/\d{5,}\.s?html?$)", re.I)
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|et|ofd|zip|rar|7z|txt|csv|rtf|ceb|jpg|jpeg|png|gif)$", re.I)
_NOT_COLUMN_TEXT = {"更多", "more", "MORE", "More", "上一页", "下一页", "尾页", "首页", "返回", "打印", "关闭",
                    "返回顶部", "加入收藏", "设为首页", ">>", "更多>>", "查看更多", "网站地图"}


_WS = re.compile(r"\s+")
_SPLIT = re.compile(r"[-_]")
# ASCII upper case to lower case for XPath (Python's str.lower also maps U+0130 and U+212A to
# ASCII: the word matches below either cannot be changed by them or add them to a pre-filter).
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


def _lc(expr: str, loose: bool = False) -> str:
    """XPath for `expr` lower-cased (`loose`: İ and the Kelvin sign too, for pre-filters)."""
    up, low = (_UPPER + "\u0130\u212a", _LOWER + "ik") if loose else (_UPPER, _LOWER)
    return f"translate({expr}, '{up}', '{low}')"


def _key(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


@lru_cache(maxsize=4096)
def tokens(key: str) -> frozenset[str]:
    """The words of a "class id" key (see Scan.classed), lower-cased."""
    return frozenset(key.lower().split())


@lru_cache(maxsize=4096)
def _chrome_key(key: str) -> bool:
    for token in tokens(key):
        if token in _TOKENS or _PARTS & set(_SPLIT.split(token)):
            return True
    return False


@lru_cache(maxsize=4096)
def _footer_key(key: str) -> bool:
    words_ = tokens(key)
    return "bottom" in words_ or any(_FOOTER_WORDS & set(_SPLIT.split(t)) for t in words_)


@lru_cache(maxsize=4096)
def _crumb_key(key: str) -> bool:
    return any(w in t for t in tokens(key) for w in _CRUMB_WORDS)


@lru_cache(maxsize=1024)
def _chrome_tag(tag: str) -> bool:
    return tag.lower() in _CHROME_TAGS


def words(el) -> set[str]:
    """The class and id tokens of an element, lower-cased."""
    return set(tokens(_key(el)))


def is_chrome(el) -> bool:
    """True for a header, navigation, breadcrumb, footer or sidebar element itself."""
    if not isinstance(el.tag, str):
        return False
    return _chrome_tag(el.tag) or _chrome_key(_key(el))


class Scan:
    """What the readers of one page share, gathered in one pass over its tree: the elements
    that carry a class or id (or a chrome tag) with their "class id" key, the links and the
    scripts, in document order; and texts computed once per element. The lists keep the
    element proxies alive, so later iterations over the tree do not build them again."""

    __slots__ = ("root", "nodes", "classed", "anchors", "scripts", "texts", "_roots", "_chrome", "_whole", "_markup")

    def __init__(self, root):
        self.root = root
        self.nodes = nodes = list(root.iter())  # lxml.html builds each proxy in Python: once
        classed, anchors, scripts = [], [], []
        for el in nodes:
            tag = el.tag
            if tag.__class__ is not str:
                continue
            cls, ident = el.get("class"), el.get("id")
            if cls or ident or _chrome_tag(tag):
                classed.append((el, f"{cls or ''} {ident or ''}"))
            if tag == "a":
                anchors.append(el)
            elif tag == "script":
                scripts.append(el)
        self.classed, self.anchors, self.scripts = classed, anchors, scripts
        self.texts: dict = {}
        self._roots = self._chrome = self._whole = self._markup = None

    def text(self, el) -> str:
        """text_of(el), computed once per element."""
        found = self.texts.get(el)
        if found is None:
            found = self.texts[el] = _WS.sub(" ", el.text_content()).strip()
        return found

    def chrome_roots(self) -> list:
        """The outermost chrome elements, in document order: chrome_of(root) is their subtrees."""
        if self._roots is None:
            roots: list = []
            for el, key in self.classed:
                if _chrome_tag(el.tag) or _chrome_key(key):
                    # (the subtrees of the roots found so far end before el, but the last one's)
                    if not (roots and any(a is roots[-1] for a in el.iterancestors())):
                        roots.append(el)
            self._roots = roots
        return self._roots

    def chrome(self) -> set:
        """chrome_of(root)."""
        if self._chrome is None:
            marked: set = set()
            for el in self.chrome_roots():
                marked.add(el)
                marked.update(el.iterdescendants())
            self._chrome = marked
        return self._chrome

    def in_chrome(self, el) -> bool:
        """el in chrome_of(root), for an element of the tree, without building that set."""
        if self._chrome is not None:
            return el in self._chrome
        roots = self.chrome_roots()
        return any(r is el for r in roots) or any(a in roots for a in el.iterancestors())

    def position(self, el) -> int:
        """The element's place in document order."""
        return self.nodes.index(el)

    def whole_text(self) -> str:
        """The raw text of the whole tree (text_content, scripts included)."""
        if self._whole is None:
            self._whole = self.root.text_content()
        return self._whole

    def markup(self) -> bytes | None:
        """The tree serialised as XML in UTF-8 (every attribute and script verbatim but for
        XML escapes), to tell cheaply that a word is nowhere on the page; None if it cannot be."""
        if self._markup is None:
            try:
                self._markup = etree.tostring(self.root, encoding="utf-8")
            except (ValueError, etree.LxmlError):
                self._markup = False
        return self._markup or None


def chrome_of(root) -> set:
    """Every chrome element and everything inside one (kept as a set of elements)."""
    return Scan(root).chrome()


def text_of(el) -> str:
    return _WS.sub(" ", el.text_content() if el is not None else "").strip()


def page_name(title: str, site_name: str = "") -> str:
    """The page's own name from a `<title>` like `通知公告_清河市新北区人民政府`."""
    cjk = "\u4e00-\u9fff"
    separators = rf"\s*[_|｜]\s*|\s+[-—–]\s+|(?<=[{cjk}])[-—–](?=[{cjk}])|\s{{2,}}"
    parts = [p.strip() for p in re.split(separators, title or "") if p.strip()]
    parts = [p for p in parts if p != site_name] or parts
    return parts[0] if parts else ""


# ------------------------------------------------------------ breadcrumb
_CRUMB_TAGS = frozenset({"div", "p", "span", "td", "ul", "ol", "nav", "section"})
# The elements with 位 in a text of their own (a text node's parent owns it), in document order:
# anywhere, or before a given element (those it follows, and its ancestors).
_WEI_OWNERS = etree.XPath("descendant-or-self::text()[contains(., '位')]/..")
_WEI_OWNERS_BEFORE = etree.XPath("preceding::text()[contains(., '位')]/.. | ancestor::*[text()[contains(., '位')]]")


def _crumb_element(root, scan: Scan):
    """The first element, in document order, that is marked as the breadcrumb (当前位置 in its
    own text, or a crumb word in its class or id) and holds links and at most 400 characters."""
    by_class = [el for el, key in scan.classed if el.tag in _CRUMB_TAGS and _crumb_key(key)]
    first = next((el for el in by_class if _crumb_usable(el, scan)), None)
    if "位" not in scan.whole_text():  # no own text can show 当前位置
        return first if first is not None else _crumb_by_shape(scan)
    if first is not None and root.getroottree().getroot() is root:
        owners = _WEI_OWNERS_BEFORE(first)  # only an element before `first` can come first
    else:
        owners = _WEI_OWNERS(root)
    # 当前位置 in a cell of a position bar (<td>当前位置：</td><td><a>…</a></td>): its row holds the links
    found = {_with_links(el, scan) for el in owners
             if el.tag in _CRUMB_TAGS | {"tr"} and _CRUMB_TEXT.search(_own_text(el))}
    found.discard(None)
    if not found:
        return first if first is not None else _crumb_by_shape(scan)
    found.update(by_class)
    return next((el for el in sorted(found, key=scan.position) if _crumb_usable(el, scan)), None)


def _with_links(el, scan: Scan):
    """`el`, or the nearest of its two parents that holds links, when it is short enough."""
    for candidate in (el, *list(el.iterancestors())[:2]):
        if _crumb_usable(candidate, scan):
            return candidate
    return None


def _crumb_by_shape(scan: Scan):
    """A trail without a mark: a link to the home page (首页, or the site's root) followed by
    other links with only arrows or slashes between them, outside the site chrome — the
    widest such element within three levels of the first link."""
    for a in scan.anchors:
        href = (a.get("href") or "").strip()
        if not (scan.text(a) in HOME_NAMES or (href and _HOME_HREF.match(href))) or scan.in_chrome(a):
            continue
        found = None
        for el in list(a.iterancestors())[:3]:
            rest = scan.text(el)
            if len(rest) > 400:  # no trail is that long: the links need not be read
                break
            links = [x for x in el.iter("a") if scan.text(x)]
            for x in links:
                rest = rest.replace(scan.text(x), " ", 1)
            if len(rest) > 200 or not _SHAPE_GAP.fullmatch(rest):
                break
            if len(links) >= 2 and rest.strip():
                found = el
        if found is not None:
            return found
    return None


def _crumb_usable(el, scan: Scan) -> bool:
    """Links, and at most 400 characters of text a visitor sees (a script inside does not count)."""
    if not any(a.get("href") for a in el.iter("a")):
        return False
    return len(scan.text(el)) - sum(len(s.text or "") for s in el.iter("script", "style")) <= 400


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
    crumbs, rendered = _crumbs(el, text)
    names = [name for name, _ in crumbs]
    links = [(text(a) or (a.get("title") or "").strip(), _join(base, a.get("href").strip())) for a in anchors]
    links += [(name, _join(base, href)) for name, href in rendered if href]
    last_is_link = bool(crumbs) and crumbs[-1][1]
    return {"names": names, "links": links, "last_is_link": last_is_link}


_NOT_CRUMB = frozenset({"div", "table", "form", "select", "input", "button"})
_SCRIPT_CRUMBS = re.compile(r'"crumbs"\s*:\s*(?P<array>\[)')
_JSON = json.JSONDecoder()


def _crumbs(el, text) -> tuple[list[tuple[str, bool]], list[tuple[str, str]]]:
    """The trail's names in order, each with whether it is a link, and the (name, href) of the
    crumbs a script in it renders (see _script_crumbs). A link's text is one name
    (whatever separates it from the next: an arrow, a slash, a bar or only an <li>); the text
    between links is split at the separators, the 当前位置 phrase before it dropped. A block
    without named links nested in the trail after its first name (字号 大 中 小, 打印, share
    buttons) is no part of it, and a name repeated right after itself (a last crumb printed
    again as text) is one."""
    crumbs: list[tuple[str, bool]] = []
    script_links: list[tuple[str, str]] = []

    def add_text(data):
        if data and data.strip():
            for name in _CRUMB_SEP.split(_CRUMB_TEXT.split(data)[-1]):
                if name.strip():
                    crumbs.append((_WS.sub(" ", name).strip(), False))

    walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            if node.tag in ("script", "style"):
                rendered = _script_crumbs(node.text or "") if node.tag == "script" else []
                crumbs += [(name, True) for name, _href in rendered]
                script_links += rendered
                walker.skip_subtree()
                continue
            if node is not el and (node.tag == "a" or (
                    node.tag in _NOT_CRUMB and crumbs and not _holds_crumbs(node, text))):
                if node.tag == "a" and text(node):
                    crumbs.append((text(node), True))
                walker.skip_subtree()  # (its end still comes, with its tail)
                continue
            add_text(node.text)
        elif node is not el:  # an end, comment or processing instruction: its tail is the parent's text
            add_text(node.tail)
    deduped: list[tuple[str, bool]] = []
    for name, is_link in crumbs:
        if deduped and deduped[-1][0] == name:
            deduped[-1] = (name, deduped[-1][1] or is_link)
        else:
            deduped.append((name, is_link))
    return deduped, script_links


def _holds_crumbs(el, text) -> bool:
    """True when `el` holds a named link or a script that renders crumbs."""
    return any(text(a) for a in el.iter("a")) or any('"crumbs"' in (s.text or "") for s in el.iter("script"))


def _script_crumbs(code: str) -> list[tuple[str, str]]:
    """(name, href) of the crumbs a script renders in place from its channel's record (Jiangxi's
    集约化 platform: renderChannelTemplate('div…', ({…, "crumbs": [{"name": "政务公开", "urls":
    {"pc": "/…/col42062/index.html"}}, …]}).crumbs))."""
    match = _SCRIPT_CRUMBS.search(code) if '"crumbs"' in code else None
    if match is None:
        return []
    try:
        found, _end = _JSON.raw_decode(code, match.start("array"))
    except ValueError:
        return []
    return [(_WS.sub(" ", re.sub(r"<[^>]+>", "", str(c["name"]))).strip(), pc_url(c.get("urls")))
            for c in found if isinstance(c, dict) and c.get("name")]


def pc_url(urls) -> str:
    """The desktop URL of a script's record: its "urls" ({"pc": …}, or that object written as
    a string), or a plain URL string as it is."""
    if isinstance(urls, str) and urls.lstrip().startswith("{"):
        try:
            urls = json.loads(urls)
        except ValueError:
            return ""
    if isinstance(urls, dict):
        urls = urls.get("pc") or next((v for v in urls.values() if isinstance(v, str)), "")
    return urls if isinstance(urls, str) else ""


def _join(base: str, href: str) -> str:
    """urljoin(base, href). Navigation, footer and breadcrumb links repeat on every page of a
    site, mostly root-relative or absolute: for those urljoin reads only the base's scheme and
    host, so their result is kept per scheme and host."""
    if base.startswith(("http://", "https://")):
        if href.startswith("/"):
            if not href.startswith("//"):
                return _join_origin(_origin(base), href)
        elif href.startswith(("http://", "https://")):
            host = href.split("//", 1)[1][:1]
            if host and host not in "/?#":  # a host of its own: nothing of the base's path is read
                return _join_origin(_origin(base), href)
    return _urljoin(base, href)


def _urljoin(base: str, href: str) -> str:
    try:
        return urljoin(base, href)
    except ValueError:
        return href  # unparsable (http://[::1): kept as written, as resolve_href keeps it


@lru_cache(maxsize=1024)
def _origin(base: str) -> str:
    try:
        parts = urlsplit(base)
    except ValueError:
        return base
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=8192)
def _join_origin(origin: str, href: str) -> str:
    return _urljoin(origin, href)


def crumb_path(names: list[str]) -> list[str]:
    """Breadcrumb names after 首页."""
    return [n for n in names if n not in HOME_NAMES]


# ------------------------------------------------------------ navigation
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
        url = _join(base, href)
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
                key = _key(el)
                answer = not (tokens(key) & _FOOTER_WORDS or _crumb_key(key))
            if navs is not None:
                navs[el] = answer
            return answer
    return False


# ------------------------------------------------------------ footer identity
def footer(root, scan: Scan | None = None):
    """The page's footer element (the last one marked as such), or None."""
    scan = scan if scan is not None else Scan(root)
    found = None
    for el, key in scan.classed:
        if el.tag == "footer" or _footer_key(key):
            if found is None or not any(x is found for x in el.iterancestors()):
                found = el
    return found


_BADGE_BYTES = tuple(w.encode() for w in ("找错", "纠错", "jiucuo", "党政机关", "dzjg", "conac"))
_BADGE_TEXT = ("找错", "纠错", "jiucuo", "党政机关")
_JIUCUO = ("找错", "纠错", "jiucuo")  # 政府网站找错, 【页面纠错】, 我要纠错, jiucuo.js
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


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
        is_jiucuo = not jiucuo and any(w in label for w in _JIUCUO)
        is_dzjg = not dzjg and ("党政机关" in label or "dzjg" in attrs or "conac" in attrs)
        if (is_jiucuo or is_dzjg) and not _hidden(el):
            jiucuo, dzjg = jiucuo or is_jiucuo, dzjg or is_dzjg
            if jiucuo and dzjg:
                break
    return jiucuo, dzjg


def _hidden(el) -> bool:
    """True for an element a visitor cannot see: it or a parent styled display:none (an entry
    a template keeps but switched off)."""
    return el.tag != "script" and any(_HIDDEN.search(x.get("style") or "") for x in (el, *el.iterancestors()))


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
