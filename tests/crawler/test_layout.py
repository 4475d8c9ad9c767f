"""crawler.layout: column URLs, page names, the breadcrumb and the footer's identity items."""

import pytest
from lxml import html

from core.urls import column_url, same_column
from crawler.layout import breadcrumb, identity, page_name

S = "http://www.qinghe-xinbei.gov.cn"


@pytest.mark.parametrize("url, expected", [
    (f"{S}/xwzx/gzdt/", f"{S}/xwzx/gzdt/index.html"),
    (f"{S}/xwzx/gzdt/index_2.html", f"{S}/xwzx/gzdt/index.html"),
    (f"{S}/xwzx/gzdt/index_11.shtml", f"{S}/xwzx/gzdt/index.shtml"),
    (f"{S}/col/col1234/index.html", f"{S}/col/col1234/index.html"),
    (f"{S}/zwgk/fdzdgknr/jgzn.html#top", f"{S}/zwgk/fdzdgknr/jgzn.html"),
])
def test_column_url_is_the_first_list_page(url, expected):
    assert column_url(url) == expected


def test_same_column_whatever_the_index_file():
    assert same_column(f"{S}/zwgk/tzgg/", f"{S}/zwgk/tzgg/index.shtml")
    assert not same_column(f"{S}/zwgk/tzgg/", f"{S}/zwgk/zcwj/index.html")


@pytest.mark.parametrize("title, name", [
    ("通知公告_清河市新北区人民政府", "通知公告"),
    ("清河市新北区人民政府_通知公告", "通知公告"),
    ("通知公告-清河市新北区人民政府", "通知公告"),
    ("部门动态 | 清河市新北区人民政府", "部门动态"),
    ("", ""),
])
def test_page_name_from_the_title(title, name):
    assert page_name(title, "清河市新北区人民政府") == name


def test_breadcrumb_variants():
    doc = html.fromstring('<div><div class="crumb">您当前的位置：<a href="/">网站首页</a> » <a href="/zwgk/">政务公开</a>'
                          ' » 通知公告</div></div>')
    crumb = breadcrumb(doc, S + "/zwgk/tzgg/")
    assert crumb["names"] == ["网站首页", "政务公开", "通知公告"] and not crumb["last_is_link"]
    assert crumb["links"][1] == ("政务公开", S + "/zwgk/")


def test_identity_from_the_whole_page_without_a_footer():
    doc = html.fromstring("<html><body><p>网站标识码:bm09000001 京ICP备05070218号 京公网安备11010202000001号</p>"
                          '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=bm09000001">'
                          "<img src='/img/jiucuo.png'></a></body></html>")
    assert identity(doc) == {"site_id_code": "bm09000001", "icp": "京ICP备05070218号",
                             "psb": "京公网安备 11010202000001号", "jiucuo": True, "dzjg": False, "footer": ""}


@pytest.mark.parametrize("footer, icp, psb", [
    # 12-digit filings (older), a space and no 号, the 公安备案 form, the 公安机关备案号 label
    ("京ICP备05070218号 京公网安备110102000001号", "京ICP备05070218号", "京公网安备 110102000001号"),
    ("冀ICP备05007393号 冀公网安备 13010402001602", "冀ICP备05007393号", "冀公网安备 13010402001602号"),
    ("赣ICP备05004417号 赣公安备案 36040202000107号", "赣ICP备05004417号", "赣公安备案 36040202000107号"),
    ("苏ICP备05006007号-1 公安机关备案号：32010202010111", "苏ICP备05006007号-1", "公安机关备案号 32010202010111"),
    # an ICP filing written without 号
    ("浙ICP备05005719 浙公网安备33010602000004号", "浙ICP备05005719号", "浙公网安备 33010602000004号"),
])
def test_identity_filings_in_the_forms_portals_print(footer, icp, psb):
    found = identity(html.fromstring(f"<html><body><div class='main'>正文</div><div class='footer'>{footer}</div>"
                                     "</body></html>"))
    # the tool writes every 公网安备 filing in one form: the number is what must be read
    assert (found["icp"], _digits(found["psb"])) == (icp, _digits(psb))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@pytest.mark.parametrize("entry, shown", [
    ("<a href='/jiucuo/'>【页面纠错】</a>", True),
    ("<a href='/hdjl/wyjc/'>我要纠错</a>", True),
    # fgw.zj.gov.cn: the template keeps the 纠错 link but switched off
    (("<span style='display:none'><a href='https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3300000029'>"
     "<img src='/jiucuo.png'></a></span>"), False),
])
def test_jiucuo_entries(entry, shown):
    doc = html.fromstring(f"<html><body><div class='main'>正文</div><div class='footer'>{entry}</div></body></html>")
    assert identity(doc)["jiucuo"] is shown
