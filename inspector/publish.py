"""Publishing a finished run into a shared PostgreSQL database (`store.postgres`).

SQLite stays the working store of each inspection; PostgreSQL receives copies of results, so
that many coordinators on many machines feed one database for a province's dashboards. What is
published: the `runs` row, and the run's `findings` and `columns` (`checks`, tens of thousands
of rows a night per site, stay in SQLite: each failing one is already in its finding's evidence).

Runs are keyed by (source, run): `source` is the SQLite file's own id (store.source_id), `run`
the run's id in that file, since run ids repeat across files. The run row is upserted and its
findings and columns replaced, all in one transaction: publishing twice leaves the same rows, and
a publish killed half-way leaves nothing of itself. The URL's password never appears in an error.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

from core import store

DDL = """
CREATE TABLE IF NOT EXISTS runs (
    id bigserial PRIMARY KEY,
    source text NOT NULL,
    run bigint NOT NULL,
    origin text NOT NULL,
    site text NOT NULL,
    start_url text NOT NULL,
    started timestamptz,
    finished timestamptz,
    as_of date,
    status text NOT NULL,
    settings jsonb,
    counts jsonb,
    skipped jsonb,
    verdict jsonb,
    note text,
    published timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, run)
);
CREATE TABLE IF NOT EXISTS findings (
    run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    fingerprint text NOT NULL,
    rule text NOT NULL,
    level text NOT NULL,
    url text,
    page text,
    "column" text,
    unit text,
    message text,
    evidence jsonb,
    first_seen date,
    status text,
    PRIMARY KEY (run_id, fingerprint)
);
CREATE INDEX IF NOT EXISTS findings_fingerprint ON findings (fingerprint);
CREATE TABLE IF NOT EXISTS columns (
    run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    url text NOT NULL,
    name text,
    path jsonb,
    kind text,
    pages jsonb,
    items jsonb,
    newest text,
    item_count integer,
    undated integer,
    PRIMARY KEY (run_id, url)
);
"""

RUN_COLUMNS = ("site", "start_url", "started", "finished", "as_of", "status", "settings", "counts", "skipped",
               "verdict", "note")
JSON = {"settings", "counts", "skipped", "verdict", "evidence", "path", "pages", "items"}
CASTS = {"started": "timestamptz", "finished": "timestamptz", "as_of": "date"} | {k: "jsonb" for k in JSON}
FINDING_COLUMNS = ("fingerprint", "rule", "level", "url", "page", "column", "unit", "message", "evidence",
                   "first_seen", "status")
COLUMN_COLUMNS = ("url", "name", "path", "kind", "pages", "items", "newest", "item_count", "undated")


@dataclass(frozen=True)
class Published:
    """What became of one publish: ok, or an error (one line, no password) and nothing written."""

    run: int  # the run's id in the SQLite file
    ok: bool
    pg_id: int | None = None  # its id in PostgreSQL's runs
    findings: int = 0
    columns: int = 0
    error: str = ""


def publish(db, run_id: int, url: str) -> Published:
    """Publish stored run `run_id` of SQLite `db` into the PostgreSQL database at `url`."""
    row = db.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE id = ?", [run_id]).fetchone()
    if row is None:
        return Published(run_id, False, error=f"no run {run_id} in the database")
    try:
        import psycopg
    except ImportError:
        return Published(run_id, False, error="PostgreSQL needs the postgres extra: pip install 'portal-inspector[postgres]'")
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except psycopg.Error:  # libpq's message quotes the URL, password and all: not shown
        return Published(run_id, False, error="the PostgreSQL URL cannot be parsed")
    run = dict(zip(RUN_COLUMNS, row))
    run["as_of"] = (run["as_of"] or "")[:10]
    source, origin = store.source_id(db), f"{socket.gethostname()}:{db.execute('PRAGMA database_list').fetchone()[2]}"
    try:
        with psycopg.connect(url, connect_timeout=10, application_name="portal-inspector") as conn:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('portal-inspector schema'))")  # two first publishes
                conn.execute(DDL)
            with conn.transaction():
                pg_id = conn.execute(_upsert(), [source, run_id, origin, *(_value(k, run[k]) for k in RUN_COLUMNS)]
                                     ).fetchone()[0]
                n_findings = _replace(conn, db, "findings", FINDING_COLUMNS, run_id, pg_id)
                n_columns = _replace(conn, db, "columns", COLUMN_COLUMNS, run_id, pg_id)
    except psycopg.Error as exc:
        return Published(run_id, False, error=f"PostgreSQL {_where(info)} cannot be used: {_one_line(exc, info)}")
    return Published(run_id, True, pg_id, n_findings, n_columns)


def _upsert() -> str:
    names = ("source", "run", "origin", *RUN_COLUMNS)
    values = ", ".join(f"%s::{CASTS[n]}" if n in CASTS else "%s" for n in names)
    updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in ("origin", *RUN_COLUMNS))
    return (f"INSERT INTO runs ({', '.join(names)}) VALUES ({values}) "
            f"ON CONFLICT (source, run) DO UPDATE SET {updates}, published = now() RETURNING id")


def _replace(conn, db, table: str, names: tuple, run_id: int, pg_id: int) -> int:
    """Replace the run's rows of `table` by the SQLite file's (COPY, streamed)."""
    conn.execute(f"DELETE FROM {table} WHERE run_id = %s", [pg_id])
    quoted = ", ".join(f'"{n}"' for n in names)
    rows = db.execute(f"SELECT {quoted} FROM {table} WHERE run = ? ORDER BY url", [run_id])
    n = 0
    with conn.cursor().copy(f"COPY {table} (run_id, {quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((pg_id, *(_value(k, v) for k, v in zip(names, row))))
            n += 1
    return n


def _value(name: str, value):
    """A SQLite value as PostgreSQL takes it: no NUL character (crawled text may hold one, and
    PostgreSQL's text and jsonb refuse it), '' as NULL for dates, times and JSON."""
    if name in CASTS or name == "first_seen":
        if value in (None, ""):
            return None
        if name == "first_seen":
            return value[:10]
    if isinstance(value, str) and "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    if name in JSON and "\\u0000" in value:  # JSON text escapes NUL; jsonb refuses the escape too
        value = json.dumps(_no_nul(json.loads(value)), ensure_ascii=False)
    return value


def _no_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_no_nul(v) for v in value]
    if isinstance(value, dict):
        return {_no_nul(k): _no_nul(v) for k, v in value.items()}
    return value


def _where(info: dict) -> str:
    """host:port/dbname of a parsed URL, for messages (never its password)."""
    return f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}/{info.get('dbname') or info.get('user') or ''}"


def _one_line(exc: Exception, info: dict) -> str:
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__
    return text.replace(info["password"], "***") if info.get("password") else text
