"""The column rules over a whole crawl of the sample portal (DEFECTS.md §4): exactly the planted
stale and blank columns and missing catalogue items, none of the traps, the columns stored as facts and the site verdict."""

import json

from tests.conftest import SITE, rows

COLUMN_RULES = {"empty-column", "stale-column", "stale-homepage", "missing-column", "missing-annual-report", "site-veto"}
EXPECTED = {
    ("empty-column", f"{SITE}/zwgk/rsxx/index.html"),  # 人事信息: 暂无信息
    ("stale-column", f"{SITE}/xwzx/tpxw/index.html"),  # 图片新闻: 23 days
    ("stale-column", f"{SITE}/xwzx/xczx/index.html"),  # 乡村振兴动态: no dates on the list
    ("stale-column", f"{SITE}/zwgk/bmwj/index.html"),  # 部门文件: 6.5 months
    ("stale-column", f"{SITE}/zwgk/ghjh/index.html"),  # 规划计划: > 12 months
    # a district government lacking two 条例 第二十条 items
    ("missing-column", f"{SITE}/zwgk/index.html#missing=统计信息"),
    ("missing-column", f"{SITE}/zwgk/index.html#missing=重大建设项目"),
}


def test_exactly_the_planted_column_findings(sample_crawl):
    found = [f for f in sample_crawl.findings() if f["rule"] in COLUMN_RULES]
    assert {(f["rule"], f["url"]) for f in found} == EXPECTED
    by_url = {f["url"]: f for f in found}
    pictures = by_url[f"{SITE}/xwzx/tpxw/index.html"]
    assert (pictures["column"], pictures["level"], pictures["page"]) == ("图片新闻", "deduct", pictures["url"])
    assert pictures["evidence"]["newest"] == "2026-10-28" and pictures["evidence"]["days_since"] == 23
    assert by_url[f"{SITE}/xwzx/xczx/index.html"]["evidence"]["undated"] == 2


def test_columns_are_stored_facts(sample_crawl):
    columns = {r["url"].removeprefix(SITE): r for r in rows(sample_crawl.db, "SELECT * FROM columns")}
    kinds = {url: c["kind"] for url, c in columns.items()}
    assert kinds["/xwzx/bmdt/index.html"] == "uninspectable"  # a JS list is never blank
    assert kinds["/zwgk/fdzdgknr/jgzn.html"] == "content"
    assert kinds["/zwgk/index.html"] == kinds["/zwgk/fdzdgknr/index.html"] == kinds["/xwzx/index.html"] == "navigation"
    newest = {url: c["newest"] for url, c in columns.items()}
    assert newest["/xwzx/tzgg/index.html"] == "2026-11-05"  # the [置顶] 2025-12-01 item sits on top
    assert newest["/zwgk/gsgg/index.html"] == "2026-06-05"  # "(06-05)": the year of --as-of
    assert newest["/zwgk/rsrm/index.html"] == "2026-01-16"
    assert newest["/col/col1234/index.html"] == "2026-11-10"  # Hanweb <datastore> records
    gzdt = columns["/xwzx/gzdt/index.html"]
    assert gzdt["item_count"] == 15 and len(json.loads(gzdt["pages"])) == 3  # index, index_1, index_2


def test_documents_know_their_column(sample_crawl):
    facts = {r["url"].removeprefix(SITE): json.loads(r["facts"])
             for r in rows(sample_crawl.db, "SELECT url, facts FROM pages WHERE kind = 'document'")}
    assert facts["/art/2026/11/10/art_1234_501.html"]["column"]["url"] == f"{SITE}/col/col1234/index.html"
    report = facts["/zwgk/zfxxgknb/202603/t20260325_3001.html"]
    # the 发布日期 the page shows is taken before the PubDate tag (the same day here)
    assert (report["column"]["name"], report["published"], report["published_source"]) == (
        "政府信息公开年报", "2026-03-25", "metadata")


def test_the_site_verdict_is_stored_and_summarised(sample_crawl):
    """DEFECTS.md plants two serious wording errors (严重表述错误, each a single veto by itself under
    the indicator) and no veto counter reached: the verdict is 单项否决风险 yes, whatever the counters say."""
    [run] = rows(sample_crawl.db, "SELECT verdict FROM runs")
    verdict = json.loads(run["verdict"])
    assert (verdict["veto"], verdict["veto_items"], verdict["estimate"]) == (True, ["严重表述错误"], "不合格")
    assert {k: c["count"] for k, c in verdict["counters"].items()} == {
        "stale_dynamic_notice": 3, "should_update": 4, "blank": 1, "home_stale": 0}
    assert "单项否决风险：是（严重表述错误）" in sample_crawl.result.out
    assert ("否决线计数：均未达到否决线（动态/通知类栏目不更新 3/5，应更新未更新栏目 4/10，"
            "空白栏目 1/5，首页不更新 0/1）") in sample_crawl.result.out
