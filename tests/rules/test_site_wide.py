"""Site-wide rules judge a site only from a complete crawl that started at its home page: a spot
check, a crawl started at a column, cut short or interrupted says why it was not judged."""

import pytest

from core import store

from rules import broken_link, missing_annual_report, missing_column, site_veto, stale_homepage
from rules.columns import not_judged
from rules.site_veto import counters, summary
from tests.rules.runs import SITE, home_page, item, list_page, make_run, run_rule
from core.records import Check

# a stale home page, five blank columns and no 政府信息公开 专栏: every site-wide rule has something to say
PAGES = [home_page([item("常务会议", "2026-09-01")]),
         *[list_page(f"/xwzx/k{i}/index.html", f"空栏目{i}", []) for i in range(5)]]
SITE_WIDE = (stale_homepage, site_veto, missing_column, missing_annual_report)


def test_a_complete_crawl_from_the_home_page_is_judged(tmp_path):
    run = make_run(tmp_path, PAGES)
    assert not_judged(run) == ""
    assert all(run_rule(rule, run) for rule in SITE_WIDE)
    assert counters(run)["veto"] is True


@pytest.mark.parametrize("kwargs, reason", [
    ({"below_home": True}, "检查未从网站首页开始，不评价全站"),
    ({"settings": {"crawl": {"max_depth": 0}}}, "单页抽查，不评价全站"),
    ({"status": "interrupted"}, "检查未完成"),
])
def test_a_run_that_did_not_see_the_whole_site_is_not_judged(tmp_path, kwargs, reason):
    run = make_run(tmp_path, PAGES, **kwargs)
    assert not_judged(run) == reason
    assert [f for rule in SITE_WIDE for f in run_rule(rule, run)] == []
    verdict = counters(run)
    assert verdict == {"judged": False, "reason": reason}
    assert summary(verdict) == f"否决线计数：不评价（{reason}）"


def broken_link_on_the_first_page(tmp_path, below_home):
    """The start page links a page that answers 404, stored as the crawler stores it."""
    run = make_run(tmp_path, [home_page([item("常务会议", "2026-11-18")], links=["/gone.html"])], below_home=below_home)
    writer = store.Writer(run.db, run.id)
    writer.check(Check(SITE + "/gone.html", "http-error", status=404, detail="HTTP 404", elapsed=0.1,
                       content_type="text/html", same_site=True))
    writer.flush()
    [f] = run_rule(broken_link, run)
    return f


def test_no_link_of_a_crawl_started_below_the_home_page_is_labelled_home(tmp_path):
    below = broken_link_on_the_first_page(tmp_path / "below", below_home=True)
    assert below.evidence["group"] == "other" and below.message.startswith("页面确认断链")
    home = broken_link_on_the_first_page(tmp_path / "home", below_home=False)
    assert home.evidence["group"] == "home" and home.message.startswith("首页确认断链")
