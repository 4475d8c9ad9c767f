"""The store's schema and its migrations: the tables, their indexes and the `links` view, and
what an older database gets when it is opened (missing columns added; a version 1 database's
per-run links moved into `body_links`).

A page's links are stored once per page body (`body_links`, keyed by `pages.body`: a hash of the
URL and the bytes), not once per run: an unchanged page on the next night (a 304, or the same
bytes) adds a page row and no link rows. The `links` view gives them per run and source page, as
(run, source, url, text, tag, attr, seq); `seq` is the order they were first stored in.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from core.errors import StoreError

SCHEMA_VERSION = 2  # 2: links stored per page body (body_links + the links view)
LINKS_VERSION = 1  # bump when link extraction changes: stored bodies then get their links anew

TABLES = {
    "runs": {
        "columns": {
            "id": int, "site": str, "start_url": str, "started": str, "finished": str, "as_of": str,
            "status": str, "settings": str, "counts": str, "skipped": str, "verdict": str, "note": str,
        },
        "pk": "id",
    },
    "pages": {
        "columns": {
            "run": int, "url": str, "depth": int, "status": int, "kind": str, "title": str,
            "content_type": str, "encoding": str, "facts": str, "fetched": str, "digest": str,
            "etag": str, "last_modified": str, "body": int,
        },
        "pk": ("run", "url"),
    },
    "body_links": {
        "columns": {"body": int, "url": str, "text": str, "tag": str, "attr": str},
        "pk": None,
    },
    "checks": {
        "columns": {
            "run": int, "url": str, "outcome": str, "status": int, "final_url": str, "redirects": str,
            "detail": str, "elapsed": float, "content_type": str, "same_site": int, "checked": str,
            "size": int, "etag": str, "last_modified": str,
        },
        "pk": ("run", "url"),
    },
    "columns": {  # one row per column of a run, aggregated from its pages (inspector/columns.py)
        "columns": {
            "run": int, "url": str, "name": str, "path": str, "kind": str, "pages": str, "items": str,
            "newest": str, "item_count": int, "undated": int,
        },
        "pk": ("run", "url"),
    },
    "findings": {
        "columns": {
            "run": int, "fingerprint": str, "rule": str, "level": str, "url": str, "page": str,
            "column": str, "unit": str, "message": str, "evidence": str, "first_seen": str, "status": str,
        },
        "pk": ("run", "fingerprint"),
    },
    "rules": {  # the rules the findings come from, as evaluated last (reports name them from here)
        "columns": {"id": str, "name": str, "level": str, "description": str},
        "pk": "id",
    },
    "meta": {  # facts about the database file itself: `source`, its id in a shared PostgreSQL
        "columns": {"key": str, "value": str},
        "pk": "key",
    },
}
INDEXES = [("body_links", ["body"]), ("body_links", ["url"]), ("pages", ["body"]), ("findings", ["fingerprint"])]
LINKS_VIEW = """CREATE VIEW IF NOT EXISTS links AS
    SELECT p.run AS run, p.url AS source, l.url AS url, l.text AS text, l.tag AS tag, l.attr AS attr, l.rowid AS seq
    FROM pages p JOIN body_links l ON l.body = p.body"""


def body_id(url: str, digest: str) -> int:
    """The key of a page body's links: the same URL with the same bytes has the same links."""
    key = f"{LINKS_VERSION}\n{url}\n{digest}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big", signed=True)


def now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a store; raises StoreError with a one-line reason."""
    path = Path(path)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout = 30000")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        _create(db)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot use database {path}: {exc}") from None
    return db


def _create(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    if "links" in existing:  # a version 1 database: links per run
        _links_by_body(db)
        existing = set(db.table_names())
    for name, spec in TABLES.items():
        if name not in existing:
            db[name].create(spec["columns"], pk=spec["pk"])
        else:  # a database from an older version: add what it lacks
            have = set(db[name].columns_dict)
            for column, kind in spec["columns"].items():
                if column not in have:
                    db[name].add_column(column, kind)
    for table, cols in INDEXES:
        db[table].create_index(cols, if_not_exists=True)
    db.execute(LINKS_VIEW)
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _links_by_body(db: sqlite_utils.Database) -> None:
    """Move a version 1 database's per-run links into body_links, in one transaction: each
    page gets a body, each body's links are kept once (from the earliest run that has them)."""
    with db.conn:
        if "body" not in db["pages"].columns_dict:
            db.execute("ALTER TABLE pages ADD COLUMN body INTEGER")
        db.conn.create_function("body_id", 3, lambda url, digest, run: body_id(url, digest or f"run {run}"),
                                deterministic=True)
        db.execute("UPDATE pages SET body = body_id(url, digest, run)")
        db["body_links"].create(TABLES["body_links"]["columns"], if_not_exists=True)
        db.execute("CREATE TEMP TABLE first_night AS SELECT body, min(run) AS run FROM pages GROUP BY body")
        db.execute("CREATE INDEX temp.first_night_body ON first_night (body, run)")
        # CROSS JOIN keeps the links' own order as the outer loop (SQLite would otherwise pick a quadratic plan)
        db.execute("""INSERT INTO body_links (body, url, text, tag, attr)
                      SELECT p.body, l.url, l.text, l.tag, l.attr
                      FROM links l CROSS JOIN pages p ON p.run = l.run AND p.url = l.source
                      WHERE EXISTS (SELECT 1 FROM first_night f WHERE f.body = p.body AND f.run = p.run)
                      ORDER BY l.rowid""")
        db.execute("DROP TABLE temp.first_night")
        db.execute("DROP TABLE links")


def source_id(db) -> str:
    """This database file's own id (a random UUID made once): runs published from many files
    into one PostgreSQL are told apart by it, since run ids repeat across files."""
    with db.conn:
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('source', ?)", [str(uuid.uuid4())])
    return db.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()[0]
