"""missing-column: the 政府信息公开 专栏, its four standard sub-columns and the required
法定主动公开内容 catalogue items (editable data with aliases; the profile changes the set).
Which items are required follows 《政府信息公开条例》: a government portal the whole 第二十条,
a 设区的市 or 县级 government's also 第二十一条, a department's site the core set."""

import pytest

from core.errors import ConfigError
from rules import missing_column
from tests.rules.runs import SITE, ZWGK, home_page, item, list_page, make_run, run_rule, zhuanlan

# 第二十条 (4)-(13) as a district portal names them, beyond the core set zhuanlan() has
ARTICLE_20 = {"统计信息": "/zwgk/tjxx/index.html", "行政许可": "/zwgk/xzxk/index.html",
              "行政处罚": "/zwgk/xzcf/index.html", "收费项目": "/zwgk/sfxm/index.html",
              "政府采购": "/zwgk/zfcg/index.html", "重大建设项目": "/zwgk/zdxm/index.html",
              "教育": "/zwgk/jy/index.html", "应急管理": "/zwgk/yjgl/index.html", "生态环境": "/zwgk/sthj/index.html"}
# 第二十一条: 市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助
ARTICLE_21 = {"城乡建设": "/zwgk/cxjs/index.html", "公共服务": "/zwgk/ggfw/index.html",
              "土地征收": "/zwgk/tdzs/index.html", "治安管理": "/zwgk/zagl/index.html",
              "社会救助": "/zwgk/shjz/index.html"}
EVERYTHING = {**ARTICLE_20, **ARTICLE_21}


def missing(tmp_path, pages, **kw):
    options = kw.pop("options", {})
    return [f.evidence["item"] for f in run_rule(missing_column, make_run(tmp_path, [home_page(), *pages], **kw),
                                                 **options)]


def test_a_complete_zhuanlan_has_nothing_missing(tmp_path):
    assert missing(tmp_path, zhuanlan(extra=EVERYTHING)) == []


def test_one_finding_per_missing_item_naming_it(tmp_path):
    run = make_run(tmp_path, [home_page(), *zhuanlan(without=["政府信息公开年报", "财政预决算"], extra=EVERYTHING)])
    found = run_rule(missing_column, run)
    assert [f.evidence["item"] for f in found] == ["政府信息公开年报", "财政预决算"]
    annual, budget = found
    assert annual.message == "缺少栏目：政府信息公开专栏中未找到标准子栏目「政府信息公开年报」"
    assert budget.message == ("缺少栏目：政府信息公开专栏中未找到法定主动公开内容目录项「财政预决算」"
                              "（《政府信息公开条例》第二十条，县级人民政府）")
    assert (annual.page, annual.column, annual.column_url) == (SITE + "/zwgk/index.html", "政府信息公开",
                                                              SITE + "/zwgk/index.html")
    assert len({f.fingerprint for f in found}) == 2  # each missing item is its own finding


def test_aliases_find_items_under_other_names(tmp_path):
    pages = zhuanlan(without=["人事信息", "规划计划"], extra={"公务员招考": "/zwgk/gwykl/index.html",
                                                         "发展规划": "/zwgk/fzgh/index.html", **EVERYTHING})
    assert missing(tmp_path, pages) == []


def test_the_zhuanlan_may_be_called_zhengwu_gongkai(tmp_path):
    pages = zhuanlan(extra=EVERYTHING)
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
    assert missing(tmp_path / "a", pages, options={"site_kind": "department"}) == ["政府信息公开"]
    # (a department's site: the core set, all there)
    assert missing(tmp_path / "b", pages, options={"zhuanlan": ["政务公开专区"], "site_kind": "department"}) == []


def titled(name: str) -> dict:
    home = home_page()
    home["facts"]["title"] = name
    return home


def test_a_district_portal_is_held_to_articles_20_and_21(tmp_path):
    """The issue's case: a district portal with the core set passed; it lacks 第二十条 (4)-(13)
    and 第二十一条, and a district portal without 统计信息 or 重大建设项目 fails."""
    found = run_rule(missing_column, make_run(tmp_path, [home_page(), *zhuanlan()]))
    assert [f.evidence["item"] for f in found] == [
        "统计信息", "行政许可", "行政处罚和行政强制", "行政事业性收费", "政府采购", "重大建设项目", "扶贫教育医疗社保就业",
        "应急管理", "环境保护和安全监管", "市政建设", "公共服务和公益事业", "土地征收和房屋征收", "治安管理", "社会救助"]
    assert {(f.evidence["site_kind"], f.evidence["site_kind_from"]) for f in found} == {("county", "清河市新北区人民政府")}
    stats = found[0]
    assert stats.message.endswith("「统计信息」（《政府信息公开条例》第二十条，县级人民政府）")
    without = {k: v for k, v in EVERYTHING.items() if k not in ("统计信息", "重大建设项目")}
    assert missing(tmp_path / "b", zhuanlan(extra=without)) == ["统计信息", "重大建设项目"]


@pytest.mark.parametrize("name, kind, article_21", [
    ("清河市人民政府", "city", True),  # 设区的市
    ("江苏省人民政府", "province", False),
    ("上海市人民政府", "province", False),  # a 直辖市 is provincial
    ("上海市浦东新区人民政府门户网站", "county", True),
    ("某某县人民政府", "county", True),
])
def test_the_level_of_government_is_read_from_the_name(tmp_path, name, kind, article_21):
    found = run_rule(missing_column, make_run(tmp_path, [titled(name), *zhuanlan(extra=ARTICLE_20)]))
    assert bool(found) == article_21 and {f.evidence["site_kind"] for f in found} <= {kind}
    assert all(f.evidence["article"] == "第二十一条" for f in found)


@pytest.mark.parametrize("name", ["清河市新北区教育局", "首页_清河市新北区发展和改革委员会", "清河市人民政府办公室"])
def test_a_departments_site_is_held_to_the_core_set(tmp_path, name):
    assert run_rule(missing_column, make_run(tmp_path, [titled(name), *zhuanlan()])) == []
    # the profile's site.name says it as well as the home page's title
    (tmp_path / "b").mkdir()
    assert missing(tmp_path / "b", zhuanlan(), profile=f'[site]\nname = "{name}"\n') == []


def test_a_site_the_name_does_not_place_is_held_to_the_core_set(tmp_path):
    assert run_rule(missing_column, make_run(tmp_path, [titled("新北之窗"), *zhuanlan()])) == []


def test_the_profile_says_what_the_site_is(tmp_path):
    options = {"site_kind": "department"}
    assert missing(tmp_path, zhuanlan(), options=options) == []
    with pytest.raises(ConfigError, match="site_kind"):
        missing(tmp_path / "b", zhuanlan(), options={"site_kind": "ministry"})
