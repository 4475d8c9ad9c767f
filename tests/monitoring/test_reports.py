"""Reports rendered from the store: the XLSX 整改清单 read back with openpyxl, CSV/JSON, and the
HTML page opened in a real headless Chromium (its script runs; a crawled <script> does not)."""

import csv
import json
import re
import shutil
import struct
import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from inspector.profile import load
from inspector.sample.server import PROFILE as SAMPLE_PROFILE
from reports.xlsx import COLUMNS, HEAD_ROW, sheet_title
from tests.conftest import SITE, inspector, need, rows
from tests.monitoring.conftest import B1, FORMULA, HOSTILE_TITLE, NEW_BROKEN, NEW_WRONG, export

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OPEN = {"new", "open", "reopened"}


def report(db, fmt, path, run="latest"):
    r = inspector("report", "--db", db, "--run", run, "--format", fmt, "-o", path)
    assert r.code == 0, r.err
    return path


def test_xlsx_has_a_sheet_per_unit_with_the_open_findings(history_db, tmp_path):
    wb = openpyxl.load_workbook(report(history_db, "xlsx", tmp_path / "list.xlsx"))
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[-2:] == ["问题证据", "已整改及豁免"]
    units = wb.sheetnames[1:-2]
    assert {"区融媒体中心", "区政府办公室"} <= set(units)
    long = next(n for n in units if n.startswith("区政务公开办"))
    assert len(long) <= 31 and not set("[]:*?/\\") & set(long)
    todo = [f for f in export(history_db) if f["status"] in OPEN]
    heads = [h for h, _, _ in COLUMNS]
    listed = []
    for name in units:
        ws = wb[name]
        assert ws["A1"].value == "清河市新北区人民政府网站问题整改清单（2026-11-29）"
        assert [c.value for c in ws[HEAD_ROW]] == heads
        assert ws.freeze_panes == "A4" and ws.auto_filter.ref == f"A3:L{ws.max_row}" and ws.print_title_rows == "$3:$3"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        rows_here = [dict(zip(heads, (c.value for c in row)), sheet=name) for row in ws.iter_rows(min_row=HEAD_ROW + 1)]
        levels = [r["问题类型"].rsplit("（", 1)[1] for r in rows_here]
        order = ["单项否决风险）", "扣分）", "提示）"]
        assert levels == sorted(levels, key=order.index)  # veto items first
        assert {r["责任单位"] for r in rows_here} == {ws["A2"].value.split("　")[0].removeprefix("责任单位：")}
        assert all(r[h] is None for r in rows_here for h in ("整改措施", "整改责任人", "完成时间"))  # the unit fills these in
        listed += rows_here
        for row in ws.iter_rows(min_row=HEAD_ROW + 1):
            assert all(c.data_type != "f" for c in row)  # no formulas, whatever was crawled
    evidence = {(r[0], r[1]): r for r in wb["问题证据"].iter_rows(min_row=HEAD_ROW + 1, values_only=True)}
    assert len(evidence) == len(listed) == len(todo)
    assert sorted(r[-1] for r in evidence.values()) == sorted(f["fingerprint"] for f in todo)
    wrong = next(r for r in evidence.values() if r[3] == NEW_WRONG)
    assert wrong[8] == "'" + FORMULA  # the link text, neutralised (a cell that starts with = never runs)
    broken = next(r for r in listed if r["问题链接"] == NEW_BROKEN)
    assert broken["整改期限"] - broken["发现日期"] == timedelta(days=15) and broken["状态"] == "未整改"
    for row in wb["问题证据"].iter_rows(min_row=HEAD_ROW + 1):  # the clickable URLs, exact
        assert row[3].hyperlink is None or row[3].hyperlink.target == row[3].value
        assert all(c.data_type != "f" for c in row)
    assert any(row[3].hyperlink for row in wb["问题证据"].iter_rows(min_row=HEAD_ROW + 1))
    done = [row[3].value for row in wb["已整改及豁免"].iter_rows(min_row=HEAD_ROW + 1)]
    assert B1 in done
    summary = {row[0].value: row[1].value for row in wb["汇总"].iter_rows() if row[0].value}
    assert summary["网站标识码"] == "3204110001" and summary["待整改"] == len(todo)


