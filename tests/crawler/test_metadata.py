"""crawler.metadata (meta tags, metadata blocks, body text), crawler.labels (三审 labels, 文号,
有效性) and crawler.checks' soft-404 phrases."""

from pathlib import Path

import lxml.html
import pytest

from core.labels import (
    DEFAULT_REVIEW_LABELS,
    bracket_mistake,
    document_number,
    is_normative_number,
    missing_review_labels,
    normalise_validity,
    review_convention,
    review_labels,
)
from crawler.checks import soft_404_phrase
from crawler.metadata import meta_tags, metadata_block, normalise_label, text_excerpt

HTML = Path(__file__).parent / "html"


def page(name: str) -> str:
    return (HTML / name).read_text(encoding="utf-8")


def tree(name: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page(name))


# --- labels and meta tags -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("有　效　性：", "有效性"),
        ("有 效 性", "有效性"),
        ("索\xa0引\xa0号:", "索引号"),
        (" 发布日期 ： ", "发布日期"),
        ("【索引号】", "索引号"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_label(raw, expected):
    assert normalise_label(raw) == expected


def test_meta_tags_from_trs_page():
    tags = meta_tags(tree("trs_normative.html"))
    assert tags == {
        "SiteName": "清远市清新区人民政府",
        "SiteDomain": "www.qingxin.gov.cn",
        "SiteIDCode": "4418030001",
        "ColumnName": "规范性文件",
        "ColumnType": "规范性文件",
        "ArticleTitle": "清远市清新区人民政府办公室关于印发《清新区规范性文件管理办法》的通知",
        "PubDate": "2026-11-12 09:30",  # written name="pubdate", value padded
        "ContentSource": "清新区人民政府办公室",
    }


def test_meta_tags_accepts_a_string_and_keeps_only_present_tags():
    tags = meta_tags(page("hanweb_document.html"))
    assert tags == {
        "SiteName": "常州市新北区人民政府",
        "SiteIDCode": "3204110001",
        "ColumnName": "规范性文件",
        "ArticleTitle": "常州市新北区人民政府关于废止部分规范性文件的决定",
    }


def test_meta_tags_duplicate_empty_tag_does_not_hide_the_real_one():
    html = '<html><head><meta name="PubDate" content=""><meta name="PubDate" content="2026-01-02"></head></html>'
    assert meta_tags(html) == {"PubDate": "2026-01-02"}


def test_meta_tags_bad_input():
    assert meta_tags("") == {}
    assert meta_tags(None) == {}
    assert meta_tags('<?xml version="1.0" encoding="utf-8"?><html><head>'
                     '<meta name="SiteName" content="x"></head></html>') == {"SiteName": "x"}


# --- metadata block -------------------------------------------------------------------


def test_trs_table_metadata_block():
    block = metadata_block(tree("trs_normative.html"))
    assert block == {
        "索引号": "11441827007183962X/2026-00123",
        "主题分类": "综合政务\\其他",
        "发布机构": "清远市清新区人民政府办公室",  # 发文机关 folded
        "成文日期": "2026年11月10日",
        "标题": "清远市清新区人民政府办公室关于印发《清新区规范性文件管理办法》的通知",
        "文号": "清新府办规〔2026〕3号",  # 发文字号 folded
        "发布日期": "2026年11月12日",
        "有效性": "",  # 有　效　性： printed, value only &nbsp;
    }


def test_hanweb_ul_metadata_block():
    block = metadata_block(page("hanweb_document.html"))
    assert block == {
        "索引号": "014083265/2026-00045",
        "主题分类": "其他",
        "发布机构": "常州市新北区人民政府",
        "成文日期": "2026-01-15",
        "发布日期": "2026-01-16",
        "文号": "常新政规[2026]1号",
        "有效性": "失效",
    }
    assert normalise_validity(block["有效性"]) == "失效"


def test_div_label_span_metadata_block_with_empty_validity():
    block = metadata_block(tree("div_document.html"))
    assert block == {
        "索引号": "11320411014083265A/2026-00307",
        "主题分类": "城乡建设、环境保护",
        "有效性": "",  # the next row (浏览次数) must not leak into it
        "发布机构": "区住房和城乡建设局",
        "标题": "关于2026年度城镇老旧小区改造计划的公示",  # 名称 folded
    }


def test_page_without_validity_label_has_no_key():
    block = metadata_block(page("hanweb_document.html").replace(
        '<li><span class="label">有 效 性：</span>失效</li>', ""))
    assert "有效性" not in block and block["索引号"] == "014083265/2026-00045"


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<table><tr><td>索引号</td><td>A/2026-1</td><td>文号</td><td>国办发〔2019〕19号</td></tr>"
         "<tr><td>有效性</td><td>现行有效</td><td>发布日期</td><td>2026-01-02</td></tr></table>",
         {"索引号": "A/2026-1", "文号": "国办发〔2019〕19号", "有效性": "现行有效", "发布日期": "2026-01-02"}),
        ("<table><tr><td><strong>索引号：</strong>A/2026-1</td><td><strong>主题分类：</strong>财政</td></tr>"
         "<tr><td><strong>有效性：</strong></td><td></td></tr><tr><td>备注</td><td>无</td></tr>"
         "<tr><td><strong>发布机构：</strong>区财政局</td></tr></table>",
         {"索引号": "A/2026-1", "主题分类": "财政", "有效性": "", "发布机构": "区财政局"}),
        ("<ul><li>索引号：A/2026-1</li><li>发布机构：区政府</li><li>有效性：</li><li>废止日期：2026-12-31</li></ul>",
         {"索引号": "A/2026-1", "发布机构": "区政府", "有效性": "", "废止日期": "2026-12-31"}),
        ("<dl><dt>索引号：</dt><dd>A/2026-1</dd><dt>体裁分类：</dt><dd>通知</dd><dt>组配分类：</dt><dd>规范性文件</dd></dl>",
         {"索引号": "A/2026-1", "体裁分类": "通知", "组配分类": "规范性文件"}),
        ("<div class='info'>索引号：A/2026-1<br>发布机构：区政府<br/>生效日期：2026-02-01<br>有效性：尚未生效</div>",
         {"索引号": "A/2026-1", "发布机构": "区政府", "生效日期": "2026-02-01", "有效性": "尚未生效"}),
        ("<p>索引号：A/2026-1　主题分类：综合　发布机构：区政府　有效性：有效</p>",
         {"索引号": "A/2026-1", "主题分类": "综合", "发布机构": "区政府", "有效性": "有效"}),
    ],
    ids=["td-pairs", "td-strong-label", "li-plain", "dl", "div-br", "one-line"],
)
def test_metadata_layouts(html, expected):
    assert metadata_block(html) == expected


