"""A whole inspection of the sample portal: every planted link defect is found, every trap
behaves (see inspector/sample/DEFECTS.md), and nothing else is reported."""

import re
from collections import Counter
from datetime import date, timedelta

from tests.conftest import SITE, Crawl, inspector, network_args, rows

S = SITE

BROKEN = {  # target -> (level, outcome, status)
    f"{S}/zt/2025zt/index.html": ("deduct", "http-error", 404),
    f"{S}/images/banner-2025.jpg": ("deduct", "http-error", 404),
    "http://www.partner-demo.cn/gone.html": ("hint", "http-error", 404),
    f"{S}/zwgk/ysqgk/index.html": ("deduct", "http-error", 403),
    f"{S}/xwzx/gzdt/202508/t20250801_0777.html": ("deduct", "http-error", 410),
    f"{S}/hdjl/wsdc/index.html": ("hint", "http-error", 500),
    f"{S}/zwgk/gfxwj/202606/P020260610123456789012.pdf": ("deduct", "http-error", 404),
    f"{S}/gbk/%E9%99%84%E4%BB%B6/%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.doc": ("deduct", "http-error", 404),
    "http://www.dead-host.invalid/": ("hint", "dns", None),
    "http://www.closed-demo.cn/": ("hint", "refused", None),
    f"{S}/xwzx/gzdt/202610/t20261015_0999.html": ("hint", "redirect-home", 200),
    f"{S}/xwzx/gzdt/202610/t20261020_0998.html": ("hint", "redirect-404", 200),
    f"{S}/xwzx/gzdt/202609/t20260901_0888.html": ("hint", "soft-404", 200),
    f"{S}/xwzx/gzdt/202609/t20260905_0889.html": ("hint", "soft-404", 200),
    f"{S}/loop-a.html": ("hint", "redirect-loop", 302),
    f"{S}/hang.html": ("hint", "timeout", None),
}

WRONG = {  # target -> (linking page, reason)
    "http://192.168.1.20/wcm/preview.do?docid=1": (f"{S}/", "private-address"),
    "http://localhost:8080/admin/": (f"{S}/xwzx/gzdt/202611/t20261114_1008.html", "localhost"),
    "http://cms-admin/index.html": (f"{S}/xwzx/tzgg/202610/t20261025_1202.html", "single-label-host"),
    "http://10.0.0.5/files/a.doc": (f"{S}/zwgk/zcwj/202606/t20260615_2401.html", "private-address"),
    "file:///C:/Users/admin/Desktop/通知.doc": (f"{S}/xwzx/tzgg/202610/t20261025_1202.html", "file-scheme"),
    "htp://www.qinghe-xinbei.gov.cn/xwzx/": (f"{S}/zwgk/zfxxgkzn/index.html", "malformed-scheme"),
    "http//www.gov.cn": (f"{S}/xwzx/gzdt/202611/t20261118_1010.html", "malformed-scheme"),
    "http://test.qinghe-xinbei.gov.cn/index.html": (f"{S}/art/2026/11/10/art_1234_501.html", "test-host"),
}


def test_every_broken_link_is_found_with_its_outcome_and_nothing_else(sample_crawl):
    found = {f["url"]: f for f in sample_crawl.findings("broken-link")}
    assert set(found) == set(BROKEN)
    for url, (level, outcome, status) in BROKEN.items():
        f = found[url]
        assert (f["level"], f["evidence"]["outcome"], f["evidence"]["status"]) == (level, outcome, status), url
        assert f["status"] == "new" and f["first_seen"]


def test_every_wrong_link_is_flagged_on_its_page_and_never_fetched(sample_crawl):
    found = {f["url"]: f for f in sample_crawl.findings("wrong-link")}
    assert {u: (f["page"], f["evidence"]["reason"]) for u, f in found.items()} == WRONG
    requested = " ".join(path for _, _, path in sample_crawl.requests)
    assert "http/" not in requested and "preview.do" not in requested and "/admin/" not in requested


def test_home_page_links_are_their_own_group(sample_crawl):
    found = {f["url"]: f for f in sample_crawl.findings("broken-link")}
    home = {u for u, f in found.items() if f["evidence"]["group"] == "home"}
    assert home == {f"{S}/zt/2025zt/index.html", f"{S}/images/banner-2025.jpg", "http://www.partner-demo.cn/gone.html"}
    assert all(found[u]["page"] == f"{S}/" and "首页" in found[u]["message"] for u in home)


def test_evidence_says_where_each_link_was_found(sample_crawl):
    found = {f["url"]: f for f in sample_crawl.findings("broken-link")}
    image = found[f"{S}/images/banner-2025.jpg"]["evidence"]["linked_from"][0]
    assert (image["source"], image["tag"], image["attr"]) == (f"{S}/", "img", "src")
    loop = found[f"{S}/loop-a.html"]["evidence"]
    assert [hop[0] for hop in loop["redirects"]] == [f"{S}/loop-a.html", f"{S}/loop-b.html"]


def test_each_distinct_target_is_requested_once(sample_crawl):
    counts = Counter((host, path) for method, host, path in sample_crawl.requests if path != "/robots.txt")
    repeated = {path for (host, path), n in counts.items() if n > 1}
    # /busy.html is asked twice on purpose (503 + Retry-After, then 200) and /hang.html is retried
    # once after its timeout: a second attempt, not a second fetch of an answer. A redirect's
    # destination that is a target of its own (the home page, a linked article) is asked once:
    # the redirect takes its outcome.
    assert repeated == {"/busy.html", "/hang.html"}
    assert counts[("www.qinghe-xinbei.gov.cn", "/")] == 1
    checks = sample_crawl.checks()
    for path in ("/", "/404.html", "/xwzx/tzgg/202611/t20261103_1201.html"):  # destinations, checked themselves
        assert (checks[S + path]["outcome"], checks[S + path]["redirects"]) == ("ok" if path != "/404.html"
                                                                             else "soft-404", "[]"), path


