"""The HTML report: one self-contained file (inline CSS, JS and SVG; nothing loaded from the
network) rendered with Jinja2 from reports.model.

Everything crawled is hostile: autoescape is on for the whole template, only http(s) URLs
become links, and the data the script filters and sorts by is embedded as JSON with `<`, `>`
and `&` escaped, so no crawled text can close the script element.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from core.records import LEVELS

CHART_W, CHART_H, PAD = 720, 220, 36
SERIES = [("open", "待整改", "#c0392b"), ("new", "新发现", "#e67e22"), ("fixed", "已整改", "#27ae60")]


def href(url) -> str | None:
    """A URL safe to link to (http or https), or None: javascript:, data: and the like stay text."""
    return url if isinstance(url, str) and re.match(r"https?://", url, re.I) else None


def script_json(data) -> Markup:
    """JSON for a <script type="application/json"> element: nothing in it can end the element."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def chart(points: list[dict]) -> dict:
    """Coordinates of the trend chart: one polyline per series, the y axis from 0 to a round
    number above the highest count, with ticks at round steps (1, 2, 5 × 10ⁿ)."""
    ticks = nice_ticks(max([p[key] for p in points for key, _, _ in SERIES] + [1]))
    top = ticks[-1]
    step = (CHART_W - 2 * PAD) / max(len(points) - 1, 1)
    x = [PAD + i * step for i in range(len(points))]
    y = lambda v: CHART_H - PAD - v * (CHART_H - 2 * PAD) / top  # noqa: E731
    series = [{"label": label, "color": color,
               "points": " ".join(f"{x[i]:.1f},{y(p[key]):.1f}" for i, p in enumerate(points)),
               "dots": [(round(x[i], 1), round(y(p[key]), 1), p[key], p["as_of"]) for i, p in enumerate(points)]}
              for key, label, color in SERIES]
    every = max(1, -(-len(points) // 6))  # at most ~6 dates on the axis: they fit a phone's width
    return {"w": CHART_W, "h": CHART_H, "pad": PAD, "series": series, "top": top,
            "yticks": [(t, round(y(t), 1)) for t in ticks],
            "xlabels": [(round(x[i], 1), p["as_of"][5:]) for i, p in enumerate(points) if i % every == 0]}


def nice_ticks(top: int) -> list[int]:
    """0 to the first multiple of a round step (1, 2, 5 × 10ⁿ) at or above `top`, at most 6 ticks."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            step = m * magnitude
            if -(-top // step) <= 5:
                return list(range(0, -(-top // step) * step + 1, step))
        magnitude *= 10


def _env() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = href
    env.filters["script_json"] = script_json
    env.filters["local"] = local_time
    return env


def local_time(value) -> str:
    """A stored ISO timestamp as people read it: this machine's local time, to the minute."""
    try:
        return datetime.fromisoformat(str(value)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value or "")


def render(report: dict) -> str:
    rows = report["rows"]
    groups: dict[str, list] = {}
    for i, r in sorted(enumerate(rows), key=lambda ir: _severity(ir[1])):  # veto items first, the oldest first
        groups.setdefault(r["unit"], []).append((i, r))
    order = [u["unit"] for u in report["counts"]["unit"]]
    data = [{"i": i, "sev": "%d-%06d" % _severity(r), "unit": r["unit"], "level": r["level"], "status": r["status"],
             "rule": r["rule_label"],
             "days": r["days_open"], "first": r["first_seen"], "deadline": r["deadline"],
             "text": " ".join(str(r[k] or "") for k in ("message", "url", "page", "page_title", "anchor", "column"))}
            for i, r in enumerate(rows)]
    return _env().get_template("report.html.j2").render(
        r=report, groups=[(u, groups[u]) for u in order if u in groups], data=data, chart=chart(report["trend"]),
        levels=LEVELS)


def _severity(r: dict) -> tuple[int, int]:
    return {"veto": 0, "deduct": 1, "hint": 2}.get(r["level"], 3), 999999 - (r["days_open"] or 0)


def write(report: dict, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(report))
