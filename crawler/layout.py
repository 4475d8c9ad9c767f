"""The template parts of a portal page: site chrome (header, navigation, footer), the
breadcrumb (当前位置), the footer's identity items and the links to sub-columns.

Pure functions over an lxml tree: values out, never exceptions for odd markup.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urljoin, urlsplit

from inspector.urls import canonical, host_of

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
_CRUMB_TEXT = re.compile(r"(当前的?位置|您的位置|您现在的位置|所在位置|现在位置)\s*[:：]?")
_CRUMB_SEP = re.compile(r"\s*(?:>>|>|›|»|＞|→|-&gt;|&gt;)\s*")
HOME_NAMES = {"首页", "网站首页", "主页", "门户首页", "返回首页"}

# Identity items of the footer (domain.md §7).
_ID_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")
_ICP = re.compile(r"([\u4e00-\u9fff])\s*ICP\s*备\s*(\d{6,10})\s*号(?:\s*[-－—]\s*(\d{1,3}))?", re.I)
_PSB = re.compile(r"([\u4e00-\u9fff])\s*公网安备\s*(\d{14})\s*号?")

ARTICLE_URL = re.compile(
    r"(/t\d{8}_\d+|/art/\d{4}/|art_\d+_\d+|/\d{6}/[^/]+$|/\d{8}/[^/]+$|/\d{4}/\d{4}/|content_\d+|/content/\d+"
    r"|detail|article[_/-]?\d|[?&](id|docid|articleid|contentid|infoid)=|/\d{5,}\.s?html?$)", re.I)
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|et|ofd|zip|rar|7z|txt|csv|rtf|ceb|jpg|jpeg|png|gif)$", re.I)
_NOT_COLUMN_TEXT = {"更多", "more", "MORE", "More", "上一页", "下一页", "尾页", "首页", "返回", "打印", "关闭",
                    "返回顶部", "加入收藏", "设为首页", ">>", "更多>>", "查看更多", "网站地图"}


def words(el) -> set[str]:
    """The class and id tokens of an element, lower-cased."""
    return set(f"{el.get('class') or ''} {el.get('id') or ''}".lower().split())


def is_chrome(el) -> bool:
    """True for a header, navigation, breadcrumb, footer or sidebar element itself."""
    if not isinstance(el.tag, str):
        return False
    if el.tag.lower() in _CHROME_TAGS:
        return True
    for token in words(el):
        if token in _TOKENS or _PARTS & set(re.split(r"[-_]", token)):
            return True
    return False


def chrome_of(root) -> set:
    """Every chrome element and everything inside one (kept as a set of elements)."""
    marked: set = set()
    for el in root.iter():
        if is_chrome(el):
            marked.add(el)
            marked.update(el.iterdescendants())
    return marked


def text_of(el) -> str:
    return re.sub(r"\s+", " ", el.text_content() if el is not None else "").strip()


def column_url(url: str) -> str:
    """A column's canonical first-page URL: `dir/` and `index_2.html` become `dir/index.html`."""
    key = canonical(url)
    parts = urlsplit(key)
    path = parts.path
    if path.endswith("/"):
        path += "index.html"
    path = re.sub(r"/index_\d+\.(s?html?|jsp|php|aspx?)$", r"/index.\1", path)
    return parts._replace(path=path).geturl()


def folder_key(url: str) -> str:
    """A column URL without its `index…` file name: `dir/`, `dir/index.html` and
    `dir/index_3.shtml` all give `dir/` (sites differ in the index file they use)."""
    key = canonical(url)
    parts = urlsplit(key)
    return parts._replace(path=re.sub(r"/index(_\d+)?\.[a-z]+$", "/", parts.path)).geturl()


def same_column(a: str, b: str) -> bool:
    return folder_key(a) == folder_key(b)


def page_name(title: str, site_name: str = "") -> str:
    """The page's own name from a `<title>` like `通知公告_清河市新北区人民政府`."""
    cjk = "\u4e00-\u9fff"
    separators = rf"\s*[_|｜]\s*|\s+[-—–]\s+|(?<=[{cjk}])[-—–](?=[{cjk}])|\s{{2,}}"
    parts = [p.strip() for p in re.split(separators, title or "") if p.strip()]
    parts = [p for p in parts if p != site_name] or parts
    return parts[0] if parts else ""


# ------------------------------------------------------------ breadcrumb
def breadcrumb(root, base: str) -> dict:
    """The 当前位置 trail: {"names": [...], "links": [(name, url)], "last_is_link": bool}."""
    for el in root.iter("div", "p", "span", "td", "ul", "ol", "nav", "section"):
        own = (el.text or "") + "".join(c.tail or "" for c in el if c.tail is not None)
        marked = bool(_CRUMB_TEXT.search(own)) or any(w in t for t in words(el) for w in _CRUMB_WORDS)
        anchors = [a for a in el.iter("a") if a.get("href")]
        if not marked or not anchors or len(text_of(el)) > 400:
            continue
        text = _CRUMB_TEXT.split(text_of(el))[-1]
        names = [n.strip() for n in _CRUMB_SEP.split(text) if n.strip()]
        links = [(text_of(a) or (a.get("title") or "").strip(), urljoin(base, a.get("href").strip())) for a in anchors]
        last_is_link = bool(names) and bool(links) and names[-1] == links[-1][0]
        return {"names": names, "links": links, "last_is_link": last_is_link}
    return {"names": [], "links": [], "last_is_link": False}


