"""The runs of a store: one row per crawl (or spot check, or recheck), its settings, counts and
status."""

from __future__ import annotations

import json

import sqlite_utils

from core.store.schema import now


def start_run(db, *, site: str, start_url: str, as_of: str, settings: dict) -> int:
    with db.conn:
        table = db["runs"]
        table.insert(
            {
                "site": site, "start_url": start_url, "started": now(), "as_of": as_of,
                "status": "running", "settings": json.dumps(settings, ensure_ascii=False, default=str),
            }
        )
    return table.last_pk


def finish_run(db, run_id: int, *, status: str, counts: dict | None = None, skipped: dict | None = None,
               note: str = "") -> None:
    with db.conn:
        db["runs"].update(
            run_id,
            {
                "status": status, "finished": now(), "note": note,
                "counts": json.dumps(counts or {}, ensure_ascii=False),
                "skipped": json.dumps(skipped or {}, ensure_ascii=False),
            },
        )


def set_run(db, run_id: int, **values) -> None:
    with db.conn:
        db["runs"].update(run_id, {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                                   for k, v in values.items()})


def get_run(db, ref: str | int | None = "latest") -> dict | None:
    """A run by id, or the latest one ('latest' or None)."""
    if ref in (None, "latest"):
        row = db.execute("SELECT id FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        ref = row[0]
    try:
        return _decode_run(db["runs"].get(int(ref)))
    except (sqlite_utils.db.NotFoundError, ValueError):
        return None


def list_runs(db) -> list[dict]:
    return [_decode_run(r) for r in db["runs"].rows_where(order_by="id desc")]


def last_incomplete_run(db, start_url: str) -> dict | None:
    rows = list(db["runs"].rows_where("start_url = ? AND status != 'complete'", [start_url],
                                       order_by="id desc", limit=1))
    return _decode_run(rows[0]) if rows else None


def previous_complete_run(db, run: dict) -> dict | None:
    rows = list(db["runs"].rows_where("site = ? AND status = 'complete' AND id < ?", [run["site"], run["id"]],
                                       order_by="id desc", limit=1))
    return _decode_run(rows[0]) if rows else None


def _decode_run(row: dict) -> dict:
    for key in ("settings", "counts", "skipped", "verdict"):
        row[key] = json.loads(row[key]) if row.get(key) else {}
    return row
