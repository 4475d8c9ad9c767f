"""Link extraction from saved pages: every element that loads something, as a browser resolves it."""

from crawler.links import extract_links, parse_html, redirect_links, redirect_target

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


# ------------------------------------------------------------ pages that redirect themselves
REDIRECTS = {  # the page's <head> -> where a browser goes (the forms portals' root pages use)
    '<meta http-equiv="refresh" content="0;url=/index.html">': "http://a.gov.cn/index.html",
    '<META HTTP-EQUIV="Refresh" CONTENT="0; URL=col/col1/index.html">': "http://a.gov.cn/dir/col/col1/index.html",
    "<meta http-equiv='refresh' content=\"0 ; url='../index.htm'\">": "http://a.gov.cn/index.htm",
    '<meta http-equiv="refresh" content="3;URL=http://www.a.gov.cn/">': "http://www.a.gov.cn/",
    "<script>location.href = '/a.html';</script>": "http://a.gov.cn/a.html",
    '<script>window.location="/b.html"</script>': "http://a.gov.cn/b.html",
    '<script type="text/javascript">\nwindow.location.href="/c.html"\n</script>': "http://a.gov.cn/c.html",
    "<script>location.replace( '/d.html' );</script>": "http://a.gov.cn/d.html",
    '<script>top.location.href = "/e.html";</script>': "http://a.gov.cn/e.html",
    '<script>self.location="/f.html";</script>': "http://a.gov.cn/f.html",
}
NOT_REDIRECTS = [  # a reload, URLs built from variables, comparisons, other objects' location
    '<meta http-equiv="refresh" content="300">',
    '<script>location.href = "/search.jsp?q=" + encodeURIComponent(q);</script>',
    '<script>if (location.href == "/x.html") { init(); }</script>',
    '<script>map.location = "/y.html"; var u = document.location.href;</script>',
    '<script src="/js/redirect.js"></script>',
]


def redirects(head, body=""):
    doc = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return redirect_links(doc, "http://a.gov.cn/dir/page.html")


def test_meta_refresh_and_script_redirects_are_links():
    for head, target in REDIRECTS.items():
        [link] = redirects(head)
        assert (link.url, link.tag) == (target, "refresh"), head
        assert link.attr == ("meta" if head.lower().startswith("<meta") else "script"), head
    for head in NOT_REDIRECTS:
        assert redirects(head) == [], head


def test_a_page_only_redirects_when_nothing_else_can_be_followed():
    def target(head, body):
        doc = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
        found = extract_links(doc, "http://a.gov.cn/") + redirect_links(doc, "http://a.gov.cn/")
        return redirect_target([(l.url, l.tag) for l in found])

    refresh = '<meta http-equiv="refresh" content="0;url=/index.html">'
    assert target(refresh, "") == "http://a.gov.cn/index.html"
    assert target(refresh, '<a href="/index.html">如果没有自动跳转，请点击这里</a><img src="/logo.png">') == \
        "http://a.gov.cn/index.html"
    mobile = '<script>if (/iPhone|Android/i.test(navigator.userAgent)) { window.location.href = "http://m.a.gov.cn/"; }</script>'
    assert target(mobile, '<a href="/xwzx/index.html">新闻中心</a><a href="/zwgk/index.html">政务公开</a>') is None
    assert target("", '<a href="/xwzx/index.html">新闻中心</a>') is None