def crumb_path(names: list[str]) -> list[str]:
    """Breadcrumb names after 首页."""
    return [n for n in names if n not in HOME_NAMES]


# ------------------------------------------------------------ navigation
def current_nav_item(root) -> str:
    """The highlighted item of a left navigation (`li.on`, `.cur`, `.active`…), or ""."""
    for el in root.iter("li", "a", "dd", "span"):
        if words(el) & {"on", "cur", "current", "active", "selected", "hover", "this"}:
            el_nav = any(is_chrome(a) for a in el.iterancestors())
            if el_nav and text_of(el) and len(text_of(el)) <= 20:
                return text_of(el)
    return ""


def _is_column_link(url: str, text: str, page_url: str) -> bool:
    if not url.startswith(("http://", "https://")) or host_of(url) != host_of(page_url):
        return False
    path = urlsplit(url).path
    if path in ("", "/", "/index.html", "/index.htm", "/index.shtml") or ATTACHMENT.search(path):
        return False
    if ARTICLE_URL.search(url) or same_column(url, page_url):
        return False
    return 2 <= len(text) <= 30 and text not in _NOT_COLUMN_TEXT


def _block_heading(a) -> str:
    """The heading of the block a "更多" link sits in (`<h3>工作动态</h3> … 更多>>`)."""
    for block in list(a.iterancestors())[:3]:
        for h in block.iter("h1", "h2", "h3", "h4", "h5", "strong", "b", "span"):
            name = text_of(h)
            if name and "更多" not in name and len(name) <= 20 and not any(x is a for x in h.iter("a")):
                return name
    return ""


def column_links(root, base: str, page_url: str, chrome: set) -> tuple[list[dict], int]:
    """Links to columns in the main area and in sub-navigation (a nav list that does not
    link the home page), as [{"name", "url"}]; and how many were "更多" links of blocks."""
    found: dict[str, dict] = {}
    more = 0
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        if a in chrome and not _sub_nav(a):
            continue
        url = urljoin(base, href)
        text = text_of(a) or (a.get("title") or "").strip()
        if re.fullmatch(r"(更多|查看更多|more|MORE|More)?\s*(>>|&gt;&gt;|»|>)?\s*(更多)?", text) and text:
            text = _block_heading(a)
            more += 1 if text else 0
        if _is_column_link(url, text, page_url):
            found.setdefault(column_url(url), {"name": text, "url": column_url(url)})
    return list(found.values()), more


def _sub_nav(a) -> bool:
    for el in a.iterancestors():
        if el.tag in ("ul", "ol", "div", "dl") and is_chrome(el):
            if any(text_of(x) in HOME_NAMES for x in el.iter("a")):
                return False
            # a footer or breadcrumb is not a navigation of sub-columns
            return not (words(el) & _FOOTER_WORDS or any(w in t for t in words(el) for w in _CRUMB_WORDS))
    return False


# ------------------------------------------------------------ footer identity
def footer(root):
    """The page's footer element (the last one marked as such), or None."""
    found = None
    for el in root.iter():
        tokens = words(el) if isinstance(el.tag, str) else set()
        if isinstance(el.tag, str) and (el.tag == "footer" or "bottom" in tokens
                                        or any(_FOOTER_WORDS & set(re.split(r"[-_]", t)) for t in tokens)):
            if found is None or not any(x is found for x in el.iterancestors()):
                found = el
    return found


def identity(root) -> dict:
    """网站标识码, ICP and 公网安备 filings, the 找错 entry and the 党政机关 badge."""
    foot = footer(root)
    body = root.find("body")
    foot_text = text_of(foot) if foot is not None else ""
    whole = text_of(body if body is not None else root)
    search = foot_text or whole[-1500:]
    code = _ID_CODE.search(search) or _ID_CODE.search(whole)
    icp = _ICP.search(search) or _ICP.search(whole)
    psb = _PSB.search(search) or _PSB.search(whole)
    jiucuo = dzjg = False
    for el in root.iter("a", "img", "script", "span", "div"):
        attrs = " ".join(el.get(k) or "" for k in ("href", "src", "alt", "title", "id")).lower()
        # the national badge and 找错 entry are often written by a script (document.write)
        attrs += (el.text or "").lower() if el.tag == "script" else ""
        label = attrs + (text_of(el) if el.tag == "a" else "")
        jiucuo = jiucuo or "找错" in label or "jiucuo" in label
        dzjg = dzjg or "党政机关" in label or "dzjg" in attrs or "conac" in attrs
    return {
        "site_id_code": code.group(1) if code else None,
        "icp": f"{icp.group(1)}ICP备{icp.group(2)}号" + (f"-{icp.group(3)}" if icp.group(3) else "") if icp else None,
        "psb": f"{psb.group(1)}公网安备 {psb.group(2)}号" if psb else None,
        "jiucuo": jiucuo,
        "dzjg": dzjg,
        "footer": hashlib.blake2b(foot_text.encode(), digest_size=6).hexdigest() if foot_text else "",
    }
