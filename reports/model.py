"""What every report shows, read from the store once: the run, the site verdict, counts,
the trend, and one row per finding with its status, dates and evidence.

Writers (html, xlsx, csv, json) only lay this out; none of them reads the store.
"""

from __future__ import annotations

import re
from collections import Counter

from core import history, store
from core.records import LEVELS, outcome_text
from core.verdict import compute, load_table

STATUS_LABELS = {"new": "新发现", "open": "未整改", "reopened": "重新出现", "fixed": "已整改", "waived": "误报/豁免"}
RUN_LABELS = {"complete": "完整", "interrupted": "未完成", "running": "未完成", "crawled": "未完成", "failed": "失败"}
NO_UNIT = "未指定责任单位"
TREND_RUNS = 30


def build(db, run: dict) -> dict:
    """The report of `run`: a plain dict of JSON-able values."""
    names = store.rule_names(db)
    rows = [_row(r, names) for r in history.view(db, run)]
    _add_titles(db, run, rows)
    todo = [r for r in rows if r["status"] in history.OPEN]
    settings = run.get("settings") or {}
    site = settings.get("site", {})
    return {
        "run": {k: run.get(k) for k in ("id", "site", "start_url", "started", "finished", "as_of", "status", "note",
                                        "counts", "skipped")}
               | {"status_label": RUN_LABELS.get(run["status"], run["status"]), "full": history.is_full(run)},
        "site": {"name": site.get("name") or _home_title(db, run) or run["site"], "id_code": site.get("id_code", ""),
                 "rectify_days": site.get("rectify_days", 15)},
        "verdict": verdict(run, todo, site),
        "verdict_rows": verdict_rows((run.get("verdict") or {}).get("counters") or {}),
        "rows": rows,
        "counts": {
            "status": _count(rows, "status", STATUS_LABELS),
            "level": _count(todo, "level", LEVELS),
            "rule": sorted(_count(todo, "rule", names).items(), key=lambda kv: -kv[1]["n"]),
            "unit": units(rows),
            "todo": len(todo), "overdue": sum(r["overdue"] for r in todo),
        },
        "trend": trend(db, run),
        "generated": store.now(),
    }


def verdict(run: dict, todo: list[dict], site: dict) -> dict:
    """The verdict of the open findings (core.verdict), and whether the run judged the whole site."""
    stored = run.get("verdict") or {}
    out = compute(todo, load_table(site.get("scoring") or None))
    if stored.get("judged") is False:
        out.update(judged=False, reason=stored.get("reason", ""))
    return out


def seen(rule: str, ev: dict) -> str:
    """What was seen, as a unit needs it to act: the sentence around a wording error, the newest
    item of a stale column (a broken or wrong link's message names its link text)."""
    if ev.get("matches"):
        return " / ".join(f"……{m['context']}……" for m in ev["matches"][:3] if m.get("context"))
    if ev.get("newest_item"):
        item = ev["newest_item"]
        return f"最新信息：{item.get('date') or ''}「{item.get('title') or ''}」"
    return ""  # a broken or wrong link's text is in its message


def _home_title(db, run: dict) -> str:
    """The site's name as its home page's <title> gives it (清河市新北区人民政府), when no profile names it."""
    home = (run.get("counts") or {}).get("home") or run["start_url"]
    row = db.execute("SELECT title FROM pages WHERE run = ? AND url = ?", [run["id"], home]).fetchone()
    parts = [p.strip() for p in re.split(r"[_|｜]|\s[-—–]\s", (row[0] if row else "") or "") if p.strip()]
    return parts[-1] if len(parts) > 1 else (parts[0] if parts else "")


