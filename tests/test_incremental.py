"""An incremental night: unchanged pages and the site's own files answer 304 and their stored
facts are reused, recent ok external leaves are not asked again, and nothing a full crawl would
report is lost — a file deleted since the last night included."""

import shutil

from inspector.sample.server import NOT_FOUND
from tests.conftest import SITE, inspector, network_args, rows


def findings(db, run):
    return {(r["rule"], r["url"], r["page"]) for r in rows(db, "SELECT rule, url, page FROM findings WHERE run = ?", [run])}


def test_second_night_reuses_unchanged_pages_and_still_sees_what_changed(portal, sample_crawl, tmp_path):
    db = str(tmp_path / "nights.db")
    shutil.copy(sample_crawl.db, db)
    first_requests = len(sample_crawl.requests)
    portal.reset()
    changed = "/xwzx/gzdt/202611/t20261112_1001.html"
    portal.overrides[changed] = (200, "<html><head><title>改版</title></head><body>"
                                      '<a href="/zt/2026new/index.html">新专题</a></body></html>')
    portal.overrides["/zwgk/fdzdgknr/jgzn.html"] = (500, "<html><body>error</body></html>")  # a new 5xx
    deleted = "/zwgk/gfxwj/202611/P020261105512345678901.pdf"  # checked ok on night 1, deleted since
    portal.overrides[deleted] = (404, NOT_FOUND)
    try:
        r = inspector("crawl", f"{SITE}/", "--db", db, *network_args(portal))
        requests = list(portal.requests)
        sent = dict(portal.bytes_sent)
    finally:
        portal.overrides.clear()
    assert r.code == 0, r.err
    statuses = {row["url"]: row["status"] for row in rows(db, "SELECT url, status FROM checks WHERE run = 2")}
    assert statuses[f"{SITE}/xwzx/gzdt/index.html"] == 304  # unchanged: not parsed again
    assert statuses[SITE + changed] == 200  # changed: parsed again, its new link checked
    assert statuses[f"{SITE}/zt/2026new/index.html"] == 404
    assert statuses[f"{SITE}/zwgk/fdzdgknr/jgzn.html"] == 500  # a cache never hides a new failure
    # the site's own files are asked every night, conditionally: unchanged ones answer 304, without a body
    assert statuses[f"{SITE}/images/logo.png"] == 304 and "/images/logo.png" not in sent
    # an external page checked ok is trusted for crawl.recheck_ok_after days: not asked again
    assert "http://www.partner-demo.cn/about.html" in statuses
    assert not any(host == "www.partner-demo.cn" and p == "/about.html" for _, host, p in requests)
    assert len(requests) < first_requests
    body = lambda d: sum(n for path, n in d.items() if path != "/files/big-report.pdf")
    assert body(sent) < body(sample_crawl.bytes_sent) * 0.25  # 304s carry no body
    # the broken ones are asked again before they are reported again
    assert any(p == "/images/banner-2025.jpg" for _, _, p in requests)
    before, after = findings(db, 1), findings(db, 2)
    assert {(rule, url) for rule, url, _ in after - before} == {
        ("broken-link", f"{SITE}/zt/2026new/index.html"), ("broken-link", f"{SITE}/zwgk/fdzdgknr/jgzn.html"),
        ("broken-link", SITE + deleted)}
    assert before - after == set()  # everything found the first night is found again from reused facts
    # the reused facts are the stored ones: an unchanged page's links, a trusted leaf's check
    links = lambda run: rows(db, "SELECT url, text, tag, attr FROM links WHERE run = ? AND source = ? ORDER BY seq",
                             [run, f"{SITE}/xwzx/gzdt/index.html"])
    assert links(2) == links(1) and links(1)
    # and stored once: the second night wrote no link row for a page the first night parsed with the same bytes
    last = rows(sample_crawl.db, "SELECT max(rowid) n FROM body_links")[0]["n"]
    rewritten = rows(db, """SELECT count(*) n FROM body_links l JOIN pages p2 ON p2.run = 2 AND p2.body = l.body
                            JOIN pages p1 ON p1.run = 1 AND p1.url = p2.url AND p1.digest = p2.digest
                            WHERE l.rowid > ?""", [last])[0]["n"]
    assert rewritten == 0 and rows(db, "SELECT count(*) n FROM body_links WHERE rowid > ?", [last])[0]["n"] > 0
    about = rows(db, "SELECT run, outcome, status, checked FROM checks WHERE url = ? ORDER BY run",
                 ["http://www.partner-demo.cn/about.html"])
    assert len(about) == 2 and about[0]["checked"] == about[1]["checked"] and about[1]["outcome"] == "ok"