def test_fewer_than_three_labels_is_no_block():
    # A news page: 发布时间 and 来源 only.
    assert metadata_block(tree("policy_interpretation.html")) == {}
    assert metadata_block("<div>单位名称：区政府 标题：无 文号：无</div>") == {}
    assert metadata_block("<ul><li>索引号：1</li><li>文号：2</li></ul>") == {}


def test_list_table_header_is_not_a_block():
    html = ("<table><tr><th>标题</th><th>文号</th><th>发布日期</th><th>有效性</th></tr>"
            "<tr><td>关于…的通知</td><td>国办发〔2019〕19号</td><td>2026-01-02</td><td>有效</td></tr></table>")
    assert metadata_block(html) == {}
    # …while a real row with two empty values (labels with colons) is kept.
    html = "<table><tr><td>索引号：</td><td>1</td></tr><tr><td>有效性：</td><td></td><td>废止日期：</td><td></td></tr></table>"
    assert metadata_block(html) == {"索引号": "1", "有效性": "", "废止日期": ""}


def test_label_inside_a_longer_word_is_not_a_label():
    html = "<ul><li>单位名称：区政府</li><li>索引号：1</li><li>文号：2</li><li>有效性：有效</li></ul>"
    assert metadata_block(html) == {"索引号": "1", "文号": "2", "有效性": "有效"}


def test_metadata_block_bad_input():
    assert metadata_block("") == {}
    assert metadata_block(None) == {}
    assert metadata_block("<p>正文</p>") == {}


# --- 三审 review labels ---------------------------------------------------------------


def test_review_labels_three_conventions_from_pages():
    trs = text_excerpt(tree("trs_normative.html").xpath("//div[@class='review']")[0])
    assert review_labels(trs) == {"拟稿人": "陈晓明", "审核人": "李建华", "发布人": "王志强"}
    hanweb = tree("hanweb_document.html").xpath("string(//div[@class='editor'])")
    assert review_labels(hanweb) == {"编辑": "周丽", "审核": "吴刚", "签发": "郑海"}
    div = tree("div_document.html").xpath("string(//p[@class='sign'])")
    assert review_labels(div) == {"初审": "孙宁", "复审": "", "终审": "钱峰"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("拟稿人:张三 审核人: 李四 发布人 ：王五", {"拟稿人": "张三", "审核人": "李四", "发布人": "王五"}),
        ("拟稿人：张三审核人：李四发布人：王五", {"拟稿人": "张三", "审核人": "李四", "发布人": "王五"}),
        ("（责任编辑：张三｜审核：李四｜签发人：王五）", {"编辑": "张三", "审核": "李四", "签发": "王五"}),
        ("拟 稿 人：张三，审 核 人：李四", {"拟稿人": "张三", "审核人": "李四"}),
        # 责任编辑 and its variants are the 编辑 role (issue 10; cmse.gov.cn and kepu.gov.cn articles)
        ("（责任编辑： 周文 ）", {"编辑": "周文"}),
        ("编辑：毛梦囡", {"编辑": "毛梦囡"}),
        ("责编：李明 审核人员：王强", {"编辑": "李明", "审核": "王强"}),
        ("本文由编辑部整理，审核通过后发布", {}),
        ("", {}),
        (None, {}),
    ],
)
def test_review_label_variants(text, expected):
    assert review_labels(text) == expected


