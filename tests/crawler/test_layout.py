"""crawler.layout, crawler.breadcrumbs, crawler.footer: column URLs, page names, the breadcrumb and the
footer's identity items."""

import pytest
from lxml import html

from core.urls import column_url, same_column
from crawler.breadcrumbs import breadcrumb
from crawler.footer import identity
from crawler.layout import page_name

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
