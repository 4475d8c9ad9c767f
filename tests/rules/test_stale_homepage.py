"""stale-homepage (首页不更新): the newest dated item on the home page within 14 days; a home page
without dated items is judged by the second-level pages it links."""

from rules import stale_homepage
from tests.rules.runs import SITE, home_page, item, list_page, make_run, run_rule


def test_fresh_home_page(tmp_path):
    run = make_run(tmp_path, [home_page([item("区政府召开第十二次常务会议", "2026-11-18"),
                                         item("关于公布重点工作任务分工的通知", "2025-12-01", pinned=True)])])
    assert run_rule(stale_homepage, run) == []


def test_stale_home_page(tmp_path):
    run = make_run(tmp_path, [home_page([item("区政府召开第十一次常务会议", "2026-10-30"),
                                         item("新北区召开国庆假期安全稳定工作会议", "2026-10-08"),
                                         item("清溪湿地公园（图片）", None)])])
    [f] = run_rule(stale_homepage, run)
    assert (f.rule, f.level, f.url, f.page, f.column) == ("stale-homepage", "deduct", SITE + "/", SITE + "/", "首页")
    assert "2026-10-30" in f.message and "21 天" in f.message
    assert f.evidence["basis"] == "home" and f.evidence["dates_seen"] == ["2026-10-30", "2026-10-08"]
    assert run_rule(stale_homepage, run, window="30d") == []


def test_a_navigation_only_home_page_is_judged_by_its_second_level_pages(tmp_path):
    fresh = list_page("/xwzx/gzdt/index.html", "工作动态", [item("常务会议", "2026-11-18")])
    old = list_page("/xwzx/tpxw/index.html", "图片新闻", [item("候鸟过境", "2026-10-28")])
    linked_fresh = make_run(tmp_path / "a", [home_page(links=["/xwzx/gzdt/index.html"]), fresh, old])
    assert run_rule(stale_homepage, linked_fresh) == []
    linked_old = make_run(tmp_path / "b", [home_page(links=["/xwzx/tpxw/"]), fresh, old])
    [f] = run_rule(stale_homepage, linked_old)
    assert f.evidence["basis"] == "second-level" and "二级页面" in f.message


def test_no_home_page_parsed_no_finding(tmp_path):
    run = make_run(tmp_path, [list_page("/xwzx/tpxw/index.html", "图片新闻", [item("候鸟过境", "2026-01-28")])])
    assert run_rule(stale_homepage, run) == []
