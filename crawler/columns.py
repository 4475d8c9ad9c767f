"""Columns as stored facts: the pages of a run grouped into the site's columns.

After the crawl and before the rules, every list page (all its `index_N` pages), single
content page (机构职能) and navigation page becomes one row of the `columns` table:

    url         the column's first list page (index.html form), or the page itself
    kind        "list" | "content" | "navigation" | "uninspectable" (a list a script fills)
    items       merged over all its list pages, one per URL, in list order
    newest      the newest date on the list: a pinned (置顶) old item on top does not hide it
    item_count, undated

A document listed by a column is then told which column it belongs to (the breadcrumb may
lack one), and takes the list's date when that is the best date it has (domain.md §4).
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Iterator

from core import store
from core.urls import same_column

_PAGE_NUMBER = re.compile(r"index_(\d+)\.\w+$")


def aggregate(db, run_id: int) -> Iterator[dict]:
    """Column rows of one stored run, one column at a time (only that column's list pages are
    read: a run's pages are never all in memory). Each list column's items are also put in the
    connection's temporary table `listed`, for place_documents."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS listed (item TEXT, col TEXT, pos INTEGER, what TEXT)")
    db.execute("CREATE INDEX IF NOT EXISTS temp.listed_item ON listed (item)")
    db.execute("DELETE FROM temp.listed")
    # the list pages (facts kind "column") of each column, grouped by the column's URL
    members = db.execute("SELECT json_extract(facts, '$.column.url') AS col, url FROM pages "
                         "WHERE run = ? AND json_extract(facts, '$.kind') = 'column' ORDER BY col, url", [run_id])
    listed = set()
    for url, group in itertools.groupby((r for r in members if r[0]), key=lambda r: r[0]):
        pages = sorted((_page(db, run_id, page_url) for _col, page_url in group), key=_page_order)
        row = _list_column(url, pages)
        db.conn.executemany("INSERT INTO temp.listed VALUES (?, ?, ?, ?)",
                            [(item["url"], url, pos, json.dumps([row["name"], row["path"], item.get("date")]))
                             for pos, item in enumerate(row["items"])])
        listed.add(url)
        yield row
    # a single content page or a navigation page is its own column: its first page in URL order
    others = db.execute("SELECT json_extract(facts, '$.column.url') AS col, min(url) FROM pages "
                        "WHERE run = ? AND json_extract(facts, '$.kind') IS NOT 'column' "
                        "AND json_extract(facts, '$.column.kind') IN ('content', 'navigation') GROUP BY col",
                        [run_id]).fetchall()
    for url, page_url in others:
        if url and url not in listed:
            page = _page(db, run_id, page_url)
            col = page["facts"]["column"]
            yield {"url": url, "name": col.get("name", ""), "path": col.get("path", []), "kind": col["kind"],
                   "pages": [page["url"]], "items": [], "newest": None, "item_count": 0, "undated": 0}


def _page(db, run_id: int, url: str) -> dict:
    facts = db.execute("SELECT facts FROM pages WHERE run = ? AND url = ?", [run_id, url]).fetchone()[0]
    return {"url": url, "facts": json.loads(facts) if facts else {}}


def _page_order(page: dict) -> tuple:
    match = _PAGE_NUMBER.search(page["url"])
    return (int(match.group(1)) if match else 0, page["url"])


def _list_column(url: str, pages: list[dict]) -> dict:
    first = pages[0]["facts"]
    items: dict[str, dict] = {}
    readable = False
    for page in pages:
        listing = page["facts"].get("list") or {}
        readable = readable or listing.get("kind") in ("static", "datastore")
        for item in listing.get("items") or []:
            known = items.setdefault(item["url"], dict(item))
            known["date"] = known.get("date") or item.get("date")
            known["pinned"] = bool(known.get("pinned") or item.get("pinned"))
    merged = list(items.values())
    dates = [i["date"] for i in merged if i.get("date")]
    return {
        "url": url, "name": first["column"].get("name", ""), "path": first["column"].get("path", []),
        "kind": "list" if readable or merged else "uninspectable",
        "pages": [p["url"] for p in pages], "items": merged, "newest": max(dates) if dates else None,
        "item_count": len(merged), "undated": len(merged) - len(dates),
    }


def place_documents(db, run: dict, batch: int = 200) -> int:
    """Update the facts of the documents a list column lists (as aggregate left them in
    `listed`): their column (the listing one, preferring the breadcrumb's), and the list's date
    where the page had none better. Documents are streamed, updates written in batches;
    returns how many documents changed."""
    changed: dict[str, dict] = {}
    count = 0
    for page in store.Facts(db, run).pages("document"):
        facts = page.get("facts") or {}
        if facts.get("kind") != "document":
            continue
        listed = [(col, *json.loads(what)) for col, what in db.execute(
            "SELECT col, what FROM temp.listed WHERE item = ? ORDER BY col, pos", [page["url"]])]
        if not listed:
            continue
        own = (facts.get("column") or {}).get("url")
        url, name, path, date = next((c for c in listed if own and same_column(c[0], own)), listed[0])
        new = dict(facts)
        name = name or (facts.get("column") or {}).get("name", "")
        new["column"] = {**(facts.get("column") or {}), "url": url, "name": name}
        if not new["column"].get("path"):
            new["column"]["path"] = path
        if date and facts.get("published_source") in ("url", "none", None):
            new["published"], new["published_source"] = date, "list"
        if new != facts:
            changed[page["url"]] = new
        if len(changed) >= batch:
            store.update_facts(db, run["id"], changed)
            count, changed = count + len(changed), {}
    store.update_facts(db, run["id"], changed)
    return count + len(changed)


def build(db, run: dict) -> None:
    """Aggregate a stored run's pages into its `columns` rows and place its documents."""
    store.save_columns(db, run["id"], aggregate(db, run["id"]))
    place_documents(db, run)
    db.execute("DELETE FROM temp.listed")
