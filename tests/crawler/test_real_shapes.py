"""Page understanding on the shapes real portals print (issue 10): each page here is a small
copy of the markup of a real template, its source named beside it; the expectations are what
a person reading that page sees."""

from datetime import date

import pytest

from crawler import layout
from crawler.links import parse_html
from crawler.understand import understand

AS_OF = date(2026, 11, 20)
BODY = "<p>" + "为深入贯彻落实党中央、国务院决策部署，进一步做好各项工作，现将有关事项通知如下。" * 6 + "</p>"


def read(page: str, url: str) -> dict:
    doc = parse_html(page)
    return understand(doc, url, (doc.findtext(".//title") or "").strip(), AS_OF)


def crumb(markup: str, url: str = "http://www.example.gov.cn/a/b/index.html") -> list[str]:
    doc = parse_html(f"<html><body><div class='top'>网站标题</div>{markup}<div class='main'>{BODY}</div></body></html>")
    return layout.breadcrumb(doc, url)["names"]


@pytest.mark.parametrize("markup, names", [
    # Hanweb JCMS position bar (fgw.zj.gov.cn): 当前位置 in one cell, each crumb in a cell of a nested table
    (("<div class='position'><table><tr><td>当前位置：</td><td><a href='/index.html'>首页</a></td><td><table><tr>"
     "<td> &gt;<a href='/col/col1/index.html'>发展改革工作</a></td><td> &gt;<a href='/col/col2/index.html'>投资运行</a>"
     "</td></tr></table></td></tr></table></div>"), ["首页", "发展改革工作", "投资运行"]),
    # a bar without classes: 当前位置 in one cell, the links in the next one
    (("<table><tr><td>您现在的位置是：</td><td><a href='/'>首页</a> / <a href='/zwgk/'>政务公开</a> / "
     "<a href='/zwgk/tzgg/'>通知公告</a></td></tr></table>"), ["首页", "政务公开", "通知公告"]),
    ("<div>您现在的位置是：<a href='/'>首页</a>｜<a href='/xw/'>新闻中心</a>｜<a href='/xw/bm/'>部门动态</a></div>",
     ["首页", "新闻中心", "部门动态"]),
    # <li> crumbs with no separator at all
    (("<ul class='breadcrumb'><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
     "<li><a href='/zwgk/zcwj/'>政策文件</a></li></ul>"), ["首页", "政务公开", "政策文件"]),
    # www.shanxi.gov.cn: the column as plain text after the last link
    (("<ul class='breadcrumb'><li><a href='../../../'>首页</a></li><li class='path-cur'> <span>&gt;</span> "
     "<a href='../../'>要闻</a> </li><li class='path-cur'> <span>&gt;</span> 山西要闻 </li></ul>"),
     ["首页", "要闻", "山西要闻"]),
    # the last crumb printed again as text
    ("<div class='dqwz'>当前位置：<a href='/'>首页</a> &gt; <a href='/xw/'>通知公告</a> &gt; 通知公告</div>",
     ["首页", "通知公告"]),
    # www.gov.cn: the print and font-size tools sit inside the trail's element
    (("<div class='BreadcrumbNav'><a href='https://www.gov.cn/'>首页</a>&nbsp;&gt;&nbsp;<a href='/gongbao/'>国务院公报</a>"
     "&nbsp;&gt;&nbsp;<a href='/gongbao/2007/'><span>2007年第23号</span></a><div class='pages_print'>"
     "<span>字号：<span>默认</span><span>大</span></span><span>|</span><span>打印</span>"
     "<a class='share-btn'>&nbsp;</a></div></div>"), ["首页", "国务院公报", "2007年第23号"]),
    # www.kepu.gov.cn and www.scio.gov.cn: no class, no 当前位置, only links and arrows
    (("<div class='t-left'><span class='homer-t'><a href='http://www.example.gov.cn/index.html'>中国科普网</a></span>"
     "<span class='homer-t'>&gt;</span><span class='homer-t'><a href='/politics/index.html'>时政新闻</a></span>"
     "<span class='homer-t'>&gt;</span></div>"), ["中国科普网", "时政新闻"]),
    (("<DIV class='f12 fcolor ptb5'><a href='../../../index.htm'>首页</a>&gt;<a href='../../index.htm'>本办介绍</a>"
     "&gt;<a href='../index.htm'>活动</a> </DIV>"), ["首页", "本办介绍", "活动"]),
])
def test_breadcrumb_shapes(markup, names):
    assert crumb(markup) == names


