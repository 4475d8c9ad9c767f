"""site-unreachable: the start page's own check decides; a real store holds the checks."""

from core import config, store
from rules import site_unreachable

START = "http://www.qinghe-xinbei.gov.cn/"


def run_with_start_check(tmp_path, outcome, status=None, detail=""):
    db = store.open_db(tmp_path / "s.db")
    run_id = store.start_run(db, site="s", start_url=START, as_of="2026-11-20", settings={})
    writer = store.Writer(db, run_id)
    writer.check(START, outcome, status, None, [], detail, 15.0, "", True)
    writer.check(START + "a.html", "http-error", 404, None, [], "HTTP 404", 0.1, "", True)
    writer.flush()
    return store.Facts(db, store.get_run(db, run_id), config.load())


def test_a_start_page_that_answers_is_no_finding(tmp_path):
    assert list(site_unreachable.check(run_with_start_check(tmp_path, "ok", 200), {})) == []


def test_a_start_page_that_cannot_be_opened_is_one_finding(tmp_path):
    found = list(site_unreachable.check(run_with_start_check(tmp_path, "timeout", detail="no answer in time"), {}))
    assert [(f.rule, f.url, f.level) for f in found] == [("site-unreachable", START, "deduct")]
    assert "首页无法访问" in found[0].message and found[0].evidence["outcome"] == "timeout"


def test_end_to_end_an_unreachable_site_is_reported(portal, tmp_path):
    from tests.conftest import inspector, network_args, rows

    db = tmp_path / "x.db"
    assert inspector("crawl", "http://www.closed-demo.cn/", "--db", db, *network_args(portal)).code == 3
    assert [r["rule"] for r in rows(db, "SELECT rule FROM findings")] == ["site-unreachable"]
