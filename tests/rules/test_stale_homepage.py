"""stale-homepage (首页不更新): the newest dated item on the home page within 14 days; a home page
without dated items is judged by the second-level pages it links."""

from rules import stale_homepage
from rules.site_veto import counters
from tests.rules.runs import SITE, document, home_page, item, list_page, make_run, run_rule


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


# ------------------------------------------------------------ a home page that prints no dates
NEWS = [("区政府召开第十二次常务会议", "/xwzx/gzdt/202611/t20261118_1010.html", "2026-11-18"),
        ("新北区开展冬季安全生产大检查", "/xwzx/gzdt/202611/t20261116_1009.html", "2026-11-16"),
        ("区领导调研重点项目建设情况", "/xwzx/gzdt/202611/t20261114_1008.html", "2026-11-14")]


def titles_only(news, **home):
    """A home page listing `news` by title only, and the articles as the crawl stored them."""
    return [home_page([item(title, None, path) for title, path, _day in news], **home),
            *[document(path, title, "/xwzx/gzdt/index.html", day) for title, path, day in news]]


def test_a_home_page_of_titles_only_is_judged_by_the_articles_it_links(tmp_path):
    run = make_run(tmp_path, titles_only(NEWS))
    assert run_rule(stale_homepage, run) == []
    assert counters(run)["counters"]["home_stale"]["count"] == 0  # and no veto either


def test_old_articles_behind_a_titles_only_home_page(tmp_path):
    old = [(title, path, day.replace("2026-11", "2026-10")) for title, path, day in NEWS]
    [f] = run_rule(stale_homepage, make_run(tmp_path, titles_only(old)))
    assert f.evidence["basis"] == "linked-documents"
    assert f.evidence["newest_item"] == {"title": "区政府召开第十二次常务会议", "url": SITE + old[0][1], "date": "2026-10-18"}
    assert "2026-10-18「区政府召开第十二次常务会议」" in f.message and "33 天" in f.message
    assert [d["date"] for d in f.evidence["documents_sampled"]] == ["2026-10-18", "2026-10-16", "2026-10-14"]


def test_the_sample_of_linked_articles_is_bounded(tmp_path):
    many = [(f"新闻{n}", f"/xwzx/gzdt/202610/t202610{n:02d}_{n}.html", f"2026-10-{n:02d}") for n in range(1, 31)]
    run = make_run(tmp_path, titles_only(many))
    [f] = run_rule(stale_homepage, run, sample=5)
    assert [d["title"] for d in f.evidence["documents_sampled"]] == ["新闻1", "新闻2", "新闻3", "新闻4", "新闻5"]
    assert f.evidence["newest_item"]["date"] == "2026-10-05"


def test_undated_fresh_items_beside_a_stale_dated_block(tmp_path):
    pages = titles_only(NEWS)
    pages[0]["facts"]["list"]["items"].append(item("关于做好2026年度防汛工作的通知", "2026-09-01"))
    assert run_rule(stale_homepage, make_run(tmp_path, pages)) == []


def test_a_home_page_without_a_list_is_judged_by_the_articles_among_its_links(tmp_path):
    pages = titles_only(NEWS, links=[path for _title, path, _day in NEWS])
    pages[0]["facts"]["list"]["items"] = []
    assert run_rule(stale_homepage, make_run(tmp_path, pages)) == []
