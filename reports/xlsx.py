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
from openpyxl.utils import get_column_letter

from core.history import OPEN
from reports.export import safe_cell
from reports.html import href, local_time
from reports.model import STATUS_LABELS

# The unit's list, printed or PDF'd one per 责任单位: the core columns, then the columns the unit
# fills in and returns. (header, row key, width)
COLUMNS = [
    ("序号", "seq", 5), ("问题类型", "kind", 14), ("问题描述", "message", 36), ("所在页面", "page", 26),
    ("问题链接", "url", 26), ("责任单位", "unit", 14), ("发现日期", "first_seen", 11), ("整改期限", "deadline", 11),
    ("状态", "status_label", 8), ("整改措施", "", 20), ("整改责任人", "", 10), ("完成时间", "", 11),
]
# The evidence a unit needs to act, on a sheet of its own (sheet name, 序号 of the unit's list).
EVIDENCE = [
    ("责任单位", "unit", 14), ("序号", "seq", 5), ("问题类型", "kind", 14), ("问题链接", "url", 36), ("所在页面", "page", 30),
    ("页面标题", "page_title", 24), ("所在栏目", "column", 14), ("所见内容", "seen", 30), ("链接文字", "anchor", 20),
    ("HTTP状态", "http_status", 8),
    ("检查结果", "outcome", 20), ("跳转链", "redirects", 30), ("首次发现", "first_seen", 11), ("最后发现", "last_seen", 11),
    ("已持续天数", "days_open", 8), ("复查", "note", 16), ("识别码", "fingerprint", 17),
]
DONE_COLUMNS = [
    ("序号", "seq", 5), ("问题类型", "kind", 14), ("问题描述", "message", 36), ("问题链接", "url", 30), ("责任单位", "unit", 14),
    ("状态", "status_label", 10), ("首次发现", "first_seen", 11), ("最后发现", "last_seen", 11),
    ("豁免原因", "waiver_reason", 20), ("决定人", "waiver_by", 10), ("决定时间", "waiver_at", 16), ("识别码", "fingerprint", 17),
]
LINKS = {"url", "page"}
DATES = {"first_seen", "last_seen", "deadline"}
WRAP = {"message", "url", "page", "page_title", "anchor", "outcome", "redirects", "note", "waiver_reason", "unit", "seen"}
SEVERITY = {"veto": 0, "deduct": 1, "hint": 2}
HEAD_FILL = PatternFill("solid", fgColor="DDE6F2")
SUMMARY, EVIDENCE_SHEET, DONE = "汇总", "问题证据", "已整改及豁免"
HEAD_ROW = 3  # a title row, a line of what the list is, then the header (repeated on every printed page)


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


