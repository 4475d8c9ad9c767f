"""missing-validity and document-number-format: normative documents and their 有效性 / 文号."""

from pathlib import Path

import pytest

import inspector.sample
from core.labels import document_number
from crawler.metadata import meta_tags, metadata_block, text_excerpt
from rules import document_number_format, missing_validity
from tests.rules.runs import SITE, by_url, doc, make_run, run_rule

SAMPLE = Path(inspector.sample.__file__).parent / "site"
BLOCK = {"索引号": "014101234/2026-00003", "主题分类": "综合政务", "发布机构": "清河市新北区人民政府", "发布日期": "2026-11-05"}


def normative(path, number, column="规范性文件", **extra):
    return doc(path, f"关于印发《管理办法》的通知（{number}）", column, metadata={**BLOCK, "文号": number, **extra})


def from_sample(path: str) -> dict:
    """A sample-portal page read with the crawler's pure parsers, as understand() stores it."""
    html = (SAMPLE / path.lstrip("/")).read_text(encoding="utf-8")
    meta, block = meta_tags(html), metadata_block(html)
    page = doc(path, meta["ArticleTitle"], meta["ColumnName"], metadata=block, published=meta["PubDate"][:10],
               text=text_excerpt(html, 6000))
    page["facts"]["doc_number"] = block.get("文号") or document_number(page["facts"]["text"])
    return page


def test_labelled_normative_documents_pass(tmp_path):
    run = make_run(tmp_path, [
        normative("/zwgk/gfxwj/a.html", "清新政规〔2026〕3号", 有效性="有效"),
        normative("/zwgk/gfxwj/b.html", "清新政规〔2026〕4号", 有效性="现行有效"),
        normative("/zwgk/gfxwj/c.html", "清新政规〔2024〕2号", 有效性="废止"),
        normative("/zwgk/gfxwj/d.html", "清新政规〔2025〕1号", 有效性="有效（2025年3月1日起施行）"),
        normative("/zwgk/gfxwj/xxyx/e.html", "清新政规〔2025〕2号", "现行有效", 有效性="部分失效"),
    ])
    assert run_rule(missing_validity, run) == []
    assert run_rule(document_number_format, run) == []


def test_missing_empty_and_unknown_values(tmp_path):
    run = make_run(tmp_path, [
        normative("/zwgk/gfxwj/a.html", "清新政规〔2026〕1号"),
        normative("/zwgk/gfxwj/b.html", "清新政规〔2026〕2号", 有效性=""),
        normative("/zwgk/gfxwj/c.html", "清新政规〔2026〕5号", 有效性="长期"),
    ])
    found = by_url(run_rule(missing_validity, run))
    a, b, c = found["/zwgk/gfxwj/a.html"], found["/zwgk/gfxwj/b.html"], found["/zwgk/gfxwj/c.html"]
    assert (a.level, a.evidence["reason"]) == ("deduct", "missing")
    assert "未标注有效性" in a.message and "清新政规〔2026〕1号" in a.message
    assert (b.level, b.evidence["reason"]) == ("deduct", "empty") and "有效性为空" in b.message
    assert (c.level, c.evidence["reason"]) == ("hint", "unknown") and "“长期”" in c.message
    assert a.column == "规范性文件" and a.column_url.endswith("/zwgk/gfxwj/index.html") and a.page == a.url
    assert run_rule(missing_validity, run, values=["长期"]) and len(run_rule(missing_validity, run, values=["长期"])) == 2
    assert by_url(run_rule(missing_validity, run, unknown_level="deduct"))["/zwgk/gfxwj/c.html"].level == "deduct"


def test_label_must_match_a_current_or_repealed_column(tmp_path):
    run = make_run(tmp_path, [
        normative("/zwgk/gfxwj/xxyx/a.html", "清新政规〔2020〕1号", "现行有效", 有效性="失效"),
        normative("/zwgk/gfxwj/xxyx/b.html", "清新政规〔2020〕2号", "现行有效", 有效性="已废止"),
        normative("/zwgk/gfxwj/fzsx/c.html", "清新政规〔2019〕3号", "废止和失效", 有效性="有效"),
        normative("/zwgk/gfxwj/fzsx/d.html", "清新政规〔2019〕4号", "废止和失效", 有效性="失效"),
        normative("/zwgk/gfxwj/xxyx/e.html", "清新政规〔2021〕5号", "现行有效", 有效性="有效"),
    ])
    found = by_url(run_rule(missing_validity, run))
    assert set(found) == {"/zwgk/gfxwj/xxyx/a.html", "/zwgk/gfxwj/xxyx/b.html", "/zwgk/gfxwj/fzsx/c.html"}
    assert "“废止”" in found["/zwgk/gfxwj/xxyx/b.html"].message and "“现行有效”" in found["/zwgk/gfxwj/xxyx/b.html"].message
    assert found["/zwgk/gfxwj/fzsx/c.html"].evidence["reason"] == "column-mismatch"


