"""What a crawl writes: pages with their links and checks, buffered and written in batched
transactions (one transaction holds a page *and* its links, so a killed crawl never leaves half
a page); what an incremental night reuses of the last complete run (Previous); and what is
written after the crawl (the columns, facts rewritten once a column is known)."""

from __future__ import annotations

import itertools
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Iterator

from core.records import Check, PageFacts
from core.store.runs import previous_complete_run
from core.store.schema import TABLES, body_id, now


class Writer:
    """Buffers a crawl's facts and writes them in batched transactions."""

    def __init__(self, db, run_id: int, batch: int = 500, every: float = 2.0):
        self.db, self.run, self.batch, self.every = db, run_id, batch, every
        self.last = time.monotonic()
        self.pages: list[tuple] = []
        self.links: list[tuple] = []
        self.checks: list[tuple] = []

    def page(self, url, depth, status, kind, title, content_type, encoding, facts: PageFacts, links, digest="",
             etag="", last_modified="") -> None:
        """A parsed page and its links, as (target key, Link) pairs: written in one transaction."""
        body = body_id(url, digest or f"run {self.run}")
        self.pages.append((self.run, url, depth, status, kind, title, content_type, encoding,
                           json.dumps(facts, ensure_ascii=False), now(), digest, etag, last_modified, body))
        self.links.extend((body, key, l.text, l.tag, l.attr) for key, l in links)
        self._maybe_flush()

    def check(self, c: Check) -> None:
        """The outcome of one target."""
        self.checks.append((self.run, c.url, c.outcome, c.status, c.final_url,
                            json.dumps(list(c.redirects), ensure_ascii=False), c.detail, round(c.elapsed, 3),
                            c.content_type, int(c.same_site), now(), c.size, c.etag, c.last_modified))
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

    def _maybe_flush(self) -> None:
        if len(self.pages) + len(self.checks) >= self.batch or time.monotonic() - self.last > self.every:
            self.flush()

    def flush(self) -> None:
        if not (self.pages or self.checks):
            return
        conn = self.db.conn
        bodies = list({row[0] for row in self.links})
        stored = {b for chunk in batched(bodies, 500) for b, in conn.execute(  # the same bytes seen on an earlier night
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


def save_columns(db, run_id: int, columns) -> None:
    """Replace a run's columns: an iterable of dicts with the `columns` table's keys (lists are
    JSON-encoded), written in batches as it is consumed, all in one transaction."""
    with db.conn:
        db.execute("DELETE FROM columns WHERE run = ?", [run_id])
        for chunk in batched(columns, 50):
            db.conn.executemany(_insert("columns", _COLUMN_COLUMNS, replace=True), [
                tuple(run_id if k == "run" else json.dumps(c.get(k) or [], ensure_ascii=False)
                      if k in ("path", "pages", "items") else c.get(k) for k in _COLUMN_COLUMNS) for c in chunk])


_COLUMN_COLUMNS = list(TABLES["columns"]["columns"])


def batched(iterable, n):
    it = iter(iterable)
    while chunk := tuple(itertools.islice(it, n)):
        yield chunk


def update_facts(db, run_id: int, facts: dict[str, PageFacts]) -> None:
    """Rewrite the stored facts of some pages (url -> facts), e.g. a document's column once known."""
    with db.conn:
        db.conn.executemany("UPDATE pages SET facts = ? WHERE run = ? AND url = ?",
                            [(json.dumps(f, ensure_ascii=False), run_id, url) for url, f in facts.items()])
