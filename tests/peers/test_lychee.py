"""lychee's cases (github.com/lycheeverse/lychee: lychee-lib/src/extract/html/html5gum.rs,
extract/html/srcset.rs, extract/css.rs, filter/mod.rs and lychee-bin/tests/cli.rs), rebuilt as
crawls of this tool on loopback (or, for lychee's own parser unit tests, as tests of the tool's
parser): each test names the file and the case and keeps lychee's expectation, or says why the
tool differs on purpose."""

from __future__ import annotations

import pytest

from crawler.links import srcset_urls
from tests.web import Answer, Web, crawl

SITE = "http://www.a.gov.cn"
OK = Answer(body=b"ok", ctype="text/plain")


def asked(web, host="www.a.gov.cn") -> set[str]:
    return {path for h, path in web.requests if h == host} - {"/robots.txt", "/"}


@pytest.mark.parametrize(
    "srcset, expected",
    [
        ("", []),  # test_parse_no_value
        ("test-img-320w.jpg 320w", ["test-img-320w.jpg"]),  # test_parse_url_one_value
        ("test-img-320w.jpg 320w, test-img-480w.jpg 480w", ["test-img-320w.jpg", "test-img-480w.jpg"]),
        ("https://example.com/image1.jpg 1x, https://example.com/image2.jpg 2x",  # test_parse_srcset_url
         ["https://example.com/image1.jpg", "https://example.com/image2.jpg"]),
        ("/cdn-cgi/image/format=webp,width=640/https://img.youtube.com/vi/hVBl8_pgQf0/maxresdefault.jpg 640w, "
         "/cdn-cgi/image/format=webp,width=750/https://img.youtube.com/vi/hVBl8_pgQf0/maxresdefault.jpg 750w",
         ["/cdn-cgi/image/format=webp,width=640/https://img.youtube.com/vi/hVBl8_pgQf0/maxresdefault.jpg",
          "/cdn-cgi/image/format=webp,width=750/https://img.youtube.com/vi/hVBl8_pgQf0/maxresdefault.jpg"]),
        ("/300.png 300w,/600.png 600w,/900.png 900w,https://x.invalid/a.png 1000w,relative.png 10w",
         ["/300.png", "/600.png", "/900.png", "https://x.invalid/a.png", "relative.png"]),
    ],
)
def test_srcset_rs_parse_cases(srcset, expected):
    """lychee-lib/src/extract/html/srcset.rs tests (test_parse_*): the candidates' URLs."""
    assert srcset_urls(srcset) == expected


def test_html5gum_extraction_cases(tmp_path):
    """lychee-lib/src/extract/html/html5gum.rs: test_extract_srcset (commas inside the URLs, srcset
    and src both read), test_exclude_script_tags (a URL in script text is no link),
    test_exclude_disabled_stylesheet, test_skip_preconnect, test_skip_dns_prefetch (not requested),
    test_ignore_text_content_links (an anchor's text is no link). Deliberate difference:
    test_exclude_nofollow: the tool checks rel="nofollow" links (nofollow tells search engines not
    to rank, a visitor still clicks them, and the indicator counts them)."""
    srcset = ("/cdn-cgi/image/format=webp,width=640/https://img.youtube.com/vi/x/maxresdefault.jpg 640w, "
              "/cdn-cgi/image/format=webp,width=750/https://img.youtube.com/vi/x/maxresdefault.jpg 750w")
    page = f"""<html><head><link rel="stylesheet" href="/disabled.css" disabled>
<link rel="stylesheet" href="/disabled2.css" disabled="disabled"><link rel="preconnect" href="/preconnect">
<link href="/dns" rel="dns-prefetch"></head><body>
<img srcset="{srcset}" src="/cdn-cgi/image/format=webp,width=3840/https://img.youtube.com/vi/x/maxresdefault.jpg">
<script>var foo = "/in-script";</script><a href="/linked">/in-text</a>
<a rel="nofollow" href="/nofollow">do not follow me</a></body></html>"""
    with Web({"www.a.gov.cn": {"/": page}}) as web:
        crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert asked(web) == {
        "/cdn-cgi/image/format=webp,width=640/https://img.youtube.com/vi/x/maxresdefault.jpg",
        "/cdn-cgi/image/format=webp,width=750/https://img.youtube.com/vi/x/maxresdefault.jpg",
        "/cdn-cgi/image/format=webp,width=3840/https://img.youtube.com/vi/x/maxresdefault.jpg",
        "/linked", "/nofollow"}


