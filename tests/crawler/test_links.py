"""Link extraction from saved pages: every element that loads something, as a browser resolves it."""

from crawler.links import extract_links, parse_html

PAGE = """<html><head><base href="/zwgk/fdzdgknr/">
<link rel="stylesheet" href="/css/main.css"><link rel="dns-prefetch" href="//cdn.example.cn">
<script src="js/app.js"></script></head>
<body>
<a href="gfxwj/index.html">规范性文件</a>
<a href="../../xwzx/gzdt/index.html"> 工作动态 </a>
<a href="javascript:void(0)">打印</a><a href="mailto:x@y.cn">信箱</a><a href="tel:123">电话</a><a href="#top">顶部</a>
<a href="htp://www.qinghe.gov.cn/">首页</a>
<a href="/files/a.pdf"><img src="/images/pdf.png" alt="PDF"></a>
<img src="/images/banner.jpg" alt="横幅"><iframe src="/map.html"></iframe>
<map><area href="/area.html" alt="区域"></map>
<script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2026/11/10/art_1234_501.html" title="t">区政府召开常务会议</a><span>2026-11-10</span></li>]]></record>
</recordset></datastore></script>
</body></html>"""


def links():
    return extract_links(parse_html(PAGE), "http://a.gov.cn/zwgk/page.html")


def test_base_href_and_dot_segments_resolve_like_a_browser():
    urls = [l.url for l in links()]
    assert "http://a.gov.cn/zwgk/fdzdgknr/gfxwj/index.html" in urls
    assert "http://a.gov.cn/xwzx/gzdt/index.html" in urls
    assert "http://a.gov.cn/zwgk/fdzdgknr/js/app.js" in urls


def test_every_loading_element_is_a_link_with_its_tag_attribute_and_text():
    by_url = {l.url: l for l in links()}
    assert (by_url["http://a.gov.cn/images/banner.jpg"].tag, by_url["http://a.gov.cn/images/banner.jpg"].text) == ("img", "横幅")
    assert by_url["http://a.gov.cn/css/main.css"].attr == "href"
    assert by_url["http://a.gov.cn/map.html"].tag == "iframe"
    assert by_url["http://a.gov.cn/area.html"].text == "区域"
    assert by_url["http://a.gov.cn/files/a.pdf"].text == "PDF"  # an image link's text is its alt
    assert by_url["http://a.gov.cn/xwzx/gzdt/index.html"].text == "工作动态"
    assert all(l.source == "http://a.gov.cn/zwgk/page.html" for l in links())


def test_scripted_and_prefetch_links_are_not_targets_and_malformed_hrefs_are_kept_as_written():
    urls = [l.url for l in links()]
    assert not any(u.startswith(("javascript", "mailto", "tel")) or "#" in u for u in urls)
    assert not any("cdn.example.cn" in u for u in urls)
    assert "htp://www.qinghe.gov.cn/" in urls


def test_hanweb_datastore_records_are_read():
    found = [l for l in links() if "art_1234_501" in l.url]
    assert [(l.url, l.text) for l in found] == [("http://a.gov.cn/art/2026/11/10/art_1234_501.html", "区政府召开常务会议")]


def test_empty_or_garbage_documents_give_no_links():
    assert extract_links(parse_html(""), "http://a.gov.cn/") == []
    assert extract_links(parse_html("\x00\x01<<<>>>"), "http://a.gov.cn/") == []
