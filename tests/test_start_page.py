"""Where an inspection starts decides what it can judge (issue 10, items 4 and 5), on the sample
portal served on loopback: a spot check or a crawl started at a column judges no site-wide rule
and labels nothing 首页; a root page that only redirects (meta refresh, script) leads to the real
home page, and the crawl goes on from there as if it had started at it."""

import json

import pytest

from inspector.sample.server import PortalServer
from tests.conftest import SITE, inspector, network_args, rows
from core.urls import page_key

SITE_WIDE = {"missing-column", "missing-annual-report", "stale-homepage", "site-veto"}
BELOW_HOME = "started below the home page: site-wide rules not judged"
COLUMN = f"{SITE}/hdjl/index.html"  # 互动交流: links B6 (500), B15 (loop), B16 (timeout)
ARTICLE = f"{SITE}/zwgk/gfxwj/202606/t20260610_2003.html"  # a document with a broken attachment (B7)


def findings(db):
    out = inspector("export", "--db", db, "--format", "jsonl")
    assert out.code == 0, out.err
    return [json.loads(line) for line in out.out.splitlines()]


def labelled_home(found):
    return [f for f in found if f["column"] == "首页" or f["message"].startswith("首页")
            or f["evidence"].get("group") == "home"]


@pytest.mark.parametrize("url, broken", [
    (COLUMN, f"{SITE}/hdjl/wsdc/index.html"),
    (ARTICLE, f"{SITE}/zwgk/gfxwj/202606/P020260610123456789012.pdf"),
])
def test_a_spot_check_of_a_column_or_an_article_judges_that_page_only(portal, tmp_path, url, broken):
    db = tmp_path / "check.db"
    r = inspector("check", url, "--db", db, *network_args(portal))
    assert r.code == 1, r.err
    found = findings(db)
    assert broken in {f["url"] for f in found if f["rule"] == "broken-link"}  # its own problems are there
    assert {f["rule"] for f in found} & SITE_WIDE == set()
    assert labelled_home(found) == []
    [run] = rows(db, "SELECT counts, verdict FROM runs")
    assert json.loads(run["counts"])["start"] == "below-home"
    assert json.loads(run["verdict"])["judged"] is False


def test_a_spot_check_of_a_column_that_cannot_be_opened_blames_the_page_not_the_home_page(portal, tmp_path):
    db = tmp_path / "check.db"
    r = inspector("check", f"{SITE}/zwgk/ysqgk/index.html", "--db", db, *network_args(portal))  # B4: 403
    assert r.code == 3, r.err
    [f] = findings(db)
    assert (f["rule"], f["message"]) == ("site-unreachable", "页面无法访问：HTTP 403 错误")


def test_a_spot_check_of_the_home_page_still_labels_its_links_home(portal, tmp_path):
    db = tmp_path / "check.db"
    r = inspector("check", f"{SITE}/", "--db", db, *network_args(portal))
    assert r.code == 1, r.err
    home = {f["url"] for f in labelled_home(findings(db))}
    assert home == {f"{SITE}/zt/2025zt/index.html", f"{SITE}/images/banner-2025.jpg",  # DEFECTS.md B1-B3
                    "http://www.partner-demo.cn/gone.html"}


def test_a_crawl_started_at_a_column_says_so_and_judges_nothing_site_wide(portal, tmp_path):
    db = tmp_path / "crawl.db"
    r = inspector("crawl", f"{SITE}/xwzx/gzdt/index.html", "--db", db, "--max-depth", "1", *network_args(portal))
    assert r.code == 0, r.err
    first = r.out.splitlines()[0]
    assert first.startswith(f"run 1 complete ({BELOW_HOME}): ")
    assert "否决线计数：不评价（检查未从网站首页开始，不评价全站）" in r.out
    assert "全站评价：不评价（检查未从网站首页开始，不评价全站）" in r.out
    [run] = rows(db, "SELECT counts, note, verdict FROM runs")
    counts = json.loads(run["counts"])
    assert (counts["start"], counts["home"]) == ("below-home", None)
    assert BELOW_HOME in run["note"]
    verdict = json.loads(run["verdict"])
    assert (verdict["judged"], verdict["reason"], verdict["counters"]) == (False, "检查未从网站首页开始，不评价全站", {})
    found = findings(db)
    assert {f["rule"] for f in found} & SITE_WIDE == set()  # it saw a corner of the site: nothing is "missing"
    assert labelled_home(found) == []
    assert {f["rule"] for f in found} >= {"broken-link", "stale-column"}  # what it saw is still judged


