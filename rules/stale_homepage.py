"""首页不更新: no dated item on the home page within the window (14 days), as of --as-of.

The newest date of any list on the home page counts. A home page that prints no dates (only
titles) is not stale for that reason: the items it links to are read instead — the first
`sample` of its undated item links (or, with no list, of its links) that the crawl stored as
documents, by their published dates — and the same when its dated items are stale but it also
shows undated ones. A home page with no dated item and no such document (a navigation-only home
page) is judged by the columns it links (its second-level pages): the newest item of those
lists. Nothing is said when the home page was not parsed. Judged only on a complete crawl that
started at the home page (not `inspector check`, not a crawl started at a column).

PASS: home page items up to 2026-11-18, as of 2026-11-20.
PASS: a home page of titles only, whose linked articles were published up to 2026-11-18.
FAIL: home page newest item 2026-10-30, as of 2026-11-20 (21 days).
"""

from __future__ import annotations

from datetime import date

from core.records import Finding
from core.urls import canonical, column_url
from rules.columns import (columns, dates_seen, home_page, is_stale, newest_item, parse_window, today, whole_site,
                           window_label)
from rules.options import Option

ID = "stale-homepage"
LEVEL = "deduct"
DESCRIPTION = "首页不更新: no new item on the home page within 14 days"
OPTIONS = {
    "window": Option(str, "14d", "the home page's newest item may be this old (14d, 2w, 6mo, 1y)", check=parse_window),
    "sample": Option(int, 20, "articles the home page links to whose dates are read when it shows none", low=1,
                     high=200),
}

CANDIDATES = 500  # links of the home page looked up at most: a home page has a few hundred
WHERE = {"home": "首页", "linked-documents": "首页所链接文章（首页未标注日期）", "second-level": "首页链接的二级页面"}


def stale(run, conf) -> dict | None:
    """{"home", "newest", "basis", "dates", "sampled"} when the home page is stale, else None."""
    home = home_and_newest(run, conf) if whole_site(run) else None
    if home is None or not is_stale(home["newest"]["date"] if home["newest"] else None, conf["window"], today(run)):
        return None
    return home


def home_and_newest(run, conf) -> dict | None:
    """The home page's newest item and what it was read from (basis): the home page's own
    dates, the documents it links, or the columns it links."""
    page = home_page(run)
    if page is None:
        return None
    items = ((page.get("facts") or {}).get("list") or {}).get("items") or []
    newest, sampled = newest_item({"items": items}), []
    if newest is None or is_stale(newest["date"], conf["window"], today(run)):
        sampled = linked_documents(run, page, items, conf["sample"])
        newest = newest_item({"items": [*([newest] if newest else []), *sampled]})
    if newest is not None:
        basis = "home" if newest not in sampled else "linked-documents"
        return {"home": page["url"], "newest": newest, "basis": basis, "dates": dates_seen(items + sampled),
                "sampled": sampled}
    linked = {column_url(link["url"]) for link in run.links_from(page["url"])}
    items = [i for col in columns(run) if col["url"] in linked for i in col["items"]]
    return {"home": page["url"], "newest": newest_item({"items": items}), "basis": "second-level",
            "dates": dates_seen(items), "sampled": []}


def linked_documents(run, page: dict, items: list[dict], sample: int) -> list[dict]:
    """Up to `sample` documents the home page shows without a date, as dated items: its undated
    list items first, then (when it has no dated item at all) its other links, in page order."""
    titles = {canonical(i["url"]): i.get("title") for i in items if not i.get("date") and i.get("url")}
    urls = list(titles)
    if not any(i.get("date") for i in items):
        urls += [link["url"] for link in run.links_from(page["url"]) if link["tag"] in ("a", "area")]
    found = [d for d in run.documents(urls[:CANDIDATES]) if d["published"]][:sample]
    return [{"title": titles.get(d["url"]) or d["title"] or "", "url": d["url"], "date": d["published"]} for d in found]


def check(run, conf):
    home = stale(run, conf)
    if home is None:
        return
    newest, as_of = home["newest"], today(run)
    where = WHERE[home["basis"]]
    if newest:
        days = (as_of - date.fromisoformat(newest["date"])).days
        message = (f"首页不更新：{where}最新信息 {newest['date']}「{newest['title']}」，截至 {as_of} 已 {days} 天"
                   f"（要求 {window_label(conf['window'])}内更新）")
    else:
        days, message = None, f"首页不更新：{where}没有带日期的信息"
    yield Finding(
        rule=ID, level=LEVEL, url=home["home"], page=home["home"], column="首页", message=message,
        evidence={"window": conf["window"], "as_of": as_of.isoformat(), "newest_item": newest, "days_since": days,
                  "basis": home["basis"], "dates_seen": home["dates"], "documents_sampled": home["sampled"]},
    )