def test_normative_by_number_outside_a_normative_column(tmp_path):
    run = make_run(tmp_path, [
        normative("/xwzx/tzgg/a.html", "清新政办规〔2026〕7号", "通知公告"),  # normative number: counts
        normative("/zwgk/zcwj/b.html", "清新政发〔2026〕12号", "政策文件"),  # 政发: not normative
        doc("/zwgk/zcwj/c.html", "关于印发《办法》的通知", "政策文件", doc_number="清新政规〔2026〕8号",
            text="清新政规〔2026〕8号\n各镇人民政府、街道办事处："),  # number heading the text: its own
        doc("/xwzx/gzdt/d.html", "区政府印发管理办法", text="近日，区政府印发《管理办法》（清新政规〔2026〕9号）。",
            doc_number="清新政规〔2026〕9号"),  # quoted by a news item: not its own
        doc("/zwgk/zcwj/e.html", "关于印发《安全管理办法》的通知", "政策文件", doc_number="清新政规〔2026〕10号",
            text="关于印发《安全管理办法》的通知 发布时间：2026-11-05 来源：区政府 字号：[大 中 小] "
                 "清新政规〔2026〕10号 各镇人民政府："),  # under the page's info line: its own
        doc("/xwzx/tzgg/f.html", "关于转发《清河市行政规范性文件管理办法》（清政规〔2026〕1号）的通知", "通知公告",
            doc_number="清政规〔2026〕1号"),  # the forwarded document's number
    ])
    found = by_url(run_rule(missing_validity, run))
    assert set(found) == {"/xwzx/tzgg/a.html", "/zwgk/zcwj/c.html", "/zwgk/zcwj/e.html"}
    assert found["/xwzx/tzgg/a.html"].evidence["normative_because"] == "number"


def test_policy_interpretation_quoting_a_normative_number_is_not_normative(tmp_path):
    quote = "为规范我区行政规范性文件管理，区政府印发了《清新区规范性文件管理办法》（清新政规〔2026〕3号），现解读如下。"
    run = make_run(tmp_path, [
        doc("/zwgk/zcjd/a.html", "《清新区规范性文件管理办法》政策解读", "政策解读", text=quote,
            doc_number="清新政规〔2026〕3号"),
        doc("/zwgk/gfxwj/b.html", "图解：《清新区规范性文件管理办法》", "规范性文件", text=quote,
            doc_number="清新政规〔2026〕3号"),  # an interpretation filed under 规范性文件: still no
    ])
    assert run_rule(missing_validity, run) == []


def test_profile_column_class_makes_documents_normative(tmp_path):
    profile = '[columns."/zwgk/bmwj/"]\nclass = "normative"\nname = "部门文件"\n'
    page = doc("/zwgk/bmwj/a.html", "关于加强管理的通知", "部门文件", metadata=BLOCK)
    page["facts"]["column"]["url"] = "http://www.qinghe-xinbei.gov.cn/zwgk/bmwj/index.html"
    assert run_rule(missing_validity, make_run(tmp_path, [page], profile))[0].evidence["normative_because"] == "column"


def test_sample_pages_through_the_parser(tmp_path):
    """Labels as printed on the sample portal: 有　效　性: (U+3000), 有 效 性： (ASCII spaces, empty), no row."""
    pages = [from_sample(p) for p in (
        "/zwgk/gfxwj/202611/t20261105_2001.html", "/zwgk/gfxwj/202609/t20260915_2002.html",
        "/zwgk/gfxwj/202606/t20260610_2003.html", "/zwgk/gfxwj/202603/t20260301_2004.html",
        "/zwgk/gfxwj/202405/t20240520_2005.html", "/zwgk/zcwj/202606/t20260615_2401.html")]
    assert pages[3]["facts"]["metadata"]["有效性"] == "" and pages[1]["facts"]["metadata"]["有效性"] == "有效"
    run = make_run(tmp_path, pages)
    found = by_url(run_rule(missing_validity, run))
    assert {u: f.evidence["reason"] for u, f in found.items()} == {
        "/zwgk/gfxwj/202606/t20260610_2003.html": "missing", "/zwgk/gfxwj/202603/t20260301_2004.html": "empty"}
    fmt = run_rule(document_number_format, run)
    assert [(f.url.rsplit("/", 1)[1], f.level, f.evidence["suggested"]) for f in fmt] == [
        ("t20260301_2004.html", "hint", "清新政办规〔2026〕1号")]
    assert "[]" in fmt[0].message and "〔〕" in fmt[0].message


