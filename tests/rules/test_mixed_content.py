"""mixed-content: news in statutory columns, documents in news columns, news in 政策解读."""

from rules import mixed_content
from tests.rules.runs import SITE, by_url, doc, make_run, run_rule

BLOCK = {"索引号": "014101234/2026-00011", "发布机构": "区司法局", "发布日期": "2026-10-20"}
NEWS_BODY = "10月19日，区司法局召开规范性文件清理工作会议，并赴各镇（街道）开展专项督导调研。"


def test_news_in_the_normative_column_is_reported_with_its_confidence(tmp_path):
    run = make_run(tmp_path, [
        doc("/zwgk/gfxwj/a.html", "区司法局开展规范性文件清理专项督导活动", "规范性文件", metadata=BLOCK, text=NEWS_BODY),
        doc("/zwgk/gfxwj/b.html", "清河市新北区人民政府关于印发《新北区城市管理办法》的通知", "规范性文件",
            metadata={**BLOCK, "文号": "清新政规〔2026〕3号"}, text="清新政规〔2026〕3号 各镇人民政府："),
        doc("/zwgk/gfxwj/c.html", "关于开展2026年安全生产月活动的通知", "规范性文件", metadata=BLOCK),
    ])
    [f] = run_rule(mixed_content, run)
    assert f.url.endswith("/zwgk/gfxwj/a.html") and f.level == "hint"
    assert f.evidence["case"] == "news-in-statutory" and f.evidence["confidence"] == 0.95
    assert "新闻动态类信息“区司法局开展规范性文件清理专项督导活动”发布在规范性文件栏目“规范性文件”中" in f.message and "置信度 0.95" in f.message
    assert "“开展…活动”" in f.message and "“督导”" in f.message and "无文号" in f.message
    assert (f.column, f.column_url.endswith("/zwgk/gfxwj/index.html")) == ("规范性文件", True)


def test_confidence_grows_with_agreeing_signals(tmp_path):
    run = make_run(tmp_path, [
        doc("/zwgk/czyjs/a.html", "区财政局召开预算公开工作会", "财政预决算", text="近日，区财政局召开会议。"),  # 0.5+0.2+0.1+0.15
        doc("/zwgk/czyjs/b.html", "区领导调研预算执行", "财政预决算", metadata={**BLOCK, "文号": "清新财〔2026〕3号"}),  # 0.5
        doc("/zwgk/czyjs/c.html", "新北区2026年区级部门预算公开", "财政预决算", metadata=BLOCK),  # no news verb
    ])
    found = by_url(run_rule(mixed_content, run))
    assert {u: f.evidence["confidence"] for u, f in found.items()} == {"/zwgk/czyjs/a.html": 0.95,
                                                                      "/zwgk/czyjs/b.html": 0.5}
    assert "政府信息公开专栏“财政预决算”" in found["/zwgk/czyjs/a.html"].message
    assert set(by_url(run_rule(mixed_content, run, min_confidence=0.6))) == {"/zwgk/czyjs/a.html"}


def test_news_in_news_columns_is_fine(tmp_path):
    run = make_run(tmp_path, [
        doc("/xwzx/gzdt/a.html", "区政府召开第十一次常务会议", text="会议强调……"),
        doc("/art/2026/11/10/b.html", "清溪镇开展冬季消防安全宣传活动", "镇街动态"),
        doc("/xwzx/tzgg/c.html", "关于召开2026年政务公开工作推进会的通知", "通知公告"),
    ])
    assert run_rule(mixed_content, run) == []