def test_missing_review_labels():
    text = tree("policy_interpretation.html").xpath("string(//div[@class='review'])")
    found = review_labels(text)
    assert found == {"拟稿人": "刘洋", "发布人": "王志强"}
    assert review_convention(found) == "拟稿-审核-发布"
    assert missing_review_labels(found, "拟稿-审核-发布") == ["审核人"]
    assert missing_review_labels({"初审": "孙宁", "复审": "", "终审": "钱峰"}, "初审-复审-终审") == ["复审"]
    assert missing_review_labels({}, ("编辑", "审核", "签发")) == ["编辑", "审核", "签发"]
    assert missing_review_labels(found, "no-such-convention") == []
    assert review_convention({}) is None


def test_review_labels_custom_convention():
    patterns = {"local": ("撰稿", "校对", "核发")}
    assert review_labels("撰稿：甲 校对：乙 核发：丙", patterns) == {"撰稿": "甲", "校对": "乙", "核发": "丙"}
    assert set(DEFAULT_REVIEW_LABELS) == {"拟稿-审核-发布", "编辑-审核-签发", "初审-复审-终审"}


# --- 文号 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected, normative, mistake",
    [
        ("清新政规〔2026〕3号", "清新政规〔2026〕3号", True, None),
        ("根据国办发〔2019〕19号文件精神", "国办发〔2019〕19号", False, None),
        ("国办秘函〔2019〕19号", "国办秘函〔2019〕19号", False, None),
        ("苏政规字〔2026〕1号", "苏政规字〔2026〕1号", True, None),
        ("文号：常新政规[2026]1号", "常新政规[2026]1号", True, "[]"),
        ("常新政规(2026)2号", "常新政规(2026)2号", True, "()"),
        ("印发常新政规【2026】3号", "常新政规【2026】3号", True, "【】"),
        ("常政办发（2026）12号", "常政办发（2026）12号", False, "（）"),
        ("国办发〔 ２０１９ 〕 19 号", "国办发〔2019〕19号", False, None),
        # a title ending in 意见 right before its own number, with or without a space (issue 10)
        ("关于加快推进城市更新的实施意见苏政规〔2021〕3号", "苏政规〔2021〕3号", True, None),
        ("关于加快推进城市更新的实施意见 苏政规〔2021〕3号", "苏政规〔2021〕3号", True, None),
    ],
)
def test_document_number(text, expected, normative, mistake):
    wenhao = document_number(text)
    assert wenhao == expected
    assert is_normative_number(wenhao) is normative
    assert bracket_mistake(wenhao) == mistake


def test_policy_interpretation_quotes_a_document_number():
    # The extractor reports the quoted 文号; deciding that a 解读 is not the document is the caller's job.
    body = text_excerpt(tree("policy_interpretation.html"), limit=2000)
    assert document_number(body) == "清新府办规〔2026〕3号"


@pytest.mark.parametrize("text", ["", None, "2026年工作要点", "〔2026〕3号", "第3号文件"])
def test_no_document_number(text):
    assert document_number(text) is None


def test_number_helpers_bad_input():
    assert is_normative_number(None) is False
    assert is_normative_number("清新政规〔2026〕3号附件") is False
    assert bracket_mistake(None) is None


# --- 有效性 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("有效", "有效"), ("现行有效", "有效"), (" 失 效 ", "失效"), ("废止", "废止"),
        ("已修改", "已修改"), ("已修订", "已修订"), ("部分失效", "部分失效"), ("尚未生效", "尚未生效"),
        ("", None), ("　", None), ("待定", None), (None, None),
    ],
)
def test_normalise_validity(value, expected):
    assert normalise_validity(value) == expected


# --- soft 404 -------------------------------------------------------------------------


