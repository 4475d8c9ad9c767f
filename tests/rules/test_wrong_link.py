"""wrong-link (错链): links a public page must not carry, flagged per page that carries them
(never fetched), plus links to the domains the site has left (old_domains). Expectations from
the rule's documented reasons (README) and the 错链 definition of the national indicators."""

from core.records import Check
from crawler.links import Link
from rules import wrong_link
from tests.rules.runs import SITE, make_run, run_rule, stored
from tests.rules.runs import facts as page_facts

A, B = SITE + "/xwzx/gzdt/a.html", SITE + "/xwzx/gzdt/b.html"
INTRANET = "http://192.168.1.20/wcm/preview.do?docid=1"
OLD = "http://www.old-xinbei.gov.cn/zwgk/index.html"


def page(url: str, *links: tuple[str, str]):
    """A document carrying (target, link text) links."""
    return stored(url, page_facts("document", "通知"), links=[Link(t, url, text, "a", "href") for t, text in links])


def test_one_finding_per_page_carrying_the_link(tmp_path):
    pages = [page(A, (INTRANET, "预览"), (INTRANET, "预览（二）")), page(B, (INTRANET, "内网预览"))]
    run = make_run(tmp_path, pages, checks=[Check(INTRANET, "wrong-link", detail="private-address")])
    found = run_rule(wrong_link, run)
    assert sorted((f.page, f.url, f.level) for f in found) == [(A, INTRANET, "deduct"), (B, INTRANET, "deduct")]
    assert {f.page: f.message for f in found}[B] == "错链：内网地址，链接文字「内网预览」"
    assert {f.page: f.evidence["reason"] for f in found} == {A: "private-address", B: "private-address"}


def test_a_name_resolving_into_private_space_and_a_redirect_to_an_intranet(tmp_path):
    private, moved = "http://oa.qinghe-xinbei.gov.cn/", SITE + "/go.html"
    run = make_run(tmp_path, [page(A, (private, "办公系统"), (moved, "跳转"))], checks=[
        Check(private, "not-checked-private", detail="resolves to 10.1.2.3"),
        Check(moved, "wrong-link", status=302, detail="redirects to http://10.0.0.8/: private-address")])
    found = {f.url: f for f in run_rule(wrong_link, run)}
    assert found[private].message == "错链：域名解析到内网地址，链接文字「办公系统」"
    assert found[moved].message == "错链：内网地址，链接文字「跳转」"


def test_old_domains_and_their_subdomains(tmp_path):
    sub, near = "http://zwgk.old-xinbei.gov.cn/", "http://www.notold-xinbei.gov.cn/"
    pages = [page(A, (OLD, "旧版网站"), (sub, "旧版公开"), (near, "邻区"))]
    checks = [Check(OLD, "ok", 200), Check(sub, "dns", detail="no such host"), Check(near, "ok", 200)]
    run = make_run(tmp_path, pages, checks=checks)
    assert run_rule(wrong_link, run) == []  # by default no domain is old
    found = run_rule(wrong_link, run, old_domains=["Old-Xinbei.gov.cn."])
    assert sorted(f.url for f in found) == sorted([OLD, sub])
    assert {f.evidence["reason"] for f in found} == {"old-domain"}
    assert {f.message for f in found} == {"错链：已停用的旧域名，链接文字「旧版网站」", "错链：已停用的旧域名，链接文字「旧版公开」"}


def test_switched_off_by_the_profile_and_units_from_it(tmp_path):
    pages = [page(A, (INTRANET, "预览"))]
    checks = [Check(INTRANET, "wrong-link", detail="private-address")]
    off = make_run(tmp_path / "off", pages, "[rules.wrong-link]\nenabled = false\n", checks=checks)
    assert run_rule(wrong_link, off) == []
    on = make_run(tmp_path / "on", pages, '[columns."/xwzx/gzdt/"]\nunit = "区融媒体中心"\n', checks=checks)
    assert [f.unit for f in run_rule(wrong_link, on)] == ["区融媒体中心"]
