"""Findings across runs: new, open, fixed, reopened, carried by partial runs; waivers; diff; recheck."""

from collections import Counter
from urllib.parse import urlsplit

import pytest

from core.history import is_full
from inspector.sample.server import HERE
from tests.conftest import SITE, inspector, rows
from tests.monitoring.conftest import B1, B2, B6, NEW_BROKEN, NEW_WRONG, W3, export
from rules import RULES


def by_url(found, rule=None):
    return {f["url"]: f for f in found if rule is None or f["rule"] == rule}


def test_second_run_knows_what_is_new_open_and_fixed(history_db):
    run2 = by_url(export(history_db, "2"))
    assert run2[B6]["status"] == "fixed" and run2[W3]["status"] == "fixed"
    assert (run2[B6]["first_seen"], run2[B6]["last_seen"]) == ("2026-11-20", "2026-11-20")
    for url in (NEW_BROKEN, NEW_WRONG):
        assert (run2[url]["status"], run2[url]["first_seen"], run2[url]["days_open"]) == ("new", "2026-11-27", 0)
    still = run2[B1]
    assert (still["status"], still["first_seen"], still["last_seen"], still["days_open"]) == (
        "open", "2026-11-20", "2026-11-27", 7)
    assert still["deadline"] == "2026-12-05"  # first seen + rectify_days 15
    assert {f["status"] for f in export(history_db, "1")} == {"new"}
    assert B6 not in by_url(export(history_db, "2", fixed=False))  # fixed ones only with --include-fixed


def test_a_partial_run_marks_nothing_fixed(history_db):
    run3 = export(history_db, "3")
    assert "fixed" not in {f["status"] for f in run3}
    b1 = by_url(run3)[B1]  # fixed on the portal, but run 3 stopped after 5 pages
    assert (b1["status"], b1["last_seen"], b1["days_open"]) == ("open", "2026-11-27", 8)
    run2_open = {f["fingerprint"] for f in export(history_db, "2", fixed=False)}
    assert run2_open <= {f["fingerprint"] for f in run3}  # everything open is carried, unverified
    settings = rows(history_db, "SELECT status, skipped FROM runs WHERE id = 3")[0]
    assert settings["status"] == "complete" and "max-pages" in settings["skipped"]


def test_the_next_full_run_fixes_and_reopens(history_db):
    run4 = by_url(export(history_db, "4"))
    assert run4[B1]["status"] == "fixed" and run4[B1]["last_seen"] == "2026-11-27"
    assert (run4[B6]["status"], run4[B6]["first_seen"], run4[B6]["days_open"]) == ("reopened", "2026-11-20", 9)
    assert (run4[NEW_BROKEN]["status"], run4[NEW_BROKEN]["days_open"]) == ("open", 2)
    assert W3 not in run4  # fixed in run 2: listed as fixed there, not again


def test_is_full_needs_complete_unlimited_runs():
    run = {"status": "complete", "skipped": {}, "settings": {"crawl": {"max_depth": 20}}}
    assert is_full(run)
    assert not is_full({**run, "status": "interrupted"})
    assert not is_full({**run, "skipped": {"max-pages": 3}})
    assert not is_full({**run, "settings": {"crawl": {"max_depth": 0}}})  # inspector check
    # a crawl started at a column did not look for the site-wide findings: it cannot find them fixed
    assert not is_full({**run, "counts": {"start": "below-home"}})
    assert is_full({**run, "counts": {"start": "home"}})


def test_waive_and_unwaive_round_trip(history_copy):
    fp = by_url(export(history_copy))[B2]["fingerprint"]
    r = inspector("waive", fp[:8], "--reason", "横幅图片已下线，属误报", "--by", "张三", "--db", history_copy)
    assert r.code == 0 and "waived " + fp in r.out, r.err
    waived = by_url(export(history_copy))[B2]
    assert waived["status"] == "waived"
    assert rows(history_copy, "SELECT by, reason, lifted_at FROM waivers") == [
        {"by": "张三", "reason": "横幅图片已下线，属误报", "lifted_at": None}]
    r = inspector("unwaive", fp, "--db", history_copy, env={"USER": "李四", "PATH": "/usr/bin:/bin"})
    assert r.code == 0, r.err
    assert by_url(export(history_copy))[B2]["status"] == "open"
    assert rows(history_copy, "SELECT lifted_by FROM waivers") == [{"lifted_by": "李四"}]  # the record stays


