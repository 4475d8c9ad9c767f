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

import re

from crawler.layout import same_column
from inspector import store

_PAGE_NUMBER = re.compile(r"index_(\d+)\.\w+$")


def aggregate(pages: list[dict]) -> list[dict]:
    """Column rows from the pages of one run (as store.Facts.pages() returns them)."""
    groups: dict[str, list[dict]] = {}
    others: dict[str, tuple[str, dict]] = {}
    for page in pages:
        facts = page.get("facts") or {}
        col = facts.get("column") or {}
        if not col.get("url"):
            continue
        if facts.get("kind") == "column":
            groups.setdefault(col["url"], []).append(page)
        elif col.get("kind") in ("content", "navigation"):
            others.setdefault(col["url"], (col["kind"], page))
    rows = [_list_column(url, sorted(members, key=_page_order)) for url, members in groups.items()]
    for url, (kind, page) in others.items():
        if url not in groups:
            col = page["facts"]["column"]
            rows.append({"url": url, "name": col.get("name", ""), "path": col.get("path", []), "kind": kind,
                         "pages": [page["url"]], "items": [], "newest": None, "item_count": 0, "undated": 0})
    return sorted(rows, key=lambda r: r["url"])


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


def place_documents(pages: list[dict], columns: list[dict]) -> dict[str, dict]:
    """Updated facts of the documents a list column lists: their column (the listing one,
    preferring the breadcrumb's), and the list's date where the page had none better."""
    listed: dict[str, list[tuple[dict, dict]]] = {}
    for col in columns:
        for item in col["items"]:
            listed.setdefault(item["url"], []).append((col, item))
    changed: dict[str, dict] = {}
    for page in pages:
        facts = page.get("facts") or {}
        if facts.get("kind") != "document" or page["url"] not in listed:
            continue
        own = (facts.get("column") or {}).get("url")
        col, item = next(((c, i) for c, i in listed[page["url"]] if own and same_column(c["url"], own)),
                         listed[page["url"]][0])
        new = dict(facts)
        name = col["name"] or (facts.get("column") or {}).get("name", "")
        new["column"] = {**(facts.get("column") or {}), "url": col["url"], "name": name}
        if not new["column"].get("path"):
            new["column"]["path"] = col["path"]
        if item.get("date") and facts.get("published_source") in ("url", "none", None):
            new["published"], new["published_source"] = item["date"], "list"
        if new != facts:
            changed[page["url"]] = new
    return changed


def build(db, run: dict) -> list[dict]:
    """Aggregate a stored run's pages into its `columns` rows and place its documents."""
    facts = store.Facts(db, run)
    pages = facts.pages()
    columns = aggregate(pages)
    store.save_columns(db, run["id"], columns)
    store.update_facts(db, run["id"], place_documents(pages, columns))
    return columns