# ------------------------------------------------------------ a root page that only redirects
META_REFRESH = '<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL=\'/index.html\'"></head><body></body></html>'
SCRIPT_REDIRECT = """<html><head><title>清河市新北区人民政府</title>
<script type="text/javascript">window.location.href = "/index.html";</script></head>
<body><a href="/index.html">如果页面没有自动跳转，请点击这里</a></body></html>"""


def crawl(tmp_path, start, root=None):
    """A crawl of a fresh sample portal whose `/` is `root` (None: the sample's own home page)."""
    with PortalServer() as server:
        if root is not None:
            server.overrides["/"] = (200, root)
        db = tmp_path / "run.db"
        return inspector("crawl", start, "--db", db, *network_args(server)), db


def seen(db):
    """The findings, pages by their one name (core.urls.page_key): the home page reached through a
    root that only refreshes is stored as /index.html (the root holds the refresh), reached
    directly as / — the same page."""
    return {(f["rule"], f["level"], f["url"], page_key(f["page"]), f["message"]) for f in findings(db)}


@pytest.fixture(scope="module")
def from_the_target(tmp_path_factory):
    """The findings of a crawl started at /index.html: what a root that redirects there must give."""
    r, db = crawl(tmp_path_factory.mktemp("target"), f"{SITE}/index.html")
    assert r.code == 0, r.err
    return seen(db)


@pytest.mark.parametrize("root", [META_REFRESH, SCRIPT_REDIRECT], ids=["meta-refresh", "script"])
def test_a_root_that_only_redirects_is_crawled_as_its_target(tmp_path, from_the_target, root):
    r, db = crawl(tmp_path, f"{SITE}/", root)
    assert r.code == 0, r.err
    assert seen(db) == from_the_target
    [run] = rows(db, "SELECT status, counts FROM runs")
    counts = json.loads(run["counts"])
    assert (run["status"], counts["home"], counts["start"]) == ("complete", f"{SITE}/index.html", "home")
    assert counts["pages"] > 100  # the whole sample site, not the one page of the root
    [root_page] = rows(db, "SELECT kind FROM pages WHERE url = ?", [f"{SITE}/"])
    assert root_page["kind"] == "redirect"
    [link] = rows(db, "SELECT attr FROM links WHERE source = ? AND url = ? AND tag = 'refresh'",
                  [f"{SITE}/", f"{SITE}/index.html"])
    assert link["attr"] == ("meta" if root == META_REFRESH else "script")


@pytest.mark.parametrize("root", [META_REFRESH, SCRIPT_REDIRECT], ids=["meta-refresh", "script"])
def test_a_spot_check_of_a_root_that_only_redirects_checks_the_home_page(tmp_path, root):
    with PortalServer() as server:
        server.overrides["/"] = (200, root)
        db = tmp_path / "check.db"
        r = inspector("check", f"{SITE}/", "--db", db, *network_args(server))
    assert r.code == 1, r.err
    home = {f["url"] for f in labelled_home(findings(db))}
    assert home == {f"{SITE}/zt/2025zt/index.html", f"{SITE}/images/banner-2025.jpg",
                    "http://www.partner-demo.cn/gone.html"}


def refresh_to(path):
    return 200, f'<html><head><meta http-equiv="refresh" content="0;url={path}"></head><body></body></html>'


def test_a_refresh_loop_ends(tmp_path):
    with PortalServer() as server:
        server.overrides.update({"/": refresh_to("/loop-refresh.html"), "/loop-refresh.html": refresh_to("/")})
        db = tmp_path / "run.db"
        r = inspector("crawl", f"{SITE}/", "--db", db, *network_args(server))
        asked = [path for _, _, path in server.requests if path != "/robots.txt"]
    assert r.code == 0, r.err
    assert sorted(asked) == ["/", "/loop-refresh.html"]
    assert rows(db, "SELECT status FROM runs") == [{"status": "complete"}]


def test_a_chain_of_refreshes_is_bounded_by_max_redirects_and_max_depth(tmp_path):
    """An endless chain of pages that only redirect: crawl.max_redirects (10) of them in a row
    keep their depth, then the next is a hop; --max-depth 2 allows three depths."""
    with PortalServer() as server:
        server.overrides.update({"/": refresh_to("/r/1.html")})
        server.overrides.update({f"/r/{n}.html": refresh_to(f"/r/{n + 1}.html") for n in range(1, 200)})
        db = tmp_path / "run.db"
        r = inspector("crawl", f"{SITE}/", "--db", db, "--max-depth", "2", *network_args(server))
        asked = [path for _, _, path in server.requests if path.startswith("/r/")]
    assert r.code == 0, r.err
    parsed = rows(db, "SELECT count(*) n FROM pages")[0]["n"]
    assert parsed <= (10 + 1) * (2 + 1)
    assert len(asked) <= parsed  # the last one is checked, not parsed, and its target never asked
