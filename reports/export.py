"""Findings as data for other systems: JSON Lines, CSV and JSON, always read from the store.

Crawled text is untrusted: a CSV cell that a spreadsheet would run as a formula
(`= + - @`, tab, CR) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import json

FIELDS = ["run", "rule", "level", "url", "page", "column", "unit", "message", "first_seen", "last_seen", "days_open",
          "deadline", "status", "fingerprint"]


def rows(findings: list[dict]) -> list[dict]:
    return [{**{k: f.get(k) for k in FIELDS}, "evidence": f.get("evidence", {})} for f in findings]


def safe_cell(value):
    """A spreadsheet cell that cannot run: formula-leading text gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_jsonl(findings, out) -> None:
    for row in rows(findings):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_json(findings, out) -> None:
    json.dump(rows(findings), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(findings, out) -> None:
    writer = csv.writer(out)
    writer.writerow(FIELDS + ["evidence"])
    for row in rows(findings):
        writer.writerow([safe_cell(row[k]) for k in FIELDS] + [safe_cell(json.dumps(row["evidence"], ensure_ascii=False))])


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "json": write_json}
