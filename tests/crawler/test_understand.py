"""crawler.understand: saved pages of real CMS templates (TRS, Hanweb JCMS, gkmlpt, generic)
read into the page facts the content rules use (the contract in understand's docstring)."""

from datetime import date
from pathlib import Path

import pytest

from crawler.links import parse_html
from crawler.understand import understand

HTML = Path(__file__).parent / "html"
AS_OF = date(2026, 11, 20)
QX = "http://www.qingxin.gov.cn"
XB = "http://www.qinghe-xinbei.gov.cn"
KEYS = {"kind", "title", "meta", "column", "list", "published", "published_source", "metadata", "doc_number",
        "review", "text", "excerpt", "identity", "links_to_columns"}


def facts(name: str, url: str, encoding: str = "utf-8") -> dict:
    """understand() over a saved page, decoded as the crawler decodes it."""
    text = (HTML / name).read_bytes().decode(encoding)
    doc = parse_html(text)
    return understand(doc, url, (doc.findtext(".//title") or "").strip(), AS_OF)


def items(f: dict) -> list[tuple]:
    return [(i["url"].rsplit("/", 1)[-1], i["date"], i["pinned"]) for i in f["list"]["items"]]


def test_trs_list_with_pinned_old_item_and_script_pagination():
    f = facts("understand/trs_list.html", f"{QX}/zwgk/tzgg/index.shtml")
    assert set(f) == KEYS
    assert f["kind"] == "column" and f["list"]["kind"] == "static"
    assert f["column"] == {"url": f"{QX}/zwgk/tzgg/index.shtml", "name": "通知公告", "path": ["政务公开", "通知公告"],
                           "kind": "list"}
    assert items(f)[:3] == [("t20251201_1188231.html", "2025-12-01", True),  # [置顶] on top, a year old
                            ("t20261118_1201993.html", "2026-11-18", False),
                            ("t20261112_1201554.html", "2026-11-12", False)]
    assert len(items(f)) == 6  # both <ul class="news_list"> halves of the one list
    # the cut title is completed from the title attribute; a date inside a title is not the item's date
    assert f["list"]["items"][0]["title"] == "清远市清新区人民政府关于2026年元旦春节期间有关工作安排的通知"
    assert f["list"]["pages"] == [f"{QX}/zwgk/tzgg/index_{n}.shtml" for n in range(1, 5)]
    assert {c["name"] for c in f["links_to_columns"]} == {"政策文件", "人事信息"}  # itself left out


def test_year_less_dates_take_the_year_of_as_of_or_the_one_before():
    f = facts("understand/yearless_list.html", f"{XB}/xwzx/bmdt/list.jsp")
    assert f["kind"] == "column"
    assert [d for _u, d, _p in items(f)] == ["2026-11-18", "2026-11-12", "2025-12-30"]  # (12-30) lies ahead: last year
    assert f["column"]["name"] == "部门动态" and f["column"]["path"] == ["新闻中心", "部门动态"]
    assert f"{XB}/xwzx/bmdt/list.jsp?page=2" in f["list"]["pages"]


def test_hanweb_datastore_records_are_read():
    f = facts("understand/hanweb_column.html", "http://www.cznd.gov.cn/col/col7015/index.html")
    assert (f["kind"], f["list"]["kind"], f["column"]["kind"]) == ("column", "datastore", "list")
    assert items(f) == [("art_7015_1688201.html", "2026-11-19", False), ("art_7015_1687002.html", "2026-11-07", False),
                        ("art_7015_1685530.html", "2026-10-28", False)]
    assert f["list"]["pages"] == []  # Hanweb has no static index_1.html: nothing is guessed
    assert f["identity"]["jiucuo"] and f["identity"]["psb"] == "苏公网安备 32041102000123号"


def test_a_list_filled_by_script_is_not_inspectable_not_empty():
    f = facts("understand/js_list.html", f"{QX}/gkmlpt/index")
    assert (f["kind"], f["list"]["kind"], f["column"]["kind"]) == ("column", "script", "uninspectable")
    assert f["list"]["items"] == []


def test_an_empty_list_says_so():
    f = facts("understand/empty_list.html", f"{QX}/zwgk/rsrm/index.html")
    assert (f["kind"], f["list"]["kind"], f["list"]["items"], f["column"]["kind"]) == ("column", "static", [], "list")
    assert f["column"]["name"] == "人事任免"


