"""missing-annual-report: the previous year's 政府信息公开工作年度报告 after its deadline; a notice
that mentions the report is not the report."""

from datetime import date

import pytest

from rules import missing_annual_report
from rules.missing_annual_report import due_year, report_year
from tests.rules.runs import SITE, document, home_page, item, list_page, make_run, run_rule

NB = "/zwgk/zfxxgknb/index.html"


@pytest.mark.parametrize("title, year", [
    ("清河市新北区人民政府2025年政府信息公开工作年度报告", 2025),
    ("新北区2025年度政府信息公开工作年度报告（全文）", 2025),
    ("清河市新北区民政局2024年政府信息公开年度报告.pdf", 2024),
    ("2025年政府信息公开工作年度报告", 2025),
    ("关于做好2025年政府信息公开工作年度报告编制工作的通知", None),
    ("《清河市新北区人民政府2025年政府信息公开工作年度报告》解读", None),
    ("2025年政府信息公开工作要点", None),
    ("", None),
])
def test_a_title_that_is_the_report(title, year):
    assert report_year(title) == year


@pytest.mark.parametrize("as_of, deadline, year", [
    (date(2026, 11, 20), "01-31", 2025),
    (date(2026, 1, 31), "01-31", 2024),  # the deadline day itself: last year's report still has the day
    (date(2026, 2, 1), "01-31", 2025),
    (date(2026, 2, 15), "03-31", 2024),
])
def test_the_report_due(as_of, deadline, year):
    assert due_year(as_of, deadline) == year


def annual(items):
    return list_page(NB, "政府信息公开年报", items, ["政府信息公开"])


def test_the_report_is_listed(tmp_path):
    run = make_run(tmp_path, [home_page(), annual([item("清河市新北区人民政府2025年政府信息公开工作年度报告", "2026-01-25")])])
    assert run_rule(missing_annual_report, run) == []


def test_a_notice_mentioning_the_report_does_not_count(tmp_path):
    notice = list_page("/xwzx/tzgg/index.html", "通知公告",
                       [item("关于做好2025年政府信息公开工作年度报告编制工作的通知", "2026-01-05")])
    run = make_run(tmp_path, [home_page(), notice,
                              annual([item("清河市新北区人民政府2024年政府信息公开工作年度报告", "2025-01-20")])])
    [f] = run_rule(missing_annual_report, run)
    assert (f.rule, f.level, f.url, f.column, f.column_url) == (
        "missing-annual-report", "deduct", SITE + NB, "政府信息公开年报", SITE + NB)
    assert "2025 年政府信息公开工作年度报告" in f.message and f.evidence["deadline"] == "2026-01-31"
    assert set(f.evidence["reports_seen"]) == {2024}


def test_a_report_found_as_a_document_page_counts(tmp_path):
    doc = document("/zwgk/zfxxgknb/202601/t20260120_3001.html", "新北区2025年度政府信息公开工作年度报告")
    run = make_run(tmp_path, [home_page(), annual([]), doc])
    assert run_rule(missing_annual_report, run) == []


def test_a_later_deadline_from_the_profile(tmp_path):
    pages = [home_page(), annual([item("清河市新北区人民政府2024年政府信息公开工作年度报告", "2025-03-20")])]
    early = make_run(tmp_path / "a", pages, as_of="2026-02-15")
    assert len(run_rule(missing_annual_report, early)) == 1
    assert run_rule(missing_annual_report, early, deadline="03-31") == []


def test_no_annual_report_column_reports_on_the_home_page_and_spot_checks_say_nothing(tmp_path):
    [f] = run_rule(missing_annual_report, make_run(tmp_path / "a", [home_page()]))
    assert f.url == SITE + "/" and f.column == ""
    assert run_rule(missing_annual_report, make_run(tmp_path / "b", [home_page()],
                                                    settings={"crawl": {"max_depth": 0}})) == []
