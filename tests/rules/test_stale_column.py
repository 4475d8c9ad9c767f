"""stale-column (栏目不更新): the class windows as of --as-of, in calendar months, with the traps:
pinned old items, undated lists, columns without a class, 10-month personnel and 5.5-month notices."""

import pytest

from core.config import ConfigError
from inspector.profile import load
from rules import stale_column
from tests.rules.runs import SITE, ZWGK, item, list_page, make_run, run_rule


def stale_urls(tmp_path, pages, **kw):
    options = kw.pop("options", {})
    return {f.url.removeprefix(SITE): f for f in run_rule(stale_column, make_run(tmp_path, pages, **kw), **options)}


def test_dynamic_column_window_is_14_days(tmp_path):
    found = stale_urls(tmp_path, [
        list_page("/xwzx/gzdt/index.html", "工作动态", [item("区政府召开常务会议", "2026-11-06")]),  # 14 days: fresh
        list_page("/xwzx/tpxw/index.html", "图片新闻", [item("清溪湿地公园迎来候鸟", "2026-10-28"),
                                                   item("全民健身运动会", "2026-10-20")]),
    ])
    assert set(found) == {"/xwzx/tpxw/index.html"}
    f = found["/xwzx/tpxw/index.html"]
    assert (f.level, f.column, f.column_url, f.page) == ("deduct", "图片新闻", f.url, f.url)
    assert "23 天" in f.message and "2026-10-28" in f.message and "清溪湿地公园迎来候鸟" in f.message
    ev = f.evidence
    assert (ev["class"], ev["window"], ev["newest"], ev["days_since"]) == ("dynamic", "14d", "2026-10-28", 23)
    assert ev["dates_seen"] == ["2026-10-28", "2026-10-20"] and ev["newest_item"]["title"] == "清溪湿地公园迎来候鸟"


def test_a_pinned_old_item_on_top_does_not_hide_a_fresh_list(tmp_path):
    found = stale_urls(tmp_path, [list_page("/xwzx/tzgg/index.html", "通知公告", [
        item("关于公布2026年重点工作任务分工的通知", "2025-01-10", pinned=True),
        item("关于调整部分公交线路的通告", "2026-11-03"),
    ])])
    assert found == {}


def test_notice_window_is_six_calendar_months(tmp_path):
    found = stale_urls(tmp_path, [
        list_page("/zwgk/gsgg/index.html", "公示公告", [item("公示一则", "2026-06-05")], ZWGK),  # 5.5 months
        list_page("/zwgk/bmwj/index.html", "部门文件", [item("部门文件一则", "2026-05-05")], ZWGK),  # 6.5 months
        list_page("/zwgk/zcwj/index.html", "政策文件", [item("政策文件一则", "2026-05-20")], ZWGK),  # 6 months exactly
        list_page("/zwgk/gfxwj/index.html", "规范性文件", [item("规范性文件一则", "2026-05-19")], ZWGK),  # a day over
    ])
    assert set(found) == {"/zwgk/bmwj/index.html", "/zwgk/gfxwj/index.html"}
    assert found["/zwgk/gfxwj/index.html"].evidence["class"] == "normative"
    assert found["/zwgk/gfxwj/index.html"].evidence["window"] == "6mo"


def test_personnel_and_planning_window_is_twelve_months(tmp_path):
    found = stale_urls(tmp_path, [
        list_page("/zwgk/rsrm/index.html", "人事任免", [item("王建华等同志职务任免", "2026-01-16")], ZWGK),  # 10 months
        list_page("/zwgk/ghjh/index.html", "规划计划", [item("2025年国民经济和社会发展计划", "2025-03-10")], ZWGK),
    ])
    assert set(found) == {"/zwgk/ghjh/index.html"}


def test_a_list_of_undated_items_counts_as_not_updated(tmp_path):
    found = stale_urls(tmp_path, [list_page("/xwzx/xczx/index.html", "乡村振兴动态", [
        item("新桥镇推进农村人居环境整治", None), item("孟河镇举办农民丰收节", None)])])
    f = found["/xwzx/xczx/index.html"]
    assert "均无发布日期" in f.message and f.evidence["undated"] == 2 and f.evidence["newest"] is None


def test_columns_without_a_window_are_never_stale_until_the_profile_gives_one(tmp_path):
    old = [item("很久以前的信息", "2019-05-01")]
    pages = [
        list_page("/gbk/index.html", "走进新北", old),  # no class
        list_page("/zwgk/czyjs/index.html", "财政预决算", old, ZWGK),  # disclosure: no window
        list_page("/hdjl/zxft/index.html", "在线访谈", old, ["互动交流"]),  # interaction
        list_page("/zt/2019/gzdt/index.html", "工作动态", old, ["专题专栏", "2019年优化营商环境"]),  # under an archive
    ]
    assert stale_urls(tmp_path / "a", pages) == {}
    windows = {"unknown": "1y", "disclosure": "1y", "interaction": "1y"}
    found = stale_urls(tmp_path / "b", pages, options=windows)  # an archived topic stays exempt
    assert {u: f.evidence["class"] for u, f in found.items()} == {
        "/gbk/index.html": "unknown", "/zwgk/czyjs/index.html": "disclosure", "/hdjl/zxft/index.html": "interaction"}


def test_empty_and_uninspectable_columns_are_not_judged_here(tmp_path):
    found = stale_urls(tmp_path, [
        list_page("/zwgk/rsxx/index.html", "人事信息", [], ZWGK),
        list_page("/xwzx/bmdt/index.html", "部门动态", [], list_kind="script"),
    ])
    assert found == {}


def test_the_profile_sets_class_exempt_and_windows(tmp_path):
    pages = [list_page("/zwgk/czyjs/index.html", "财政预决算", [item("预算公开", "2026-02-10")], ZWGK),
             list_page("/xwzx/tpxw/index.html", "图片新闻", [item("候鸟过境", "2026-10-28")]),
             list_page("/xwzx/gzdt/index.html", "工作动态", [item("常务会议", "2026-11-10")])]
    profile = '[columns."/zwgk/czyjs/"]\nclass = "notice-policy"\n[columns."/xwzx/tpxw/"]\nexempt = true\n'
    found = stale_urls(tmp_path, pages, profile=profile, options={"dynamic": "1w"})
    assert set(found) == {"/zwgk/czyjs/index.html", "/xwzx/gzdt/index.html"}


def test_items_merge_over_all_list_pages(tmp_path):
    first = list_page("/xwzx/gzdt/index.html", "工作动态", [item("第一页", "2026-10-01")])
    second = list_page("/xwzx/gzdt/index.html", "工作动态", [item("第二页", "2026-11-15")],
                       page_url=SITE + "/xwzx/gzdt/index_1.html")
    run = make_run(tmp_path, [first, second])
    [col] = run.columns()
    assert (col["item_count"], col["newest"], len(col["pages"])) == (2, "2026-11-15", 2)
    assert run_rule(stale_column, run) == []


@pytest.mark.parametrize("bad", ["two weeks", "14", "6 months ago", "-3d"])
def test_a_window_that_does_not_parse_is_a_config_error(tmp_path, bad):
    path = tmp_path / "p.toml"
    path.write_text(f'[rules.stale-column]\ndynamic = "{bad}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="rules.stale-column.dynamic"):
        load(path)
