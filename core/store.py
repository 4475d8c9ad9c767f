"""The SQLite store: the facts of each run (pages, links, checks) and its findings.

Facts are written before rules run, so a run can be re-evaluated, re-reported and resumed.
Writes are batched in transactions (one transaction holds a page *and* its links, so a killed
crawl never leaves half a page); WAL lets a report or Datasette read while a crawl writes.

A page's links are stored once per page body (`body_links`, keyed by `pages.body`: a hash of the
URL and the bytes), not once per run: an unchanged page on the next night (a 304, or the same
bytes) adds a page row and no link rows. The `links` view gives them per run and source page, as
(run, source, url, text, tag, attr, seq); `seq` is the order they were first stored in.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import sqlite_utils

from core.errors import StoreError  # noqa: F401 - raised here, caught by the CLI

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


# ---------------------------------------------------------------- runs
def start_run(db, *, site: str, start_url: str, as_of: str, settings: dict) -> int:
    with db.conn:
        table = db["runs"]
        table.insert(
            {
                "site": site, "start_url": start_url, "started": now(), "as_of": as_of,
                "status": "running", "settings": json.dumps(settings, ensure_ascii=False, default=str),
            }
        )
    return table.last_pk


def finish_run(db, run_id: int, *, status: str, counts: dict | None = None, skipped: dict | None = None,
               note: str = "") -> None:
    with db.conn:
        db["runs"].update(
            run_id,
            {
                "status": status, "finished": now(), "note": note,
                "counts": json.dumps(counts or {}, ensure_ascii=False),
                "skipped": json.dumps(skipped or {}, ensure_ascii=False),
            },
        )


def set_run(db, run_id: int, **values) -> None:
    with db.conn:
        db["runs"].update(run_id, {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                                   for k, v in values.items()})


def get_run(db, ref: str | int | None = "latest") -> dict | None:
    """A run by id, or the latest one ('latest' or None)."""
    if ref in (None, "latest"):
        row = db.execute("SELECT id FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        ref = row[0]
    try:
        return _decode_run(db["runs"].get(int(ref)))
    except (sqlite_utils.db.NotFoundError, ValueError):
        return None


def list_runs(db) -> list[dict]:
    return [_decode_run(r) for r in db["runs"].rows_where(order_by="id desc")]


def last_incomplete_run(db, start_url: str) -> dict | None:
    rows = list(db["runs"].rows_where("start_url = ? AND status != 'complete'", [start_url],
                                       order_by="id desc", limit=1))
    return _decode_run(rows[0]) if rows else None


def previous_complete_run(db, run: dict) -> dict | None:
    rows = list(db["runs"].rows_where("site = ? AND status = 'complete' AND id < ?", [run["site"], run["id"]],
                                       order_by="id desc", limit=1))
    return _decode_run(rows[0]) if rows else None


def _decode_run(row: dict) -> dict:
    for key in ("settings", "counts", "skipped", "verdict"):
        row[key] = json.loads(row[key]) if row.get(key) else {}
    return row


# ---------------------------------------------------------------- facts
class Writer:
    """Buffers a crawl's facts and writes them in batched transactions."""

    def __init__(self, db, run_id: int, batch: int = 500, every: float = 2.0):
        self.db, self.run, self.batch, self.every = db, run_id, batch, every
        self.last = time.monotonic()
        self.pages: list[tuple] = []
        self.links: list[tuple] = []
        self.checks: list[tuple] = []

    def page(self, url, depth, status, kind, title, content_type, encoding, facts: dict, links, digest="",
             etag="", last_modified="") -> None:
        """A parsed page and its links, as (target key, Link) pairs: written in one transaction."""
        body = body_id(url, digest or f"run {self.run}")
        self.pages.append((self.run, url, depth, status, kind, title, content_type, encoding,
                           json.dumps(facts, ensure_ascii=False), now(), digest, etag, last_modified, body))
        self.links.extend((body, key, l.text, l.tag, l.attr) for key, l in links)
        self._maybe_flush()

    def check(self, url, outcome, status, final_url, redirects, detail, elapsed, content_type, same_site,
              size=None, etag="", last_modified="") -> None:
        """The outcome of one target; `size` is the body bytes actually read; `etag` and
        `last_modified` its validators, for the next night's conditional request."""
        self.checks.append((self.run, url, outcome, status, final_url, json.dumps(redirects, ensure_ascii=False),
                            detail, round(elapsed, 3), content_type, int(same_site), now(), size, etag, last_modified))
        self._maybe_flush()

    def reuse_page(self, previous_run: int, url: str, depth: int) -> tuple[str, list[tuple[str, str]]]:
        """Copy an unchanged page (a 304 answer) from `previous_run` into this run: its links come
        with its body. Returns its digest and its links as (target key, tag) pairs."""
        row = self.db.execute(f"SELECT {', '.join(_PAGE_COLUMNS)} FROM pages WHERE run = ? AND url = ?",
                              [previous_run, url]).fetchone()
        page = dict(zip(_PAGE_COLUMNS, row))
        self.pages.append(tuple({**page, "run": self.run, "depth": depth, "fetched": now()}[c] for c in _PAGE_COLUMNS))
        self._maybe_flush()
        return page["digest"], link_targets(self.db, page["body"])

    def reuse_check(self, previous_run: int, url: str) -> None:
        """Copy a recent ok check of a leaf from `previous_run` (its `checked` time kept)."""
        row = self.db.execute(f"SELECT {', '.join(_CHECK_COLUMNS)} FROM checks WHERE run = ? AND url = ?",
                              [previous_run, url]).fetchone()
        self.checks.append((self.run, *row[1:]))  # _CHECK_COLUMNS starts with run
        self._maybe_flush()

    def stored_check(self, url: str) -> dict | None:
        """This run's check of `url` (outcome, status, final_url, redirects, detail, content_type),
        or None if there is none yet. Writes what is buffered first (asked rarely: a redirect to
        a target already checked)."""
        self.flush()
        names = ("outcome", "status", "final_url", "redirects", "detail", "content_type")
        row = self.db.execute(f"SELECT {', '.join(names)} FROM checks WHERE run = ? AND url = ?",
                              [self.run, url]).fetchone()
        return None if row is None else {**dict(zip(names, row)), "redirects": json.loads(row[3] or "[]")}

    def _maybe_flush(self) -> None:
        if len(self.pages) + len(self.checks) >= self.batch or time.monotonic() - self.last > self.every:
            self.flush()

    def flush(self) -> None:
        if not (self.pages or self.checks):
            return
        conn = self.db.conn
        bodies = list({row[0] for row in self.links})
        stored = {b for chunk in _batched(bodies, 500) for b, in conn.execute(  # the same bytes seen on an earlier night
            f"SELECT DISTINCT body FROM body_links WHERE body IN ({','.join('?' * len(chunk))})", chunk)}
        with conn:
            conn.executemany(_insert("pages", _PAGE_COLUMNS, replace=True), self.pages)
            conn.executemany(_insert("body_links", _LINK_COLUMNS), [r for r in self.links if r[0] not in stored])
            conn.executemany(_insert("checks", _CHECK_COLUMNS, replace=True), self.checks)
        self.pages, self.links, self.checks = [], [], []
        self.last = time.monotonic()


