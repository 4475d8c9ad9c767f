"""LinkChecker's cases (github.com/linkchecker/linkchecker: tests/checker/data/*.html with their
*.result files, the expected check of every URL), rebuilt as crawls of this tool on loopback: each
test names the data file and keeps LinkChecker's verdict (valid / error / warning), or says why
the tool differs on purpose. LinkChecker reads the files from disk or its own HTTP server; here
they are pages of a site served by tests.web."""

from __future__ import annotations

from tests.web import Answer, Web, crawl

SITE = "http://www.a.gov.cn"
D = "/data/"  # the folder of LinkChecker's data files
OK = Answer(body=b"ok", ctype="text/plain")


def outcomes(run) -> dict[str, str]:
    return {url: c["outcome"] for url, c in run.checks().items()}


def test_html5_html(tmp_path):
    """html5.html: audio, source, track and video src are links and valid. Deliberate difference:
    `<html manifest>` (AppCache, removed from browsers) and `<button formaction>` (a form's
    submission, loaded only when a visitor submits) are not read."""
    page = ("<!-- new html5 tags with links --><audio src=file.asc><button formaction=file.css>"
            "<html manifest=file.php><source src=file.txt><track src=file.wml><video src=file.html>")
    files = {f"{D}{name}": OK for name in ("file.asc", "file.txt", "file.wml", "file.html", "file.css", "file.php")}
    with Web({"www.a.gov.cn": {f"{D}html5.html": page, **files}}) as web:
        run = crawl(web, f"{SITE}{D}html5.html", tmp_path / "run.db")
    assert outcomes(run) == {f"{SITE}{D}{n}": "ok" for n in ("html5.html", "file.asc", "file.txt", "file.wml", "file.html")}


def test_file_css(tmp_path):
    """file.css: a style sheet's @font-face src and background-image url()s are valid links; the
    one in a comment (broken.html) is not checked. Linked from a page of the site, as the tool
    reads the site's own style sheets."""
    sheet = "@font-face {\n  src:url(file.html)\n}\nbackground-image:url(file.txt)\n/*background-image:url(broken.html)*/\n"
    pages = {"/": f'<link rel="stylesheet" href="{D}file.css">', f"{D}file.css": Answer(body=sheet, ctype="text/css"),
             f"{D}file.html": "<p>file</p>", f"{D}file.txt": OK}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    got = outcomes(run)
    assert got[f"{SITE}{D}file.html"] == got[f"{SITE}{D}file.txt"] == "ok"
    assert f"{SITE}{D}broken.html" not in got and run.findings("broken-link") == []


def test_http_anchor_html(tmp_path):
    """http_anchor.html: on the page itself, #good exists and #bad does not. LinkChecker warns
    "Anchor `bad' not found" (and calls the URL valid); the tool, with crawl.check_fragments,
    records missing-fragment: a suspected (提示) broken link, so it is listed but never scored."""
    page = '<p id="good"><a href="http_anchor.html">a</a><a href="http_anchor.html#good">a_good</a><a href="http_anchor.html#bad">a_bad</a>'
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\ncheck_fragments = true\n", encoding="utf-8")
    with Web({"www.a.gov.cn": {f"{D}http_anchor.html": page}}) as web:
        run = crawl(web, f"{SITE}{D}http_anchor.html", tmp_path / "run.db", "--config", profile)
    got = outcomes(run)
    assert got[f"{SITE}{D}http_anchor.html#good"] == "ok"
    assert got[f"{SITE}{D}http_anchor.html#bad"] == "missing-fragment"
    assert [(f["url"], f["level"]) for f in run.findings("broken-link")] == [(f"{SITE}{D}http_anchor.html#bad", "hint")]


