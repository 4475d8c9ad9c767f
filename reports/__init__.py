"""Reports and exports, rendered from the store: one writer per format, chosen from a dict.

WRITERS[fmt](findings, stream): exports of a run's findings (jsonl, csv, json).
REPORTS[fmt](report, path): the reports of one run built by reports.model.build (html, xlsx, csv,
json: the run, its verdict and every finding of its view with its status, dates and evidence).
"""

import json
import os
from pathlib import Path

from reports.export import WRITERS, rows


def _html(report, path):
    from reports.html import write

    write(report, path)


def _xlsx(report, path):
    from reports.xlsx import write  # openpyxl is imported only when a workbook is written

    write(report, path)


def _csv(report, path):
    # a BOM, so that Excel opens a CSV of Chinese text in the right encoding
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        WRITERS["csv"](report["rows"], fh)


def _json(report, path):
    """The run, its verdict (as the HTML and XLSX show it) and every finding of its view."""
    data = {"run": report["run"], "site": report["site"], "verdict": report["verdict"],
            "counters": report["verdict_rows"], "findings": rows(report["rows"])}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, default=str)


def _atomic(write):
    """Write to a hidden sibling, then rename: a reader (or a killed writer) never leaves half a report."""
    def run(report, path):
        path = Path(path)
        part = path.with_name(f".{path.name}.part")
        try:
            write(report, part)
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
    return run


REPORTS = {fmt: _atomic(write) for fmt, write in
           {"html": _html, "xlsx": _xlsx, "csv": _csv, "json": _json}.items()}

__all__ = ["WRITERS", "REPORTS"]
