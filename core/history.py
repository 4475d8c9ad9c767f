"""Findings across runs: identity, status, first and last seen, days open, waivers.

A finding's identity is its fingerprint (rule + defective URL + page where it was seen).
Every run has a *view*: the findings open as of that run plus those it found fixed.

- ``findings`` (the store): what the run itself saw; status ``new`` (never seen before),
  ``open`` (seen before and not fixed since) or ``reopened`` (fixed before, present again),
  and ``first_seen``, the as-of date of the run that first saw it.
- ``history`` (this module): one row per finding of the previous run's view that this run did
  not see. ``fixed`` when this run was complete and full (not ``check``, not stopped by
  max-pages, not narrowed by max-depth, not started below the home page) *and* it
  re-inspected the page where the finding was seen; otherwise ``open``, carried forward unverified. ``inspector recheck`` adds rows
  (source ``recheck``) for the findings it re-verified, fixed or still open.
- ``waivers``: a supervisor's decisions (false positive / accepted) with who and when. An
  active waiver shows an otherwise open finding as ``waived``: out of the rectification
  list, still in the history and the exports. Lifting it keeps the record.

Statuses are derived from earlier runs only, so evaluating a run again gives the same answer.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from core import store
from core.config import OPTIONS
from core.records import LEVELS
from core.errors import HistoryError  # noqa: F401 - raised here, caught by the CLI
from core.urls import page_key

OPEN = ("new", "open", "reopened")  # statuses that belong on the rectification list
COPY = ("fingerprint", "rule", "level", "url", "page", "column", "unit", "message", "evidence", "first_seen")
TABLES = {
    "history": ({c: str for c in COPY} | {"run": int, "last_seen": str, "status": str, "source": str, "note": str,
                                         "at": str}, ("run", "fingerprint")),
    "waivers": ({"id": int, "fingerprint": str, "rule": str, "url": str, "page": str, "kind": str, "reason": str,
                 "by": str, "at": str, "lifted_by": str, "lifted_at": str}, "id"),
}
KINDS = {"false-positive": "误报", "accepted": "同意不整改"}



def ensure(db) -> None:
    for name, (columns, pk) in TABLES.items():
        if not db[name].exists():
            db[name].create(columns, pk=pk)
    db["history"].create_index(["fingerprint"], if_not_exists=True)
    db["waivers"].create_index(["fingerprint"], if_not_exists=True)


def is_full(run: dict) -> bool:
    """A run that may mark findings fixed: complete, neither cut short nor narrowed, and
    started at the home page (a crawl started at a column judges no site-wide rule: their
    findings were not looked for)."""
    crawl = (run.get("settings") or {}).get("crawl", {})
    return (run["status"] == "complete" and not (run.get("skipped") or {}).get("max-pages")
            and crawl.get("max_depth", 0) >= OPTIONS["crawl"]["max_depth"][1]
            and (run.get("counts") or {}).get("start") != "below-home")


def baseline(db, run: dict) -> dict | None:
    """The previous evaluated run of the same site (failed and killed runs have no view)."""
    row = db.execute("SELECT id FROM runs WHERE site = ? AND id < ? AND status IN ('complete', 'interrupted') "
                     "ORDER BY id DESC LIMIT 1", [run["site"], run["id"]]).fetchone()
    return store.get_run(db, row[0]) if row else None


def label(db, run: dict, rows: list[dict]) -> list[dict]:
    """Set `status` and `first_seen` on the rows of findings `run` saw, from earlier runs."""
    ensure(db)
    last: dict[str, tuple] = {}
    fps = [r["fingerprint"] for r in rows]
    for i in range(0, len(fps), 500):
        chunk = fps[i:i + 500]
        marks = ",".join("?" * len(chunk))
        earlier = "(SELECT id FROM runs WHERE site = ? AND id < ?)"
        events = db.execute(
            f"SELECT fingerprint, run, 0, first_seen, 'seen' FROM findings WHERE fingerprint IN ({marks}) AND run IN {earlier} "
            f"UNION ALL SELECT fingerprint, run, 1, first_seen, status FROM history "
            f"WHERE fingerprint IN ({marks}) AND run IN {earlier}",
            [*chunk, run["site"], run["id"], *chunk, run["site"], run["id"]])
        for fp, run_id, order, first, what in events:
            if fp not in last or (run_id, order) > last[fp][:2]:  # a recheck comes after its run's crawl
                last[fp] = (run_id, order, first, what)
    for r in rows:
        prior = last.get(r["fingerprint"])
        r["first_seen"] = prior[2] if prior else run["as_of"]
        r["status"] = "new" if prior is None else "reopened" if prior[3] == "fixed" else "open"
    return rows


def carry(db, run: dict, seen: set[str]) -> None:
    """Record what became of the previous run's open findings that `run` did not see."""
    ensure(db)
    db.execute("DELETE FROM history WHERE run = ? AND source = 'crawl'", [run["id"]])
    base = baseline(db, run)
    if base is None:
        return
    full = is_full(run)
    inspected = {page_key(u) for (u,) in db.execute("SELECT url FROM pages WHERE run = ? UNION "
                                                    "SELECT url FROM checks WHERE run = ? AND status IS NOT NULL",
                                                    [run["id"], run["id"]])}
    rows = []
    for r in _rows(db, base):
        if r["fingerprint"] in seen or r["status"] == "fixed":
            continue
        fixed = full and (not r["page"] or page_key(r["page"]) in inspected)  # whatever alias named it
        rows.append({**{k: r[k] for k in COPY}, "evidence": json.dumps(r["evidence"], ensure_ascii=False),
                     "run": run["id"], "last_seen": r["last_seen"], "status": "fixed" if fixed else "open",
                     "source": "crawl", "note": "" if fixed else "not re-inspected in this run", "at": run["as_of"]})
    db["history"].insert_all(rows, ignore=True)  # a recheck's verdict on this run stands


