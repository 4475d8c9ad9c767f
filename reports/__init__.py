"""Reports and exports, rendered from the store: one writer per format, chosen from a dict.

WRITERS[fmt](findings, stream): exports of a run's findings (jsonl, csv, json).
REPORTS[fmt](report, path): the reports of one run built by reports.model.build (html, xlsx, csv,
json: every finding of the run's view with its status, dates and evidence).
"""

from reports.export import WRITERS


def _html(report, path):
    from reports.html import write

    write(report, path)


def _xlsx(report, path):
    from reports.xlsx import write  # openpyxl is imported only when a workbook is written

    write(report, path)


def _data(fmt):
    def write(report, path):
        # a BOM, so that Excel opens a CSV of Chinese text in the right encoding
        with open(path, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            WRITERS[fmt](report["rows"], fh)
    return write


REPORTS = {"html": _html, "xlsx": _xlsx, "csv": _data("csv"), "json": _data("json")}

__all__ = ["WRITERS", "REPORTS"]