def list_sheet(ws, rows: list[dict], columns, title: str, subtitle: str, links: bool = False) -> None:
    """A sheet that prints as a list: A4 landscape, fit to the page's width, the title on top and
    the header row on every page. URLs are clickable only with `links`: a hyperlink cell does not
    wrap when LibreOffice prints it, so the units' lists show plain URLs that wrap in their column
    and the 问题证据 sheet has the clickable ones."""
    last = get_column_letter(len(columns))
    ws.append([title])
    ws.append([subtitle])
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    ws.append([h for h, _, _ in columns])
    for cell in ws[HEAD_ROW]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r in rows:
        values = [cell_value(key, r.get(key)) if key else None for _, key, _ in columns]
        ws.append(values)
        # spreadsheet programs do not grow a row for wrapped text when they open a file: say how tall
        lines = max([-(-width(v) // w) for v, (_, key, w) in zip(values, columns) if v is not None and key in WRAP]
                    + [1])
        ws.row_dimensions[ws.max_row].height = 15 * min(lines, 12)
        for col, (_, key, _) in enumerate(columns, 1):
            cell = ws.cell(row=ws.max_row, column=col)
            cell.alignment = Alignment(wrap_text=key in WRAP, vertical="top")
            if key in DATES and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif links and key in LINKS and href(r.get(key)):
                cell.hyperlink, cell.style = href(r[key]), "Hyperlink"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, (_, _, w) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(col)].width = w + 1
    ws.freeze_panes = f"A{HEAD_ROW + 1}"
    ws.auto_filter.ref = f"A{HEAD_ROW}:{last}{ws.max_row}"
    printable(ws, landscape=True)
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"


def printable(ws, landscape: bool) -> None:
    """A4, fit to the page's width (as many pages down as it takes), narrow margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True


def by_severity(rows: list[dict]) -> list[dict]:
    """Veto items first, then deductions, then hints; the oldest first within a level."""
    return sorted(rows, key=lambda r: (SEVERITY.get(r["level"], 3), -(r["days_open"] or 0), r["rule"], r["url"]))


def write(report: dict, path) -> None:
    wb = Workbook()
    summary = wb.active
    taken = {SUMMARY, EVIDENCE_SHEET}
    summary.title = SUMMARY
    site, day = report["site"]["name"], report["run"]["as_of"]
    title = f"{site}网站问题整改清单（{day}）"
    todo_by_unit: dict[str, list] = {}
    for r in report["rows"]:
        if r["status"] in OPEN:
            todo_by_unit.setdefault(r["unit"], []).append(r)
    titles, evidence = {}, []
    for u in report["counts"]["unit"]:
        if u["unit"] in todo_by_unit:
            titles[u["unit"]] = sheet_title(u["unit"], taken)
            rows = [{**r, "seq": n, "kind": f"{r['rule_label']}（{r['level_label']}）"}
                    for n, r in enumerate(by_severity(todo_by_unit[u["unit"]]), 1)]
            subtitle = (f"责任单位：{u['unit']}　待整改 {len(rows)} 条　整改期限：首次发现后 {report['site']['rectify_days']} 天"
                        "　整改后请填写整改措施、整改责任人和完成时间并报回")
            list_sheet(wb.create_sheet(titles[u["unit"]]), rows, COLUMNS, title, subtitle)
            evidence += rows
    if evidence:
        list_sheet(wb.create_sheet(EVIDENCE_SHEET), evidence, EVIDENCE,
                   f"{site}网站问题证据（{day}）", "与各责任单位清单的序号对应；链接可点击", links=True)
    done = [{**r, "seq": n, "kind": f"{r['rule_label']}（{r['level_label']}）",
             **{f"waiver_{k}": (r.get("waiver") or {}).get(k) for k in ("reason", "by")},
             "waiver_at": local_time(r["waiver"]["at"]) if r.get("waiver") else None}
            for n, r in enumerate((r for r in report["rows"] if r["status"] not in OPEN), 1)]
    if done:
        list_sheet(wb.create_sheet(sheet_title(DONE, taken)), done, DONE_COLUMNS,
                   f"{site}网站已整改及豁免问题（{day}）", "已整改：本次检查复查确认；豁免：监督人员的决定（误报或同意不整改）")
    summary_sheet(summary, report, titles)
    wb.save(path)


def summary_sheet(ws, report: dict, titles: dict) -> None:
    run, site = report["run"], report["site"]
    info = [("网站名称", site["name"]), ("网站标识码", site["id_code"]), ("检查地址", run["start_url"]),
            ("检查日期", run["as_of"]), ("检查编号", run["id"]), ("检查状态", run["status_label"]),
            ("待整改", report["counts"]["todo"]), ("超过整改期限", report["counts"]["overdue"]),
            ("整改期限", f"首次发现后 {site['rectify_days']} 天")]
    verdict = report["verdict"]
    if verdict.get("judged") is False:
        info += [("全站评价", f"不评价（{verdict.get('reason', '')}）"),
                 ("单项否决类问题", "、".join(verdict["veto_items"]) or "无")]
    else:
        info += [("单项否决风险", "是（" + "、".join(verdict["veto_items"]) + "）" if verdict["veto"] else "否"),
                 ("估算得分", f"{verdict['score']:g} 分（满分 100，{verdict['pass_mark']:g} 分合格；估算）"),
                 ("评估结论", verdict["estimate"])]
    info += [(f"扣分：{i['name']}", f"{i['count']} 个问题，扣 {i['deducted']:g} 分" + ("，单项否决" if i["vetoed"] else ""))
             for i in verdict["items"]]
    info += [(f"否决线：{v['label'] or v['name']}", f"{v['value']}" + (f" / 否决线 {v['threshold']}" if v["threshold"] is not None else "")
              + (("：" + "、".join(i["name"] for i in v["items"][:10]) + (" 等" if len(v["items"]) > 10 else "")) if v["items"] else ""))
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
    ws.column_dimensions["A"].width = min(40, max([width(label) for label, _ in info] + [10]) + 2)
    ws.column_dimensions["B"].width = 60
    for row in ws.iter_rows():
        for cell in row[:2]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    printable(ws, landscape=False)
