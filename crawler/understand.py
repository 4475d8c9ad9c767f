"""What a page is, read as an inspector reads it: the home page, a column's list page, a
document, or something else (a column's single content page, a navigation page, the rest).

`understand()` returns the page's facts, stored as `pages.facts` JSON; the content rules are
computed from them. The contract (every key always present):

    kind            "home" | "column" | "document" | "other"
    title, meta     the <title>; the 国办发〔2017〕47号 meta tags present
    column          {"url", "name", "path", "kind"}: the column the page belongs to; kind is
                    "list" / "uninspectable" on list pages, "content" / "navigation" on other
                    pages that stand for a column, None elsewhere
    list            {"kind": "static"|"datastore"|"script"|"none", "items": [...], "pages": [...]}
                    ("datastore": records the page carries in a script, Hanweb's <datastore> or
                    the JSON a template renders; "script": a list the crawler cannot read)
    published, published_source, metadata, doc_number, review, text, excerpt   (documents)
    identity        footer items, on every page
    links_to_columns  [{"name", "url"}]
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from lxml import etree

from core.labels import document_number, review_labels
from core.urls import column_url
from core.records import PageFacts, blank_facts
from crawler import layout, lists
from crawler.dates import best_date, parse_date
from crawler.links import base_url
from crawler.metadata import meta_tags, metadata_block

TEXT_LIMIT = 6000
EXCERPT_LIMIT = 300
HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/index.php", "/default.html",
              "/default.htm", "/default.aspx"}
# Article body containers of the common CMS templates (class or id tokens, lower-cased).
_ARTICLE_WORDS = {"trs_editor", "trs_ueditor", "zoom", "article-content", "article_content", "article-con",
                  "article_con", "artcon", "content_text", "news_content", "detail-content", "xl_content",
                  "view", "wzcon", "ewb-article-info", "bt_content", "conzt", "article"}
# A folder's index page (index.html, default.aspx, list_2.html): a CMS serves lists there, not articles.
_INDEX_PAGE = re.compile(r"/(?:(?:index|default|list)(?:_\d+)?\.\w+)?$", re.I)
# The results of a site search (TRS 智能检索 /irs-c-web/search.shtml?searchWord=, ?keyword=, /search/).
_SEARCH_URL = re.compile(r"/(?:search|sousuo|jsearch|was5)\b|[?&](?:searchword|keyword|keywords|wd|q|query)=", re.I)
_PUBLISHED_LABEL = re.compile(r"(?:发布日期|发布时间|发表日期|发表时间|公开日期)\s*[:：]\s*(\S+(?:\s+\d{1,2}:\d{2})?)")
# An article's date line without a label: a full date (and time) beside the words of that line
# (2021年03月05日 10时20分 来源：, 2021/03/05 稿件来源, 来源：新华社 作者： 2023-12-01 14:43).
_LINE_WORDS = re.compile(r"(?:稿件|信息|文章)?来源|作者|浏览|点击|访问|阅读|字号|【")
_FULL_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:([-/.])\d{1,2}\1\d{1,2}|年\d{1,2}月\d{1,2}日)(?!\d)")
_TIME = re.compile(r"\s*(?:\d{1,2}(?::\d{2}|时\d{1,2}分)(?::\d{2})?)?\s*")
_SENTENCE_END = re.compile("[。；;]")


def understand(doc, url: str, title: str, as_of: date | None = None) -> PageFacts:
    """The facts of one parsed page (`doc`: lxml tree of the decoded page, or None)."""
    facts = blank_facts(title)
    if doc is None:
        return facts
    base = base_url(doc, url)
    try:
        urlsplit(base)
    except ValueError:  # an unparsable <base href="http://[::1">: links are read against the page
        base = url
    meta = meta_tags(doc)
    scan = layout.Scan(doc)  # one pass over the tree, shared by the readers below
    crumb = layout.breadcrumb(doc, base, scan)
    facts.update(meta=meta, identity=layout.identity(doc, scan))
    texts = _Texts(scan)
    is_doc = bool(meta.get("ArticleTitle") or meta.get("PubDate")) or (
        bool(layout.ARTICLE_URL.search(urlsplit(url).path + "?" + urlsplit(url).query)) and bool(texts.article()))
    home = urlsplit(url).path in HOME_PATHS or _home_of_itself(scan, base, url)
    # an article by its shape: prose, and a date line or metadata (a folder's index page is a list)
    if not (is_doc or home or _INDEX_PAGE.search(urlsplit(url).path)) and texts.wordy() and (
            _published_label(scan.whole_text()) or _metadata_block(scan)):
        is_doc = bool(texts.article())
    if home and not is_doc:
        return _home(facts, scan, base, url, as_of, scan.chrome())
    if is_doc:
        return _document(facts, scan, url, meta, crumb, texts, as_of)
    chrome = scan.chrome()
    facts["links_to_columns"], more = layout.column_links(doc, base, url, chrome, scan)
    if _SEARCH_URL.search(url):
        return _other(facts, None)  # a site search's results: no column's list, whatever it shows
    facts["column"] = _own_column(url, title, meta, crumb, scan)
    records = lists.datastore_items(doc, base, as_of, scan)
    if records is None:
        records = lists.record_items(base, as_of, scan)
    groups = lists.read_rows(doc, base, as_of, chrome | texts.inside, scan)  # links in an article body are no list
    if records is not None or groups:
        if records is None and more >= 2 and sum(1 for g in groups.values() if len(g) >= 2) >= 2:
            return _other(facts, "navigation")  # a channel page: blocks of sub-columns, each with 更多
        items = records if records is not None else lists.main_list(groups)
        kind = "datastore" if records is not None else "static"
        return _column(facts, kind, items, lists.further_pages(doc, base, url, chrome, scan))
    if lists.filled_by_script(doc, chrome, scan):
        return _column(facts, "script", [], lists.further_pages(doc, base, url, chrome, scan))
    metadata = _metadata_block(scan)
    if metadata:
        return _document(facts, scan, url, meta, crumb, texts, as_of, metadata)
    # Without a column's marks (ColumnName, a breadcrumb) a page stands for no column.
    if not (meta.get("ColumnName") or meta.get("ColumnType") or crumb["names"]):
        return _other(facts, None)
    if lists.empty_evidence(doc, chrome, scan):
        return _column(facts, "static", [], lists.further_pages(doc, base, url, chrome, scan))
    article = texts.article()
    if len(article) >= 20:
        links = crumb["links"]
        if crumb["last_is_link"] and column_url(links[-1][1]) != column_url(url):
            # an article whose breadcrumb ends at its column: a document without meta tags
            return _document(facts, scan, url, meta, crumb, texts, as_of, metadata)
        facts.update(text=article[:TEXT_LIMIT], excerpt=article[:EXCERPT_LIMIT])
        return _other(facts, "content")
    return _other(facts, "navigation" if len(facts["links_to_columns"]) >= 2 else None)


def _home_of_itself(scan, base: str, url: str) -> bool:
    """True when the page is the index of a first-level folder and its own 首页 link, written
    from the site's root, leads to it: the home page of a site that lives in a folder
    (集约化 platforms: /ycsrmzf/index.shtml), which no path alone tells."""
    if urlsplit(url).path.count("/") != 2:
        return False
    here = column_url(url)
    return any(scan.text(a) in layout.HOME_NAMES and a.get("href").strip().startswith(("/", "http"))
               and column_url(lists.absolute(a.get("href"), base) or "") == here for a in scan.anchors if a.get("href"))


def clear_caches() -> None:
    """Empty the memo caches of page understanding (they are bounded; for benchmarks and tests)."""
    from core import labels
    from crawler import dates, metadata

    for module in (layout, lists, metadata, labels, dates):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    _KINDS.clear()
    layout._FOOTERS.clear()
    metadata._PAIR_KINDS.clear()


def _home(facts, scan, base, url, as_of, chrome) -> dict:
    items: dict[str, dict] = {}
    for rows in lists.read_rows(scan.root, base, as_of, chrome, scan).values():
        for item in rows:
            known = items.setdefault(item["url"], item)
            known["date"] = known["date"] or item["date"]
    facts["kind"] = "home"
    facts["column"] = {"url": None, "name": "首页", "path": [], "kind": None}
    facts["list"] = {"kind": "static", "items": list(items.values()), "pages": []}
    facts["links_to_columns"], _ = layout.column_links(scan.root, base, url, chrome, scan)
    return facts


def _column(facts, kind: str, items: list[dict], pages: list[str]) -> dict:
    facts["kind"] = "column"
    facts["column"]["kind"] = "uninspectable" if kind == "script" else "list"
    facts["list"] = {"kind": kind, "items": items, "pages": pages}
    return facts


def _other(facts, column_kind: str | None) -> dict:
    facts["kind"] = "other"
    facts["column"]["kind"] = column_kind
    if column_kind is None:
        facts["column"] = {"url": None, "name": facts["column"]["name"], "path": facts["column"]["path"], "kind": None}
    return facts


def _own_column(url, title, meta, crumb, scan) -> dict:
    """The column a list, navigation or content page stands for: itself."""
    name = (meta.get("ColumnName") or (crumb["names"][-1] if crumb["names"] else "")
            or layout.page_name(title, meta.get("SiteName", "")) or layout.current_nav_item(scan.root, scan))
    path = layout.crumb_path(crumb["names"]) or ([name] if name else [])
    return {"url": column_url(url), "name": name, "path": path, "kind": None}


def _document(facts, scan, url, meta, crumb, texts, as_of, metadata=None) -> dict:
    metadata = _metadata_block(scan) if metadata is None else metadata
    main_text = texts.main()
    text = (texts.article() or main_text)[:TEXT_LIMIT]
    labelled = metadata.get("发布日期") or _published_label(main_text)
    published, source = best_date(meta_pubdate=meta.get("PubDate"), metadata_pubdate=labelled, url=url, as_of=as_of)
    heading = meta.get("ArticleTitle") or facts["title"]
    facts.update(
        kind="document", metadata=metadata, text=text, excerpt=text[:EXCERPT_LIMIT],
        published=published.isoformat() if published else None, published_source=source,
        doc_number=metadata.get("文号") or document_number(heading) or document_number(text[:300]),
        review=review_labels(main_text),
    )
    links = [(n, u) for n, u in crumb["links"] if n not in layout.HOME_NAMES]
    path = layout.crumb_path(crumb["names"])
    name, curl = (links[-1][0], column_url(links[-1][1])) if links else ("", None)
    if path and not crumb["last_is_link"]:
        if _is_title(path[-1], heading, scan):
            path = path[:-1]  # the last crumb is the document's own title
        else:
            name, curl = path[-1], None  # the column, printed as text (首页 > 要闻 > 山西要闻)
    facts["column"] = {"url": curl, "name": meta.get("ColumnName") or name, "path": path, "kind": None}
    return facts


# A plain last crumb that names the page, not a column (首页 > 新闻中心 > 工作动态 > 正文).
_PAGE_CRUMBS = {"正文", "内容", "详情", "正文内容", "文章内容", "详细内容", "详细信息", "文章详情", "信息详情",
                "阅读文章", "浏览文章", "查看内容", "文章正文"}


def _is_title(crumb: str, heading: str, scan) -> bool:
    """True when a plain last crumb stands for the document itself (正文, or its title, whole
    or cut: 关于…的通…) rather than its column: it starts the <title> or a heading of the page,
    or is longer than a column's name can be."""
    start = crumb.rstrip(".…")
    if crumb in _PAGE_CRUMBS or len(start) > 20 or (start and heading.startswith(start)):
        return True
    return any(scan.text(h).startswith(start) for h in scan.root.iter("h1", "h2", "h3")) if start else False


