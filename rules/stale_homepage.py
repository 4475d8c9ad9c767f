"""首页不更新: no dated item on the home page within the window (14 days), as of --as-of.

The newest date of any list on the home page counts. A home page that shows no dated item at
all (a navigation-only home page) is judged by the columns it links (its second-level pages):
the newest item of those lists. Nothing is said when the home page was not parsed.

PASS: home page items up to 2026-11-18, as of 2026-11-20.
FAIL: home page newest item 2026-10-30, as of 2026-11-20 (21 days).
"""

from __future__ import annotations

from datetime import date

from core.records import Finding
from core.urls import column_url
from rules.columns import columns, dates_seen, is_stale, newest_item, parse_window, today, window_label
from rules.options import Option

ID = "stale-homepage"
LEVEL = "deduct"
DESCRIPTION = "首页不更新: no new item on the home page within 14 days"
OPTIONS = {"window": Option(str, "14d", "the home page's newest item may be this old (14d, 2w, 6mo, 1y)",
                           check=parse_window)}


def stale(run, conf) -> dict | None:
    """{"home", "newest", "basis", "dates"} when the home page is stale, else None."""
    home = home_and_newest(run)
    if home is None or not is_stale(home["newest"]["date"] if home["newest"] else None, conf["window"], today(run)):
        return None
    return home


def home_and_newest(run) -> dict | None:
    from rules.columns import home_page

    page = home_page(run)
    if page is None:
        return None
    items = ((page.get("facts") or {}).get("list") or {}).get("items") or []
    newest, basis = newest_item({"items": items}), "home"
    if newest is None:  # a navigation-only home page: its second-level pages count
        linked = {column_url(r[0]) for r in run.db.execute("SELECT url FROM links WHERE run = ? AND source = ?",
                                               [run.id, page["url"]])}
        items = [i for col in columns(run) if col["url"] in linked for i in col["items"]]
        newest, basis = newest_item({"items": items}), "second-level"
    return {"home": page["url"], "newest": newest, "basis": basis, "dates": dates_seen(items)}


def check(run, conf):
    home = stale(run, conf)
    if home is None:
        return
    newest, as_of = home["newest"], today(run)
    where = "首页" if home["basis"] == "home" else "首页链接的二级页面"
    if newest:
        days = (as_of - date.fromisoformat(newest["date"])).days
        message = (f"首页不更新：{where}最新信息 {newest['date']}「{newest['title']}」，截至 {as_of} 已 {days} 天"
                   f"（要求 {window_label(conf['window'])}内更新）")
    else:
        days, message = None, f"首页不更新：{where}没有带日期的信息"
    yield Finding(
        rule=ID, level=LEVEL, url=home["home"], page=home["home"], column="首页", message=message,
        evidence={"window": conf["window"], "as_of": as_of.isoformat(), "newest_item": newest, "days_since": days,
                  "basis": home["basis"], "dates_seen": home["dates"]},
    )