@pytest.mark.parametrize("ref, message", [("shared", "matches"), ("zz", "no finding")])
def test_waive_needs_one_finding(history_copy, ref, message):
    if ref == "shared":  # a first hex digit that several fingerprints start with
        ref = Counter(f["fingerprint"][0] for f in export(history_copy)).most_common(1)[0][0]
    r = inspector("waive", ref, "--reason", "x", "--db", history_copy)
    assert r.code == 2 and message in r.err and "Traceback" not in r.err


def test_diff_prints_what_appeared_and_disappeared(history_db):
    r = inspector("diff", "1", "2", "--db", history_db)
    assert r.code == 1
    plus = [line for line in r.out.splitlines() if line.startswith("+ ")]
    minus = [line for line in r.out.splitlines() if line.startswith("- ")]
    assert any(NEW_BROKEN in line for line in plus) and any(NEW_WRONG in line for line in plus)
    assert any(B6 in line and "[fixed]" in line for line in minus) and any(W3 in line for line in minus)
    assert len(minus) == 2 and f"{len(plus)} appeared, 2 disappeared" in r.out  # (+ a column gone stale meanwhile)
    assert inspector("diff", "2", "2", "--db", history_db).code == 0


def test_recheck_runs_a_document_rule_again_over_its_page(history_copy, portal):
    """DEFECTS.md: the 2004 normative document has a [2026] 文号 and an empty 有效性. Its editor
    fixes the brackets only: the format note is fixed, the missing validity still open."""
    doc = "/zwgk/gfxwj/202603/t20260301_2004.html"
    page = (HERE / "site" / doc.lstrip("/")).read_text(encoding="utf-8")
    portal.reset()
    portal.overrides[doc] = (200, page.replace("清新政办规[2026]1号", "清新政办规〔2026〕1号"))
    try:
        r = inspector("recheck", "--db", history_copy)
    finally:
        portal.overrides.clear()
    said = {line.split()[2]: line for line in r.out.splitlines() if line.endswith(("复查已不存在", "复查仍存在"))
            and doc in line}
    assert said["document-number-format"].startswith("fixed") and said["document-number-format"].endswith("复查已不存在")
    assert said["missing-validity"].startswith("open") and said["missing-validity"].endswith("复查仍存在")
    status = {f["rule"]: f["status"] for f in export(history_copy) if f["url"] == SITE + doc}
    assert status["document-number-format"] == "fixed" and status["missing-validity"] == "open"


def test_recheck_fetches_only_the_affected_urls(history_copy, portal):
    """The README: recheck fetches broken links' targets and the pages the open findings of the
    page rules were seen on, nothing else (with each host's robots.txt and the redirects of DEFECTS.md followed)."""
    still_open = export(history_copy, fixed=False)
    portal.reset()
    portal.overrides["/images/banner-2025.jpg"] = (200, b"GIF89a", "image/gif")
    try:
        r = inspector("recheck", "--db", history_copy)
    finally:
        portal.overrides.clear()
    assert r.code == 1, r.err  # some are still open
    assert any(line.startswith("fixed") and B2 in line for line in r.out.splitlines())
    found = by_url(export(history_copy))
    assert found[B2]["status"] == "fixed" and found[NEW_BROKEN]["status"] == "open"
    # a broken link's target; the page of a finding its rule re-verifies from the page (RECHECK
    # "page" or "link"); a column or site-wide finding waits for a full crawl: nothing fetched
    how = {f["rule"]: getattr(RULES.get(f["rule"]), "RECHECK", None) for f in still_open}
    affected = {f["url"] if how[f["rule"]] == "target" else f["page"] for f in still_open
                if how[f["rule"]] in ("target", "page", "link")} - {None}
    unanswered = {"http://www.dead-host.invalid/", "http://www.closed-demo.cn/"}  # B9 dns, B10 refused
    hops = {f"{SITE}/loop-b.html", f"{SITE}/404.html", f"{SITE}/"}  # B15 loop, B12 soft-404, B11 home
    hosts = {urlsplit(u).netloc for u in affected - unanswered}
    expected = affected - unanswered | hops | {f"http://{host}/robots.txt" for host in hosts}
    assert {f"http://{host}{path}" for _, host, path in portal.requests} == expected
