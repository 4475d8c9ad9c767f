"""A home page that prints no dates (issue 10, item 3) on a loopback portal: the sample portal
whose home page shows its news by title only and links no column list page, so only the
articles it links can tell whether it is updated (DEFECTS.md: the newest, 区政府召开第十二次常务会议,
was published 2026-11-18)."""

import json
import re

from inspector.sample.server import ROOTS, SITE_HOST, PortalServer
from tests.conftest import SITE, inspector, network_args, rows

HOME = (ROOTS[SITE_HOST] / "index.html").read_text(encoding="utf-8")
DATES = re.compile(r"<span>\d{4}-\d{2}-\d{2}</span>")
MORE = re.compile(r'<a class="more" href="[^"]*">更多&gt;&gt;</a>')  # the blocks' links to their columns
COLUMNS = re.compile(r'<li><a href="/zwgk/[^"]*/index.html">[^<]*</a></li>|<a href="/col/col1234/index.html">.*?</a>',
                     re.S)


def titles_only_home() -> str:
    page = COLUMNS.sub("", MORE.sub("", DATES.sub("", HOME)))
    assert "2026-11-18" not in page and "/xwzx/gzdt/index.html" not in page and "col1234" not in page
    return page


def crawl(tmp_path, as_of):
    with PortalServer() as server:
        page = titles_only_home()
        server.overrides.update({"/": (200, page), "/index.html": (200, page)})
        db = tmp_path / "run.db"
        r = inspector("crawl", f"{SITE}/", "--db", db, *network_args(server), "--as-of", as_of)  # the last one counts
    assert r.code == 0, r.err
    return r, db


def stale_homepage(db):
    return [json.loads(f["evidence"]) | {"message": f["message"]}
            for f in rows(db, "SELECT message, evidence FROM findings WHERE rule = 'stale-homepage'")]


def test_a_home_page_of_titles_only_linking_fresh_articles_is_not_stale(tmp_path):
    r, db = crawl(tmp_path, "2026-11-20")
    assert stale_homepage(db) == []
    assert "首页不更新 0/1" in r.out  # no false veto
    [run] = rows(db, "SELECT verdict FROM runs")
    assert json.loads(run["verdict"])["counters"]["home_stale"]["count"] == 0


def test_the_same_home_page_a_month_later_is_stale_by_its_articles(tmp_path):
    _r, db = crawl(tmp_path, "2026-12-20")
    [f] = stale_homepage(db)
    assert f["basis"] == "linked-documents"
    assert (f["newest_item"]["date"], f["newest_item"]["title"]) == ("2026-11-18", "区政府召开第十二次常务会议")
    assert "32 天" in f["message"]
