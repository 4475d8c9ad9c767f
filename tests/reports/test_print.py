"""The 整改清单 as an office prints it: the XLSX through LibreOffice and the HTML through
Chromium's print to PDF, then read back page by page with poppler (pdfinfo, pdftotext).

What an office needs (the issue's list, not the code): A4, the units' lists landscape, every
core column on each printed page of a list, the header repeated on every page, each 责任单位
starting on a page of its own, the 汇总 labels beside their values, and a page count in
proportion to the findings (39 findings once printed as 75 pages)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import inspector, need, rows

CORE = ["序号", "问题类型", "问题描述", "所在页面", "问题链接", "责任单位", "发现日期", "整改期限", "状态",
        "整改措施", "整改责任人", "完成时间"]
HTML_CORE = ["序号", "问题类型", "问题等级", "问题描述", "问题链接", "所在页面", "首次发现", "整改期限", "状态"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def need_tools(*tools):
    missing = [str(t) for t in tools if not t or not shutil.which(t)]
    need(not missing, ", ".join(missing))


def pages(pdf: Path) -> list[dict]:
    """Each page's size (width, height in points) and text, in order."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True, text=True, check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    out = []
    for n, size in enumerate(sizes, 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", pdf, "-"],
                              capture_output=True, text=True, check=True).stdout
        out.append({"size": size, "text": text, "flat": re.sub(r"\s+", "", text)})
    return out


def a4(size, landscape: bool) -> bool:
    w, h = size
    long, short = max(w, h), min(w, h)
    return abs(long - 842) < 3 and abs(short - 595) < 3 and (w > h) == landscape


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`inspector demo`: the sample portal with its profile (a 责任单位 per column)."""
    out = tmp_path_factory.mktemp("demo")
    result = inspector("demo", "--out", out)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def open_findings(demo):
    found = rows(demo / "inspector.db", "SELECT unit FROM findings WHERE status IN ('new', 'open', 'reopened')")
    units = Counter(f["unit"] or "未指定责任单位" for f in found)
    assert len(units) >= 5  # the sample profile's units: the test means something only with several
    return units


def test_the_xlsx_prints_one_landscape_list_per_unit_with_every_core_column(demo, open_findings, tmp_path):
    need_tools(SOFFICE, "pdfinfo", "pdftotext")
    xlsx = demo / "整改清单.xlsx"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", tmp_path, xlsx], capture_output=True, check=True, timeout=180)
    printed = pages(tmp_path / "整改清单.pdf")
    lists = [p for p in printed if "整改措施" in p["flat"]]
    assert lists and all(a4(p["size"], landscape=True) for p in lists)
    for p in lists:  # every core column on every page of a list: nothing cut off at the right edge
        assert all(h in p["flat"] for h in CORE), [h for h in CORE if h not in p["flat"]]
    for unit, n in open_findings.items():  # each unit's list starts on a page of its own, with its title
        first = next(p for p in lists if f"责任单位：{unit}" in p["flat"])
        assert first["flat"].startswith("清河市新北区人民政府网站问题整改清单（2026-11-20）")
    summary = printed[0]  # the 汇总: labels and values on the same page
    assert a4(summary["size"], landscape=False)
    assert "单项否决风险是（严重表述错误）" in summary["flat"] and "估算得分" in summary["flat"]
    # at least eight findings to a printed page, each sheet starting a page: 汇总, one per unit, 问题证据
    total = sum(open_findings.values())
    assert len(printed) <= 2 + len(open_findings) + 2 * -(-total // 8)


def test_the_html_prints_each_unit_on_its_own_pages_with_deadline_and_status(demo, open_findings, tmp_path):
    need_tools(CHROMIUM, "pdfinfo", "pdftotext")
    html = demo / "report.html"
    pdf = tmp_path / "report.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'chromium'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    html.as_uri()], capture_output=True, timeout=120, check=True)
    printed = pages(pdf)
    assert all(a4(p["size"], landscape=True) for p in printed)
    lists = [p for p in printed if "整改期限" in p["flat"] and "序号" in p["flat"]]
    for p in lists:  # the header row, with 整改期限 and 状态, repeated on every page of the list
        assert all(h in p["flat"] for h in HTML_CORE), [h for h in HTML_CORE if h not in p["flat"]]
    for unit, n in open_findings.items():  # each 责任单位 starts a page: right under the repeated header
        page = next(p for p in lists if f"责任单位：{unit}（{n}条）" in p["flat"])
        above = page["flat"].split(f"责任单位：{unit}（{n}条）", 1)[0]
        assert set(above) <= set("".join(HTML_CORE) + "已持续（天）"), unit  # only the header row above it
    # the findings a unit must fix are on its pages: veto items first
    first = next(p for p in lists if "责任单位：区政府办公室" in p["flat"])
    assert first["flat"].split("责任单位：区政府办公室", 1)[1].split("）", 1)[1].startswith("1严重表述错误")