def _rows(db, run: dict) -> list[dict]:
    """A run's view before waivers and dates: seen findings (a recheck may override their
    status) and the history rows for findings it did not see."""
    ensure(db)
    seen = db.execute("SELECT * FROM findings WHERE run = ? ORDER BY rule, url, page", [run["id"]])
    cols = [c[0] for c in seen.description]
    out = {}
    for values in seen.fetchall():
        r = dict(zip(cols, values))
        out[r["fingerprint"]] = {**r, "last_seen": run["as_of"], "seen": True, "note": "", "checked": ""}
    for h in db["history"].rows_where("run = ?", [run["id"]], order_by="rule, url, page"):
        if h["fingerprint"] in out:  # a recheck of a finding this run saw: only "fixed" changes its status
            seen_row = out[h["fingerprint"]]
            seen_row.update(note=h["note"], checked=h["at"], status="fixed" if h["status"] == "fixed" else seen_row["status"])
        else:
            out[h["fingerprint"]] = {**h, "seen": False, "checked": h["at"] if h["source"] == "recheck" else ""}
    for r in out.values():
        if isinstance(r["evidence"], str):
            r["evidence"] = json.loads(r["evidence"]) if r["evidence"] else {}
    return list(out.values())


def view(db, run: dict, include_fixed: bool = True) -> list[dict]:
    """Every finding of `run`'s view with status (waivers applied), first_seen, last_seen,
    days_open, deadline (first seen + site.rectify_days) and overdue."""
    waived = active_waivers(db)
    as_of = date.fromisoformat(run["as_of"])
    days = int((run.get("settings") or {}).get("site", {}).get("rectify_days", OPTIONS["site"]["rectify_days"][1]))
    out = []
    for r in _rows(db, run):
        if r["status"] == "fixed" and not include_fixed:
            continue
        first = date.fromisoformat(r["first_seen"][:10])
        end = date.fromisoformat(r["last_seen"][:10]) if r["status"] == "fixed" else as_of
        deadline = first + timedelta(days=days)
        w = waived.get(r["fingerprint"])
        if w and r["status"] in OPEN:
            r["status"] = "waived"
        out.append({**r, "run": run["id"], "days_open": max(0, (end - first).days), "deadline": deadline.isoformat(),
                    "overdue": r["status"] in OPEN and as_of > deadline, "waiver": w})
    return out