def test_sheet_titles_are_valid_and_unique():
    taken = set()
    assert sheet_title("a/b:c", taken) == "a_b_c"
    first, second = sheet_title("x" * 40, taken), sheet_title("x" * 40, taken)
    assert len(first) == len(second) == 31 and first != second
    assert sheet_title("", taken) == "未命名"


def test_csv_and_json_reports_carry_every_finding_and_status(history_db, tmp_path):
    everything = export(history_db)
    with open(report(history_db, "csv", tmp_path / "r.csv"), encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == len(everything) and {"status", "first_seen", "last_seen", "days_open"} <= set(table[0])
    assert all(not row["message"].startswith(("=", "+", "-", "@")) for row in table)
    data = json.loads(Path(report(history_db, "json", tmp_path / "r.json")).read_text(encoding="utf-8"))
    assert {r["fingerprint"]: r["status"] for r in data["findings"]} == {f["fingerprint"]: f["status"] for f in everything}


def test_html_escapes_crawled_text(history_db, tmp_path):
    page = Path(report(history_db, "html", tmp_path / "r.html")).read_text(encoding="utf-8")
    assert "<script>document.title" not in page and "&lt;script&gt;document.title" in page
    assert "http://" not in re.sub(r'(href|>)[^<"]*', "", page.split("<style>")[1].split("</style>")[0])
    assert len(re.findall(r"<script", page)) == 2  # the data and the report's own script
    assert "\\u003cscript\\u003e" in page  # the JSON data cannot close its element


def test_html_report_in_headless_chromium(history_db, tmp_path):
    need(Path(CHROMIUM).exists(), "chromium (Debian's chromium)")
    html = report(history_db, "html", tmp_path / "r.html")
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*base, "--dump-dom", f"file://{html}"], capture_output=True, text=True, timeout=60).stdout
    assert 'data-ready="1"' in dom  # the report's script ran
    todo = [f for f in export(history_db) if f["status"] in OPEN]
    visible = [tr for tr in re.findall(r'<tr class="finding"[^>]*>', dom) if "hidden" not in tr]
    assert int(re.search(r'id="shown">(\d+)<', dom).group(1)) == len(visible) == len(todo)
    assert {re.search(r'data-fp="(\w+)"', tr).group(1) for tr in visible} == {f["fingerprint"] for f in todo}
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom).group(1)
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]  # the injected script never ran
    assert "&lt;script&gt;document.title='pwned'" in dom and HOSTILE_TITLE not in dom
    fixed = [f["fingerprint"] for f in export(history_db) if f["status"] == "fixed"]
    dom = subprocess.run([*base, "--dump-dom", f"file://{html}#status=fixed"], capture_output=True, text=True,
                         timeout=60).stdout
    visible = [tr for tr in re.findall(r'<tr class="finding"[^>]*>', dom) if "hidden" not in tr]
    assert sorted(re.search(r'data-fp="(\w+)"', tr).group(1) for tr in visible) == sorted(fixed) and fixed
    shot = tmp_path / "report.png"
    subprocess.run([*base, "--window-size=1400,2000", f"--screenshot={shot}", f"file://{html}"], capture_output=True,
                   timeout=60)
    png = shot.read_bytes()  # for a person to look at; here: a PNG of the window's size
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (1400, 2000)


PHONE_PROBE = """<!DOCTYPE html><body><iframe id="f" src="REPORT" style="width:390px;height:800px;border:0"></iframe>
<script>document.getElementById("f").onload = function () {
  var d = this.contentDocument, card = d.querySelector("#list tr.finding:not([hidden])"), chart = d.getElementById("trend");
  document.body.dataset.width = d.documentElement.scrollWidth;
  document.body.dataset.card = card ? getComputedStyle(card).display : "";
  document.body.dataset.chart = chart ? chart.getBoundingClientRect().width : -1;
  document.body.dataset.single = d.getElementById("trend-single") ? "1" : "0";
};</script></body>"""


