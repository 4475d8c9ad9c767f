"""Links a browser follows beyond href/src (issue 11): srcset, CSS url() and @import (style
attributes, <style> blocks and the site's own style sheets, fetched and read), <track src>;
anchors on the site's own pages as an option; links kept out by the user's patterns."""

from __future__ import annotations

from tests.conftest import inspector, network_args
from tests.web import Answer, Web, crawl

SITE = "http://www.a.gov.cn"
PNG = Answer(body=b"\x89PNG\r\n\x1a\n", ctype="image/png")
HOME = """<html><head><title>清河市人民政府</title><link rel="stylesheet" href="/css/main.css">
<style>@import url("/css/print.css"); .banner { background: url('/images/banner.png') } /* url(/images/old.png) */</style>
</head><body>
<picture><source srcset="/images/hero.webp 1x, /images/hero-2x.webp 2x" type="image/webp">
<img src="/images/hero.jpg" srcset="/images/hero-big.jpg 1200w" alt="城市风貌"></picture>
<div class="icon" style="background-image:url(images/icon.png)">政务公开</div>
<table background="/images/table-bg.gif"><tr><td background="/images/td-bg.gif">通知</td><td>公告</td></tr></table>
<video src="/media/intro.mp4"><track src="/media/intro.vtt" kind="subtitles"></video>
<a href="/zwgk/index.html#gknb">年报</a> <a href="/zwgk/index.html#nosuch">失效锚点</a>
</body></html>"""
SHEET = "@import 'base.css';\nbody { background: url(../images/bg.png) }\n.logo { background: url(\"/images/logo.png\") }"
PAGES = {
    "/": HOME,
    "/css/main.css": Answer(body=SHEET, ctype="text/css", sized=False),  # as gzip'd sheets come: no length
    "/css/base.css": Answer(body=".x { background: url(/images/base-missing.png) }", ctype="text/css"),
    "/css/print.css": Answer(body="", ctype="text/css"),
    "/images/banner.png": PNG, "/images/hero.webp": PNG, "/images/hero.jpg": PNG, "/images/hero-big.jpg": PNG,
    "/images/icon.png": PNG, "/images/logo.png": PNG, "/images/table-bg.gif": PNG,
    "/media/intro.mp4": Answer(body=b"\0\0\0\x18ftypmp42", ctype="video/mp4"),
    "/zwgk/index.html": "<html><body><h2 id='gknb'>政府信息公开年报</h2></body></html>",
}


