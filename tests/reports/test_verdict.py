"""One verdict, computed once from the open findings and shown the same in the crawl summary,
the HTML report, the XLSX 汇总 and the JSON report (issue: 单项否决风险：否 beside a level table
counting two veto findings). Expectations come from the indicator (a veto-level finding is a
single veto) and from the bundled scoring table (core/data/scoring.toml), worked by hand."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from core.errors import ConfigError
from core.verdict import compute, load_table
from tests.conftest import inspector, rows


def finding(rule, level="deduct", group=None):
    return {"rule": rule, "level": level, "evidence": {"group": group} if group else {}}


def test_the_score_follows_the_bundled_table_worked_by_hand():
    table = load_table()
    # home-page links: 1 point each; other pages' links 0.1 each, at most 5; hints never deduct
    found = ([finding("broken-link", group="home")] * 3 + [finding("broken-link")] * 60
             + [finding("broken-link", level="hint")] * 40 + [finding("missing-validity")] * 2)
    verdict = compute(found, table)
    assert verdict["score"] == 100 - 3 - 5 - 1.0
    assert (verdict["veto"], verdict["estimate"]) == (False, "合格")
    assert {i["name"]: (i["count"], i["deducted"]) for i in verdict["items"]} == {
        "首页链接不可用": (3, 3), "其他页面链接不可用": (60, 5), "信息发布不规范（有效性、文号、审核标注、内容混杂）": (2, 1)}


def test_one_veto_finding_fails_the_site_whatever_the_score():
    verdict = compute([finding("wording-error", level="veto")], load_table())
    assert (verdict["veto"], verdict["veto_items"], verdict["score"], verdict["estimate"]) == (
        True, ["严重表述错误"], 100, "不合格")


def test_a_bad_scoring_table_is_one_line_naming_the_problem(tmp_path):
    bad = tmp_path / "scoring.toml"
    bad.write_text('pass_mark = 60\n[[item]]\nname = "首页链接不可用"\nrules = ["broken-link"]\npoints = "one"\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError, match="points must be a number"):
        load_table(str(bad))
    profile = tmp_path / "site.toml"
    profile.write_text('[site]\nscoring = "scoring.toml"\n', encoding="utf-8")
    result = inspector("check", "http://www.example.invalid/", "--offline", "--config", profile)
    assert result.code == 2 and result.err.count("\n") == 1 and "points must be a number" in result.err


def shown(db, folder: Path) -> dict:
    """The verdict as each report shows it: the HTML headline, the XLSX 汇总 row, the JSON."""
    out = {}
    for fmt in ("html", "xlsx", "json"):
        path = folder / f"report.{fmt}"
        result = inspector("report", "--db", db, "-o", path)  # the format follows the extension
        assert result.code == 0, result.err
    page = (folder / "report.html").read_text(encoding="utf-8")
    out["html"] = re.search(r'<p id="veto"[^>]*>([^<]*)</p>', page).group(1)
    sheet = openpyxl.load_workbook(folder / "report.xlsx")["汇总"]
    out["xlsx"] = next(f"单项否决风险：{r[1]}" for r in sheet.iter_rows(values_only=True) if r[0] == "单项否决风险")
    verdict = json.loads((folder / "report.json").read_text(encoding="utf-8"))["verdict"]
    out["json"] = "单项否决风险：" + ("是（" + "、".join(verdict["veto_items"]) + "）" if verdict["veto"] else "否")
    return out


def test_the_sample_verdict_is_the_same_everywhere_and_follows_waivers(sample_crawl, tmp_path):
    db = tmp_path / "run.db"
    with sqlite3.connect(sample_crawl.db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    # DEFECTS.md plants two serious wording errors: each is a single veto under the indicator
    wording = rows(db, "SELECT fingerprint FROM findings WHERE rule = 'wording-error'")
    assert len(wording) == 2
    assert set(shown(db, tmp_path).values()) == {"单项否决风险：是（严重表述错误）"}
    assert "单项否决风险：是（严重表述错误）" in sample_crawl.result.out
    for f in wording:
        assert inspector("waive", f["fingerprint"], "--reason", "误报", "--db", db).code == 0
    assert set(shown(db, tmp_path).values()) == {"单项否决风险：否"}


def test_the_output_format_follows_the_extension_and_a_contradiction_is_refused(sample_crawl, tmp_path):
    xlsx = tmp_path / "list.xlsx"
    assert inspector("report", "--db", sample_crawl.db, "-o", xlsx).code == 0
    assert xlsx.read_bytes()[:2] == b"PK"  # a workbook (a zip), not HTML
    wrong = inspector("report", "--db", sample_crawl.db, "--format", "html", "-o", tmp_path / "x.xlsx")
    assert wrong.code == 2 and wrong.err.count("\n") == 1 and not (tmp_path / "x.xlsx").exists()
    csv_path = tmp_path / "findings.csv"
    assert inspector("export", "--db", sample_crawl.db, "-o", csv_path).code == 0
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + b"run,rule,level")  # CSV with the BOM Excel needs for Chinese