# ---------------------------------------------------------------- waivers
def resolve(db, ref: str) -> dict:
    """The latest row of the finding whose fingerprint is `ref` or starts with it."""
    ensure(db)
    ref = ref.strip().lower()
    if not ref:
        raise HistoryError("no finding given")
    like = ref.replace("%", "").replace("_", "") + "%"
    matches = {fp for (fp,) in db.execute("SELECT fingerprint FROM findings WHERE fingerprint LIKE ? UNION "
                                           "SELECT fingerprint FROM history WHERE fingerprint LIKE ?", [like, like])}
    if not matches:
        raise HistoryError(f"no finding {ref!r} (see 'inspector export' for fingerprints)")
    if len(matches) > 1:
        raise HistoryError(f"{ref!r} matches {len(matches)} findings: give more of the fingerprint")
    fp = matches.pop()
    row = db.execute("SELECT fingerprint, rule, url, page, message FROM findings WHERE fingerprint = ? UNION ALL "
                     "SELECT fingerprint, rule, url, page, message FROM history WHERE fingerprint = ?", [fp, fp]).fetchone()
    return dict(zip(("fingerprint", "rule", "url", "page", "message"), row))


def waive(db, ref: str, reason: str, by: str, kind: str = "false-positive") -> dict:
    """Record a supervisor's decision on a finding; a second waiver replaces the first."""
    finding = resolve(db, ref)
    if not reason.strip():
        raise HistoryError("a waiver needs a reason")
    with db.conn:
        _lift(db, finding["fingerprint"], by, store.now())
        db["waivers"].insert({k: finding[k] for k in ("fingerprint", "rule", "url", "page")} |
                             {"kind": kind, "reason": reason.strip(), "by": by, "at": store.now()})
    return finding


def unwaive(db, ref: str, by: str) -> dict:
    finding = resolve(db, ref)
    with db.conn:
        if not _lift(db, finding["fingerprint"], by, store.now()):
            raise HistoryError(f"finding {finding['fingerprint']} is not waived")
    return finding


def _lift(db, fp: str, by: str, at: str) -> int:
    return db.execute("UPDATE waivers SET lifted_by = ?, lifted_at = ? WHERE fingerprint = ? AND lifted_at IS NULL",
                      [by, at, fp]).rowcount


def active_waivers(db) -> dict[str, dict]:
    ensure(db)
    return {w["fingerprint"]: w for w in db["waivers"].rows_where("lifted_at IS NULL", order_by="id")}


def save_findings(db, run: dict, findings) -> int:
    """Replace a run's findings, with their status (new / open / reopened)
    and first_seen, and record what became of the previous run's findings (fixed / carried)."""
    rows = [{
        "run": run["id"], "fingerprint": f.fingerprint, "rule": f.rule, "level": f.level, "url": f.url,
        "page": f.page, "column": f.column, "unit": f.unit, "message": f.message,
        "evidence": json.dumps(f.evidence, ensure_ascii=False, default=str),
    } for f in findings]
    label(db, run, rows)
    with db.conn:
        db.execute("DELETE FROM findings WHERE run = ?", [run["id"]])
        db["findings"].insert_all(rows, replace=True)
        carry(db, run, {r["fingerprint"] for r in rows})
    return len(rows)


def night_counts(rows: list[dict]) -> dict:
    """Open findings (by level), new and fixed, of one run's view."""
    todo = [x for x in rows if x["status"] in OPEN]
    return {"open": len(todo), "new": sum(x["status"] == "new" for x in rows),
            "fixed": sum(x["status"] == "fixed" for x in rows), **{lvl: sum(x["level"] == lvl for x in todo) for lvl in LEVELS}}
