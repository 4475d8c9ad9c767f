"""Where a run's start page led, read back from the store (a resumed crawl and a distributed
coordinator ask it): through HTTP redirects and pages that only redirect, never round a loop."""

from core import store
from core.records import Check
from crawler.links import Link
from crawler.run import stored_home

SITE = "http://www.a.gov.cn"


def stored(tmp_path, pages, checks):
    """A run holding `pages` ({url: [(target, tag)]}) and `checks` ({url: final URL or None})."""
    db = store.open_db(tmp_path / "run.db")
    run_id = store.start_run(db, site="a", start_url=SITE + "/", as_of="2026-11-20", settings={})
    writer = store.Writer(db, run_id)
    for url, final in checks.items():
        writer.check(Check(url, "ok", status=200, final_url=final, redirects=[[url, 302]] if final else [], elapsed=0.1,
                           content_type="text/html", same_site=True))
    for url, links in pages.items():
        writer.page(url, 0, 200, "other", "", "text/html", "utf-8", {}, [(t, Link(t, url, "", tag, "")) for t, tag in links],
                    digest=url)
    writer.flush()
    return db, run_id


def test_a_root_that_refreshes_to_a_page_that_redirects(tmp_path):
    db, run = stored(tmp_path, {SITE + "/": [(SITE + "/index.html", "refresh")],
                                SITE + "/col/col1/index.html": [(SITE + "/xwzx/index.html", "a")]},
                     {SITE + "/": None, SITE + "/index.html": SITE + "/col/col1/index.html"})
    assert stored_home(db, run, SITE + "/") == SITE + "/col/col1/index.html"


def test_a_home_page_with_a_mobile_redirect_is_the_home_page(tmp_path):
    db, run = stored(tmp_path, {SITE + "/": [("http://m.a.gov.cn/", "refresh"), (SITE + "/xwzx/index.html", "a")]},
                     {SITE + "/": None})
    assert stored_home(db, run, SITE + "/") == SITE + "/"


def test_a_refresh_loop_and_a_target_not_yet_fetched(tmp_path):
    db, run = stored(tmp_path, {SITE + "/": [(SITE + "/a.html", "refresh")], SITE + "/a.html": [(SITE + "/", "refresh")]},
                     {SITE + "/": None, SITE + "/a.html": None})
    assert stored_home(db, run, SITE + "/") in (SITE + "/", SITE + "/a.html")  # it ends
    db, run = stored(tmp_path / "b", {SITE + "/": [(SITE + "/index.html", "refresh")]}, {SITE + "/": None})
    assert stored_home(db, run, SITE + "/") == SITE + "/"  # /index.html has no check yet: the root, so far
    db, run = stored(tmp_path / "c", {}, {})
    assert stored_home(db, run, SITE + "/") is None
