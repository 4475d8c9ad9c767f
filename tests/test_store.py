"""The store's schema across versions: a database written by an older version opens with its
facts intact."""

import sqlite3

from core import store
from tests.conftest import rows

V1 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, site TEXT, start_url TEXT, started TEXT, finished TEXT, as_of TEXT,
                   status TEXT, settings TEXT, counts TEXT, skipped TEXT, verdict TEXT, note TEXT);
CREATE TABLE pages (run INTEGER, url TEXT, depth INTEGER, status INTEGER, kind TEXT, title TEXT, content_type TEXT,
                    encoding TEXT, facts TEXT, fetched TEXT, digest TEXT, etag TEXT, last_modified TEXT,
                    PRIMARY KEY (run, url));
CREATE TABLE links (run INTEGER, source TEXT, url TEXT, text TEXT, tag TEXT, attr TEXT);
"""
HOME, NEWS = "http://www.example.gov.cn/", "http://www.example.gov.cn/xwzx/"


def _version1(path):
    """Two nights of version 1: the home page unchanged (its links copied into both runs), the
    news page changed (other links the second night)."""
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    for run in (1, 2):
        conn.execute("INSERT INTO runs (id, site, start_url, status) VALUES (?, 'example', ?, 'complete')", [run, HOME])
        conn.execute("INSERT INTO pages (run, url, digest) VALUES (?, ?, 'same')", [run, HOME])
        conn.execute("INSERT INTO pages (run, url, digest) VALUES (?, ?, ?)", [run, NEWS, f"night {run}"])
        conn.executemany("INSERT INTO links VALUES (?, ?, ?, ?, 'a', 'href')",
                         [(run, HOME, NEWS, "新闻"), (run, HOME, HOME + "zwgk/", "政务公开"),
                          (run, NEWS, f"{NEWS}t{run}.html", f"第{run}篇")])
    conn.commit()
    conn.close()


def test_a_version_1_database_keeps_every_runs_links(tmp_path):
    path = str(tmp_path / "v1.db")
    _version1(path)
    db = store.open_db(path)
    links = lambda run: [(r["source"], r["url"], r["text"]) for r in
                         rows(path, "SELECT * FROM links WHERE run = ? ORDER BY source, seq", [run])]
    assert links(1) == [(HOME, NEWS, "新闻"), (HOME, HOME + "zwgk/", "政务公开"), (NEWS, NEWS + "t1.html", "第1篇")]
    assert links(2) == [(HOME, NEWS, "新闻"), (HOME, HOME + "zwgk/", "政务公开"), (NEWS, NEWS + "t2.html", "第2篇")]
    assert rows(path, "SELECT count(*) n FROM body_links")[0]["n"] == 4  # the unchanged home page's links once
    assert [l["source"] for l in store.Facts(db, store.get_run(db, 2)).links_to(NEWS)] == [HOME]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    db.conn.close()
    again = store.open_db(path)  # opening it again changes nothing
    assert links(2) == [(HOME, NEWS, "新闻"), (HOME, HOME + "zwgk/", "政务公开"), (NEWS, NEWS + "t2.html", "第2篇")]
    again.conn.close()


def test_a_page_with_the_same_bytes_adds_no_link_rows(tmp_path):
    from crawler.links import Link

    db = store.open_db(tmp_path / "s.db")
    for night in (1, 2):
        run = store.start_run(db, site="example", start_url=HOME, as_of="2026-11-26", settings={})
        writer = store.Writer(db, run)
        links = [(NEWS, Link(NEWS, HOME, "新闻", "a", "href"))]
        writer.page(HOME, 0, 200, "home", "首页", "text/html", "utf-8", {}, links, digest="same")
        writer.page(NEWS, 1, 200, "list", "新闻", "text/html", "utf-8", {}, [], digest="same")  # other URL: own body
        writer.flush()
        assert [l["source"] for l in store.Facts(db, store.get_run(db, run)).links_to(NEWS)] == [HOME]
    assert db.execute("SELECT count(*) FROM body_links").fetchone()[0] == 1
    assert db.execute("SELECT count(DISTINCT body) FROM pages").fetchone()[0] == 2
