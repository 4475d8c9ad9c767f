"""One page, one name: a list page reached as `dir/` and as `dir/index.html` is the same page
in the store, the findings and the history, so a column that got a fresh item between two
nights is 已整改 (fixed) the morning after — whether the server sends validators or not.

A loopback server holds a tiny portal (the sample's 工作动态 list page, reached by both aliases)
whose list the test changes between the nights."""

from __future__ import annotations

import json

import pytest

from inspector.sample.server import HERE
from tests.conftest import SITE, inspector, rows
from tests.loopback import Site

LIST = (HERE / "site" / "xwzx" / "gzdt" / "index.html").read_text(encoding="utf-8")  # newest item 2026-11-18
FRESH = ('<li><a href="202612/t20261218_1011.html" target="_blank" title="区政府召开第十三次常务会议">'
         '区政府召开第十三次常务会议</a><span>2026-12-18</span></li>\n')
AS_OF = ("2026-12-20", "2026-12-21")  # 32 days after the newest item: the dynamic column is stale on night 1


def home(list_links: list[str]) -> str:
    links = "".join(f'<li><a href="{href}">工作动态</a></li>' for href in list_links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>清河市新北区人民政府</title></head>'
            f"<body><ul>{links}</ul></body></html>")


@pytest.mark.parametrize("validators", [True, False], ids=["etag", "no-validators"])
@pytest.mark.parametrize("linked", [["/xwzx/gzdt/"], ["/xwzx/gzdt/", "/xwzx/gzdt/index.html"]],
                         ids=["folder-only", "both-aliases"])  # the list links itself the same way
def test_a_column_freshened_between_two_nights_is_fixed_whatever_alias_reached_it(tmp_path, validators, linked):
    db = str(tmp_path / "nights.db")
    listing = LIST if len(linked) > 1 else LIST.replace('href="/xwzx/gzdt/index.html"', 'href="/xwzx/gzdt/"')
    pages = {"/": home(linked), "/index.html": home(linked), "/xwzx/gzdt/": listing, "/xwzx/gzdt/index.html": listing}
    with Site(pages, validators) as site:
        site.crawl(db, AS_OF[0])
        column = f"{SITE}/xwzx/gzdt/index.html"
        stale = rows(db, "SELECT fingerprint, url, page, status FROM findings WHERE run = 1 AND rule = 'stale-column'")
        assert [(f["url"], f["status"]) for f in stale] == [(column, "new")]
        # the list page is one page in the store, under one name, however many aliases were requested
        stored = [r["url"] for r in rows(db, "SELECT url FROM pages WHERE run = 1 AND url LIKE ?",
                                         [f"{SITE}/xwzx/gzdt/%"])]
        assert stored == [f"{SITE}/xwzx/gzdt/index.html"]  # core.urls.page_key
        assert ("/xwzx/gzdt/index.html", 200) in site.log or len(linked) == 1  # both aliases were asked

        newest = '<li><a href="202611/t20261118_1010.html"'
        fresh = listing.replace(newest, FRESH + newest)  # the editors published an item the next day
        site.pages.update({"/xwzx/gzdt/": fresh, "/xwzx/gzdt/index.html": fresh})
        site.crawl(db, AS_OF[1])
    assert rows(db, "SELECT rule FROM findings WHERE run = 2 AND rule = 'stale-column'") == []
    history = rows(db, "SELECT fingerprint, status, note FROM history WHERE run = 2 AND rule = 'stale-column'")
    assert history == [{"fingerprint": stale[0]["fingerprint"], "status": "fixed", "note": ""}]
    export = inspector("export", "--db", db, "--format", "jsonl", "--include-fixed")
    assert export.code == 0, export.err
    seen = [json.loads(line) for line in export.out.splitlines()]
    assert [(f["url"], f["status"]) for f in seen if f["rule"] == "stale-column"] == [(column, "fixed")]