def _published_label(text: str) -> str | None:
    """The date after a 发布日期/发布时间 label in the page text (never 成文日期), else the
    date of an unlabelled date line: one beside 来源, 作者, 浏览… (a date with a time of day
    and nothing else around it is too common in lists to be taken)."""
    for match in _PUBLISHED_LABEL.finditer(text):
        if parse_date(match.group(1)):
            return match.group(1)
    for match in _FULL_DATE.finditer(text):
        before = _SENTENCE_END.split(text[max(0, match.start() - 30):match.start()])[-1]
        after = _TIME.match(text, match.end()).end()
        if (_LINE_WORDS.search(before) or _LINE_WORDS.match(text, after)) and parse_date(match.group(0)):
            return match.group(0)
    return None


def _metadata_block(scan) -> dict:
    return metadata_block(scan.root, whole_text=scan.whole_text())


class _Texts:
    """The page's texts, read when first needed: the article body container's (the first
    container with any text: "" when there is none; without a container of a known class,
    the block of prose found by its shape) and the main text (the body without its chrome).
    `inside`: the elements inside article containers.

    The main text's walk also reads the containers it passes through, so a document's tree
    is walked once: a container's text is its stretch of the main text when nothing was left
    out there for being chrome (or too deep); otherwise it is read on its own."""

    def __init__(self, scan):
        self.scan = scan
        self.containers: list = []  # outermost first: a container inside another is none
        for el, key in scan.classed:
            if layout.tokens(key) & _ARTICLE_WORDS and not scan.in_chrome(el) and not (
                    self.containers and any(a in self.containers for a in el.iterancestors())):
                self.containers.append(el)
        self._inside: set | None = None
        self._article: str | None = None
        self._main: str | None = None
        self._stretches: dict = {}
        self._wordy: bool | None = None
        self._linked = 0  # Chinese characters in links outside the chrome (wordy())

    def wordy(self) -> bool:
        """True when the page, without a known body container, holds at least PROSE_MIN
        Chinese characters outside its links: the one test most list pages fail, cheaply."""
        if self._wordy is None:
            self._wordy = False
            if not self.containers:
                scan = self.scan
                chrome = scan.chrome()
                every_link = 0
                for a in scan.anchors:
                    count = _wide(scan.text(a))
                    every_link += count
                    self._linked += count if a not in chrome else 0
                self._wordy = _wide(scan.whole_text()) - every_link >= PROSE_MIN
        return self._wordy

    def _prose(self) -> None:
        """Without a known body container: the block that holds the page's prose (at least
        PROSE_MIN Chinese characters outside links, more than all the page's links outside
        the chrome hold) becomes the container. A 相关链接 list beside an article does not
        outweigh it; a list page's items do."""
        if self.wordy():
            holder, size = _prose_holder(self.scan, self.scan.chrome())
            if holder is not None and size >= PROSE_MIN and size > self._linked:
                self.containers, self._inside = [holder], None

    @property
    def inside(self) -> set:
        if self._inside is None:
            self._inside = set(self.containers)
            for el in self.containers:
                self._inside.update(el.iterdescendants())
        return self._inside

    def article(self) -> str:
        if self._article is None:
            if not self.containers:
                self._prose()
            text = ""
            for el in self.containers:
                stretch = self._stretches.get(el)
                text = text or (stretch if stretch is not None else _visible(el))
            self._article = text
        return self._article

    def main(self) -> str:
        if self._main is None:
            root = self.scan.root
            body = root.find("body")
            start = body if body is not None else root
            # the walk meets the chrome at its outermost elements: it leaves their subtrees out
            chrome = {start} if self.scan.in_chrome(start) else set(self.scan.chrome_roots())
            self._main = _visible(start, chrome, self.containers, self._stretches)
        return self._main


