"""栏目不更新: a list column whose newest item is older than its class allows, as of --as-of.

Windows per class (calendar months: 2026-05-20 + 6mo = 2026-11-20): dynamic 14 days, notice-policy
and normative 6 months, personnel-planning 12 months; classes without a window (disclosure,
interaction, unknown) and exempt columns are never stale. The newest date on the list counts,
wherever it sits (a pinned 置顶 old item on top does not hide a fresh one). A list whose items
all lack a date counts as not updated. Blank columns are empty-column's; lists a script fills
cannot be read and are not judged.

PASS: 工作动态 newest 2026-11-18, as of 2026-11-20; 人事任免 newest 2026-01-16 (10 months < 12);
      通知公告 newest 2026-06-05 (5.5 months < 6).
FAIL: 图片新闻 newest 2026-10-28 (23 days > 14); 部门文件 newest 2026-05-05 (6.5 months);
      a 动态 list of undated items.
"""

from __future__ import annotations

from datetime import date

from core.records import Finding
from rules.columns import (
    CLASS_LABELS,
    column_class,
    columns,
    config_of,
    dates_seen,
    is_stale,
    newest_item,
    parse_window,
    today,
    window_label,
)
from rules.options import Option

ID = "stale-column"
LEVEL = "deduct"
DESCRIPTION = "栏目不更新: columns whose newest item is older than their class window"
OPTIONS = {klass: Option(str, window, f"window of {CLASS_LABELS[klass]} columns (14d, 2w, 6mo, 1y; \"\" = never stale)",
                         check=parse_window)
           for klass, window in {"dynamic": "14d", "notice-policy": "6mo", "normative": "6mo",
                                 "personnel-planning": "12mo", "disclosure": "", "interaction": "",
                                 "unknown": ""}.items()}


def stale(run, conf) -> list[dict]:
    """The stale list columns: {"column" (without its items), "class", "window", "newest" (item
    or None), "dates" (the newest dates seen), "pinned" (the first pinned items)}."""
    config, as_of = config_of(run), today(run)
    found = []
    for col in columns(run):
        if col["kind"] != "list" or not col["item_count"]:
            continue
        klass = column_class(col, config)
        window = conf.get(klass, "") if klass != "exempt" else ""
        if window and is_stale(col["newest"], window, as_of):
            found.append({"column": {k: v for k, v in col.items() if k != "items"}, "class": klass, "window": window,
                          "newest": newest_item(col), "dates": dates_seen(col["items"]),
                          "pinned": [i for i in col["items"] if i.get("pinned")][:5]})
    return found


def check(run, conf):
    as_of = today(run)
    for s in stale(run, conf):
        col, newest = s["column"], s["newest"]
        label = CLASS_LABELS.get(s["class"], s["class"])
        if newest:
            days = (as_of - date.fromisoformat(newest["date"])).days
            message = (f"栏目不更新：{col['name']}（{label}，应在 {window_label(s['window'])}内更新）"
                       f"最新信息 {newest['date']}「{newest['title']}」，截至 {as_of} 已 {days} 天未更新")
        else:
            days = None
            message = f"栏目不更新：{col['name']}（{label}）的 {col['item_count']} 条信息均无发布日期，视为不更新"
        yield Finding(
            rule=ID, level=LEVEL, url=col["url"], page=col["url"], column=col["name"], column_url=col["url"],
            message=message,
            evidence={
                "class": s["class"], "window": s["window"], "as_of": as_of.isoformat(), "newest": col["newest"],
                "newest_item": newest, "days_since": days, "dates_seen": s["dates"],
                "item_count": col["item_count"], "undated": col["undated"], "pages": col["pages"],
                "pinned": s["pinned"],
            },
        )