@pytest.mark.parametrize("number, pair, right", [
    ("清新政办规[2026]1号", "[]", "清新政办规〔2026〕1号"),
    ("清新政发（2026）8号", "（）", "清新政发〔2026〕8号"),
    ("清新政规【2026】2号", "【】", "清新政规〔2026〕2号"),
])
def test_document_number_brackets(tmp_path, number, pair, right):
    run = make_run(tmp_path, [normative("/zwgk/zcwj/a.html", number, "政策文件", 有效性="有效")])
    [f] = run_rule(document_number_format, run)
    assert (f.evidence["brackets"], f.evidence["suggested"], f.level) == (pair, right, "hint")


def test_sample_portal(sample_crawl):
    """DEFECTS.md §5: the planted 有效性 defects, the [2026] note, and nothing for the 政策解读 page."""
    found = {f["url"].removeprefix(SITE): f for f in sample_crawl.findings("missing-validity")}
    assert {u: f["evidence"]["reason"] for u, f in found.items()} == {
        "/zwgk/gfxwj/202606/t20260610_2003.html": "missing",
        "/zwgk/gfxwj/202603/t20260301_2004.html": "empty",
        "/zwgk/gfxwj/202610/t20261020_2006.html": "missing",
    }
    assert all(f["column"] == "规范性文件" and f["level"] == "deduct" for f in found.values())
    fmt = sample_crawl.findings("document-number-format")
    assert [(f["url"].removeprefix(SITE), f["level"]) for f in fmt] == [("/zwgk/gfxwj/202603/t20260301_2004.html", "hint")]
    interpretation = f"{SITE}/zwgk/zcjd/202611/t20261106_2501.html"
    assert sample_crawl.checks()[interpretation]["outcome"] == "ok"
    assert not [f for f in sample_crawl.findings() if interpretation in (f["url"], f["page"])]


def test_a_number_right_after_a_title_ending_in_yijian_is_the_documents_own(tmp_path):
    # 苏政规〔2021〕3号 printed after the title it numbers: the 见 of 意见 is not 详见/参见 (issue 10)
    title = "江苏省人民政府关于加快推进城市更新的实施意见 苏政规〔2021〕3号"
    run = make_run(tmp_path, [doc("/zwgk/zcwj/a.html", title, "政策文件", metadata=BLOCK,
                                  doc_number=document_number(title))])
    found = run_rule(missing_validity, run)
    assert [(f.url.rsplit("/", 1)[-1], f.evidence["reason"]) for f in found] == [("a.html", "missing")]
    assert "苏政规〔2021〕3号" in found[0].message
    # quoted after 详见, the same number is another document's: no finding
    quoted = make_run(tmp_path / "q", [doc("/zwgk/zcwj/b.html", "关于城市更新的解读（详见苏政规〔2021〕3号）", "政策文件",
                                           metadata=BLOCK, doc_number="苏政规〔2021〕3号")])
    assert run_rule(missing_validity, quoted) == []


def test_the_current_and_repealed_column_names_are_options(tmp_path):
    run = make_run(tmp_path, [normative("/zyxwj/a.html", "清新政规〔2020〕1号", "在用文件", 有效性="失效"),
                              normative("/zfwj/b.html", "清新政规〔2019〕3号", "作废文件", 有效性="有效")])
    assert run_rule(missing_validity, run) == []  # neither column name is a default one
    found = by_url(run_rule(missing_validity, run, current_columns=["在用"], repealed_columns=["作废"]))
    assert {url: f.evidence["reason"] for url, f in found.items()} == {"/zyxwj/a.html": "column-mismatch",
                                                                       "/zfwj/b.html": "column-mismatch"}