def test_srcset_css_and_track_links_are_checked_and_style_sheets_read(tmp_path):
    with Web({"www.a.gov.cn": PAGES}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    broken = {f["url"]: f for f in run.findings("broken-link")}
    # not served: the 2x candidate, the track, a cell's background, a style sheet's image and one an
    # @import'ed sheet loads
    assert set(broken) == {f"{SITE}/images/hero-2x.webp", f"{SITE}/media/intro.vtt", f"{SITE}/images/td-bg.gif",
                           f"{SITE}/images/bg.png", f"{SITE}/images/base-missing.png"}
    found_on = {url: [(s["source"], s["tag"], s["attr"]) for s in f["evidence"]["linked_from"]]
                for url, f in broken.items()}
    assert found_on[f"{SITE}/images/hero-2x.webp"] == [(f"{SITE}/", "source", "srcset")]
    assert found_on[f"{SITE}/images/bg.png"] == [(f"{SITE}/css/main.css", "css", "url()")]  # resolved against the sheet
    assert found_on[f"{SITE}/images/base-missing.png"] == [(f"{SITE}/css/base.css", "css", "url()")]
    asked = {path for host, path in web.requests}
    assert {"/images/banner.png", "/images/icon.png", "/images/hero-big.jpg", "/images/logo.png",
            "/images/table-bg.gif", "/css/print.css"} <= asked
    assert "/images/old.png" not in asked  # a comment is no link
    # fragments are not checked by default: the indicator does not count them
    assert all("#" not in url for url in run.checks())


def test_fragments_on_the_sites_own_pages_are_checked_when_asked(tmp_path):
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\ncheck_fragments = true\n", encoding="utf-8")
    with Web({"www.a.gov.cn": PAGES}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--config", profile)
    checks = run.checks()
    assert checks[f"{SITE}/zwgk/index.html#gknb"]["outcome"] == "ok"
    assert checks[f"{SITE}/zwgk/index.html#nosuch"]["outcome"] == "missing-fragment"
    missing = [f for f in run.findings("broken-link") if f["url"].endswith("#nosuch")]
    assert [(f["page"], f["level"]) for f in missing] == [(f"{SITE}/", "hint")]
    assert web.requested("www.a.gov.cn", "/zwgk/index.html") == 1  # one page, two anchors, one request


LINKS = {
    "/": "<a href='/search?q=政府'>搜索</a> <a href='http://www.old-partner.cn/'>原合作单位</a>"
         "<a href='/xxgk/a.html'>公开</a> <a href='/xwzx/b.html'>新闻</a>",
    "/xxgk/a.html": "<title>公开</title>", "/xwzx/b.html": "<title>新闻</title>",
}


def test_excluded_links_are_recorded_not_requested_not_reported_and_counted(tmp_path):
    profile = tmp_path / "site.toml"
    profile.write_text('[crawl]\nexclude = ["old-partner\\\\.cn"]\n', encoding="utf-8")
    with Web({"www.a.gov.cn": LINKS}) as web:
        from_profile = crawl(web, f"{SITE}/", tmp_path / "profile.db", "--config", profile)
        assert ("www.old-partner.cn", "/") not in web.requests
        web.requests.clear()
        from_flags = crawl(web, f"{SITE}/", tmp_path / "flags.db", "--exclude", r"/search\?", "--exclude", "old-partner")
        assert not any(path.startswith("/search") or host == "www.old-partner.cn" for host, path in web.requests)
    assert from_profile.checks()["http://www.old-partner.cn/"]["outcome"] == "excluded"
    checks = from_flags.checks()
    assert {checks[u]["outcome"] for u in ("http://www.old-partner.cn/", f"{SITE}/search?q=%E6%94%BF%E5%BA%9C")} == {"excluded"}
    assert from_flags.findings("broken-link") == []
    assert "excluded (crawl.exclude/include) 2" in from_flags.result.out


def test_include_keeps_only_matching_links_and_wins_over_exclude(tmp_path):
    with Web({"www.a.gov.cn": LINKS}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db", "--include", "/xxgk/", "--exclude", "a\\.html")
    outcomes = {url: c["outcome"] for url, c in run.checks().items()}
    assert outcomes[f"{SITE}/xxgk/a.html"] == "ok"
    assert outcomes[f"{SITE}/xwzx/b.html"] == outcomes["http://www.old-partner.cn/"] == "excluded"
    assert ("www.a.gov.cn", "/xwzx/b.html") not in web.requests


def test_a_bad_pattern_is_one_line_and_exit_2(tmp_path):
    profile = tmp_path / "site.toml"
    profile.write_text('[crawl]\ninclude = ["(unclosed"]\n', encoding="utf-8")
    with Web({"www.a.gov.cn": LINKS}) as web:
        flag = inspector("crawl", f"{SITE}/", "--db", tmp_path / "a.db", "--exclude", "[z-a]", *network_args(web))
        prof = inspector("crawl", f"{SITE}/", "--db", tmp_path / "b.db", "--config", profile, *network_args(web))
        assert web.requests == []
    assert flag.code == prof.code == 2
    assert flag.err.count("\n") == prof.err.count("\n") == 1
    assert "crawl.exclude: '[z-a]' is not a regular expression" in flag.err
    assert "crawl.include: '(unclosed' is not a regular expression" in prof.err


def test_recheck_verifies_a_missing_anchor_again(tmp_path):
    """inspector recheck parses the anchor's page again: the finding stays open while the id is
    missing and is fixed once the page has it."""
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\ncheck_fragments = true\n", encoding="utf-8")
    db = tmp_path / "run.db"
    anchor = f"{SITE}/zwgk/index.html#nosuch"

    def status(result) -> str:  # recheck prints: status fingerprint rule url note
        return next(line.split()[0] for line in result.out.splitlines() if f" {anchor} " in line)

    with Web({"www.a.gov.cn": dict(PAGES)}) as web:
        crawl(web, f"{SITE}/", db, "--config", profile)
        before = inspector("recheck", "--db", db, *network_args(web))
        web.sites["www.a.gov.cn"]["/zwgk/index.html"] = "<h2 id='gknb'>年报</h2><h2 id='nosuch'>补上的锚点</h2>"
        after = inspector("recheck", "--db", db, *network_args(web))
    assert (status(before), status(after)) == ("open", "fixed")