def test_a_normative_document_in_a_news_column(tmp_path):
    run = make_run(tmp_path, [
        doc("/xwzx/gzdt/a.html", "清河市新北区人民政府关于印发《新北区城市管理办法》的通知",
            metadata={**BLOCK, "文号": "清新政规〔2026〕5号"}),
        doc("/xwzx/gzdt/b.html", "区政府印发城市管理办法",
            text="11月5日，区政府印发《新北区城市管理办法》（清新政规〔2026〕5号）。", doc_number="清新政规〔2026〕5号"),
        doc("/xwzx/gzdt/c.html", "《新北区城市管理办法》政策解读", metadata={"文号": "清新政规〔2026〕5号"}),
    ])
    [f] = run_rule(mixed_content, run)
    assert f.url.endswith("/xwzx/gzdt/a.html") and f.evidence["case"] == "document-in-news"
    assert f.evidence["confidence"] == 0.85 and "规范性文件文号 清新政规〔2026〕5号" in f.message
    assert "发布在新闻动态栏目“工作动态”中" in f.message


def test_interpretations_that_are_news(tmp_path):
    run = make_run(tmp_path, [
        doc("/zwgk/zcjd/a.html", "《新北区城市管理办法》政策解读", "政策解读",
            text="为规范城市管理，区政府印发了《新北区城市管理办法》（清新政规〔2026〕3号），现解读如下。",
            doc_number="清新政规〔2026〕3号"),
        doc("/zwgk/zcjd/b.html", "图解：区政府召开常务会议审议城市管理办法", "政策解读"),
        doc("/zwgk/zcjd/c.html", "区政府召开政策吹风会", "政策解读", text="近日，区政府召开政策吹风会。"),
    ])
    [f] = run_rule(mixed_content, run)
    assert f.url.endswith("/zwgk/zcjd/c.html") and f.evidence["case"] == "news-in-interpretation"
    assert f.evidence["confidence"] == 0.85 and "新闻动态类信息“区政府召开政策吹风会”发布在政策解读栏目“政策解读”中" in f.message


def test_the_disclosure_section_by_breadcrumb_but_not_its_interaction_columns(tmp_path):
    notice = doc("/zwgk/tzgg/a.html", "区政府召开政务公开工作推进会", "通知公告")
    letters = doc("/zwgk/ldxx/b.html", "关于区领导调研老旧小区改造的建议", "领导信箱")
    for page in (notice, letters):
        page["facts"]["column"]["path"] = ["首页", "政府信息公开", page["facts"]["column"]["name"]]
    [f] = run_rule(mixed_content, make_run(tmp_path, [notice, letters]))
    assert f.url.endswith("/zwgk/tzgg/a.html") and "政府信息公开专栏“通知公告”" in f.message


def test_word_lists_are_options(tmp_path):
    run = make_run(tmp_path, [doc("/zwgk/gfxwj/a.html", "区司法局赴镇街指导规范性文件清理", "规范性文件")])
    assert run_rule(mixed_content, run) == []
    [f] = run_rule(mixed_content, run, news_words=["赴…指导"])
    assert "“赴…指导”" in f.message


def test_sample_portal(sample_crawl):
    """DEFECTS.md §5: the news item in 规范性文件; the 政策解读 page quoting a 文号 is no news."""
    [f] = sample_crawl.findings("mixed-content")
    assert f["url"] == f"{SITE}/zwgk/gfxwj/202610/t20261020_2006.html" and f["level"] == "hint"
    assert f["evidence"]["case"] == "news-in-statutory" and f["evidence"]["confidence"] >= 0.8


def test_body_and_interpretation_word_lists_are_options(tmp_path):
    run = make_run(tmp_path, [
        doc("/zwgk/czyjs/a.html", "区财政局召开预算公开工作会", "财政预决算", text="近日，区财政局召开会议。"),
        doc("/zwgk/zcjd/b.html", "图解：区政府召开常务会议", "政策解读"),
    ])
    assert {u: f.evidence["confidence"] for u, f in by_url(run_rule(mixed_content, run)).items()} == {
        "/zwgk/czyjs/a.html": 0.95}  # 图解 makes b an interpretation
    fewer = by_url(run_rule(mixed_content, run, body_news_words=["会上"], interpretation_words=["解读"]))
    assert fewer["/zwgk/czyjs/a.html"].evidence["confidence"] == 0.8  # 近日 no longer a news-style body
    assert fewer["/zwgk/zcjd/b.html"].evidence["case"] == "news-in-interpretation"
