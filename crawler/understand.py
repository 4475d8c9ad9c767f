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
from core.records import PageFacts, blank_facts
from core.urls import column_url
from crawler import breadcrumbs, footer, layout, lists, navigation
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
_PUBLISHED_LABEL = re.compile(r"(?:发布日期|发布时间|发表日期|发表时间|公开日期)\s*[:：]\s*(\S+(?:\s+\d{1,2}:\d{2})?)")


def understand(doc, url: str, title: str, as_of: date | None = None) -> PageFacts:
    """The facts of one parsed page (`doc`: lxml tree of the decoded page, or None)."""
    facts = blank_facts(title)
    if doc is None:
        return facts
    base = base_url(doc, url)
    meta = meta_tags(doc)
    scan = layout.Scan(doc)  # one pass over the tree, shared by the readers below
    crumb = breadcrumbs.breadcrumb(doc, base, scan)
    facts.update(meta=meta, identity=footer.identity(doc, scan))
    texts = _Texts(scan)
    is_doc = bool(meta.get("ArticleTitle") or meta.get("PubDate")) or (
        bool(layout.ARTICLE_URL.search(urlsplit(url).path + "?" + urlsplit(url).query)) and bool(texts.article()))
    if urlsplit(url).path in HOME_PATHS and not is_doc:
        return _home(facts, scan, base, url, as_of, scan.chrome())
    if is_doc:
        return _document(facts, scan, url, meta, crumb, texts, as_of)
    chrome = scan.chrome()
    facts["links_to_columns"], more = navigation.column_links(doc, base, url, chrome, scan)
    facts["column"] = _own_column(url, title, meta, crumb, scan)
    records = lists.datastore_items(doc, base, as_of, scan)
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


def clear_caches() -> None:
    """Empty the memo caches of page understanding (they are bounded; for benchmarks and tests)."""
    from core import labels
    from crawler import dates, metadata

    for module in (layout, breadcrumbs, navigation, footer, lists, metadata, labels, dates):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    _KINDS.clear()
    footer._FOOTERS.clear()
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
    facts["links_to_columns"], _ = navigation.column_links(scan.root, base, url, chrome, scan)
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
            or layout.page_name(title, meta.get("SiteName", "")) or navigation.current_nav_item(scan.root, scan))
    path = breadcrumbs.crumb_path(crumb["names"]) or ([name] if name else [])
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
    path = breadcrumbs.crumb_path(crumb["names"])
    if path and not crumb["last_is_link"]:
        path = path[:-1]  # the last crumb is the document's own title
    name, curl = (links[-1][0], column_url(links[-1][1])) if links else ("", None)
    facts["column"] = {"url": curl, "name": meta.get("ColumnName") or name, "path": path, "kind": None}
    return facts


def _published_label(text: str) -> str | None:
    """The date after a 发布日期/发布时间 label in the page text (never 成文日期)."""
    for match in _PUBLISHED_LABEL.finditer(text):
        if parse_date(match.group(1)):
            return match.group(1)
    return None


def _metadata_block(scan) -> dict:
    return metadata_block(scan.root, whole_text=scan.whole_text())


class _Texts:
    """The page's texts, read when first needed: the article body container's (the first
    container with any text: "" when there is none) and the main text (the body without its
    chrome). `inside`: the elements inside article containers.

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

    @property
    def inside(self) -> set:
        if self._inside is None:
            self._inside = set(self.containers)
            for el in self.containers:
                self._inside.update(el.iterdescendants())
        return self._inside

    def article(self) -> str:
        if self._article is None:
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
