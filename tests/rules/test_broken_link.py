"""broken-link (断链): one finding per broken target, confirmed (扣分) for a 404/403/410 of the
site's own pages and suspected (提示) otherwise; home-page links are their own group. Checks and
links as a crawl stores them; expectations from the rule's documented behaviour (README)."""

from core.records import Check
from crawler.links import Link
from rules import broken_link
from tests.rules.runs import SITE, by_url, home_page, make_run, run_rule, stored
from tests.rules.runs import facts as page_facts

HOME = SITE + "/"
NEWS = SITE + "/xwzx/gzdt/index.html"


def linking(url: str, *targets: str):
    """A list page linking each target with <a href> and a text naming it."""
    return stored(url, page_facts("column", "工作动态"), links=[Link(t, url, f"链接{n}", "a", "href")
                                                             for n, t in enumerate(targets, 1)])


def site_run(tmp_path, profile: str = ""):
    """The home page and a news list both link a deleted page; the news list also links an
    image that answers 500, a page that answers 200 and a host that does not resolve."""
    pages = [{**home_page(), "links": [Link(SITE + "/old.html", HOME, "旧通知", "a", "href")]},
             linking(NEWS, SITE + "/old.html", SITE + "/img/a.png", SITE + "/ok.html", "http://www.dead-host.cn/")]
    checks = [Check(HOME, "ok", 200, same_site=True), Check(NEWS, "ok", 200, same_site=True),
              Check(SITE + "/old.html", "http-error", 404, detail="HTTP 404", same_site=True),
              Check(SITE + "/img/a.png", "http-error", 500, detail="HTTP 500", same_site=True),
              Check(SITE + "/ok.html", "ok", 200, same_site=True),
              Check("http://www.dead-host.cn/", "dns", detail="域名无法解析")]
    return make_run(tmp_path, pages, profile, checks=checks)


def test_one_finding_per_broken_target_confirmed_or_suspected(tmp_path):
    found = by_url(run_rule(broken_link, site_run(tmp_path)))
    assert set(found) == {"/old.html", "/img/a.png", "http://www.dead-host.cn/"}
    old, image, dead = found["/old.html"], found["/img/a.png"], found["http://www.dead-host.cn/"]
    assert (old.level, old.page, old.evidence["group"], old.evidence["confirmed"]) == ("deduct", HOME, "home", True)
    assert old.message == "首页确认断链：HTTP 404 错误，链接文字「旧通知」（2 个页面链接）"
    assert [s["source"] for s in old.evidence["linked_from"]] == [HOME, NEWS]  # the home page first
    assert (image.level, image.evidence["group"]) == ("hint", "other")  # a 500 is suspected until it fails again
    assert image.message == "页面疑似断链：HTTP 500 错误，链接文字「链接2」（1 个页面链接）"
    assert (dead.level, dead.message) == ("hint", "页面疑似断链：域名无法解析，链接文字「链接4」（1 个页面链接）")
    assert dead.evidence["linked_from"] == [{"source": NEWS, "tag": "a", "attr": "href", "text": "链接4"}]


def test_confirmed_statuses_decide_what_is_confirmed(tmp_path):
    found = by_url(run_rule(broken_link, site_run(tmp_path), confirmed_statuses=[500]))
    assert (found["/img/a.png"].level, found["/old.html"].level) == ("deduct", "hint")
    assert found["/old.html"].message.startswith("首页疑似断链")


def test_another_sites_404_is_only_suspected(tmp_path):
    url = "http://www.other.gov.cn/gone.html"
    run = make_run(tmp_path, [linking(NEWS, url)], checks=[Check(url, "http-error", 404, detail="HTTP 404")])
    [f] = run_rule(broken_link, run)
    assert (f.level, f.evidence["confirmed"]) == ("hint", False)


def test_max_pages_listed_bounds_the_evidence_not_the_count(tmp_path):
    target = SITE + "/old.html"
    pages = [linking(SITE + f"/xwzx/gzdt/index_{n}.html", target) for n in range(1, 4)]
    run = make_run(tmp_path, pages, checks=[Check(target, "http-error", 404, detail="HTTP 404", same_site=True)])
    [f] = run_rule(broken_link, run, max_pages_listed=2)
    assert f.evidence["linked_from_count"] == 3 and len(f.evidence["linked_from"]) == 2
    assert f.message.endswith("（3 个页面链接）")


def test_a_broken_target_no_page_links_is_no_finding(tmp_path):
    run = make_run(tmp_path, [linking(NEWS)], checks=[Check(SITE + "/robots.txt", "http-error", 404, same_site=True)])
    assert run_rule(broken_link, run) == []


def test_switched_off_and_units_from_the_profile(tmp_path):
    off = site_run(tmp_path / "off", "[rules.broken-link]\nenabled = false\n")
    assert run_rule(broken_link, off) == []
    units = site_run(tmp_path / "units", '[site]\ndefault_unit = "区政府办公室"\n'
                                         '[columns."/xwzx/"]\nunit = "区融媒体中心"\n')
    found = by_url(run_rule(broken_link, units))
    assert found["/old.html"].unit == "区政府办公室"  # shown on the home page: no column entry, the default
    assert found["/img/a.png"].unit == "区融媒体中心"  # seen on a /xwzx/ page
