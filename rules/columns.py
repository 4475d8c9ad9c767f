"""What the column rules share: a column's class (from its name, or the site profile), the
freshness windows ("14d", "6mo", "12mo": calendar months), the run's "today" and home page,
and whether a run saw the whole site (a spot check or a cut-short crawl did not).

No rule lives here; the name → class table is data (rules/data/column_classes.toml).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from core import toml

DATA = Path(__file__).parent / "data"
CLASS_LABELS = {"dynamic": "动态要闻类", "notice-policy": "通知公告、政策文件类", "normative": "规范性文件类",
                "personnel-planning": "人事、规划计划类", "disclosure": "信息公开类", "interaction": "互动交流类",
                "exempt": "豁免", "unknown": "未分类"}
_WINDOW = re.compile(r"^\s*(\d+)\s*(d|days?|w|weeks?|mo|months?|m|y|years?)\s*$", re.I)
_UNITS = {"d": "d", "day": "d", "days": "d", "w": "w", "week": "w", "weeks": "w", "mo": "mo", "m": "mo",
          "month": "mo", "months": "mo", "y": "y", "year": "y", "years": "y"}


# ------------------------------------------------------------ classes
@lru_cache(maxsize=1)
def class_table() -> tuple:
    """((class, names, suffixes, contains), …) from rules/data/column_classes.toml, in order."""
    with open(DATA / "column_classes.toml", "rb") as fh:
        table = toml.load(fh)
    return tuple((c["class"], tuple(c.get("names", ())), tuple(c.get("suffixes", ())), tuple(c.get("contains", ())))
                 for c in table["class"])


@lru_cache(maxsize=4096)  # a site has a few hundred column names, asked about once per page
def class_by_name(name: str) -> str:
    """The class a column name says, or "unknown"."""
    name = re.sub(r"\s+", "", name or "")
    for klass, names, suffixes, contains in class_table():
        if name and (name in names or name.endswith(suffixes) or any(w in name for w in contains)):
            return klass
    return "unknown"


def column_class(column: dict, config=None) -> str:
    """dynamic, notice-policy, normative, personnel-planning, disclosure, interaction, exempt or unknown.

    The site profile's [columns."/path/"] entry for the column's URL wins (`exempt = true`,
    `class = "…"`, `name = "…"`); then the name; then the nearest named ancestor in the
    breadcrumb. A column under an archived topic (专题, 历史) is exempt whatever its name.
    """
    entry = profile_entry(column, config)
    if entry.get("exempt"):
        return "exempt"
    if entry.get("class"):
        return entry["class"]
    ancestors = [n for n in (column.get("path") or []) if isinstance(n, str)]
    if any(class_by_name(n) == "exempt" for n in ancestors):
        return "exempt"
    klass = class_by_name(entry.get("name") or column.get("name") or "")
    for name in reversed(ancestors):
        if klass != "unknown":
            break
        klass = class_by_name(name)
    return klass


def profile_entry(column: dict, config) -> dict:
    url = column.get("url")
    if config is None or not url:
        return {}
    return config.column(urlsplit(url).path or "/")


# ------------------------------------------------------------ windows
def parse_window(text: str) -> tuple[int, str] | None:
    """("14d" →) (14, "d"); "" → None (no window). Raises ValueError for anything else."""
    if not isinstance(text, str) or not text.strip():
        return None
    match = _WINDOW.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a window like 14d, 2w, 6mo or 1y")
    return int(match.group(1)), _UNITS[match.group(2).lower()]


def add_window(day: date, text: str) -> date | None:
    """`day` + the window, in calendar months for mo/y (2026-08-31 + 6mo = 2027-02-28)."""
    window = parse_window(text)
    if window is None:
        return None
    n, unit = window
    if unit in ("d", "w"):
        return day + timedelta(days=n * (7 if unit == "w" else 1))
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_label(text: str) -> str:
    """A window as the 整改清单 prints it: 14d → 14 天, 6mo → 6 个月, 1y → 1 年."""
    window = parse_window(text)
    if window is None:
        return "无更新要求"
    n, unit = window
    return f"{n} " + {"d": "天", "w": "周", "mo": "个月", "y": "年"}[unit]


def is_stale(newest: str | None, window: str, today: date) -> bool:
    """True when `newest` (YYYY-MM-DD, None = undated) + window lies before `today`."""
    if parse_window(window) is None:
        return False
    if not newest:
        return True  # undated items count as not updated
    return add_window(date.fromisoformat(newest), window) < today


# ------------------------------------------------------------ the run
def columns(run) -> Iterator[dict]:
    """The run's columns, streamed from the store (never all in memory: keep what you need)."""
    return run.columns()


def pages(run, kind: str | None = None) -> Iterator[dict]:
    """The run's pages with decoded facts (of one `kind`), streamed from the store."""
    return run.pages(kind)


def config_of(run):
    """The configuration the run is evaluated with (the defaults when none was given)."""
    if getattr(run, "config", None) is not None:
        return run.config
    from core.config import load

    return load()


def today(run) -> date:
    """The run's "today" (--as-of)."""
    return date.fromisoformat(run.run.get("as_of") or date.today().isoformat())


def home_page(run) -> dict | None:
    """The stored home page of the run: a page understood as the home page, the start page's
    final URL first (a spot check of a document has none)."""
    homes = run.homes()
    start = (run.run.get("counts") or {}).get("home")
    return next((p for p in homes if p["url"] == start), homes[0] if homes else None)


def whole_site(run) -> bool:
    """True for a complete crawl of the site from its home page. Rules about what a site lacks
    or about the site as a whole (its home page, its verdict) need one."""
    return not not_judged(run)


def not_judged(run) -> str:
    """Why the run cannot judge the site as a whole, for the reader ("" when it can): a spot
    check (max_depth 0), a crawl started below the home page, cut short by max-pages, or
    not finished."""
    settings = run.run.get("settings") or {}
    if (settings.get("crawl") or {}).get("max_depth", 1) == 0:
        return "单页抽查，不评价全站"
    if not started_at_home(run):
        return "检查未从网站首页开始，不评价全站"
    if (run.run.get("skipped") or {}).get("max-pages"):
        return "达到页面数上限，检查不完整"
    if run.run.get("status") not in (None, "complete"):
        return "检查未完成"
    return ""


def started_at_home(run) -> bool:
    """False for a crawl started at a column or an article (runs.counts "start")."""
    return (run.run.get("counts") or {}).get("start") != "below-home"


def newest_item(column: dict) -> dict | None:
    """The newest dated item of a column's list (the first of equals in list order)."""
    dated = [i for i in column.get("items") or [] if i.get("date")]
    return max(dated, key=lambda i: i["date"]) if dated else None


def dates_seen(items: list[dict], limit: int = 10) -> list[str]:
    return sorted({i["date"] for i in items if i.get("date")}, reverse=True)[:limit]
