"""linkinator's cases (github.com/JustinBeckwith/linkinator, test/*.ts and test/fixtures/), rebuilt
as crawls of this tool on loopback: each test names the file, the case and the fixture, and keeps
linkinator's expectation. The peer mocks `http://example.invalid`; here those hosts are served by
tests.web. Where the tool differs on purpose, the test says so and why."""

from __future__ import annotations

import pytest

from tests.web import Answer, Web, crawl

SITE = "http://www.a.gov.cn"
PEER = "http://example.invalid"  # linkinator's external host, served on loopback
OK = Answer(body=b"ok", ctype="text/plain")
IMG = Answer(body=b"\x89PNG\r\n\x1a\n", ctype="image/png")


def outcomes(run) -> dict[str, str]:
    return {url: c["outcome"] for url, c in run.checks().items()}


def profile(tmp_path, text: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_index_should_only_try_a_link_once(tmp_path):
    """test/test.index.ts 'should only try a link once' (fixtures/twice): five links to one URL
    and a sixth with a #fragment are one link, requested once."""
    page = "".join(f'<a href="{PEER}">just follow a link</a>' for _ in range(5)) + f'<a href="{PEER}#lolfragment">x</a>'
    with Web({"www.a.gov.cn": {"/": page}, "example.invalid": {"/": "<title>ok</title>"}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert web.requested("example.invalid", "/") == 1
    assert outcomes(run)[f"{PEER}/"] == "ok"


def test_index_should_report_broken_links(tmp_path):
    """test/test.index.ts 'should report broken links' (fixtures/broke): a link answered 404 is
    the one broken link. (An external one is 疑似, suspected: only the site's own 404s are
    confirmed, as the commercial monitors count them.)"""
    with Web({"www.a.gov.cn": {"/": f'<a href="{PEER}/">no way this is working</a>'},
              "example.invalid": {"/": Answer(404, "gone")}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert [(f["url"], f["level"]) for f in run.findings("broken-link")] == [(f"{PEER}/", "hint")]


BASE_LINKS = '<a href="ok">r</a><a href="broken">r</a><a href="./ok">r</a><a href="./broken">r</a>'


@pytest.mark.parametrize(
    "fixture, base, ok_path",
    [
        ("relative-to-root.html", "/anotherBase/", "/anotherBase/ok"),
        ("relative-folder.html", "anotherBase/", "/pageBase/anotherBase/ok"),
        ("relative-dot-folder.html", "./anotherBase/", "/pageBase/anotherBase/ok"),
        ("relative-page.html", "anotherBase", "/pageBase/ok"),
        ("empty-base.html", "", "/pageBase/ok"),
    ],
)
def test_index_should_detect_relative_urls_with_relative_base(tmp_path, fixture, base, ok_path):
    """test/test.index.ts 'should detect relative urls with relative base' (fixtures/basetag/*):
    the page /pageBase/index has four links, two distinct targets; one answers, one is broken."""
    page = f'<html><head><base href="{base}"></head><body>{BASE_LINKS}</body></html>'
    with Web({"www.a.gov.cn": {"/pageBase/index": page, ok_path: OK}}) as web:
        run = crawl(web, f"{SITE}/pageBase/index", tmp_path / "run.db")
    broken_path = ok_path[: -len("ok")] + "broken"
    got = outcomes(run)
    assert got[f"{SITE}{ok_path}"] == "ok"
    assert got[f"{SITE}{broken_path}"] == "http-error"
    assert [f["url"] for f in run.findings("broken-link")] == [f"{SITE}{broken_path}"]


def test_index_should_detect_relative_urls_with_absolute_base(tmp_path):
    """test/test.index.ts 'should detect relative urls with absolute base' (fixtures/basetag/absolute.html):
    the first <base> counts, the second is ignored."""
    page = (f'<html><head><base href="http://another.example.invalid/"><base href="./unused"></head>'
            f"<body>{BASE_LINKS}</body></html>")
    with Web({"www.a.gov.cn": {"/pageBase/index": page}, "another.example.invalid": {"/ok": OK}}) as web:
        run = crawl(web, f"{SITE}/pageBase/index", tmp_path / "run.db")
    assert [f["url"] for f in run.findings("broken-link")] == ["http://another.example.invalid/broken"]
    assert outcomes(run)["http://another.example.invalid/ok"] == "ok"


def test_index_should_detect_broken_image_links(tmp_path):
    """test/test.index.ts 'should detect broken image links' (fixtures/image): missing.png and the
    srcset candidate missing.jpg are broken, boo.jpg is fine."""
    page = '<html><body><img src="missing.png"><img src="boo.jpg" srcset="missing.jpg 2x"></body></html>'
    with Web({"www.a.gov.cn": {"/": page, "/boo.jpg": IMG}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert sorted(f["url"] for f in run.findings("broken-link")) == [f"{SITE}/missing.jpg", f"{SITE}/missing.png"]
    assert outcomes(run)[f"{SITE}/boo.jpg"] == "ok"


def test_index_should_not_follow_non_http_links(tmp_path):
    """test/test.index.ts 'should not follow non-http[s] links' (fixtures/protocols): irc:, mailto:
    and data: are skipped, nothing is reported."""
    page = ('<a href="irc://irc.freenode.net/%23bootstrap">irc</a><a href="mailto:email@example.com">mail</a>'
            '<img src="data:text/plain;charset=utf-8;base64,8J+Qvw==">')
    with Web({"www.a.gov.cn": {"/": page}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert web.requests == [("www.a.gov.cn", "/robots.txt"), ("www.a.gov.cn", "/")]
    assert run.findings("broken-link") == [] and run.findings("wrong-link") == []
    assert "other-scheme 1" in run.result.out  # irc: counted as skipped; mailto: and data: are no links


def test_index_should_work_with_picture_elements(tmp_path):
    """test/test.index.ts 'should work with picture elements' (fixtures/picture): the data: images
    are skipped, the <source srcset> and the <img src> are checked and pass."""
    page = ('<img src="data:image/png;base64,iVBORw0KGgo="><picture>'
            '<source media="(min-width: 800px)" srcset="image.webp" type="image/webp">'
            '<source srcset="data:image/png;base64,iVBORw0KGgo="><img src="image.jpeg" alt="photo"></picture>')
    with Web({"www.a.gov.cn": {"/": page, "/image.webp": IMG, "/image.jpeg": IMG}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert {u: o for u, o in outcomes(run).items() if u != f"{SITE}/"} == {
        f"{SITE}/image.webp": "ok", f"{SITE}/image.jpeg": "ok"}


def test_index_should_not_attempt_to_validate_preconnect_or_prefetch_urls(tmp_path):
    """test/test.index.ts 'should not attempt to validate preconnect or prefetch urls' (fixtures/prefetch):
    only the style sheet is requested."""
    page = ('<html><head><link rel="dns-prefetch" href="https://fonts.gstatic.com">'
            '<link rel="preconnect" href="https://fonts.gstatic.com">'
            f'<link rel="stylesheet" href="{PEER}/site.css"></head><body></body></html>')
    with Web({"www.a.gov.cn": {"/": page}, "example.invalid": {"/site.css": Answer(body="", ctype="text/css")}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert set(outcomes(run)) == {f"{SITE}/", f"{PEER}/site.css"}
    assert not any(host == "fonts.gstatic.com" for host, _ in web.requests)


def test_index_should_report_malformed_links_as_broken(tmp_path):
    """test/test.index.ts 'should report malformed links as broken' (fixtures/malformed): `//////`
    is reported. Deliberate difference: the tool reports it as a 错链 (wrong-link, malformed-url),
    the checklist's item for a link that cannot be a URL, and never requests it."""
    with Web({"www.a.gov.cn": {"/": '<a href="//////">oh noes</a>'}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert [f["evidence"]["reason"] for f in run.findings("wrong-link")] == ["malformed-url"]
    assert web.requests == [("www.a.gov.cn", "/robots.txt"), ("www.a.gov.cn", "/")]


def test_index_should_handle_comma_separated_srcset(tmp_path):
    """test/test.index.ts 'should handle comma separated srcset' (fixtures/srcset): both candidates,
    with or without spaces after the comma, are checked and pass."""
    page = ('<img srcset="_site/foo.html, _site/bar.html">'
            '<img srcset="_site/foo.html,                 _site/bar.html">')
    pages = {"/": page, "/_site/foo.html": "<p>foo</p>", "/_site/bar.html": "<p>bar</p>"}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert outcomes(run) == {f"{SITE}/": "ok", f"{SITE}/_site/foo.html": "ok", f"{SITE}/_site/bar.html": "ok"}


CSS_PAGE = f"""<!DOCTYPE html><html><head><title>CSS URL Test</title><link rel="stylesheet" href="styles.css">
<style>
  body {{ background-image: url('{PEER}/bg-inline.jpg'); }}
  .header {{ background: url("{PEER}/header-bg.png") no-repeat; }}
  /* Import in style tag */
  @import url("{PEER}/imported.css");
  @import "{PEER}/imported2.css";
</style></head><body>
<div style="background-image: url('{PEER}/div-bg.jpg')"><h1>CSS URL Testing</h1></div>
<div style="background: url({PEER}/bg1.png), url('{PEER}/bg2.png');"><p>Multiple backgrounds</p></div>
<a href="{PEER}/regular-link">Regular Link</a></body></html>"""
CSS_SHEET = f"""/* External stylesheet with various URL patterns */
@import url("{PEER}/import-from-external.css");
@import '{PEER}/import-from-external2.css';
@import url({PEER}/import-from-external3.css);
.container {{ background-image: url('{PEER}/container-bg.jpg'); background: url("{PEER}/container-bg2.jpg") center; }}
.multi-bg {{ background-image: url({PEER}/layer1.png), url('{PEER}/layer2.png'), url("{PEER}/layer3.png"); }}
.bordered {{ border-image: url({PEER}/border.png) 30 round; }}
ul.custom {{ list-style-image: url('{PEER}/bullet.svg'); }}
.clickable {{ cursor: url({PEER}/cursor.cur), pointer; }}
.icon::before {{ content: url("{PEER}/icon.svg"); }}
"""
INLINE_CSS = ["/bg-inline.jpg", "/header-bg.png", "/imported.css", "/imported2.css", "/div-bg.jpg", "/bg1.png",
              "/bg2.png", "/regular-link"]
SHEET_CSS = ["/import-from-external.css", "/import-from-external2.css", "/import-from-external3.css",
             "/container-bg.jpg", "/container-bg2.jpg", "/layer1.png", "/layer2.png", "/layer3.png", "/border.png",
             "/bullet.svg", "/cursor.cur", "/icon.svg"]


def test_index_should_extract_urls_from_inline_css_and_the_sites_style_sheet(tmp_path):
    """test/test.index.ts 'should extract URLs from inline CSS in style attributes and tags when
    checkCss is enabled' (fixtures/css/index.html) and the external sheet's case
    (fixtures/css/styles.css): every url() and @import is checked. Deliberate differences: the
    tool has no checkCss switch (a browser loads these, so they are always checked), and it reads
    the site's own style sheets only (here styles.css beside the page), not external ones."""
    peer = {path: OK for path in INLINE_CSS + SHEET_CSS}
    with Web({"www.a.gov.cn": {"/": CSS_PAGE, "/styles.css": Answer(body=CSS_SHEET, ctype="text/css")},
              "example.invalid": peer}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    asked = {path for host, path in web.requests if host == "example.invalid"} - {"/robots.txt"}
    assert asked == set(INLINE_CSS) | set(SHEET_CSS)
    assert run.findings("broken-link") == []


def test_index_should_handle_encoded_urls(tmp_path):
    """test/test.index.ts 'should handle encoded urls' (fixtures/urlpatterns): `funky%2Bpath.html`
    is requested as written (not decoded to `+`, not encoded again) and passes."""
    pages = {"/index.html": '<a href="funky%2Bpath.html">url with a +</a>', "/funky%2Bpath.html": "<p>+</p>"}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/index.html", tmp_path / "run.db")
    assert outcomes(run)[f"{SITE}/funky%2Bpath.html"] == "ok"


def test_index_should_check_alternate_and_canonical_link_tags(tmp_path):
    """test/test.index.ts 'should check alternate and canonical link tags' (fixtures/alternate)."""
    page = (f'<html><head><link rel="canonical" href="{PEER}/"><link rel="alternate" hreflang="x-default" href="{PEER}/">'
            f'<link rel="alternate" hreflang="en" href="{PEER}/"><link rel="alternate" hreflang="es" href="{PEER}/es">'
            "</head><body></body></html>")
    with Web({"www.a.gov.cn": {"/": page}, "example.invalid": {"/": OK, "/es": OK}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    assert outcomes(run) == {f"{SITE}/": "ok", f"{PEER}/": "ok", f"{PEER}/es": "ok"}


def test_index_should_skip_links_if_asked_nicely(tmp_path):
    """test/test.index.ts 'should skip links if asked nicely' (fixtures/skip, linksToSkip
    ['http://very.bad']): one link skipped, the run passes. linkinator's --skip is --exclude here."""
    with Web({"www.a.gov.cn": {"/": '<a href="http://very.bad">we should skip dis one</a>'}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--exclude", r"http://very\.bad")
    assert outcomes(run)["http://very.bad/"] == "excluded"
    assert run.findings("broken-link") == [] and web.requests == [("www.a.gov.cn", "/robots.txt"), ("www.a.gov.cn", "/")]
    assert "excluded (crawl.exclude/include) 1" in run.result.out


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_should_follow_redirects_and_mark_as_ok(tmp_path, status):
    """test/test.redirects.ts 'should follow 301/302/307/308 redirects and mark as OK': the final
    answer (200) counts, the chain is kept."""
    pages = {"/": f'<a href="/redirect-{status}">r</a>', f"/redirect-{status}": Answer(status, location="/target"),
             "/target": "<title>target</title>"}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    check = run.checks()[f"{SITE}/redirect-{status}"]
    assert (check["outcome"], check["status"]) == ("ok", 200)
    assert str(status) in check["redirects"]


def test_redirects_do_not_follow_non_redirect_3xx_statuses_with_location_headers(tmp_path):
    """test/test.redirects.ts 'does not follow non-redirect 3xx statuses with Location headers':
    a 304 with a Location fails with status 304, and its target is never requested."""
    pages = {"/": '<a href="/not-modified">x</a>', "/not-modified": Answer(304, location="/target")}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    check = run.checks()[f"{SITE}/not-modified"]
    assert (check["outcome"], check["status"]) == ("http-error", 304)
    assert web.requested("www.a.gov.cn", "/target") == 0


@pytest.mark.parametrize("hops, outcome", [(20, "ok"), (21, "too-many-redirects")])
def test_redirects_the_fetch_limit_of_20_redirects(tmp_path, hops, outcome):
    """test/test.redirects.ts 'allows exactly the fetch limit of 20 redirects' and 'fails redirect
    chains that exceed the fetch redirect limit': with a limit of 20 (crawl.max_redirects = 20;
    the tool's default is 10), 20 hops end in their answer, 21 fail; 21 requests either way."""
    pages = {"/": '<a href="/chain?n=0">c</a>'}
    pages.update({f"/chain?n={i}": Answer(302, location=f"/chain?n={i + 1}") for i in range(hops)})
    pages[f"/chain?n={hops}"] = "<title>ok</title>"
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--config", profile(tmp_path, "[crawl]\nmax_redirects = 20\n"))
    assert run.checks()[f"{SITE}/chain?n=0"]["outcome"] == outcome
    assert sum(path.startswith("/chain") for _, path in web.requests) == 21


FRAGMENT_PAGE = "<html><body><div id='valid-section'>Content</div><div id='section-two'>More</div></body></html>"


def test_fragments_valid_invalid_multiple_and_off(tmp_path):
    """test/test.fragments.ts 'should validate valid fragment identifiers', 'should mark invalid
    fragment identifiers as broken', 'should handle multiple fragments pointing to the same page'
    and 'should not check fragments when checkFragments is disabled' (fixtures/fragments-valid,
    -invalid, -multiple). Deliberate difference: the peer's page is on another host; the tool
    checks anchors on the site's own pages only (it never parses external pages), so the page is
    the site's here. An invalid anchor is a suspected (提示) broken link."""
    links = ('<a href="/page.html#valid-section">v</a><a href="/page.html#invalid-section">i</a>'
             '<a href="/page.html#section-two">two</a>')
    pages = {"/": links, "/page.html": FRAGMENT_PAGE}
    with Web({"www.a.gov.cn": pages}) as web:
        on = crawl(web, f"{SITE}/", tmp_path / "on.db", "--config", profile(tmp_path, "[crawl]\ncheck_fragments = true\n"))
        off = crawl(web, f"{SITE}/", tmp_path / "off.db")
    got = outcomes(on)
    assert got[f"{SITE}/page.html"] == got[f"{SITE}/page.html#valid-section"] == got[f"{SITE}/page.html#section-two"] == "ok"
    assert got[f"{SITE}/page.html#invalid-section"] == "missing-fragment"
    assert [f["url"] for f in on.findings("broken-link")] == [f"{SITE}/page.html#invalid-section"]
    assert off.findings("broken-link") == []


def test_fragments_same_page_and_client_state(tmp_path):
    """test/test.fragments.ts 'should validate same-page fragment links (issue #770)'
    (fixtures/fragments-same-page): #valid-section and #another-section pass, #nonexistent-section
    fails; and 'should skip common client-state fragments while retaining strict checks'
    (fixtures/fragments-client-state): hash routes (#/route, #!/legacy-route) are no anchors,
    #missing-section fails, target.html passes. Deliberate difference: linkinator skips
    #code/PTAE, #show-examples and #encoded%20state because the test configures fragmentsToSkip
    for them; the tool has no such list and reports them, as they name no anchor."""
    same = ('<nav><a href="#valid-section">v</a><a href="#another-section">a</a><a href="#nonexistent-section">n</a>'
            '<a href="#top">top</a></nav><div id="valid-section"><h2>Valid</h2></div><div id="another-section"></div>')
    state = ('<a href="./target.html#/route">Hash route</a><a href="./target.html#!/legacy-route">Legacy hash route</a>'
             '<a href="./target.html#missing-section">Missing static section</a>'
             '<a href="./target.html#show-examples">Show examples</a>')
    pages = {"/": '<a href="/same.html">s</a><a href="/state/index.html">c</a>', "/same.html": same,
             "/state/index.html": state, "/state/target.html": "<html><body><p id='intro'>target</p></body></html>"}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--config", profile(tmp_path, "[crawl]\ncheck_fragments = true\n"))
    got = {url: o for url, o in outcomes(run).items() if "#" in url}
    assert got == {f"{SITE}/same.html#valid-section": "ok", f"{SITE}/same.html#another-section": "ok",
                   f"{SITE}/same.html#top": "ok", f"{SITE}/same.html#nonexistent-section": "missing-fragment",
                   f"{SITE}/state/target.html#missing-section": "missing-fragment",
                   f"{SITE}/state/target.html#show-examples": "missing-fragment"}
    assert outcomes(run)[f"{SITE}/state/target.html"] == "ok"