_PAGE_COLUMNS = list(TABLES["pages"]["columns"])
_CHECK_COLUMNS = list(TABLES["checks"]["columns"])
_LINK_COLUMNS = list(TABLES["body_links"]["columns"])


def link_targets(db, body: int) -> list[tuple[str, str]]:
    """(target key, tag) of a stored page body's links, in page order."""
    return db.execute("SELECT url, tag FROM body_links WHERE body = ? ORDER BY rowid", [body]).fetchall()


def _insert(table: str, columns: list[str], replace: bool = False) -> str:
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


class Previous:
    """The last complete run of the same site, for an incremental night: conditional-request
    validators of its pages and of the site's own leaves, and its recent ok checks of external
    leaves (looked up one by one: nothing of the old run is held in memory)."""

    def __init__(self, db, run_id: int, leaf_age_days: float):
        self.db, self.run = db, run_id
        cutoff = datetime.now(timezone.utc).astimezone() - timedelta(days=leaf_age_days)
        self.cutoff = cutoff.isoformat(timespec="seconds")

    @classmethod
    def of(cls, db, run: dict, leaf_age_days: float) -> "Previous | None":
        prev = previous_complete_run(db, run)
        return cls(db, prev["id"], leaf_age_days) if prev else None

    def validators(self, url: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT etag, last_modified FROM pages WHERE run = ? AND url = ?", [self.run, url]).fetchone()
        return row if row and (row[0] or row[1]) else None

    def leaf_validators(self, url: str) -> tuple[str, str] | None:
        """The ETag and Last-Modified a leaf of the site's own host answered last time."""
        row = self.db.execute("SELECT etag, last_modified FROM checks WHERE run = ? AND url = ? AND outcome = 'ok'",
                              [self.run, url]).fetchone()
        return row if row and (row[0] or row[1]) else None

    def fresh_leaf(self, url: str) -> bool:
        """An external target checked ok recently enough not to be asked again. Broken ones
        always are, and so is everything on the site's own host (same_site): a file deleted
        there since the last night must be noticed the next morning."""
        row = self.db.execute("SELECT outcome, checked, same_site FROM checks WHERE run = ? AND url = ?",
                              [self.run, url]).fetchone()
        return bool(row) and row[0] == "ok" and row[1] >= self.cutoff and not row[2]

    def fresh_leaves(self) -> Iterator[str]:
        """Every target fresh_leaf() is true for (a distributed coordinator publishes them)."""
        rows = self.db.execute("SELECT url FROM checks WHERE run = ? AND outcome = 'ok' AND checked >= ? "
                               "AND NOT same_site", [self.run, self.cutoff])
        return (url for url, in rows)

    def pages(self) -> Iterator[tuple]:
        """(url, etag, last_modified, digest, [(target key, tag), …]) of each page validators()
        gives validators for, its links as reuse_page() copies them (a distributed coordinator
        publishes them)."""
        for url, etag, modified, digest, body in self.db.execute(
                "SELECT url, etag, last_modified, digest, body FROM pages WHERE run = ?", [self.run]):
            if etag or modified:
                yield url, etag, modified, digest, link_targets(self.db, body)


class Facts:
    """Read access to one run's facts: what rules and reports are computed from.
    `config` is the configuration the rules are evaluated with (site profile included).

    Pages and columns are streamed, a batch of rows at a time in URL order: a run's pages are
    never all in memory together, so the rules pass stays bounded whatever the site's size.
    Only the home page(s) are kept (read once, several rules ask)."""

    BATCH = 200  # rows read per query while streaming

    def __init__(self, db, run: dict, config=None):
        self.db, self.run, self.id, self.config = db, run, run["id"], config
        self._homes = None

    def checks(self, where: str = "1", params=()) -> list[dict]:
        rows = self.db.execute(f"SELECT * FROM checks WHERE run = ? AND ({where}) ORDER BY url", [self.id, *params])
        return [_decode(dict(zip([c[0] for c in rows.description], r)), "redirects") for r in rows.fetchall()]

    def links_to(self, url: str) -> list[dict]:
        return list(self.db["links"].rows_where("run = ? AND url = ?", [self.id, url], order_by="seq"))

    def pages(self, kind: str | None = None) -> Iterator[dict]:
        """The run's pages in URL order, facts decoded, streamed. `kind`: only pages whose
        facts say that kind (the page row's kind when the facts have none)."""
        where, params = "1", []
        if kind:  # the row's kind equals the facts' one (see Writer.page); both are asked, to be exact
            where, params = "kind = ? OR json_extract(facts, '$.kind') = ?", [kind, kind]
        for page in self._stream("pages", where, params):
            page = _decode(page, "facts")
            if kind is None or page["facts"].get("kind", page.get("kind")) == kind:
                yield page

    def homes(self) -> list[dict]:
        """The pages understood as a home page (facts kind "home"), in URL order; read once."""
        if self._homes is None:
            self._homes = [p for p in self.pages("home") if p["facts"].get("kind") == "home"]
        return self._homes

    def columns(self) -> Iterator[dict]:
        """The run's columns (list, content, navigation, uninspectable) in URL order,
        path/pages/items decoded, streamed."""
        for r in self._stream("columns"):
            yield {**r, **{k: json.loads(r[k]) if r.get(k) else [] for k in ("path", "pages", "items")}}

    def _stream(self, table: str, where: str = "1", params=()) -> Iterator[dict]:
        """Rows of `table` for this run in URL order, BATCH rows per query (keyset paging: no
        statement stays open between batches, so a consumer may write meanwhile)."""
        after = None
        while True:
            page = "" if after is None else "AND url > ?"
            rows = self.db.execute(f"SELECT * FROM {table} WHERE run = ? {page} AND ({where}) ORDER BY url LIMIT ?",
                                   [self.id, *([] if after is None else [after]), *params, self.BATCH])
            names = [c[0] for c in rows.description]
            batch = rows.fetchall()
            for row in batch:
                yield dict(zip(names, row))
            if len(batch) < self.BATCH:
                return
            after = batch[-1][names.index("url")]

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {table} WHERE run = ?", [self.id]).fetchone()[0]


def save_columns(db, run_id: int, columns) -> None:
    """Replace a run's columns: an iterable of dicts with the `columns` table's keys (lists are
    JSON-encoded), written in batches as it is consumed, all in one transaction."""
    with db.conn:
        db.execute("DELETE FROM columns WHERE run = ?", [run_id])
        for chunk in _batched(columns, 50):
            db.conn.executemany(_insert("columns", _COLUMN_COLUMNS, replace=True), [
                tuple(run_id if k == "run" else json.dumps(c.get(k) or [], ensure_ascii=False)
                      if k in ("path", "pages", "items") else c.get(k) for k in _COLUMN_COLUMNS) for c in chunk])


_COLUMN_COLUMNS = list(TABLES["columns"]["columns"])


def _batched(iterable, n):
    it = iter(iterable)
    while chunk := tuple(itertools.islice(it, n)):
        yield chunk


def update_facts(db, run_id: int, facts: dict[str, dict]) -> None:
    """Rewrite the stored facts of some pages (url -> facts), e.g. a document's column once known."""
    with db.conn:
        db.conn.executemany("UPDATE pages SET facts = ? WHERE run = ? AND url = ?",
                            [(json.dumps(f, ensure_ascii=False), run_id, url) for url, f in facts.items()])


def _decode(row: dict, key: str) -> dict:
    row[key] = json.loads(row[key]) if row.get(key) else ([] if key == "redirects" else {})
    return row


# ---------------------------------------------------------------- findings
def save_rules(db, rules) -> None:
    """Record the rules (dicts of id, name, level, description) the findings are named by."""
    with db.conn:
        db["rules"].insert_all(rules, pk="id", replace=True)


def rule_names(db) -> dict[str, str]:
    """Rule id -> its Chinese name (断链, 错链 …), as last recorded by save_rules."""
    return dict(db.execute("SELECT id, name FROM rules").fetchall())


def findings(db, run_id: int) -> list[dict]:
    return [_decode(f, "evidence") for f in db["findings"].rows_where("run = ?", [run_id], order_by="rule, url, page")]
