"""missing-column: the 政府信息公开 专栏, its four standard sub-columns and the required
法定主动公开内容 catalogue items (editable data with aliases; the profile changes the set)."""

from rules import missing_column
from tests.rules.runs import SITE, ZWGK, home_page, item, list_page, make_run, run_rule, zhuanlan


def missing(tmp_path, pages, **kw):
    options = kw.pop("options", {})
    return [f.evidence["item"] for f in run_rule(missing_column, make_run(tmp_path, [home_page(), *pages], **kw),
                                                 **options)]


def test_a_complete_zhuanlan_has_nothing_missing(tmp_path):
    assert missing(tmp_path, zhuanlan()) == []


def test_one_finding_per_missing_item_naming_it(tmp_path):
    run = make_run(tmp_path, [home_page(), *zhuanlan(without=["政府信息公开年报", "财政预决算"])])
    found = run_rule(missing_column, run)
    assert [f.evidence["item"] for f in found] == ["政府信息公开年报", "财政预决算"]
    annual, budget = found
    assert annual.message == "缺少栏目：政府信息公开专栏中未找到标准子栏目「政府信息公开年报」"
    assert budget.message == "缺少栏目：政府信息公开专栏中未找到法定主动公开内容目录项「财政预决算」"
    assert (annual.page, annual.column, annual.column_url) == (SITE + "/zwgk/index.html", "政府信息公开",
                                                              SITE + "/zwgk/index.html")
    assert len({f.fingerprint for f in found}) == 2  # each missing item is its own finding


def test_aliases_find_items_under_other_names(tmp_path):
    pages = zhuanlan(without=["人事信息", "规划计划"], extra={"公务员招考": "/zwgk/gwykl/index.html",
                                                         "发展规划": "/zwgk/fzgh/index.html"})
    assert missing(tmp_path, pages) == []


def test_the_zhuanlan_may_be_called_zhengwu_gongkai(tmp_path):
    pages = zhuanlan()
    pages[0]["facts"]["column"]["name"] = "政务公开"
    assert missing(tmp_path, pages) == []


def test_no_zhuanlan_at_all_is_one_finding(tmp_path):
    run = make_run(tmp_path, [home_page(), list_page("/xwzx/gzdt/index.html", "工作动态", [item("会议", "2026-11-18")])])
    [f] = run_rule(missing_column, run)
    assert f.evidence["item"] == "政府信息公开" and "未找到政府信息公开专栏" in f.message
    assert f.page == SITE + "/"


def test_the_profile_changes_the_required_items_and_adds_aliases(tmp_path):
    profile = ('[rules.missing-column]\nrequired = ["机构职能", "统计信息", "政府采购"]\n'
               '[rules.missing-column.catalogue]\n"政府采购" = ["/zwgk/zfcg/"]\n')
    pages = [*zhuanlan(without=["财政预决算"]), list_page("/zwgk/zfcg/index.html", "采购公告", [item("采购", "2026-11-01")],
                                                           ZWGK)]
    run = make_run(tmp_path, [home_page(), *pages], profile=profile)
    assert [f.evidence["item"] for f in run_rule(missing_column, run)] == ["统计信息"]


def test_a_spot_check_or_a_cut_short_crawl_says_nothing(tmp_path):
    assert missing(tmp_path / "a", [], settings={"crawl": {"max_depth": 0}}) == []
    assert missing(tmp_path / "b", [], status="interrupted") == []


def test_the_zhuanlan_names_are_an_option(tmp_path):
    pages = zhuanlan()
    pages[0]["facts"]["column"]["name"] = "政务公开专区"  # a name none of the defaults is
    assert missing(tmp_path / "a", pages) == ["政府信息公开"]
    assert missing(tmp_path / "b", pages, options={"zhuanlan": ["政务公开专区"]}) == []