PROSE_MIN = 150  # Chinese characters (and full-width punctuation): a short notice has more


def _wide(text: str) -> int:
    """About how many Chinese characters and full-width signs `text` holds (3 bytes each in
    UTF-8, against 1 for ASCII: counted without a regex, it is read for every link)."""
    return (len(text.encode("utf-8", "surrogatepass")) - len(text)) // 2


_PROSE_HOLDERS = {"div", "td", "article", "section", "body", "center", "main"}


def _prose_holder(scan, chrome) -> tuple:
    """(the block holding the most Chinese characters of prose, their number): each element's
    own text outside links counts for its nearest div, td, article or section (a paragraph's
    text for the block around it)."""
    linked: set = set()
    for a in scan.anchors:
        linked.update(a.iter())
    sizes: dict = {}
    for el in scan.nodes:
        tag = el.tag
        if tag.__class__ is not str or tag in _SKIP or el in chrome or el in linked:
            continue
        own = (el.text or "") + "".join(c.tail or "" for c in el if c.tail)
        count = _wide(own) if own else 0
        if count:
            holder = el if tag in _PROSE_HOLDERS else next(
                (a for a in el.iterancestors() if a.tag in _PROSE_HOLDERS), el)
            sizes[holder] = sizes.get(holder, 0) + count
    if not sizes:
        return None, 0
    holder = max(sizes, key=sizes.get)
    return holder, sizes[holder]