def test_navigation_page_links_its_sub_columns():
    f = facts("understand/navigation.html", f"{QX}/zwgk/")
    assert (f["kind"], f["column"]["kind"]) == ("other", "navigation")
    assert f["column"]["url"] == f"{QX}/zwgk/index.html"
    assert [c["name"] for c in f["links_to_columns"]] == [
        "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "政策文件", "通知公告"]
    assert f["links_to_columns"][4]["url"] == f"{QX}/zwgk/zcwj/index.html"  # a block's 更多>> named by its heading


def test_single_content_page_is_a_column_of_its_own():
    f = facts("understand/content_page.html", f"{QX}/zwgk/fdzdgknr/jgzn/")
    assert (f["kind"], f["column"]["kind"]) == ("other", "content")
    assert f["column"] == {"url": f"{QX}/zwgk/fdzdgknr/jgzn/index.html", "name": "机构职能",
                           "path": ["政务公开", "法定主动公开内容", "机构职能"], "kind": "content"}
    assert f["list"]["items"] == []  # the attachment inside the article is no list
    assert f["text"].startswith("一、主要职能") and len(f["excerpt"]) <= 300


def test_document_visible_pubdate_wins_over_the_meta_tag_and_never_the_written_date():
    f = facts("understand/document_dates.html", f"{QX}/zwgk/gfxwj/202611/t20261105_2001.html")
    assert f["kind"] == "document"
    # the page shows 发布日期 2026年11月05日; PubDate (11-06) is what the CMS wrote when it regenerated it
    assert (f["published"], f["published_source"]) == ("2026-11-05", "metadata")
    assert f["metadata"]["发布日期"] == "2026年11月05日" and f["metadata"]["成文日期"] == "2026年10月28日"
    assert f["metadata"]["有效性"] == "有效"
    assert f["doc_number"] == "清新府规〔2026〕4号"
    assert f["review"] == {"拟稿人": "陈明", "审核人": "黄芳", "发布人": "林涛"}
    assert f["column"]["url"] == f"{QX}/zwgk/gfxwj/index.html" and f["column"]["name"] == "规范性文件"
    assert f["column"]["path"] == ["政务公开", "规范性文件"]  # the title crumb is not part of the path
    assert "现将《清新区城市管理办法》印发给你们" in f["text"]


def test_document_without_meta_takes_the_labelled_publication_date():
    f = facts("understand/document_no_meta.html", f"{QX}/zwgk/czxx/content_77881.html")
    assert f["kind"] == "document"
    assert (f["published"], f["published_source"]) == ("2026-10-12", "metadata")  # 发布日期, not 成文日期 10-09
    assert f["column"]["name"] == "财政信息" and f["column"]["url"] == f"{QX}/zwgk/czxx/index.html"


def test_existing_document_fixtures():
    trs = facts("trs_normative.html", f"{QX}/zwgk/gfxwj/202611/t20261112_1001.html")
    assert (trs["kind"], trs["published"], trs["doc_number"]) == ("document", "2026-11-12", "清新府办规〔2026〕3号")
    hanweb = facts("hanweb_document.html", "http://www.cznd.gov.cn/art/2026/1/16/art_1_45.html")
    assert (hanweb["kind"], hanweb["published"], hanweb["published_source"]) == ("document", "2026-01-16", "metadata")
    assert hanweb["review"] == {"编辑": "周丽", "审核": "吴刚", "签发": "郑海"}


def test_home_page_items_and_footer_identity():
    f = facts("understand/home.html", f"{QX}/")
    assert f["kind"] == "home"
    assert items(f) == [("t20261119_9001.html", "2026-11-19", False), ("t20261117_9000.html", "2026-11-17", False),
                        ("t20261118_8800.html", None, False)]  # a picture link: undated
    assert f["identity"] == {"site_id_code": "4418030001", "icp": "粤ICP备05083519号-2",
                             "psb": "粤公网安备 44180302000110号", "jiucuo": False, "dzjg": True,
                             "footer": f["identity"]["footer"]}
    assert len(f["identity"]["footer"]) == 12


def test_footer_identity_written_by_scripts():
    ident = facts("understand/trs_list.html", f"{QX}/zwgk/tzgg/index.shtml")["identity"]
    assert ident["dzjg"] and ident["jiucuo"]  # conac.cn badge and jiucuo.js
    assert (ident["site_id_code"], ident["icp"]) == ("4418030001", "粤ICP备05083519号")


def test_gbk_page_decoded_as_gb18030():
    f = facts("understand/gbk_list.html", f"{XB}/zjdt/index.html", encoding="gb18030")
    assert f["kind"] == "column" and f["column"]["name"] == "镇街动态"
    assert [(i["title"], i["date"]) for i in f["list"]["items"]] == [("王喆镇长调研冬季农业生产", "2026-11-16"),
                                                                    ("河口街道开展邻里节活动", "2026-11-02")]
    assert f["identity"]["icp"] == "苏ICP备12345678号-1"


@pytest.mark.parametrize("doc", [None])
def test_no_tree_gives_the_blank_contract(doc):
    f = understand(doc, f"{XB}/x.html", "x")
    assert set(f) == KEYS and f["kind"] == "other" and f["list"] == {"kind": "none", "items": [], "pages": []}


def test_footer_scripts_do_not_make_an_empty_list_uninspectable():
    f = facts("understand/trs_empty_list.html", f"{QX}/zwgk/tjxx/index.shtml")
    assert (f["kind"], f["list"]["kind"], f["list"]["items"], f["column"]["kind"]) == ("column", "static", [], "list")
    assert f["identity"]["dzjg"]  # the badge script is still read for the identity


def test_hostile_links_never_lose_the_page():
    """A malformed link in a shared footer must not make understanding fail (every page of the
    template would be lost); the page is still read as a list."""
    html = ('<html><head><title>通知公告</title></head><body><div class="list"><ul>'
            '<li><a href="./202611/t20261118_1.html">关于开展安全生产检查的通知</a><span>2026-11-18</span></li>'
            '<li><a href="http://[::1">坏链接</a><span>2026-11-17</span></li></ul></div>'
            '<div class="footer"><a href="https://[zz]/">网站地图</a> 网站标识码：3204110001</div></body></html>')
    doc = parse_html(html)
    f = understand(doc, f"{XB}/xwzx/tzgg/index.html", "通知公告", AS_OF)
    assert set(f) == KEYS and f["kind"] == "column"
    assert ("t20261118_1.html", "2026-11-18", False) in items(f)