def test_css_rs_url_forms(tmp_path):
    """lychee-lib/src/extract/css.rs tests: url() with double, single and no quotes, relative,
    background-image, list-style-image, content, cursor, border-image-source and @font-face src are
    links; test_data_url and test_svg_fragment (`url(#IDofSVGpath)`) are extracted by lychee's
    parser but never checked, and the tool does not make them links at all."""
    css = """a { background: url("/dq.jpg") } b { background: url('/sq.jpg') } c { background: url(/nq.jpg) }
d { background: url("data:image/jpeg;base64,iRxVB0") } e { background: url(myImg.jpg) } f { filter: url(#IDofSVGpath) }
g { background-image: url("star.gif") } h { list-style-image: url('../images/bullet.jpg') }
i::before { content: url("my-icon.jpg") } j { cursor: url(my-cursor.cur) }
k { border-image-source: url(/media/diamonds.png) } @font-face { src: url('fantastic-font.woff') }
l { offset-path: url(#path) }"""
    page = f"<html><head><style>{css}</style></head><body></body></html>"
    with Web({"www.a.gov.cn": {"/css/page.html": page}}) as web:
        crawl(web, f"{SITE}/css/page.html", tmp_path / "run.db")
    assert asked(web) - {"/css/page.html"} == {
        "/dq.jpg", "/sq.jpg", "/nq.jpg", "/css/myImg.jpg", "/css/star.gif", "/images/bullet.jpg",
        "/css/my-icon.jpg", "/css/my-cursor.cur", "/media/diamonds.png", "/css/fantastic-font.woff"}


def test_html5gum_fragments_with_name_attributes(tmp_path):
    """html5gum.rs test_extract_fragments_with_name_attributes: ids and <a name> (JavaDoc style)
    are anchors; with crawl.check_fragments a link to each passes, a link to another fails."""
    target = """<html><body><h1 id="title">Title</h1><a name="skip.navbar.top"></a><a name="method.summary"></a>
<div><a name="clear--"></a><h2 id="section">Section</h2><a name="method.detail"></a></div>
<a name="skip.navbar.bottom"></a></body></html>"""
    names = ["title", "section", "skip.navbar.top", "method.summary", "clear--", "method.detail", "skip.navbar.bottom"]
    links = "".join(f'<a href="/doc.html#{n}">{n}</a>' for n in names + ["missing"])
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\ncheck_fragments = true\n", encoding="utf-8")
    with Web({"www.a.gov.cn": {"/": links, "/doc.html": target}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--config", profile)
    got = {url: c["outcome"] for url, c in run.checks().items() if "#" in url}
    assert got == {**{f"{SITE}/doc.html#{n}": "ok" for n in names}, f"{SITE}/doc.html#missing": "missing-fragment"}


LINKS = {
    "/": '<a href="https://en.wikipedia.org/wiki/Static_program_analysis">w1</a>'
         '<a href="https://en.wikipedia.org/wiki/Lint_(software)">w2</a><a href="https://ldra.com/">ldra</a>'
         '<a href="/xxgk/a.html">a</a><a href="https://www.gov.cn/">gov</a>',
    "/xxgk/a.html": "<title>a</title>",
}


@pytest.mark.parametrize(
    "patterns, excluded",
    [
        ([".*"], 5),  # cli.rs test_exclude_wildcard: everything linked is excluded
        (["https://en.wikipedia.org/*", "https://ldra.com/"], 3),  # cli.rs test_exclude_multiple_urls
    ],
)
def test_cli_exclude(tmp_path, patterns, excluded):
    """lychee-bin/tests/cli.rs test_exclude_wildcard and test_exclude_multiple_urls: --exclude is
    repeatable; excluded links are counted, not requested. (lychee's fixture is a Markdown file;
    the links are rebuilt on a page.)"""
    args = [a for p in patterns for a in ("--exclude", p)]
    with Web({"www.a.gov.cn": LINKS}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", *args)
    assert f"excluded (crawl.exclude/include) {excluded}" in run.result.out
    assert sum(c["outcome"] == "excluded" for c in run.checks().values()) == excluded
    assert not any(host in ("en.wikipedia.org", "ldra.com") for host, _ in web.requests)


def test_filter_includes_take_precedence_over_excludes(tmp_path):
    """lychee-lib/src/filter/mod.rs Filter::is_excluded: 'Includes take precedence over excludes',
    and with includes only, what they do not match is excluded. Deliberate difference: with both
    given and neither matching, lychee checks the link; the tool excludes it (an include list is a
    whitelist: 'only these')."""
    with Web({"www.a.gov.cn": LINKS}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--include", r"/xxgk/", "--exclude", r"\.html$")
    outcomes = {url: c["outcome"] for url, c in run.checks().items()}
    assert outcomes[f"{SITE}/xxgk/a.html"] == "ok"
    assert {o for u, o in outcomes.items() if u not in (f"{SITE}/", f"{SITE}/xxgk/a.html")} == {"excluded"}


def test_cli_prevent_too_many_redirects(tmp_path):
    """lychee-bin/tests/cli.rs test_prevent_too_many_redirects: with --max-redirects 0 a 308 fails
    (crawl.max_redirects = 0 here; lychee asks https://http.codes/308, rebuilt on loopback)."""
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\nmax_redirects = 0\n", encoding="utf-8")
    pages = {"/": '<a href="/308">r</a>', "/308": Answer(308, location="/target"), "/target": OK}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--config", profile)
    assert run.checks()[f"{SITE}/308"]["outcome"] == "too-many-redirects"
    assert web.requested("www.a.gov.cn", "/target") == 0