def test_traps_that_must_end_ok(sample_crawl):
    checks = sample_crawl.checks()
    assert checks[f"{S}/busy.html"]["outcome"] == "ok"  # retried after Retry-After
    assert checks[f"{S}/slow.html"]["outcome"] == "ok"
    assert checks[f"{S}/files/notice.doc"]["outcome"] == "ok"  # HEAD 404 but GET 200
    assert checks[f"{S}/files/big-report.pdf"]["outcome"] == "ok"
    assert checks[f"{S}/files/big-report.pdf"]["size"] < 1024 * 1024  # 5 MB: stopped after the headers
    chain = checks[f"{S}/old/notice.html"]
    assert (chain["outcome"], chain["status"]) == ("ok", 200)
    assert '301' in chain["redirects"] and '302' in chain["redirects"]
    assert checks[f"{S}/xwzx/tzgg/202611/t20261105_1203.html"]["outcome"] == "ok"  # "404" in a real title
    assert checks["http://www.partner-demo.cn/about.html"]["outcome"] == "ok"  # protocol-relative, under <base>


def test_robots_disallowed_pages_are_not_fetched_and_not_reported(sample_crawl):
    checks = sample_crawl.checks()
    assert checks[f"{S}/private/report.html"]["outcome"] == "robots-excluded"
    assert not any(path.startswith("/private/") for _, _, path in sample_crawl.requests)


def test_script_pagination_is_followed_and_hanweb_pages_are_never_guessed(sample_crawl):
    paths = {path for _, _, path in sample_crawl.requests}
    assert {"/xwzx/gzdt/index_1.html", "/xwzx/gzdt/index_2.html", "/xwzx/tpxw/index_1.html"} <= paths
    assert not any(p.startswith("/col/") and "index_" in p for p in paths)
    assert {"/art/2026/11/10/art_1234_501.html", "/art/2026/11/2/art_1234_499.html"} <= paths  # from <datastore>


def test_base_href_gbk_pages_and_chinese_file_names(sample_crawl):
    checks = sample_crawl.checks()
    assert checks[f"{S}/zwgk/fdzdgknr/jgzn.html"]["outcome"] == "ok"
    assert f"{S}/zwgk/jgzn.html" not in checks  # the page ignoring <base> would have asked for this
    pdf = f"{S}/gbk/%E9%99%84%E4%BB%B6/%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.pdf"  # 附件/工作报告.pdf
    assert checks[pdf]["outcome"] == "ok"


def test_traps_are_bounded_and_the_summary_says_what_was_skipped(sample_crawl):
    calendar = [p for _, _, p in sample_crawl.requests if p.startswith("/calendar/")]
    # crawl.query_variants = 30: the family spans 15 hops, 2026-11-01 and 14 days either way, each date once
    assert sorted(calendar) == [f"/calendar/?date={day}" for day in _days("2026-10-18", 29)]
    session = [p for _, _, p in sample_crawl.requests if p.startswith("/xwzx/index.html")]
    assert session == ["/xwzx/index.html"]  # ;jsessionid= and ?jsessionid= forms fetched once, without the id
    out = sample_crawl.result.out
    assert "run 1 complete" in out and "skipped: " in out and "query-family" in out  # the calendar, held at its bound
    line = next(text for text in out.splitlines() if text.startswith("findings: "))
    assert dict((rule, int(n)) for rule, n in re.findall(r"([a-z-]+) (\d+)", line)) == SUMMARY
    assert line.startswith(f"findings: {sum(SUMMARY.values())} (")


def _days(first: str, n: int) -> list[str]:
    start = date.fromisoformat(first)
    return [(start + timedelta(days=i)).isoformat() for i in range(n)]


# Findings per rule on the sample portal (DEFECTS.md): each rule's owner keeps its own numbers.
SUMMARY = {
    "broken-link": 16, "wrong-link": 8,
    "empty-column": 1, "stale-column": 4, "missing-column": 2,  # column rules (DEFECTS.md §4)
    # content rules (DEFECTS.md §5-6): 2003/2004/2006 without 有效性; 2004's [2026]; gzdt 1004/1007;
    # gbk/index.html (no 找错 entry) and gbk/xbgk.html (no footer); 2006 is news; 1005 and 1006.
    "missing-validity": 3, "document-number-format": 1, "missing-review-labels": 2, "missing-site-identity": 2,
    "mixed-content": 1, "wording-error": 2,
}


def test_a_tiny_leaf_backlog_pauses_page_fetching_and_changes_nothing(sample_crawl, portal, tmp_path):
    """With at most one link waiting, page fetching pauses and resumes all through the crawl:
    the same targets get the same outcomes, and the run completes."""
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\nleaf_backlog = 1\n", encoding="utf-8")
    db = str(tmp_path / "run.db")
    portal.reset()
    result = inspector("crawl", f"{SITE}/", "--db", db, "--config", profile, *network_args(portal))
    assert result.code == 0, result.err
    outcomes = {url: (c["outcome"], c["status"]) for url, c in Crawl(db, result, [], {}).checks().items()}
    assert outcomes == {url: (c["outcome"], c["status"]) for url, c in sample_crawl.checks().items()}
    assert rows(db, "SELECT status FROM runs") == [{"status": "complete"}]
