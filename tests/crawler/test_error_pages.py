"""Error pages (soft 404) judged as a reader judges them: from the title, the main headings and
the short main message, never from link texts or a long article that mentions the phrase
(issue 11). The pages are built as the CMS templates of provincial portals are."""

from __future__ import annotations

import pytest

from crawler.checks import error_page_phrase
from crawler.links import parse_html
from tests.web import Answer, Web, crawl

FOOTER = ('<div class="footer"><p>主办：清河市人民政府办公室 承办：清河市大数据中心</p>'
          '<p>网站标识码：3204000001 <a href="https://beian.miit.gov.cn/">苏ICP备12345678号</a> 苏公网安备 32040202000123号</p></div>')
NAV = ('<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/xwzx/">新闻中心</a>'
       '<a href="/hdjl/">互动交流</a><a href="/bsfw/">办事服务</a></div>')

TRS_404 = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>404-清河市人民政府</title>
<link rel="stylesheet" href="/images/404.css"><script>var t=5;setInterval(function(){{t--;}},1000);</script></head>
<body><div class="header"><a href="/"><img src="/images/logo.png" alt="清河市人民政府"></a></div>{NAV}
<div class="main404"><img src="/images/404.png" alt="">
<h2>抱歉！您访问的页面不存在或已被删除！</h2>
<p>可能原因：网址有错误，请检查地址是否完整；该页面已被删除或移动。</p>
<p><span id="sec">5</span>秒后自动返回 <a href="/">返回首页</a> <a href="javascript:history.back()">返回上一页</a></p>
</div>{FOOTER}</body></html>"""

HANWEB_DELETED = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>提示信息</title></head><body>{NAV}<table width="600" align="center"><tr><td class="tip">
<img src="/images/jcms_tip.gif"> 该信息已删除或已过期！</td></tr>
<tr><td><a href="/">返回首页</a></td></tr></table>{FOOTER}</body></html>"""

PARAGRAPH = ("为进一步提升政府网站建设管理水平，市政府办公室组织开展了第三季度政府网站检查，"
             "重点检查栏目更新、链接可用性、信息发布审核和互动回应等情况，各单位高度重视，逐项对照整改。")


def article(body: str, related: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于第三季度政府网站检查情况的通报</title></head>
<body>{NAV}<div class="article"><h1>关于第三季度政府网站检查情况的通报</h1>
<div class="info">发布时间：2026-10-12 来源：市政府办公室</div><div class="TRS_Editor">{body}</div>
<div class="related"><h3>相关信息</h3><ul>{related}</ul></div></div>{FOOTER}</body></html>"""


@pytest.mark.parametrize("page, phrase", [(TRS_404, "您访问的页面不存在"), (HANWEB_DELETED, "该信息已删除")])
def test_cms_error_pages_are_error_pages(page, phrase):
    assert error_page_phrase(parse_html(page)) == phrase


def test_an_error_title_on_a_bare_page():
    page = "<html><head><title>页面未找到</title></head><body><a href='/'>返回首页</a></body></html>"
    assert error_page_phrase(parse_html(page)) == "页面未找到"


@pytest.mark.parametrize(
    "page",
    [
        # a short news item whose 相关信息 list names a withdrawn item: the phrase is a link text
        article(f"<p>{PARAGRAPH}</p>", '<li><a href="/xwzx/art_77.html">相关链接（已撤稿）</a></li>'
                                       '<li><a href="/xwzx/art_78.html">页面不存在问题整改情况</a></li>'),
        # a long report that mentions the phrase in its text
        article("<p>检查发现，部分网站存在“页面不存在”、已撤稿信息仍可访问等问题。</p>" + f"<p>{PARAGRAPH}</p>" * 12),
    ],
)
def test_articles_that_mention_the_phrase_are_not_error_pages(page):
    assert error_page_phrase(parse_html(page)) is None


def test_an_article_linking_a_withdrawn_item_is_parsed_and_its_broken_link_found(tmp_path):
    site = "http://www.a.gov.cn"
    related = '<li><a href="/xwzx/art_77.html">相关链接（已撤稿）</a></li>'
    pages = {
        "/": '<a href="/xwzx/art_76.html">检查情况通报</a>',
        "/xwzx/art_76.html": article(f"<p>{PARAGRAPH}</p>", related),
        "/xwzx/art_77.html": Answer(404, TRS_404),
    }
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{site}/", tmp_path / "run.db")
    checks = run.checks()
    assert checks[f"{site}/xwzx/art_76.html"]["outcome"] == "ok"
    broken = {f["url"]: f["page"] for f in run.findings("broken-link")}
    assert broken[f"{site}/xwzx/art_77.html"] == f"{site}/xwzx/art_76.html"
    assert f"{site}/xwzx/art_76.html" not in broken