_SKIP = {"script", "style", "noscript", "template", "head", "title"}
_BLOCKS = {"p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dd",
           "dt", "section", "article"}
_WS = re.compile(r"\s+")
_WALK_EVENTS = ("start", "end", "comment", "pi")
_SKIPPED, _INLINE, _BLOCK = 0, 1, 2
_KINDS: dict[str, int] = {}


def _kind(tag: str) -> int:
    kind = _KINDS.get(tag)
    if kind is None:
        low = tag.lower()
        kind = _SKIPPED if low in _SKIP else _BLOCK if low in _BLOCKS else _INLINE
        if len(_KINDS) < 2048:
            _KINDS[tag] = kind
    return kind


def _visible(el, chrome=frozenset(), containers=(), stretches=None) -> str:
    """The text of `el` as shown: scripts, styles and `chrome` elements left out (their tails
    kept), a space after each block, whitespace collapsed; nothing below depth 200.

    `stretches` receives, for each of `containers` passed through with nothing inside it left
    out but scripts and styles, its own text as `_visible(container)` would read it."""
    out: list[str] = []
    append = out.append
    depth = 0
    skipped = None
    watch = set(containers)
    current, start, clean = None, 0, True  # the container being passed through
    kinds = _KINDS
    walker = etree.iterwalk(el, events=_WALK_EVENTS)
    for event, node in walker:
        if event == "start":
            kind = kinds.get(node.tag)
            if kind is None:
                kind = _kind(node.tag)
            if kind and depth < 200 and node not in chrome:
                if watch and node in watch:
                    current, start, clean = node, len(out), True
                append(node.text or "")
                depth += 1
            else:
                if current is not None and kind:
                    clean = False  # left out for being chrome or too deep: not so on its own
                skipped = node
                walker.skip_subtree()
        elif event == "end":
            if node is skipped:
                skipped = None
            else:
                depth -= 1
                if (kinds.get(node.tag) or _kind(node.tag)) == _BLOCK:
                    append(" ")  # keep the words of adjacent paragraphs apart
                if node is current:
                    if clean:
                        stretches[node] = _WS.sub(" ", "".join(out[start:])).strip()
                    current = None
            if node is not el:
                append(node.tail or "")
        else:  # a comment or processing instruction: its tail is text of its parent
            append(node.tail or "")
    return _WS.sub(" ", "".join(out)).strip()