def test_a_navigation_bar_with_bars_between_its_links_is_no_trail():
    # the header tool bar of www.gov.cn: 首页 | 简 | 繁 | EN — a bar, no arrow: not a breadcrumb
    assert crumb("<ul class='toolbar'><li><a href='/'>首页</a></li><li>|</li><li><a href='/jt/'>简体版</a></li>"
                 "<li>|</li><li><a href='/en/'>English</a></li></ul>") == []


def test_content_after_a_stray_html_end_tag_is_read():
    # www.gov.cn 国务院公报 pages: the header include ends with its own </html>; the breadcrumb, the
    # article and the footer come after it (libxml2 stopped reading there: the page was "other")
    page = (
        "<html><head><title>关于调整国债余额限额的决议__2007年第23号国务院公报_中国政府网</title></head><body>"
        "<div class='header'><a href='https://www.gov.cn/'>首页</a></div></html>"
        "<div class='content'><div class='BreadcrumbNav'><a href='https://www.gov.cn/'>首页</a> &gt; "
        "<a href='https://www.gov.cn/gongbao/currentissue.htm'>国务院公报</a> &gt; "
        "<a href='https://www.gov.cn/gongbao/2007/issue_23/'>2007年第23号</a></div>"
        f"<div class='pages_content' id='UCAP-CONTENT'>{BODY}</div></div>"
        "<div class='footer'>网站标识码bm01000001 京ICP备05070218号 京公网安备11010202000001号</div></body></html>")
    f = read(page, "https://www.gov.cn/gongbao/content/2007/content_711039.htm")
    assert f["kind"] == "document"
    assert f["column"]["name"] == "2007年第23号" and f["column"]["path"] == ["国务院公报", "2007年第23号"]
    assert (f["identity"]["site_id_code"], f["identity"]["icp"]) == ("bm01000001", "京ICP备05070218号")


@pytest.mark.parametrize("line, published", [
    ("2021年03月05日 10时20分 来源：市政府办公室", "2021-03-05"),
    ("2021/03/05 稿件来源：市发展改革委", "2021-03-05"),
    # www.kepu.gov.cn: 来源, 作者 and the date each in an <li>
    ("<ul><li>来源：新华社</li><li>作者：</li><li>2023-12-01 14:43</li></ul>", "2023-12-01"),
    # www.scio.gov.cn: the site's name, the date, then 来源
    ("国务院新闻办公室网站　www.scio.gov.cn　　 2019-04-12　　 来源：国新网", "2019-04-12"),
])
def test_an_unlabelled_date_line_gives_the_published_date(line, published):
    page = (f"<html><head><title>某某文章</title></head><body><div class='crumb'>当前位置：<a href='/'>首页</a> &gt; "
            f"<a href='/xwzx/'>新闻中心</a></div><h1>某某文章</h1><div class='info'>{line}</div>"
            f"<div class='TRS_Editor'>{BODY}</div></body></html>")
    f = read(page, "http://www.example.gov.cn/xwzx/202603/t20210305_1.html")
    assert (f["kind"], f["published"], f["published_source"]) == ("document", published, "metadata")


def test_a_date_of_the_body_is_no_date_line():
    # a date in the running text, with no 来源/作者 beside it: the URL's date stands
    page = ("<html><head><title>某某文章</title></head><body><h1>某某文章</h1><div class='TRS_Editor'>"
            f"<p>2020年1月1日起施行的办法规定如下。</p>{BODY}</div></body></html>")
    f = read(page, "http://www.example.gov.cn/xwzx/202103/t20210305_1.html")
    assert (f["published"], f["published_source"]) == ("2021-03-05", "url")


def column_page(list_markup: str, extra: str = "") -> str:
    return ("<html><head><title>通知公告_某某县人民政府</title></head><body><div class='nav'><a href='/'>首页</a></div>"
            "<div class='position'>当前位置：<a href='/'>首页</a> &gt; <a href='/news/'>通知公告</a></div>"
            f"<div class='main'>{list_markup}</div>{extra}<div class='footer'>某某县人民政府 主办</div></body></html>")


def own_table(n: int) -> str:
    return (f"<table width='100%'><tbody><tr><td class='bt'><a href='/news/2021/0{n}05/{n}001.htm'>"
            f"关于做好第{n}批次重点工作的通知</a></td><td>2021-0{n}-05</td></tr></tbody></table>")


