"""muffet's link finder cases (github.com/raviqqe/muffet, link_finder_test.go), rebuilt: muffet
tests its finder on HTML snippets with a base URL, without a server; here each snippet is the body
of a page of a site served on loopback, all crawled at once, and the expectation is muffet's (the
links found on that page, as URLs, or their count). Deliberate differences are said in the tests."""

from __future__ import annotations

import pytest

from tests.conftest import rows
from tests.web import Answer, Web, crawl

SITE = "http://www.a.gov.cn"
CASE = f"{SITE}/case/"  # the snippets' pages are here (muffet's base is http://foo.com/)
OK = Answer(body=b"ok", ctype="text/plain")

COUNTS = [
    ("", 0),
    ('<a href="" />', 0),
    ('<a href="/" />', 1),
    ('<a href="/foo" />', 1),
    ('<iframe src="/iframe"></iframe>', 1),
    ('<img src="/foo.jpg" />', 1),
    ('<link href="/link" />', 1),
    ('<script src="/foo.js"></script>', 1),
    ('<source src="/foo.png" />', 1),
    ('<source srcset="/foo.png" />', 1),
    ('<source src="/foo.png" srcset="/bar.png" />', 2),
    ('<track src="/foo.vtt" />', 1),
    ('<a href="/"><img src="/foo.png" /></a>', 2),
    ('<a href="/" /><a href="/" />', 1),
    ('<!-- <a href="/" /> -->', 0),
]


URLS = [
    # TestLinkFinderFindLinkWithoutEncodedSpaces, ...WithoutSpacesNotEncoded, ...WithLeadingAndTrailingSpaces
    ('<a href="http://foo.com/a%20b" />', {"http://foo.com/a%20b"}),
    ('<a href="http://foo.com/a b" />', {"http://foo.com/a%20b"}),
    ('<a href=" http://foo.com " />', {"http://foo.com/"}),
    # TestLinkFinderFindLinkInSrcSet, ...MultipleLinksInSrcSet, ...EmbeddedImageInSrcSet, ...WithDescriptors
    ('<source srcset="foo.png" />', {f"{CASE}foo.png"}),
    ('<source srcset="foo.png, bar.png" />', {f"{CASE}foo.png", f"{CASE}bar.png"}),
    ('<source srcset="data:svg+xml,%3Csvg%3E%3C%2Fsvg%3E, http://foo.com/foo.png" />', {"http://foo.com/foo.png"}),
    ('<source srcset="foo.png 100w, bar.png 200w" />', {f"{CASE}foo.png", f"{CASE}bar.png"}),
    # TestLinkFinderFindLinksInMultilineSrcSet
    ('<source srcset="foo.png 100w,\n            bar.png 200w" />', {f"{CASE}foo.png", f"{CASE}bar.png"}),
    ('<source srcset="foo.png 100w,\n\t\t\tbar.png 200w" />', {f"{CASE}foo.png", f"{CASE}bar.png"}),
    ('<source srcset="foo.png 100w,    bar.png 200w" />', {f"{CASE}foo.png", f"{CASE}bar.png"}),
    # TestLinkFinderFindDataSchemeLinkWithSpaces
    ('<a href="data:text/plain, Hello,%20world! " />', set()),
    # TestLinkFinderIgnorePreconnect
    ('<link rel="preconnect" href="https://foo.com">', set()),
    ('<link rel="dns-prefetch" href="https://foo.com">', set()),
    ('<link rel="dns-prefetch" href="https://foo.com"><link href="https://bar.com/baz.css" rel="stylesheet">',
     {"https://bar.com/baz.css"}),
    # TestLinkFinderFailWithInvalidURL: muffet calls `<a href=":">` an invalid URL. Deliberate
    # difference: the WHATWG URL standard resolves `:` as a relative path (web-platform-tests
    # urltestdata: ':' against http://example.org/foo/bar is http://example.org/foo/:), so the
    # tool requests what a browser opens, and reports it broken when it is missing.
    ('<a href=":" />', {f"{CASE}:"}),
]
SNIPPETS = [body for body, _ in COUNTS + URLS]


@pytest.fixture(scope="module")
def found(tmp_path_factory) -> dict[str, set[str]]:
    """snippet -> the targets the tool stored as that page's links, from one crawl of a site
    whose pages /case/N.html hold one snippet each (foo.com and bar.com are never reached: the
    crawl is --offline)."""
    pages = {f"/case/{n}.html": f"<html><head></head><body>{body}</body></html>" for n, body in enumerate(SNIPPETS)}
    pages["/"] = "".join(f'<a href="{path}">{path}</a>' for path in pages)
    db = tmp_path_factory.mktemp("muffet") / "run.db"
    with Web({"www.a.gov.cn": pages}) as web:
        crawl(web, f"{SITE}/", db)
    links: dict[str, set[str]] = {}
    for row in rows(db, "SELECT DISTINCT source, url FROM links"):
        links.setdefault(row["source"], set()).add(row["url"])
    return {body: links.get(f"{SITE}/case/{n}.html", set()) for n, body in enumerate(SNIPPETS)}


@pytest.mark.parametrize("body, count", COUNTS)
def test_link_finder_find_links(found, body, count):
    """TestLinkFinderFindLinks: the number of links each snippet holds."""
    assert len(found[body]) == count


@pytest.mark.parametrize("body, expected", URLS)
def test_link_finder_urls(found, body, expected):
    """The link finder's URL cases: the links found are exactly these."""
    assert found[body] == expected


def test_link_finder_meta_tags(tmp_path):
    """TestLinkFinderFindMetaTags and TestLinkFinderIgnoreMetaTags: muffet checks
    `<meta property="og:image" content="foo.png">`. Deliberate difference: the tool does not
    (an og:image is read by social networks' crawlers, no visitor's browser loads it); og:title
    is no link for either."""
    head = '<meta property="og:image" content="foo.png" /><meta property="og:title" content="title" />'
    with Web({"www.a.gov.cn": {"/": f"<html><head>{head}</head><body></body></html>", "/foo.png": OK}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert set(run.checks()) == {f"{SITE}/"}
