"""Href resolution against the web-platform-tests URL cases (url/resources/urltestdata.json,
the suite every browser runs): the cases with an http(s) base or input that a page's link can
produce. Left out on purpose: `http:foo.com`-style inputs (a scheme without `//`, which the tool
reports as a 错链 typo instead of resolving it as a browser does), `#…` inputs (a link to the
same page is not a link), failures and non-special schemes (never fetched)."""

from __future__ import annotations

import pytest

from core.urls import resolve_href

BASE = "http://example.org/foo/bar"


@pytest.mark.parametrize(
    "href, base, expected",
    [
        ("\t   :foo.com   \n", BASE, "http://example.org/foo/:foo.com"),
        (" foo.com  ", BASE, "http://example.org/foo/foo.com"),
        ("http://f:21/ b ? d # e ", BASE, "http://f:21/%20b%20?%20d%20#%20e"),
        ("http://f:/c", BASE, "http://f/c"),
        ("http://f:00000000000000/c", BASE, "http://f:0/c"),
        ("http://f:00000000000000000000080/c", BASE, "http://f/c"),
        ("http://f:\n/c", BASE, "http://f/c"),
        (":foo.com/", BASE, "http://example.org/foo/:foo.com/"),
        (":foo.com\\", BASE, "http://example.org/foo/:foo.com/"),
        (":", BASE, "http://example.org/foo/:"),
        (":a", BASE, "http://example.org/foo/:a"),
        (":/", BASE, "http://example.org/foo/:/"),
        (":\\", BASE, "http://example.org/foo/:/"),
        ("?", BASE, "http://example.org/foo/bar?"),
        ("/", BASE, "http://example.org/"),
        (":23", BASE, "http://example.org/foo/:23"),
        ("/:23", BASE, "http://example.org/:23"),
        ("\\x", BASE, "http://example.org/x"),
        ("\\\\x\\hello", BASE, "http://x/hello"),
        ("::", BASE, "http://example.org/foo/::"),
        ("::23", BASE, "http://example.org/foo/::23"),
        ("http://a:b@c:29/d", BASE, "http://a:b@c:29/d"),
        ("http://foo.com/\\@", BASE, "http://foo.com//@"),
        # empty path segments are kept; urljoin drops them
        ("http://example.com////../..", BASE, "http://example.com//"),
        ("http://example.com/foo/bar//../..", BASE, "http://example.com/foo/"),
        ("http://example.com/foo/bar//..", BASE, "http://example.com/foo/bar/"),
        ("http://example.com/foo/%2e", BASE, "http://example.com/foo/"),
        ("http://example.com/foo/%2e./%2e%2e/.%2e/%2e.bar", BASE, "http://example.com/%2e.bar"),
    ],
)
def test_resolution_follows_the_whatwg_url_standard(href, base, expected):
    assert resolve_href(href, base) == expected
