"""Every link on a page, as a browser would request it, with where it was found.

lxml directly (not Scrapy's LinkExtractor): it is several times faster, keeps attachments
(LinkExtractor drops pdf/doc/xls unless told) and sees every element that loads something:
`src`/`href` attributes, `srcset` candidates (`<img>`, `<source>` of a `<picture>`), and the
`url()` and `@import` of CSS in `style` attributes, `<style>` blocks and style sheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

from core.urls import href_mistake, join, resolve_href

# element -> attribute that makes the browser load or navigate to something
LINK_ATTRS = {
    "a": "href",
    "area": "href",
    "img": "src",
    "script": "src",
    "link": "href",
    "iframe": "src",
    "frame": "src",
    "embed": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "object": "data",
    "track": "src",
    "input": "src",  # <input type="image">
    # old table layouts: a browser still loads these backgrounds
    "body": "background", "table": "background", "td": "background", "th": "background", "tr": "background",
}
SRCSET_TAGS = {"img", "source"}
# elements that load something, in document order
_LOADING = etree.XPath("//*[" + " or ".join(f"self::{tag}" if attr != "background" else f"(self::{tag} and @background)"
                                           for tag, attr in LINK_ATTRS.items()) + " or self::style or @style]")
_FRAGMENT_ONLY = etree.XPath("//a[starts-with(normalize-space(@href), '#')]"
                             " | //area[starts-with(normalize-space(@href), '#')]")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_REF = re.compile(r"""@import\s+(?:url\(\s*)?(?:"([^"]*)"|'([^']*)'|([^\s'");]+))"""
                      r"""|url\(\s*(?:"([^"]*)"|'([^']*)'|([^\s'")]*))\s*\)""", re.I)
_SKIP_REL = {"dns-prefetch", "preconnect", "prefetch", "preload", "search"}
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Link:
    """One link on one page. `url` is the absolute URL requested, or the href as written
    when it cannot be requested (a malformed scheme, a file:// path)."""

    url: str
    source: str
    text: str
    tag: str
    attr: str


def parse_html(text: str) -> html.HtmlElement | None:
    """A tolerant lxml tree, or None for a document with no elements.

    A `</html>` with markup after it (a header include inlined with its own end tag) is
    dropped: libxml2 stops reading at the first one, and a browser reads on."""
    if not text or not text.strip():
        return None
    stray = _HTML_END.search(text)
    if stray and text[stray.end():].strip():
        text = _HTML_END.sub("", text)
    try:
        return html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


_PARSER = html.HTMLParser(recover=True, remove_comments=True, no_network=True, huge_tree=False)
_HTML_END = re.compile(r"</html\s*>", re.I)


def base_url(doc: html.HtmlElement | None, page_url: str) -> str:
    """The document's base URL: `<base href>` resolved against the page, else the page."""
    if doc is not None:
        for el in doc.iter("base"):
            href = (el.get("href") or "").strip()
            if href:
                return resolve_href(href, page_url) or page_url
            break
    return page_url


def extract_links(doc: html.HtmlElement | None, page_url: str, encoding: str = "utf-8") -> list[Link]:
    """All links of a parsed page, in document order, including those inside Hanweb
    `<datastore>` XML records (the list items of a JCMS column)."""
    if doc is None:
        return []
    base = base_url(doc, page_url)
    links: list[Link] = []
    for el in _LOADING(doc):
        tag = el.tag
        if tag == "style":
            links += css_links(el.text or "", base, page_url, "style", encoding)
        if el.get("style"):
            links += css_links(el.get("style"), base, page_url, tag, encoding, attr="style")
        attr = LINK_ATTRS.get(tag)
        if attr is None:
            continue
        href = el.get(attr)
        if tag in SRCSET_TAGS and el.get("srcset"):
            text = _anchor_text(el)
            links += filter(None, (make_link(u, base, page_url, text, tag, "srcset", encoding)
                                   for u in srcset_urls(el.get("srcset"))))
        if href is None:
            if tag == "script" and el.text and "<record" in el.text:
                links.extend(_datastore_links(el.text, page_url, base, encoding))
            continue
        if tag == "link" and (_SKIP_REL & set((el.get("rel") or "").lower().split()) or el.get("disabled") is not None):
            continue  # hints and disabled style sheets: nothing a browser loads
        link = make_link(href, base, page_url, _anchor_text(el), tag, attr, encoding)
        if link is not None:
            links.append(link)
    return links


def anchor_links(doc: html.HtmlElement | None, page_url: str) -> list[Link]:
    """Links to anchors by fragment alone (`<a href="#sec">`), as absolute URLs: resolved against
    the document's base URL as a browser does (so with a `<base href>` they name another page).
    Not links otherwise; read only to check anchors (crawl.check_fragments)."""
    if doc is None:
        return []
    base = base_url(doc, page_url)
    return [Link(url, page_url, _anchor_text(el), el.tag, "href") for el in _FRAGMENT_ONLY(doc)
            if (url := join(base, el.get("href")))]


def css_links(css: str, base: str, source: str, tag: str, encoding: str = "utf-8", attr: str = "") -> list[Link]:
    """The `url()` and `@import` targets of CSS text (a style sheet, a `<style>` block, a `style`
    attribute), resolved against `base`. `attr` names the attribute the CSS came from; by default
    the link's attr says which of url() or @import it is."""
    links = []
    for m in _CSS_REF.finditer(_CSS_COMMENT.sub("", css)):
        imported = any(m.group(i) is not None for i in (1, 2, 3))
        ref = next(g for g in m.groups() if g is not None)
        link = make_link(ref, base, source, "", tag, attr or ("@import" if imported else "url()"), encoding)
        if link is not None:
            links.append(link)
    return links


def srcset_urls(srcset: str) -> list[str]:
    """The image candidates' URLs of a `srcset` (HTML's parsing rules: a URL runs to whitespace,
    a comma ending it ends the candidate; descriptors run to the next comma outside parentheses)."""
    urls, i, n = [], 0, len(srcset)
    while i < n:
        while i < n and (srcset[i].isspace() or srcset[i] == ","):
            i += 1
        start = i
        while i < n and not srcset[i].isspace():
            i += 1
        url = srcset[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            in_parens = False
            while i < n and (in_parens or srcset[i] != ","):
                in_parens = srcset[i] == "(" or (in_parens and srcset[i] != ")")
                i += 1
        if url:
            urls.append(url)
    return urls


def make_link(href: str, base: str, page_url: str, text: str, tag: str, attr: str, encoding: str) -> Link | None:
    mistake = href_mistake(href)
    url = href.strip() if mistake else resolve_href(href, base, encoding)
    if url is None:
        return None
    return Link(url, page_url, text, tag, attr)


def _anchor_text(el) -> str:
    if el.tag in ("img", "area"):
        text = el.get("alt") or el.get("title") or ""
    elif el.tag == "a":
        text = el.text_content() or el.get("title") or ""
        if not text.strip():
            img = next(el.iter("img"), None)
            text = (img.get("alt") or "") if img is not None else ""
    else:
        text = el.get("title") or ""
    return _WS.sub(" ", text).strip()[:200]


def _datastore_links(xml_text: str, page_url: str, base: str, encoding: str) -> list[Link]:
    links = []
    for fragment in _CDATA.findall(xml_text):
        try:
            frag = html.fragment_fromstring(fragment, create_parent="div", parser=_PARSER)
        except (etree.ParserError, ValueError):
            continue
        for el in frag.iter("a", "img"):
            attr = LINK_ATTRS[el.tag]
            if el.get(attr) is not None:
                link = make_link(el.get(attr), base, page_url, _anchor_text(el), el.tag, attr, encoding)
                if link is not None:
                    links.append(link)
    return links


# ------------------------------------------------------------ pages that redirect themselves
REFRESH = "refresh"  # the tag of a redirect a page makes itself (a meta refresh or a script)
_META_REFRESH = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*?)\s*$", re.I | re.S)
_LOCATION = r"(?<![\w$.])(?:(?:window|top|self|parent|document)\s*\.\s*)*location"
# a string literal that is the whole value: `location.href = "/a.html" + id` builds a URL, not a link
_SCRIPT_REDIRECT = re.compile(
    _LOCATION + r"""(?:\s*\.\s*href)?\s*=(?!=)\s*(["'])([^"'\\\n]*)\1(?=\s*(?:[;,)}]|$))"""
    + "|" + _LOCATION + r"""\s*\.\s*(?:replace|assign)\s*\(\s*(["'])([^"'\\\n]*)\3\s*\)""", re.M)


def redirect_links(doc: html.HtmlElement | None, page_url: str, encoding: str = "utf-8") -> list[Link]:
    """The redirects a page makes itself, as links (tag "refresh", attr "meta" or "script"):
    `<meta http-equiv="refresh" content="0;url=…">` in any case, spacing and quoting, and a
    script's `location.href = '…'`, `window.location = "…"`, `location.replace('…')`,
    `top.location…`, `self.location…` whose value is one string literal."""
    if doc is None:
        return []
    base, found = base_url(doc, page_url), []
    for el in doc.iter("meta"):
        if (el.get("http-equiv") or "").strip().lower() == "refresh":
            target = _META_REFRESH.match(el.get("content") or "").group(1).strip("'\" ")
            found.append(("meta", target))
    for el in doc.iter("script"):
        if el.get("src") is None and el.text and "location" in el.text:
            found += [("script", m.group(2) if m.group(1) else m.group(4)) for m in _SCRIPT_REDIRECT.finditer(el.text)]
    links = [make_link(href, base, page_url, "", REFRESH, attr, encoding) for attr, href in found if href.strip()]
    return [link for link in links if link is not None]


def redirect_target(links) -> str | None:
    """Where a page that only redirects leads: its first redirect's target, when it has one
    and every link a reader could follow (a, area, frame, iframe) goes to a redirect target too;
    None for a page with content of its own (a home page whose script sends phones to a
    mobile site is still the home page). `links`: (url, tag) pairs."""
    targets = [url for url, tag in links if tag == REFRESH]
    followable = (url for url, tag in links if tag in ("a", "area", "frame", "iframe"))
    return targets[0] if targets and all(url in targets for url in followable) else None
