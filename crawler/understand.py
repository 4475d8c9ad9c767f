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

from crawler import layout, lists
from crawler.dates import best_date, parse_date
from crawler.links import base_url
from crawler.metadata import document_number, meta_tags, metadata_block, review_labels

TEXT_LIMIT = 6000
EXCERPT_LIMIT = 300
HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/index.php", "/default.html",
              "/default.htm", "/default.aspx"}
# Article body containers of the common CMS templates (class or id tokens, lower-cased).
_ARTICLE_WORDS = {"trs_editor", "trs_ueditor", "zoom", "article-content", "article_content", "article-con",
                  "article_con", "artcon", "content_text", "news_content", "detail-content", "xl_content",
                  "view", "wzcon", "ewb-article-info", "bt_content", "conzt", "article"}
_PUBLISHED_LABEL = re.compile(r"(?:发布日期|发布时间|发表日期|发表时间|公开日期)\s*[:：]\s*(\S+(?:\s+\d{1,2}:\d{2})?)")


def understand(doc, url: str, title: str, as_of: date | None = None) -> dict:
    """The facts of one parsed page (`doc`: lxml tree of the decoded page, or None)."""
    facts = _blank(title)
    if doc is None:
        return facts
    base = base_url(doc, url)
    meta = meta_tags(doc)
    chrome = layout.chrome_of(doc)
    crumb = layout.breadcrumb(doc, base)
    facts.update(meta=meta, identity=layout.identity(doc))
    article, inside = _article(doc, chrome)
    is_doc = bool(meta.get("ArticleTitle") or meta.get("PubDate")) or (
        bool(layout.ARTICLE_URL.search(urlsplit(url).path + "?" + urlsplit(url).query)) and bool(article))
    if urlsplit(url).path in HOME_PATHS and not is_doc:
        return _home(facts, doc, base, url, as_of, chrome)
    if is_doc:
        return _document(facts, doc, url, meta, crumb, chrome, article, as_of)
    facts["links_to_columns"], more = layout.column_links(doc, base, url, chrome)
    facts["column"] = _own_column(url, title, meta, crumb, doc)
    records = lists.datastore_items(doc, base, as_of)
    groups = lists.read_rows(doc, base, as_of, chrome | inside)  # links in an article body are no list
    if records is not None or groups:
        if records is None and more >= 2 and sum(1 for g in groups.values() if len(g) >= 2) >= 2:
            return _other(facts, "navigation")  # a channel page: blocks of sub-columns, each with 更多
        items = records if records is not None else lists.main_list(groups)
        kind = "datastore" if records is not None else "static"
        return _column(facts, kind, items, lists.further_pages(doc, base, url, chrome))
    if lists.filled_by_script(doc, chrome):
        return _column(facts, "script", [], lists.further_pages(doc, base, url, chrome))
    metadata = metadata_block(doc)
    if metadata:
        return _document(facts, doc, url, meta, crumb, chrome, article, as_of, metadata)
    # Without a column's marks (ColumnName, a breadcrumb) a page stands for no column.
    if not (meta.get("ColumnName") or meta.get("ColumnType") or crumb["names"]):
        return _other(facts, None)
    if lists.empty_evidence(doc, chrome):
        return _column(facts, "static", [], lists.further_pages(doc, base, url, chrome))
    if len(article) >= 20:
        links = crumb["links"]
        if crumb["last_is_link"] and layout.column_url(links[-1][1]) != layout.column_url(url):
            # an article whose breadcrumb ends at its column: a document without meta tags
            return _document(facts, doc, url, meta, crumb, chrome, article, as_of, metadata)
        facts.update(text=article[:TEXT_LIMIT], excerpt=article[:EXCERPT_LIMIT])
        return _other(facts, "content")
    return _other(facts, "navigation" if len(facts["links_to_columns"]) >= 2 else None)


def _blank(title: str) -> dict:
    return {
        "kind": "other", "title": title or "", "meta": {},
        "column": {"url": None, "name": "", "path": [], "kind": None},
        "list": {"kind": "none", "items": [], "pages": []},
        "published": None, "published_source": "none", "metadata": {}, "doc_number": None, "review": {},
        "text": "", "excerpt": "",
        "identity": {"site_id_code": None, "icp": None, "psb": None, "jiucuo": False, "dzjg": False, "footer": ""},
        "links_to_columns": [],
    }


def _home(facts, doc, base, url, as_of, chrome) -> dict:
    items: dict[str, dict] = {}
    for rows in lists.read_rows(doc, base, as_of, chrome).values():
        for item in rows:
            known = items.setdefault(item["url"], item)
            known["date"] = known["date"] or item["date"]
    facts["kind"] = "home"
    facts["column"] = {"url": None, "name": "首页", "path": [], "kind": None}
    facts["list"] = {"kind": "static", "items": list(items.values()), "pages": []}
    facts["links_to_columns"], _ = layout.column_links(doc, base, url, chrome)
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


def _own_column(url, title, meta, crumb, doc) -> dict:
    """The column a list, navigation or content page stands for: itself."""
    name = (meta.get("ColumnName") or (crumb["names"][-1] if crumb["names"] else "")
            or layout.page_name(title, meta.get("SiteName", "")) or layout.current_nav_item(doc))
    path = layout.crumb_path(crumb["names"]) or ([name] if name else [])
    return {"url": layout.column_url(url), "name": name, "path": path, "kind": None}


def _document(facts, doc, url, meta, crumb, chrome, article, as_of, metadata=None) -> dict:
    metadata = metadata_block(doc) if metadata is None else metadata
    main_text = _main_text(doc, chrome)
    text = (article or main_text)[:TEXT_LIMIT]
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
    if path and not crumb["last_is_link"]:
        path = path[:-1]  # the last crumb is the document's own title
    name, curl = (links[-1][0], layout.column_url(links[-1][1])) if links else ("", None)
    facts["column"] = {"url": curl, "name": meta.get("ColumnName") or name, "path": path, "kind": None}
    return facts


def _published_label(text: str) -> str | None:
    """The date after a 发布日期/发布时间 label in the page text (never 成文日期)."""
    for match in _PUBLISHED_LABEL.finditer(text):
        if parse_date(match.group(1)):
            return match.group(1)
    return None


def _article(doc, chrome) -> tuple[str, set]:
    """The text of the article body container ("" when the page has none), and the
    elements inside article containers."""
    text, inside = "", set()
    for el in doc.iter():
        if isinstance(el.tag, str) and el not in chrome and el not in inside and layout.words(el) & _ARTICLE_WORDS:
            inside.add(el)
            inside.update(el.iterdescendants())
            text = text or _visible(el)
    return text, inside


def _main_text(doc, chrome) -> str:
    body = doc.find("body")
    return _visible(body if body is not None else doc, chrome)


_SKIP = {"script", "style", "noscript", "template", "head", "title"}
_BLOCKS = {"p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dd",
           "dt", "section", "article"}


def _visible(el, chrome=frozenset()) -> str:
    out: list[str] = []

    def walk(node, depth=0):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag and tag not in _SKIP and node not in chrome and depth < 200:
            out.append(node.text or "")
            for child in node:
                walk(child, depth + 1)
                out.append(child.tail or "")
            if tag in _BLOCKS:
                out.append(" ")  # keep the words of adjacent paragraphs apart

    walk(el)
    return re.sub(r"\s+", " ", "".join(out)).strip()
