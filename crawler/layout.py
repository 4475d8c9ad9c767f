"""The template parts of a portal page: site chrome (header, navigation, footer), told by the
class and id words of its elements, read in one pass over the tree (Scan); the words, names and
links the other template readers share. Those readers sit beside it: crawler.breadcrumbs (当前位置),
crawler.navigation (the current item, links to sub-columns), crawler.footer (identity items).

Pure functions over an lxml tree: values out, never exceptions for odd markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

# Class/id words of site chrome. A word in PARTS marks chrome wherever it appears in a
# hyphenated token (left-nav, sub_menu); a word in TOKENS only as the whole token, since
# "head" or "top" inside a longer token (block-head, list-top) is content.
_PARTS = {"nav", "navs", "navbar", "menu", "menus", "footer", "foot", "crumb", "crumbs", "breadcrumb", "copyright",
          "sidebar", "topbar", "dqwz", "weizhi", "position", "location", "bread"}
_TOKENS = {"header", "head", "bottom", "aside", "share", "print", "yqlj", "links", "friendlink", "friend-links",
           "wz", "dh"}
_CHROME_TAGS = {"header", "nav", "footer", "aside"}
FOOTER_WORDS = {"footer", "foot", "copyright"}  # anywhere in a token (bt-foot); "bottom" only whole
_CRUMB_WORDS = ("crumb", "position", "location", "dqwz", "weizhi", "bread")
HOME_NAMES = {"首页", "网站首页", "主页", "门户首页", "返回首页"}

ARTICLE_URL = re.compile(
    r"(/t\d{8}_\d+|/art/\d{4}/|art_\d+_\d+|/\d{6}/[^/]+$|/\d{8}/[^/]+$|/\d{4}/\d{4}/|content_\d+|/content/\d+"
    r"|detail|article[_/-]?\d|[?&](id|docid|articleid|contentid|infoid)=|/\d{5,}\.s?html?$)", re.I)
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|et|ofd|zip|rar|7z|txt|csv|rtf|ceb|jpg|jpeg|png|gif)$", re.I)


_WS = re.compile(r"\s+")
_SPLIT = re.compile(r"[-_]")


def class_key(el) -> str:
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
def footer_key(key: str) -> bool:
    words_ = tokens(key)
    return "bottom" in words_ or any(FOOTER_WORDS & set(_SPLIT.split(t)) for t in words_)


@lru_cache(maxsize=4096)
def crumb_key(key: str) -> bool:
    return any(w in t for t in tokens(key) for w in _CRUMB_WORDS)


@lru_cache(maxsize=1024)
def _chrome_tag(tag: str) -> bool:
    return tag.lower() in _CHROME_TAGS


def words(el) -> set[str]:
    """The class and id tokens of an element, lower-cased."""
    return set(tokens(class_key(el)))


def is_chrome(el) -> bool:
    """True for a header, navigation, breadcrumb, footer or sidebar element itself."""
    if not isinstance(el.tag, str):
        return False
    return _chrome_tag(el.tag) or _chrome_key(class_key(el))


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
        """The outermost chrome elements, in document order: chrome() is their subtrees."""
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
        """Every chrome element and everything inside one (kept as a set of elements)."""
        if self._chrome is None:
            marked: set = set()
            for el in self.chrome_roots():
                marked.add(el)
                marked.update(el.iterdescendants())
            self._chrome = marked
        return self._chrome

    def in_chrome(self, el) -> bool:
        """el in chrome(), for an element of the tree, without building that set."""
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


def text_of(el) -> str:
    return _WS.sub(" ", el.text_content() if el is not None else "").strip()


def page_name(title: str, site_name: str = "") -> str:
    """The page's own name from a `<title>` like `通知公告_清河市新北区人民政府`."""
    cjk = "\u4e00-\u9fff"
    separators = rf"\s*[_|｜]\s*|\s+[-—–]\s+|(?<=[{cjk}])[-—–](?=[{cjk}])|\s{{2,}}"
    parts = [p.strip() for p in re.split(separators, title or "") if p.strip()]
    parts = [p for p in parts if p != site_name] or parts
    return parts[0] if parts else ""


# ------------------------------------------------------------ links
def join_url(base: str, href: str) -> str:
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
