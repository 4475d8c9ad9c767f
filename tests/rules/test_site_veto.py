"""site-veto (单项否决风险): the checklist's veto counters over the stale and blank columns and the
home page; every counter is stored in the run's verdict, a finding only for those reached."""

from rules import settings, site_veto
from rules.site_veto import counters, summary
from tests.rules.runs import SITE, ZWGK, home_page, item, list_page, make_run, run_rule

FRESH_HOME = home_page([item("常务会议", "2026-11-18")])


def blank(n):
    return [list_page(f"/zwgk/k{i}/index.html", f"空栏目{i}", [], ZWGK) for i in range(n)]


def stale_dynamic(n):
    return [list_page(f"/xwzx/d{i}/index.html", f"部门{i}动态", [item(f"动态{i}", "2026-10-01")]) for i in range(n)]


def test_below_every_threshold_no_finding_and_all_counters_kept(tmp_path):
    run = make_run(tmp_path, [FRESH_HOME, *blank(4), *stale_dynamic(4)])
    assert run_rule(site_veto, run) == []
    verdict = counters(run, settings(site_veto, {}))
    assert verdict["veto"] is False
    assert {k: (c["count"], c["threshold"], c["reached"]) for k, c in verdict["counters"].items()} == {
        "stale_dynamic_notice": (4, 5, False), "should_update": (4, 10, False), "blank": (4, 5, False),
        "home_stale": (0, 1, False)}


def test_five_blank_columns(tmp_path):
    run = make_run(tmp_path, [FRESH_HOME, *blank(5)])
    [f] = run_rule(site_veto, run)
    assert (f.rule, f.level, f.page, f.evidence["counter"]) == ("site-veto", "veto", SITE + "/", "blank")
    assert f.message == "单项否决风险：空白栏目 5 个，达到否决线 5"
    assert len(f.evidence["columns"]) == 5


def test_five_stale_dynamic_or_notice_columns_and_ten_that_should_update(tmp_path):
    personnel = [list_page(f"/zwgk/p{i}/index.html", f"人事信息{i}", [item(f"任免{i}", "2025-01-01")], ZWGK)
                 for i in range(4)]
    notice = [list_page("/xwzx/tzgg/index.html", "通知公告", [item("通知", "2026-03-01")])]
    run = make_run(tmp_path, [FRESH_HOME, *stale_dynamic(5), *notice, *personnel])
    found = {f.evidence["counter"]: f for f in run_rule(site_veto, run)}
    assert set(found) == {"stale_dynamic_notice", "should_update"}
    assert found["stale_dynamic_notice"].evidence["count"] == 6 and found["should_update"].evidence["count"] == 10
    assert len({f.fingerprint for f in found.values()}) == 2


def test_a_stale_home_page_alone_is_a_veto_and_thresholds_are_options(tmp_path):
    run = make_run(tmp_path, [home_page([item("常务会议", "2026-10-01")]), *blank(2)])
    assert [f.evidence["counter"] for f in run_rule(site_veto, run)] == ["home_stale"]
    assert [f.evidence["counter"] for f in run_rule(site_veto, run, blank=2)] == ["blank", "home_stale"]


def test_the_summary_line(tmp_path):
    line = summary(counters(make_run(tmp_path, [FRESH_HOME, *blank(5)]), settings(site_veto, {})))
    assert line.startswith("否决线计数：达到否决线：空白栏目 5/5（")
    assert "动态/通知类栏目不更新 0/5" in line and "首页不更新 0/1" in line
    assert summary({}).startswith("否决线计数：未计算")


def test_the_stale_column_thresholds_are_options(tmp_path):
    run = make_run(tmp_path, [FRESH_HOME, *stale_dynamic(3)])
    assert run_rule(site_veto, run) == []
    found = run_rule(site_veto, run, stale_dynamic_notice=3, should_update=3)
    assert sorted(f.evidence["counter"] for f in found) == ["should_update", "stale_dynamic_notice"]
    assert {f.evidence["threshold"] for f in found} == {3}


def test_the_stale_windows_the_counters_use_are_stale_columns(tmp_path):
    run = make_run(tmp_path, [FRESH_HOME, *stale_dynamic(5)], '[rules.stale-column]\ndynamic = "2mo"\n')
    assert run_rule(site_veto, run) == []  # 50 days old: within the profile's window of stale-column
