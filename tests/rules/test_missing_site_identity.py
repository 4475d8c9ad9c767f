"""missing-site-identity: footer items per page template."""

import pytest

from rules import missing_site_identity
from tests.rules.runs import SITE, doc, make_run, run_rule


def page(path, kind="document", column="工作动态", **identity):
    return doc(path, f"页面{path}", column, kind=kind, identity=identity)


def test_a_complete_footer_passes(tmp_path):
    run = make_run(tmp_path, [page("/", "home"), page("/xwzx/gzdt/index.html", "column"), page("/xwzx/gzdt/a.html")])
    assert run_rule(missing_site_identity, run) == []


def test_one_finding_per_template_counting_its_pages(tmp_path):
    old = {"jiucuo": False, "dzjg": False, "footer": "gbk"}
    run = make_run(tmp_path, [
        page("/", "home"), page("/xwzx/gzdt/a.html"),
        page("/gbk/index.html", "column", "走进新北", **old), page("/gbk/xbgk.html", "document", "走进新北", **old),
        page("/calendar/?date=2026-11-01", "other", "政务活动日历", site_id_code=None, icp=None, psb=None,
             jiucuo=False, footer=""),  # an application page: not a site page
    ])
    [f] = run_rule(missing_site_identity, run)
    assert f.url == f"{SITE}/gbk/index.html" and f.page == f.url and f.column == "走进新北"
    assert f.message == "页脚缺少“我为政府网站找错”入口（使用同一页面模板的 2 个页面）"
    assert f.evidence["pages_count"] == 2 and f.evidence["missing"] == ["“我为政府网站找错”入口"]
    [f] = run_rule(missing_site_identity, run, require=["id_code", "icp", "psb", "jiucuo", "dzjg"])
    assert "党政机关网站标识" in f.message
    everything = run_rule(missing_site_identity, run, kinds=["home", "column", "document", "other"])
    calendar = next(f for f in everything if "calendar" in f.url)
    assert len(everything) == 2 and calendar.message.startswith("页面无页脚，缺少网站标识码")


@pytest.mark.parametrize("identity, words", [
    ({"site_id_code": None}, "页脚缺少网站标识码"),
    ({"icp": None, "psb": None}, "页脚缺少ICP备案编号、公安机关备案号"),
    ({"site_id_code": "3204110002"}, "页脚网站标识码“3204110002”与页面元数据SiteIDCode“3204110001”不一致"),
    ({"site_id_code": "32041100"}, "网站标识码“32041100”格式不正确"),
    ({"site_id_code": "", "jiucuo": False}, "页脚缺少网站标识码、“我为政府网站找错”入口"),
])
def test_footer_variants(tmp_path, identity, words):
    run = make_run(tmp_path, [page("/", "home", **identity, footer="t2"), page("/a.html", **identity, footer="t2")])
    [f] = run_rule(missing_site_identity, run)
    assert f.message.startswith(words) and f.url == f"{SITE}/" and f.level == "deduct"


def test_ministry_codes_and_the_profile_code(tmp_path):
    run = make_run(tmp_path, [page("/", "home", site_id_code="bm04000001")])
    ok = page("/", "home", site_id_code="bm04000001")
    ok["facts"]["meta"]["SiteIDCode"] = "bm04000001"
    assert run_rule(missing_site_identity, make_run(tmp_path / "b", [ok])) == []
    assert "不一致" in run_rule(missing_site_identity, run)[0].message
    profile = '[site]\nid_code = "3204110009"\n'
    [f] = run_rule(missing_site_identity, make_run(tmp_path / "c", [page("/", "home")], profile))
    assert f.message.startswith("网站标识码“3204110001”与网站配置的标识码“3204110009”不一致")


def test_pages_without_identity_facts_are_skipped(tmp_path):
    bare = page("/a.html")
    del bare["facts"]["identity"]
    run = make_run(tmp_path, [bare])
    assert run_rule(missing_site_identity, run) == []


def test_sample_portal(sample_crawl):
    """DEFECTS.md §6: the site template is complete; the old GBK pages are not on it (no 找错
    entry on the list page, no footer at all on 新北概况); the calendar and iframe are no site pages."""
    found = {f["url"].removeprefix(SITE): f for f in sample_crawl.findings("missing-site-identity")}
    assert set(found) == {"/gbk/index.html", "/gbk/xbgk.html"}
    assert found["/gbk/index.html"]["message"].startswith("页脚缺少“我为政府网站找错”入口")
    assert found["/gbk/xbgk.html"]["message"].startswith("页面无页脚，缺少网站标识码、ICP备案编号、公安机关备案号")


def test_max_pages_listed_bounds_the_evidence_not_the_count(tmp_path):
    pages = [page(f"/gbk/{n}.html", jiucuo=False, footer="gbk") for n in range(1, 5)]
    [f] = run_rule(missing_site_identity, make_run(tmp_path, pages), max_pages_listed=2)
    assert f.evidence["pages_count"] == 4 and f.evidence["pages"] == [f"{SITE}/gbk/1.html", f"{SITE}/gbk/2.html"]