def test_list_rows_each_in_a_table_of_their_own_are_one_list():
    # ASP.NET and old JCMS templates print every row as a <table> of its own
    f = read(column_page("".join(own_table(n) for n in range(1, 8))), "http://www.example.gov.cn/news/index.htm")
    assert f["kind"] == "column"
    assert [(i["title"][:8], i["date"]) for i in f["list"]["items"]] == [
        ("关于做好第1批次", "2021-01-05"), ("关于做好第2批次", "2021-02-05"), ("关于做好第3批次", "2021-03-05"),
        ("关于做好第4批次", "2021-04-05"), ("关于做好第5批次", "2021-05-05"), ("关于做好第6批次", "2021-06-05"),
        ("关于做好第7批次", "2021-07-05")]


@pytest.mark.parametrize("pager, url, pages", [
    # ASP.NET static pages: page2.htm … beside index.htm, a 下一页 link without any pager class
    ("<div>共3页 当前第1页 <a href='page2.htm'>下一页</a> <a href='page3.htm'>尾页</a></div>",
     "http://www.example.gov.cn/news/index.htm",
     ["http://www.example.gov.cn/news/page2.htm", "http://www.example.gov.cn/news/page3.htm"]),
    # 共N页 with numbered links, in a table cell
    (("<table><tr><td>共4页 <a href='index.html'>1</a> <a href='index_1.html'>2</a> <a href='index_2.html'>3</a> "
     "<a href='index_3.html'>4</a> <a href='index_1.html'>下一页</a></td></tr></table>"),
     "http://www.example.gov.cn/news/index.html",
     ["http://www.example.gov.cn/news/index_1.html", "http://www.example.gov.cn/news/index_2.html",
      "http://www.example.gov.cn/news/index_3.html"]),
    # a 下一页 leading out of the list's folder is not one of its pages; nothing is guessed
    ("<div><a href='/other/page2.htm'>下一页</a></div>", "http://www.example.gov.cn/news/index.htm", []),
])
def test_static_pagers_are_followed(pager, url, pages):
    f = read(column_page("".join(own_table(n) for n in range(1, 6)), pager), url)
    assert f["list"]["pages"] == pages


def test_an_undated_picture_strip_is_not_the_main_list():
    # a 专题 page: a strip of picture links (more of them, undated) above the dated list
    pictures = "<ul class='pic'>" + "".join(
        f"<li><a href='/zt/2021/0{n}/content_{n}.htm'><img src='/p{n}.jpg' alt='专题活动图片第{n}组'></a></li>"
        for n in range(1, 10)) + "</ul>"
    dated = "<ul class='list'>" + "".join(
        f"<li><a href='/zt/2021/0{n}/content_{n}0.htm'>专题工作动态第{n}期</a><span>2021-0{n}-10</span></li>"
        for n in range(1, 5)) + "</ul>"
    f = read(column_page(pictures + dated), "http://www.example.gov.cn/zt/index.htm")
    assert [i["date"] for i in f["list"]["items"]] == ["2021-01-10", "2021-02-10", "2021-03-10", "2021-04-10"]


def test_a_home_page_in_a_folder_is_the_home_page():
    # the Jiangxi 集约化 platform: www.yichun.gov.cn/ycsrmzf/index.shtml, its 首页 link leading to itself
    blocks = "".join(f"<div class='box'><h3>政务要闻{b}</h3><a href='/ycsrmzf/zwyw{b}/index.shtml'>更多</a><ul>" + "".join(
        f"<li><a href='/ycsrmzf/zwyw{b}/202310/{b}{n}.shtml'>宜春市召开第{n}次重点工作推进会议</a><span>10-0{n}</span></li>"
        for n in range(1, 6)) + "</ul></div>" for b in range(1, 4))
    page = (f"<html><head><title>中国宜春</title></head><body><div class='nav'><a href='/ycsrmzf/index.shtml'>首页</a>"
            f"<a href='/ycsrmzf/zwgk/index.shtml'>政务公开</a></div>{blocks}</body></html>")
    f = read(page, "https://www.yichun.gov.cn/ycsrmzf/index.shtml")
    assert f["kind"] == "home" and max(i["date"] for i in f["list"]["items"]) == "2026-10-05"
    # the same page deeper in the site (a channel whose 首页 link leads elsewhere) is no home page
    assert read(page.replace("/ycsrmzf/index.shtml'>首页", "/'>首页"),
                "https://www.yichun.gov.cn/ycsrmzf/index.shtml")["kind"] != "home"


