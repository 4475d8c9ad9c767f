"""The XLSX 整改清单 (rectification workbook) from reports.model: a summary sheet, one sheet per
责任单位 with its open findings, and one for what was fixed or waived.

Every list sheet has Chinese headers, a frozen header row, an auto-filter, clickable URLs and
fitted column widths; the 整改期限 column is first seen + site.rectify_days. Crawled text
cannot run: cells starting with = + - @ (or tab/CR) are neutralised by reports.export.safe_cell,
control characters Excel refuses are dropped, and only http(s) URLs become hyperlinks.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from core.history import OPEN
from reports.export import safe_cell
from reports.html import href
from reports.model import STATUS_LABELS

# header, row key, width cap; URL columns become hyperlinks
COLUMNS = [
    ("序号", "seq", 6), ("问题类型", "rule_label", 14), ("问题等级", "level_label", 12), ("问题描述", "message", 60),
    ("所在栏目", "column", 16), ("问题链接", "url", 60), ("所在页面", "page", 60), ("页面标题", "page_title", 30),
    ("链接文字", "anchor", 24), ("HTTP状态", "http_status", 10), ("检查结果", "outcome", 30), ("跳转链", "redirects", 40),
    ("首次发现", "first_seen", 12), ("最后发现", "last_seen", 12), ("已持续天数", "days_open", 10),
    ("整改期限", "deadline", 12), ("状态", "status_label", 10), ("复查", "note", 24), ("识别码", "fingerprint", 18),
]
LINKS = {"url", "page"}
DATES = {"first_seen", "last_seen", "deadline"}
HEAD_FILL = PatternFill("solid", fgColor="DDE6F2")
SUMMARY, DONE = "汇总", "已整改及豁免"


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, not blank, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'")[:31] or "未命名"
    title, n = base, 1
    while title.lower() in {t.lower() for t in taken}:
        n += 1
        title = f"{base[:31 - len(str(n)) - 2]}({n})"
    taken.add(title)
    return title


def cell_value(key: str, value):
    if value is None or value == "":
        return None
    if key in DATES:
        return date.fromisoformat(str(value)[:10])
    if isinstance(value, list):
        value = " → ".join(map(str, value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(safe_cell(str(value))))


def width(value) -> int:
    """Display width: CJK characters take two columns."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def list_sheet(ws, rows: list[dict]) -> None:
    ws.append([h for h, _, _ in COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    for n, r in enumerate(rows, 1):
        values = {**r, "seq": n}
        ws.append([cell_value(key, values.get(key)) for _, key, _ in COLUMNS])
        for col, (_, key, _) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=n + 1, column=col)
            if key in DATES and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif key in LINKS and href(r.get(key)):
                cell.hyperlink, cell.style = href(r[key]), "Hyperlink"
            elif key == "message":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    fit(ws)


def fit(ws) -> None:
    for col, (header, _, cap) in enumerate(COLUMNS, 1):
        letter = ws.cell(row=1, column=col).column_letter
        longest = max((width(c.value) for (c,) in ws.iter_rows(min_col=col, max_col=col) if c.value is not None),
                      default=4)
        ws.column_dimensions[letter].width = min(max(longest, width(header)) + 2, cap + 2)


def write(report: dict, path) -> None:
    wb = Workbook()
    summary = wb.active
    taken = {SUMMARY}
    summary.title = SUMMARY
    rows = report["rows"]
    todo_by_unit: dict[str, list] = {}
    for r in rows:
        if r["status"] in OPEN:
            todo_by_unit.setdefault(r["unit"], []).append(r)
    titles = {}
    for u in report["counts"]["unit"]:
        if u["unit"] in todo_by_unit:
            titles[u["unit"]] = sheet_title(u["unit"], taken)
            list_sheet(wb.create_sheet(titles[u["unit"]]), sorted(todo_by_unit[u["unit"]],
                                                                  key=lambda r: (-r["days_open"], r["rule"], r["url"])))
    done = [r for r in rows if r["status"] not in OPEN]
    if done:
        list_sheet(wb.create_sheet(sheet_title(DONE, taken)), done)
    summary_sheet(summary, report, titles)
    wb.save(path)


def summary_sheet(ws, report: dict, titles: dict) -> None:
    run, site = report["run"], report["site"]
    info = [("网站名称", site["name"]), ("网站标识码", site["id_code"]), ("检查地址", run["start_url"]),
            ("检查日期", run["as_of"]), ("检查编号", run["id"]), ("检查状态", run["status_label"]),
            ("待整改", report["counts"]["todo"]), ("超过整改期限", report["counts"]["overdue"]),
            ("整改期限", f"首次发现后 {site['rectify_days']} 天")]
    verdict = report["verdict"]
    info += [("单项否决风险", "是（" + "、".join(verdict["veto_items"]) + "）" if verdict["veto"] else "否"),
             ("估算得分", f"{verdict['score']:g} 分（满分 100，{verdict['pass_mark']:g} 分合格；估算）"),
             ("评估结论", verdict["estimate"])]
    info += [(f"扣分：{i['name']}", f"{i['count']} 个问题，扣 {i['deducted']:g} 分" + ("，单项否决" if i["vetoed"] else ""))
             for i in verdict["items"]]
    info += [(f"评价：{v['label'] or v['name']}", f"{v['value']}" + (f" / 阈值 {v['threshold']}" if v["threshold"] is not None else ""))
             for v in report["verdict_rows"]]
    for label, value in info:
        ws.append([label, cell_value("", value)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])
    head = ["责任单位", "待整改"] + [STATUS_LABELS[s] for s in STATUS_LABELS]
    ws.append(head)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    for u in report["counts"]["unit"]:
        ws.append([cell_value("", u["unit"]), u["todo"]] + [u[s] for s in STATUS_LABELS])
        if u["unit"] in titles:  # jump to the unit's sheet
            cell = ws.cell(row=ws.max_row, column=1)
            cell.hyperlink, cell.style = "#'" + titles[u['unit']].replace("'", "''") + "'!A1", "Hyperlink"
    ws.column_dimensions["A"].width = max([width(label) for label, _ in info] + [width(u["unit"]) for u in
                                                                                report["counts"]["unit"]] + [10]) + 2
    ws.column_dimensions["B"].width = 48
