"""empty-column (空白栏目): a list column with no item. Single content pages, navigation pages and
lists a script fills are never blank; the pages here are saved pages read by crawler.understand."""

from datetime import date
from pathlib import Path

from crawler.links import parse_html
from crawler.understand import understand
from rules import empty_column
from tests.rules.runs import SITE, ZWGK, item, list_page, make_run, other_page, run_rule, stored

HTML = Path(__file__).parent.parent / "crawler" / "html" / "understand"


def understood(name: str, path: str) -> dict:
    """A saved page as the crawler stores it."""
    doc = parse_html((HTML / name).read_text(encoding="utf-8"))
    return stored(SITE + path, understand(doc, SITE + path, doc.findtext(".//title"), date(2026, 11, 20)))


def test_a_list_showing_only_no_information_is_blank(tmp_path):
    run = make_run(tmp_path, [understood("empty_list.html", "/zwgk/rsrm/index.html")])
    [f] = run_rule(empty_column, run)
    assert (f.rule, f.level, f.url, f.column, f.column_url) == ("empty-column", "deduct", SITE + "/zwgk/rsrm/index.html",
                                                                "人事任免", SITE + "/zwgk/rsrm/index.html")
    assert f.message == "空白栏目：人事任免 无任何信息"
    assert f.evidence["class"] == "personnel-planning" and f.evidence["pages"] == [f.url]


def test_content_navigation_and_script_pages_are_not_blank(tmp_path):
    run = make_run(tmp_path, [
        understood("content_page.html", "/zwgk/fdzdgknr/jgzn/"),
        understood("navigation.html", "/zwgk/"),
        understood("js_list.html", "/gkmlpt/index"),
        understood("hanweb_column.html", "/col/col7015/index.html"),
    ])
    kinds = {c["name"]: c["kind"] for c in run.columns()}
    assert kinds == {"机构职能": "content", "政务公开": "navigation", "政府信息公开目录": "uninspectable",
                     "乡镇动态": "list"}
    assert run_rule(empty_column, run) == []


def test_blank_columns_one_finding_each_except_exempt(tmp_path):
    pages = [list_page("/zwgk/rsxx/index.html", "人事信息", [], ZWGK),
             list_page("/zwgk/tjxx/index.html", "统计信息", [], ZWGK),
             list_page("/zt/2019/index.html", "2019年专题回顾", []),
             list_page("/hdjl/dczj/index.html", "调查征集", [], ["互动交流"]),
             list_page("/xwzx/gzdt/index.html", "工作动态", [item("常务会议", "2026-11-18")]),
             other_page("/zwgk/fdzdgknr/jgzn.html", "机构职能", "content", ZWGK)]
    run = make_run(tmp_path, pages, profile='[columns."/hdjl/"]\nexempt = true\n')
    assert sorted(f.column for f in run_rule(empty_column, run)) == ["人事信息", "统计信息"]
