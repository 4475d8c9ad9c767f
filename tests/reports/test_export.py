"""Exports carry the contract keys, and crawled text cannot run as a spreadsheet formula."""

import csv
import io
import json

from reports.export import WRITERS, safe_cell

HOSTILE = {
    "run": 1, "rule": "broken-link", "level": "hint", "url": "http://a.gov.cn/x", "page": "http://a.gov.cn/",
    "column": "=HYPERLINK(\"http://evil\",\"点我\")", "unit": "+区政府办", "message": "-2+3", "first_seen": "2026-11-20",
    "status": "new", "fingerprint": "abc", "evidence": {"text": "@SUM(A1)"},
}


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    out = io.StringIO()
    WRITERS["csv"]([HOSTILE], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["column"].startswith("'=HYPERLINK") and row["unit"] == "'+区政府办" and row["message"] == "'-2+3"
    assert row["url"] == "http://a.gov.cn/x"  # ordinary text untouched


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_cell(-3) == -3 and safe_cell("区政府办") == "区政府办" and safe_cell("\tx") == "'\tx"


def test_jsonl_and_json_keep_text_as_data():
    out = io.StringIO()
    WRITERS["jsonl"]([HOSTILE], out)
    assert json.loads(out.getvalue())["column"] == HOSTILE["column"]
    out = io.StringIO()
    WRITERS["json"]([HOSTILE, HOSTILE], out)
    assert len(json.loads(out.getvalue())) == 2