def _row(r: dict, names: dict) -> dict:
    ev = r.get("evidence") or {}
    sources = ev.get("linked_from") or []
    waiver = r.get("waiver") or {}
    status_label = STATUS_LABELS[r["status"]]
    if waiver and r["status"] == "waived":
        status_label = history.KINDS.get(waiver.get("kind"), status_label)
    return {
        **{k: r.get(k) for k in ("run", "fingerprint", "rule", "level", "url", "page", "column", "message", "first_seen",
                                 "last_seen", "days_open", "deadline", "overdue", "status", "seen", "note", "checked")},
        "unit": r.get("unit") or NO_UNIT,
        "rule_label": names.get(r["rule"], r["rule"]), "level_label": LEVELS.get(r["level"], r["level"]),
        "status_label": status_label,
        "anchor": ev.get("text") or (sources[0].get("text") if sources else "") or "",
        "http_status": ev.get("status"), "seen": seen(r["rule"], ev),
        "outcome": outcome_text(ev["outcome"], ev.get("status"), ev.get("detail") or "", ev.get("final_url") or "")
        if ev.get("outcome") else "",
        "redirects": [f"{u} ({s})" for u, s in ev.get("redirects") or []], "final_url": ev.get("final_url") or "",
        "linked_from": [s.get("source") for s in sources], "checked_at": ev.get("checked") or "",
        "evidence": ev,
        "waiver": {k: waiver.get(k) for k in ("kind", "reason", "by", "at")} if waiver else None,
        "page_title": "",
    }


def _add_titles(db, run: dict, rows: list[dict]) -> None:
    """The title of each row's page, from the latest run (up to this one) that parsed it."""
    pages = sorted({r["page"] for r in rows if r["page"]})
    titles = {}
    for i in range(0, len(pages), 500):
        chunk = pages[i:i + 500]
        q = (f"SELECT url, title FROM pages WHERE url IN ({','.join('?' * len(chunk))}) "
             "AND run IN (SELECT id FROM runs WHERE site = ? AND id <= ?) ORDER BY run")
        titles.update({u: t for u, t in db.execute(q, [*chunk, run["site"], run["id"]]) if t})
    for r in rows:
        r["page_title"] = titles.get(r["page"], "")


def _count(rows, key, labels=None) -> dict:
    n = Counter(r[key] for r in rows)
    return {k: {"n": v, "label": (labels or {}).get(k) or k}
            for k, v in sorted(n.items())}


def units(rows) -> list[dict]:
    """Per 责任单位: counts by status, the rectification list first."""
    out: dict[str, Counter] = {}
    for r in rows:
        out.setdefault(r["unit"], Counter())[r["status"]] += 1
    table = [{"unit": u, **{s: c.get(s, 0) for s in STATUS_LABELS}, "todo": sum(c[s] for s in history.OPEN)}
             for u, c in out.items()]
    return sorted(table, key=lambda t: (-t["todo"], t["unit"]))


def trend(db, run: dict, last: int = TREND_RUNS) -> list[dict]:
    """Per run of the site up to `run` (the last 30 evaluated ones): open findings by level, new,
    fixed, as they were on that run's night (stored with its verdict: a later waiver does not
    rewrite the past); runs evaluated before that was stored are counted from their view."""
    ids = [i for (i,) in db.execute(
        "SELECT id FROM runs WHERE site = ? AND id <= ? AND status IN ('complete', 'interrupted') "
        "ORDER BY id DESC LIMIT ?", [run["site"], run["id"], last])]
    points = []
    for run_id in reversed(ids):
        r = store.get_run(db, run_id)
        night = (r.get("verdict") or {}).get("night") or history.night_counts(history.view(db, r))
        points.append({"run": run_id, "as_of": r["as_of"], **night})
    return points


def verdict_rows(verdict: dict, prefix: str = "") -> list[dict]:
    """Flatten a run's verdict (runs.verdict, written by the evaluation: {"veto": bool, "counters":
    {id: {label, count, threshold, reached, columns}}}) into rows of name, value, threshold, reached."""
    out = []
    for key, value in verdict.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and ({"count", "value"} & value.keys()):
            count = value.get("count", value.get("value"))
            limit = value.get("threshold", value.get("limit"))
            reached = value.get("reached", value.get("over"))
            if reached is None:  # the checklist's counters veto at "count >= threshold"
                reached = isinstance(count, (int, float)) and isinstance(limit, (int, float)) and count >= limit
            out.append({"name": name, "value": count, "threshold": limit, "over": bool(reached),
                        "label": value.get("label", ""),
                        "items": [{"url": str(u), "name": str(n)} for u, n in
                                  zip(value.get("columns") or [], value.get("names") or value.get("columns") or [])]})
        elif isinstance(value, dict):
            out.extend(verdict_rows(value, f"{name}."))
        elif key != "veto":  # the overall answer is shown on its own
            out.append({"name": name, "value": value, "threshold": None, "over": False, "label": "", "items": []})
    return out
