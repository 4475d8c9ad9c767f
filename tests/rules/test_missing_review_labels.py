"""missing-review-labels: the 三审 labels by the column's majority or by the site profile."""

import pytest

from core.labels import review_labels
from rules import missing_review_labels
from tests.rules.runs import SITE, by_url, doc, make_run, run_rule

FULL = {"拟稿人": "刘洋", "审核人": "赵敏", "发布人": "王五"}


def news(n: int, column="工作动态", review=FULL, **kw):
    prefix = {"工作动态": "/xwzx/gzdt", "镇街动态": "/art/2026/11", "通知公告": "/xwzx/tzgg"}[column]
    return doc(f"{prefix}/t202611{n:02d}_{n}.html", f"新北区召开第{n}次工作会议", column, review=review, **kw)


def test_eight_of_ten_labelled_flags_the_two_others(tmp_path):
    pages = [news(n) for n in range(1, 9)] + [news(9, review={}), news(10, review={"拟稿人": "刘洋", "发布人": "王五"})]
    found = by_url(run_rule(missing_review_labels, make_run(tmp_path, pages)))
    assert set(found) == {"/xwzx/gzdt/t20261109_9.html", "/xwzx/gzdt/t20261110_10.html"}
    none, partial = found["/xwzx/gzdt/t20261109_9.html"], found["/xwzx/gzdt/t20261110_10.html"]
    assert none.message.startswith("未标注三审信息：缺少拟稿人、审核人、发布人")
    assert "本栏目10篇文章中8篇已完整标注" in none.message
    assert partial.message.startswith("三审信息不全：缺少审核人") and partial.evidence["missing"] == ["审核人"]
    assert (partial.level, partial.column, partial.column_url) == ("deduct", "工作动态", f"{SITE}/xwzx/gzdt/index.html")


def test_a_label_without_a_name_is_missing(tmp_path):
    pages = [news(n) for n in range(1, 5)] + [news(5, review={**FULL, "审核人": ""})]
    [f] = run_rule(missing_review_labels, make_run(tmp_path, pages))
    assert f.evidence["missing"] == ["审核人"]


@pytest.mark.parametrize("labelled, total", [(0, 3), (1, 3), (5, 9), (2, 2)])
def test_no_majority_or_too_few_articles_no_rule(tmp_path, labelled, total):
    pages = [news(n, review=FULL if n <= labelled else {}) for n in range(1, total + 1)]
    assert run_rule(missing_review_labels, make_run(tmp_path, pages)) == []


def test_majority_threshold_is_an_option(tmp_path):
    pages = [news(n, review=FULL if n <= 5 else {}) for n in range(1, 10)]  # 5 of 9
    assert len(run_rule(missing_review_labels, make_run(tmp_path, pages), majority=0.5)) == 4


def test_profile_requires_labels_even_without_a_majority(tmp_path):
    profile = '[columns."/col/col1234/"]\nreview_labels = true\n[columns."/xwzx/gzdt/"]\nreview_labels = false\n'
    pages = [news(n, "镇街动态", review={}) for n in (1, 2)] + [news(n, review=FULL if n < 9 else {}) for n in range(3, 11)]
    found = run_rule(missing_review_labels, make_run(tmp_path, pages, profile))
    assert {f.column for f in found} == {"镇街动态"} and len(found) == 2  # 工作动态 switched off by the profile
    assert "网站配置要求本栏目标注三审信息" in found[0].message and found[0].evidence["required_by"] == "profile"


def test_the_column_convention_is_the_one_it_uses(tmp_path):
    variant = {"编辑": "刘洋", "审核": "王喆", "签发": "周明华"}
    pages = [news(n, "通知公告", review=variant) for n in range(1, 4)] + [news(4, "通知公告", review={"编辑": "刘洋"})]
    [f] = run_rule(missing_review_labels, make_run(tmp_path, pages))
    assert f.evidence["missing"] == ["审核", "签发"] and "“编辑/审核/签发”" in f.message


def test_a_site_convention_is_read_from_the_text(tmp_path):
    labels = "撰稿人：刘洋　核稿人：赵敏　签发人：王五"
    pages = [news(n, review={}, text=f"正文。{labels}") for n in range(1, 4)] + [news(4, review={}, text="正文。撰稿人：刘洋")]
    run = make_run(tmp_path, pages)
    assert run_rule(missing_review_labels, run) == []  # the standard conventions see nothing here
    [f] = run_rule(missing_review_labels, run, convention="撰稿人/核稿人/签发人")
    assert f.evidence["missing"] == ["核稿人", "签发人"]


def test_labels_as_printed_are_parsed(tmp_path):
    """Review labels as the sample portal prints them, through the parser the crawler uses."""
    printed = ["拟稿人：刘洋　审核人：赵敏　发布人：王五", "拟稿人:陈晨 审核人:李四 发布人:王五",
               "拟 稿 人：周敏　审 核 人：李四　发 布 人：王五", "拟稿人：刘洋　发布人：王志强"]
    pages = [news(n, review=review_labels(text)) for n, text in enumerate(printed, 1)]
    [f] = run_rule(missing_review_labels, make_run(tmp_path, pages))
    assert f.url.endswith("_4.html") and f.evidence["missing"] == ["审核人"]


def test_sample_portal(sample_crawl):
    """DEFECTS.md §5: 8 of 10 工作动态 articles carry the labels; 镇街动态 carries none (no rule)."""
    found = sample_crawl.findings("missing-review-labels")
    assert sorted(f["url"].removeprefix(SITE) for f in found) == [
        "/xwzx/gzdt/202610/t20261029_1004.html", "/xwzx/gzdt/202611/t20261110_1007.html"]
    assert all(f["column"] == "工作动态" and "10篇文章中8篇" in f["message"] for f in found)


def test_min_articles_is_an_option(tmp_path):
    pages = [news(1), news(2), news(3, review={})]  # 2 of 3 labelled: a majority
    assert len(run_rule(missing_review_labels, make_run(tmp_path, pages))) == 1
    assert run_rule(missing_review_labels, make_run(tmp_path / "b", pages), min_articles=4) == []