def test_soft_404_error_template():
    doc = tree("soft404.html")
    assert soft_404_phrase(doc.findtext(".//title"), text_excerpt(doc, limit=3000)) == "您访问的页面不存在"


@pytest.mark.parametrize(
    "title, body, phrase",
    [
        ("404 Not Found", "nginx", "404 Not Found"),
        ("404  not  found", "", "404 Not Found"),
        ("提示信息", "该信息已删除", "该信息已删除"),
        ("提示", "稿件已撤稿", "已撤稿"),
        ("清新区人民政府", "文章不存在！", "文章不存在"),
        ("清新区人民政府", "信息已过期", "信息已过期"),
        ("Page Not Found", "", "Page Not Found"),
        ("页面未找到", "", "页面未找到"),
    ],
)
def test_soft_404_phrases(title, body, phrase):
    assert soft_404_phrase(title, body) == phrase


def test_legit_title_with_404_is_not_an_error_page():
    doc = tree("legit_404_title.html")
    title = doc.findtext(".//title")
    assert "404" in title
    assert soft_404_phrase(title, text_excerpt(doc, limit=3000)) is None


def test_long_article_mentioning_the_phrase_is_not_an_error_page():
    body = "检查发现部分网站存在页面不存在等问题。" + "整改工作持续推进。" * 400
    assert soft_404_phrase("关于政府网站检查情况的通报", body) is None
    assert soft_404_phrase(None, None) is None


# --- body text ------------------------------------------------------------------------


def test_text_excerpt_prefers_trs_editor_and_drops_style_and_script():
    text = text_excerpt(tree("trs_normative.html"))
    assert text.startswith("各镇人民政府，区府直属各单位： 《清新区规范性文件管理办法》已经区人民政府同意")
    assert "line-height" not in text and "document.write" not in text and "统计" not in text
    assert "首页" not in text  # navigation is outside the body container
    assert text.endswith("清远市清新区人民政府办公室 2026年11月10日")


def test_text_excerpt_containers_and_limit():
    assert text_excerpt(tree("hanweb_document.html")).startswith("各镇人民政府、街道办事处")  # #zoom
    assert text_excerpt(tree("div_document.html")).startswith("根据省、市有关要求")  # .article-content
    assert text_excerpt(page("policy_interpretation.html"), limit=6) == "一、制定背景"  # .TRS_UEDITOR
    assert len(text_excerpt(tree("trs_normative.html"), limit=10)) == 10


def test_text_excerpt_falls_back_to_body_and_handles_bad_input():
    assert text_excerpt("<html><body><p>只有\n\n正文</p><script>x()</script></body></html>") == "只有 正文"
    assert text_excerpt("") == ""
    assert text_excerpt(None) == ""
    assert text_excerpt("<html><body><div class='TRS_Editor'> </div><p>备用</p></body></html>") == "备用"
    # A sub-element is searched on its own, not the document around it.
    review = tree("trs_normative.html").xpath("//div[@class='review']")[0]
    assert text_excerpt(review) == "拟稿人：陈晓明 审核人：李建华 发布人：王志强"


def test_metadata_block_of_unknown_labels_is_recognised_by_its_shape():
    # the 开普云 (UCAP) block of the Jiangxi 集约化 platform (www.wanzai.gov.cn, www.yichun.gov.cn): only
    # 索引号 is a label the vocabulary knows; the others are read by their shape and kept as printed
    page = """<html><body><div class="meta-data"><dl class="clearfix">
      <dd class="addWidth IndexNo"><label><font>索 引 号：</font></label><div class="display-block">014742224A/2023-0043406</div></dd>
      <dd class="addWidth scrq"><label><font>生成日期：</font></label><div class="display-block">2023-05-11</div></dd>
      <dd class="addWidth gkfs"><label><font>公开方式：</font></label><div class="display-block">主动公开</div></dd>
      <dd class="addWidth gkfw"><label><font>公开范围：</font></label><div class="display-block">面向全社会</div></dd>
    </dl></div><div class="position">当前位置：<a href="/">首页</a></div>
    <p>联系人：张三</p><p>电话：0795-1234567</p></body></html>"""
    assert metadata_block(page) == {"索引号": "014742224A/2023-0043406", "生成日期": "2023-05-11",
                                    "公开方式": "主动公开", "公开范围": "面向全社会"}


def test_labels_of_a_shape_alone_make_no_block():
    # a contact list has labels of the shape but none a metadata block shows
    page = "<html><body><dl><dt>联系人：</dt><dd>张三</dd><dt>电话：</dt><dd>123</dd><dt>地址：</dt><dd>某路</dd></dl></body></html>"
    assert metadata_block(page) == {}