def test_http_slash_html(tmp_path):
    """http_slash.html: `http://www.example.com/` and `//www.example.com/` are valid; `http:/…`,
    `http:www…`, `http://`, `http:/` and `http:` are errors. The tool reports those five as 错链
    (wrong-link: a malformed scheme or URL) and never requests them; www.example.com is served on
    loopback."""
    page = ('<a href="http://www.example.com/">ok example</a><a href="http:/www.example.com/">one slash example</a>'
            '<a href="http:www.example.com/">no slash example</a><a href="//www.example.com/">no scheme example</a>'
            '<a href="http://">no url</a><a href="http:/">no url, one slash</a><a href="http:">no url, no slash</a>')
    with Web({"www.a.gov.cn": {f"{D}http_slash.html": page}, "www.example.com": {"/": "<title>example</title>"}}) as web:
        run = crawl(web, f"{SITE}{D}http_slash.html", tmp_path / "run.db")
    assert outcomes(run)["http://www.example.com/"] == "ok"
    assert web.requested("www.example.com", "/") == 1  # the two valid hrefs are one URL
    reasons = [f["evidence"]["reason"] for f in run.findings("wrong-link")]
    assert len(reasons) == 5 and set(reasons) <= {"malformed-scheme", "malformed-url"}
    assert run.findings("broken-link") == []


def test_base2_html_and_base1_html(tmp_path):
    """base2.html: `<base href="base/">` makes test.txt base/test.txt. base1.html: a <base> with
    only a target changes nothing, and `<a href \\n=\\n "file.html">` is a link. Both valid."""
    pages = {f"{D}base2.html": '<base href="base/"><a href="test.txt">', f"{D}base/test.txt": OK,
             f"{D}base1.html": '<base target="_top"><a href \n=\n"file.html">', f"{D}file.html": "<p>f</p>",
             "/": f'<a href="{D}base2.html">2</a><a href="{D}base1.html">1</a>'}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    got = outcomes(run)
    assert got[f"{SITE}{D}base/test.txt"] == got[f"{SITE}{D}file.html"] == "ok"
    assert run.findings("broken-link") == []


def test_frames_html(tmp_path):
    """frames.html: both frame src are valid links."""
    page = ('<frameset border="0"><frame name="top" src="file.html" frameborder="0">'
            '<frame name="bottom" src="file.txt" frameborder="0"></frameset>')
    with Web({"www.a.gov.cn": {f"{D}frames.html": page, f"{D}file.html": "<p>f</p>", f"{D}file.txt": OK}}) as web:
        run = crawl(web, f"{SITE}{D}frames.html", tmp_path / "run.db")
    assert outcomes(run) == {f"{SITE}{D}{n}": "ok" for n in ("frames.html", "file.html", "file.txt")}


def test_redir_html(tmp_path):
    """redir.html: a link redirected (302) to another host's home page is valid (LinkChecker warns
    "Redirected to `http://www.example.com/'"). The tool agrees: it is not redirect-home, which is
    kept for a page sent to its own site's home page (a deleted article)."""
    pages = {f"{D}redir.html": '<a href="redirect_newhost.html">redirect to new host</a>',
             f"{D}redirect_newhost.html": Answer(302, location="http://www.example.com/")}
    with Web({"www.a.gov.cn": pages, "www.example.com": {"/": "<title>example</title>"}}) as web:
        run = crawl(web, f"{SITE}{D}redir.html", tmp_path / "run.db")
    check = run.checks()[f"{SITE}{D}redirect_newhost.html"]
    assert (check["outcome"], check["final_url"]) == ("ok", "http://www.example.com/")


def test_http_url_quote_html(tmp_path):
    """http_url_quote.html (an ISO-8859-1 page): `?quoted=ü` and `?quoted=%FC` are the same address,
    checked once ('The same address as l1 therefore not reported'), `?quoted=%FF` another.
    Deliberate difference: LinkChecker sends the query UTF-8 encoded (%C3%BC); the tool sends it
    in the page's encoding (%FC), as the WHATWG URL standard says and browsers do."""
    page = ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            '<a href="http://www.b.gov.cn/?quoted=\xfc">l1</a><a href="http://www.b.gov.cn/?quoted=%FC">same</a>'
            '<a href="http://www.b.gov.cn/?quoted=%FF">l2</a><a href="mailto:\xf6lvin@users.sourceforge.net">l3</a>')
    with Web({"www.a.gov.cn": {f"{D}http_url_quote.html": Answer(body=page.encode("latin-1"),
                                                                  ctype="text/html; charset=iso-8859-1")},
              "www.b.gov.cn": {"/?quoted=%FC": OK, "/?quoted=%FF": OK}}) as web:
        run = crawl(web, f"{SITE}{D}http_url_quote.html", tmp_path / "run.db")
    assert sorted(p for h, p in web.requests if h == "www.b.gov.cn" and p != "/robots.txt") == ["/?quoted=%FC", "/?quoted=%FF"]
    assert run.findings("broken-link") == []