@pytest.mark.parametrize("runs", ["four", "one"])
def test_on_a_phone_the_report_fits_the_screen_and_the_list_is_cards(history_db, sample_crawl, tmp_path, runs):
    """390 px wide (a phone, as reports are forwarded through 政务微信 and 钉钉): nothing runs off the
    screen, each finding is a card, the chart fits; one run alone is a number, not a one-dot chart."""
    need(Path(CHROMIUM).exists(), "chromium (Debian's chromium)")
    html = report(history_db if runs == "four" else sample_crawl.db, "html", tmp_path / "r.html")
    probe = tmp_path / "probe.html"
    probe.write_text(PHONE_PROBE.replace("REPORT", html.name), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run", "--allow-file-access-from-files",
                          f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
                          probe.as_uri()], capture_output=True, text=True, timeout=60).stdout
    seen = dict(re.findall(r'data-(width|card|chart|single)="([^"]*)"', dom))
    assert int(seen["width"]) <= 390 and seen["card"] == "block"
    if runs == "four":
        assert seen["single"] == "0" and 0 < float(seen["chart"]) <= 390
    else:
        assert seen["single"] == "1" and seen["chart"] == "-1"


def test_the_demo_uses_the_sample_profile_and_lists_findings_per_unit(tmp_path, sample_crawl):
    r = inspector("demo", "--out", tmp_path / "demo")
    assert r.code == 0, r.err
    assert f"site profile: {SAMPLE_PROFILE}" in r.out
    html = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    assert "html report:" in r.out
    profile = load(SAMPLE_PROFILE)
    units = {c["unit"] for c in profile.columns.values() if c.get("unit")} | {profile.site["default_unit"]}
    assert "" not in units
    lines = (tmp_path / "demo" / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    found = [json.loads(line) for line in lines]
    assert found and all(f["unit"] in units for f in found), {f["unit"] for f in found} - units
    assert set(re.findall(r'<tr class="finding"[^>]*data-fp="(\w+)"', html)) == {f["fingerprint"] for f in found}
    # the same problems as an inspection of the sample without a profile: only the units differ
    same = lambda f: (f["rule"], f["level"], f["url"], f["page"], f["column"], f["message"])  # noqa: E731
    assert sorted(map(same, found)) == sorted(map(same, sample_crawl.findings()))
    unit = {(f["rule"], f["page"].removeprefix(SITE)): f["unit"] for f in found}
    assert unit["broken-link", "/"] == "区政府办公室"  # the home page: site.default_unit
    assert unit["stale-column", "/xwzx/tpxw/index.html"] == "区融媒体中心"
    assert unit["stale-column", "/zwgk/ghjh/index.html"] == "区发展和改革局"
    assert unit["empty-column", "/zwgk/rsxx/index.html"] == "区人力资源和社会保障局"
    assert unit["missing-validity", "/zwgk/gfxwj/202606/t20260610_2003.html"] == "区司法局"
    assert unit["broken-link", "/hdjl/index.html"] == "区大数据管理中心"
    assert unit["wrong-link", "/art/2026/11/10/art_1234_501.html"] == "各镇人民政府（街道办事处）"  # Hanweb /art/
    # the loopback options still apply on top of the profile's [crawl]
    settings = json.loads(rows(tmp_path / "demo" / "inspector.db", "SELECT settings FROM runs")[0]["settings"])
    assert settings["config"] == str(SAMPLE_PROFILE)
    assert settings["crawl"]["offline"] is True and settings["crawl"]["connect_to"]
    assert (settings["crawl"]["delay"], settings["crawl"]["concurrency"]) == (0.0, 4)
    # the 整改清单: one sheet per 责任单位 with its findings (all new in the demo)
    wb = openpyxl.load_workbook(tmp_path / "demo" / "整改清单.xlsx")
    assert wb.sheetnames[0] == "汇总"
    sheets = [n for n in wb.sheetnames[1:] if n not in ("问题证据", "已整改及豁免")]
    by_unit = Counter(f["unit"] for f in found)
    assert len(sheets) >= 5 and set(sheets) == set(by_unit)
    for name in sheets:
        listed = [row[0].value for row in wb[name].iter_rows(min_row=HEAD_ROW + 1) if any(c.value for c in row)]
        assert len(listed) == by_unit[name], name
    assert all(u in html for u in by_unit)  # the HTML report groups by the same units
