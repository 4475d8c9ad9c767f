"""URL facts: how hrefs resolve, what counts as one target, what is a wrong link."""

import pytest

from core.urls import (canonical, href_mistake, is_special_nxdomain, page_key, resolve_href, valid_start_url,
                       wrong_link_reason)


@pytest.mark.parametrize(
    "href, base, expected",
    [
        ("../../xwzx/gzdt/index.html", "http://a.gov.cn/zwgk/fdzdgknr/gfxwj/x.html", "http://a.gov.cn/zwgk/xwzx/gzdt/index.html"),
        ("//www.gov.cn/a.html", "https://a.gov.cn/x/", "https://www.gov.cn/a.html"),
        ("  ./202611/t20261112_1.html\n", "http://a.gov.cn/xwzx/gzdt/index.html", "http://a.gov.cn/xwzx/gzdt/202611/t20261112_1.html"),
        ("附件/工作报告.pdf", "http://a.gov.cn/gbk/index.html",
         "http://a.gov.cn/gbk/%E9%99%84%E4%BB%B6/%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.pdf"),
    ],
)
def test_hrefs_resolve_as_a_browser_resolves_them(href, base, expected):
    assert resolve_href(href, base) == expected


def test_chinese_path_is_utf8_even_on_a_gbk_page_but_query_uses_the_page_encoding():
    url = resolve_href("附件/工作报告.pdf?名=值", "http://a.gov.cn/gbk/index.html", "gb2312")
    assert url.startswith("http://a.gov.cn/gbk/%E9%99%84%E4%BB%B6/")
    assert url.endswith("?%C3%FB=%D6%B5")  # 名=值 in GBK


@pytest.mark.parametrize("href", ["javascript:void(0)", "mailto:a@b.cn", "tel:025-1234", "#top", "", "  "])
def test_links_a_browser_does_not_fetch_are_ignored(href):
    assert resolve_href(href, "http://a.gov.cn/") is None


def test_one_target_whatever_the_fragment_session_id_or_default_port():
    forms = [
        "http://A.gov.cn:80/xwzx/index.html#top",
        "http://a.gov.cn/xwzx/index.html;jsessionid=ABC123",
        "http://a.gov.cn/xwzx/index.html?jsessionid=XYZ",
    ]
    assert {canonical(u) for u in forms} == {"http://a.gov.cn/xwzx/index.html"}
    assert canonical("http://a.gov.cn/list?page=2&sid=9") == "http://a.gov.cn/list?page=2"


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://192.168.1.20/wcm/preview.do?docid=1", "private-address"),
        ("http://10.0.0.5/files/a.doc", "private-address"),
        ("http://172.20.1.1/", "private-address"),
        ("http://127.0.0.1:8080/", "loopback-address"),
        ("http://2130706433/", "loopback-address"),  # 127.0.0.1 written as a number
        ("http://0x7f.1/", "loopback-address"),
        ("http://[::1]/", "loopback-address"),
        ("http://localhost:8080/admin/", "localhost"),
        ("http://cms-admin/index.html", "single-label-host"),
        ("http://oa.xinbei.local/", "internal-host"),
        ("http://test.qinghe-xinbei.gov.cn/index.html", "test-host"),
        ("http://uat-portal.qinghe.gov.cn/", "test-host"),
        ("http://www.qinghe.gov.cn/wcm/app/preview.jsp?id=3", "cms-admin-path"),
        ("file:///C:/Users/admin/Desktop/通知.doc", "file-scheme"),
        ("htp://www.qinghe.gov.cn/", "malformed-scheme"),
        ("http//www.gov.cn", "malformed-scheme"),
        ("http:/www.gov.cn", "malformed-scheme"),
        ("http://www.gov.cn:99999/", "malformed-url"),
    ],
)
def test_wrong_links_are_named_by_their_text(url, reason):
    assert wrong_link_reason(url) == reason


@pytest.mark.parametrize("url", ["http://www.gov.cn/", "https://www.qinghe-xinbei.gov.cn/xwzx/gzdt/index.html",
                                 "http://www.js.gov.cn/jcms/jcms_files/jcms1/web1/site/art/2026/11/1/art_1.html",
                                 "http://testing-center.gov.cn/", "http://8.8.8.8/"])
def test_ordinary_public_links_are_not_wrong(url):
    assert wrong_link_reason(url) is None


def test_mistakes_are_seen_in_the_href_before_it_is_resolved():
    assert href_mistake("http//www.gov.cn") == "malformed-scheme"
    assert href_mistake("../a.html") is None


def test_rfc6761_names_never_resolve():
    assert is_special_nxdomain("www.dead-host.invalid")
    assert is_special_nxdomain("x.test.")
    assert not is_special_nxdomain("www.gov.cn")


@pytest.mark.parametrize("url", ["www.gov.cn", "ftp://a.cn/", "http://", "http://a.cn:abc/"])
def test_start_urls_that_cannot_start_a_crawl_get_a_reason(url):
    assert valid_start_url(url)


def test_a_good_start_url_has_no_complaint():
    assert valid_start_url("http://www.qinghe-xinbei.gov.cn/") is None


@pytest.mark.parametrize("aliases, name", [
    (["http://www.x.gov.cn/zwgk/col/", "http://www.x.gov.cn/zwgk/col/index.html"], "http://www.x.gov.cn/zwgk/col/index.html"),
    (["http://www.x.gov.cn/", "http://www.x.gov.cn/index.html", "http://WWW.x.gov.cn:80/index.shtml#top"],
     "http://www.x.gov.cn/"),
    (["http://www.x.gov.cn/zwgk/col/index_2.html"], "http://www.x.gov.cn/zwgk/col/index_2.html"),  # another page
    (["http://www.x.gov.cn/search/?q=1"], "http://www.x.gov.cn/search/?q=1"),  # a query names its own page
])
def test_a_page_has_one_name_whatever_alias_reached_it(aliases, name):
    assert {page_key(url) for url in aliases} == {name}