def test_site_search_results_are_no_column():
    # zmhd.jiujiang.gov.cn: the TRS 智能检索 results, dated rows and a pager, are no column's list
    page = column_page("<ul>" + "".join(
        f"<li><a href='/art/2025/4/2{n}/art_1_{n}.html'>关于种植业发展的第{n}项政策</a><span>2025-04-2{n}</span></li>"
        for n in range(1, 6)) + "</ul>")
    f = read(page, "https://zmhd.jiujiang.gov.cn/irs-c-web/search.shtml?code=183f883089d&searchWord=种植")
    assert (f["kind"], f["column"]["kind"]) == ("other", None)


def test_a_base_href_that_cannot_be_parsed_leaves_the_page_readable():
    page = column_page("<ul>" + "".join(f"<li><a href='/news/t2021010{n}_{n}.html'>关于做好第{n}项工作的通知</a>"
                                        f"<span>2021-01-0{n}</span></li>" for n in range(1, 4)) + "</ul>")
    f = read(page.replace("<head>", "<head><base href='http://[::1'>"), "http://www.example.gov.cn/news/index.html")
    assert f["kind"] == "column" and len(f["list"]["items"]) == 3


def test_records_a_template_renders_are_the_list():
    # sthjt.jiangxi.gov.cn (Jiangxi's 集约化 platform since 2024): Handlebars renders the list from
    # `var listData = {articleList: [...]}`; the HTML itself holds no row
    records = ", ".join(
        f'{{"title":"《江西省第{n}号办法》政策解读","pubDate":"2025-0{n}-29 16:59","topStatus":0,'
        f'"urls":"{{\\"pc\\":\\"/jxssthjt/col/col42150/content/content_19{n}.html\\"}}","metadata":{{}}}}'
        for n in (7, 6, 5))
    page = column_page('<div class="jgz_box"><ul id="list"></ul></div>').replace(
        "</head>", f"<script>var channelsTagParent = [{{\"code\":\"col42062\",\"name\":\"政务公开\"}}];\n"
                   f"var listData = {{\n articleList: [{records}]\n}};</script></head>")
    f = read(page, "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html")
    assert (f["kind"], f["list"]["kind"]) == ("column", "datastore")
    assert [(i["url"].rsplit("/", 1)[-1], i["date"]) for i in f["list"]["items"]] == [
        ("content_197.html", "2025-07-29"), ("content_196.html", "2025-06-29"), ("content_195.html", "2025-05-29")]


def test_crumbs_a_script_renders_in_the_position_bar():
    # sthjt.jiangxi.gov.cn: 首页 is a link; the rest of the trail is rendered from the channel's record
    bar = ("<div class='Location'><table><tr><td><a href='/jxssthjt/index.html'>首页</a></td><td><table><tr>"
           "<script id='div491845' type='text/x-handlebars-template'>{{#each items}}<td>&gt;&gt; <a href='{{pcUrl}}'>"
           "{{showName}}</a></td>{{/each}}</script><script>renderChannelTemplate('div491845', ({\"code\":\"col42150\","
           "\"showName\":\"<p>以案释法</p>\",\"crumbs\":[{\"urls\":{\"pc\":\"/jxssthjt/col/col42062/index.html\"},"
           "\"name\":\"政务公开\"},{\"urls\":{\"pc\":\"/jxssthjt/col/col42150/index.html\"},\"name\":\"以案释法\"}]})"
           ".crumbs);</script></tr></table></td></tr></table></div>")
    doc = parse_html(f"<html><body>{bar}<div class='main'>{BODY}</div></body></html>")
    found = layout.breadcrumb(doc, "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html")
    assert found["names"] == ["首页", "政务公开", "以案释法"]
    assert found["links"][1] == ("政务公开", "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42062/index.html")


def test_a_related_links_block_never_turns_an_article_into_a_column():
    # an article in a template of unknown classes (no meta tags, no article URL), with a dated
    # 相关文章 list under it: still a document (it was a column with five stale items)
    related = "<div class='xgwz'><h4>相关文章</h4><ul>" + "".join(
        f"<li><a href='/xwzx/show-{n}.aspx'>关于开展第{n}次专项检查的通知</a><span>2019-0{n}-01</span></li>"
        for n in range(1, 6)) + "</ul></div>"
    page = (f"<html><head><title>某某区召开工作会议</title></head><body><div class='top'>某某区人民政府</div>"
            f"<div class='wrap'><div class='tit'>某某区召开工作会议</div><div class='sub'>2021-03-05 来源：区政府办</div>"
            f"<div class='nr'>{BODY}</div>{related}</div></body></html>")
    f = read(page, "http://www.example.gov.cn/xwzx/show.aspx?nid=8812")
    assert (f["kind"], f["published"]) == ("document", "2021-03-05")
    assert f["list"]["items"] == []
