"""site-unreachable: the start page's own check decides; a real store holds the checks."""

from core.records import Check
from rules import site_unreachable
from tests.rules.runs import SITE, make_run, run_rule

START = SITE + "/"


def run_with_start_check(tmp_path, outcome, status=None, detail=""):
    return make_run(tmp_path, checks=[
        Check(START, outcome, status, detail=detail, elapsed=15.0, same_site=True),
        Check(START + "a.html", "http-error", 404, detail="HTTP 404", elapsed=0.1, same_site=True)])


def test_a_start_page_that_answers_is_no_finding(tmp_path):
    assert run_rule(site_unreachable, run_with_start_check(tmp_path, "ok", 200)) == []


def test_a_start_page_that_cannot_be_opened_is_one_finding(tmp_path):
    found = run_rule(site_unreachable, run_with_start_check(tmp_path, "timeout", detail="no answer in time"))
    assert [(f.rule, f.url, f.level) for f in found] == [("site-unreachable", START, "deduct")]
    assert "首页无法访问" in found[0].message and found[0].evidence["outcome"] == "timeout"


def test_end_to_end_an_unreachable_site_is_reported(portal, tmp_path):
    from tests.conftest import inspector, network_args, rows

    db = tmp_path / "x.db"
    assert inspector("crawl", "http://www.closed-demo.cn/", "--db", db, *network_args(portal)).code == 3
    assert [r["rule"] for r in rows(db, "SELECT rule FROM findings")] == ["site-unreachable"]
