"""PostgreSQL as the shared results database: a real server, started here on a loopback port
(as the `postgres` user when the tests run as root: PostgreSQL refuses root)."""

from __future__ import annotations

import glob
import itertools
import json
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import SITE, inspector, need, need_module, network_args, rows

psycopg = need_module("psycopg", "psycopg (pip install -e '.[test]')")
INITDB = max(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3].split(".")[0]),
             default=None) or shutil.which("initdb")
need(INITDB, "PostgreSQL's initdb and pg_ctl (Debian's postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_server():
    """A throwaway PostgreSQL cluster: trust auth, 127.0.0.1 only, socket in its own folder."""
    bindir = Path(INITDB).parent
    as_pg = []
    folder = Path(tempfile.mkdtemp(prefix="inspector-pg-"))  # not under pytest's root-only folders
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            need(False, "a postgres user to run PostgreSQL as (it refuses root)")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_pg = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run([*as_pg, bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-locale", "--no-sync"], check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run([*as_pg, bindir / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_pg, bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], check=False,
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


NUMBERS = itertools.count(1)


def create_database(server: str, template: str = "") -> str:
    """A new database on the test server (a copy of `template` when given); its URL."""
    name = f"test_{next(NUMBERS)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{server}/{name}"


@pytest.fixture
def pg_url(pg_server):
    """An empty database of this test's own."""
    return create_database(pg_server)


def pg(url, sql, params=()):
    with psycopg.connect(url) as conn:
        cur = conn.execute(sql, params)
        names = [c.name for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def copy_db(src, dst) -> str:
    """A consistent copy of a SQLite store (its WAL included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return str(dst)


FINDING_KEYS = "fingerprint, rule, level, url, page, message, unit, status"


def same_findings(db, url, run=1):
    mine = {tuple(r.values()) for r in rows(db, f"SELECT {FINDING_KEYS} FROM findings WHERE run = ?", [run])}
    source = rows(db, "SELECT value FROM meta WHERE key = 'source'")[0]["value"]
    theirs = {tuple(r.values()) for r in pg(url, f"SELECT f.{FINDING_KEYS.replace(', ', ', f.')} "
                                                  "FROM findings f JOIN runs r ON r.id = f.run_id "
                                                  "WHERE r.source = %s AND r.run = %s", [source, run])}
    return mine, theirs


@pytest.fixture(scope="module")
def published_crawl(portal, pg_server, tmp_path_factory):
    """The sample portal crawled once with --postgres: (SQLite file, result, the database published into)."""
    portal.reset()
    url = create_database(pg_server)
    db = str(tmp_path_factory.mktemp("published") / "run.db")
    result = inspector("crawl", f"{SITE}/", "--db", db, "--postgres", url, *network_args(portal))
    assert result.code == 0, result.err
    return db, result, url


@pytest.fixture
def published_url(published_crawl, pg_server):
    """A copy of the crawl's published database for this test alone: tests never see each other's rows."""
    return create_database(pg_server, template=published_crawl[2].rsplit("/", 1)[1])


def test_crawl_publishes_the_run_and_exactly_its_findings(published_crawl, published_url):
    db, result, _ = published_crawl
    assert "published run 1 to PostgreSQL" in result.out
    mine, theirs = same_findings(db, published_url)
    assert len(mine) > 10 and mine == theirs
    run = pg(published_url, "SELECT * FROM runs")
    assert len(run) == 1
    local = rows(db, "SELECT * FROM runs WHERE id = 1")[0]
    assert (run[0]["site"], run[0]["start_url"], run[0]["status"]) == (local["site"], local["start_url"], "complete")
    assert run[0]["counts"]["pages"] > 10 and run[0]["as_of"].isoformat() == local["as_of"]
    evidence = {r["fingerprint"]: r["evidence"] for r in pg(published_url, "SELECT fingerprint, evidence FROM findings")}
    assert evidence == {r["fingerprint"]: json.loads(r["evidence"]) for r in rows(db, "SELECT * FROM findings")}
    assert pg(published_url, "SELECT count(*) AS n FROM columns")[0]["n"] == rows(db, "SELECT count(*) AS n FROM columns")[0]["n"] > 0


def test_publishing_twice_changes_nothing(published_crawl, published_url):
    db, _, _ = published_crawl
    snapshot = """SELECT r.id, r.source, r.run, r.status, r.counts, r.verdict, f.fingerprint, f.message, f.evidence
                  FROM runs r LEFT JOIN findings f ON f.run_id = r.id ORDER BY r.id, f.fingerprint"""
    before = pg(published_url, snapshot)
    again = inspector("publish", "1", "--db", db, "--postgres", published_url)
    assert again.code == 0, again.err
    assert again.out.startswith("published run 1 to PostgreSQL")
    assert pg(published_url, snapshot) == before


def test_runs_of_two_sqlite_files_do_not_collide(published_crawl, sample_crawl, published_url, tmp_path):
    other = copy_db(sample_crawl.db, tmp_path / "other.db")  # its run is run 1 too
    result = inspector("publish", "latest", "--db", other, "--postgres", published_url)
    assert result.code == 0, result.err
    runs = pg(published_url, "SELECT source, run FROM runs ORDER BY id")
    assert [r["run"] for r in runs] == [1, 1] and runs[0]["source"] != runs[1]["source"]
    for db in (published_crawl[0], other):
        mine, theirs = same_findings(db, published_url)
        assert mine == theirs


def test_unreachable_postgres_is_one_line_and_loses_nothing(portal, pg_url, tmp_path):
    db = str(tmp_path / "run.db")
    down = f"postgresql://inspector:s3cret-pw@127.0.0.1:{_free_port()}/province"
    result = inspector("crawl", f"{SITE}/", "--db", db, "--postgres", down, "--max-depth", "0", *network_args(portal))
    assert result.code == 4
    assert result.err.count("\n") == 1 and result.err.startswith("inspector: error: PostgreSQL 127.0.0.1:")
    assert "s3cret-pw" not in result.err + result.out and "inspector publish 1" in result.err
    run = rows(db, "SELECT status FROM runs")
    assert run == [{"status": "complete"}] and rows(db, "SELECT count(*) AS n FROM findings")[0]["n"] > 0
    assert "s3cret-pw" not in rows(db, "SELECT settings FROM runs")[0]["settings"]
    retried = inspector("publish", "1", "--db", db, "--postgres", pg_url)
    assert retried.code == 0, retried.err
    mine, theirs = same_findings(db, pg_url)
    assert mine == theirs and mine


def test_crawled_text_with_nul_characters_is_published(sample_crawl, pg_url, tmp_path):
    from core import store
    from inspector.publish import publish

    path = copy_db(sample_crawl.db, tmp_path / "nul.db")
    db = store.open_db(path)
    with db.conn:
        db.execute("UPDATE findings SET message = ?, evidence = ? WHERE rowid = (SELECT min(rowid) FROM findings)",
                   ["a\x00b", '{"text": "x\\u0000y"}'])
    done = publish(db, 1, pg_url)
    assert done.ok and done.findings == rows(path, "SELECT count(*) AS n FROM findings")[0]["n"], done
    assert pg(pg_url, "SELECT count(*) AS n FROM findings WHERE message = %s AND evidence->>'text' = %s",
              ["a\ufffdb", "x\ufffdy"])[0]["n"] == 1


def test_publish_needs_a_url_and_refuses_a_bad_one(published_crawl):
    db, _, _ = published_crawl
    missing = inspector("publish", "1", "--db", db)
    assert missing.code == 2 and "give --postgres" in missing.err
    bad = inspector("publish", "1", "--db", db, "--postgres", "mysql://root:pw@db/x")
    assert bad.code == 2 and "store.postgres must be a postgresql://" in bad.err and "pw" not in bad.err


def test_an_unparsable_url_is_refused_without_echoing_it(published_crawl):
    db, _, _ = published_crawl
    result = inspector("publish", "1", "--db", db, "--postgres", "postgresql://u:s3cret-pw@[::1")
    assert result.code == 4 and result.err == "inspector: error: the PostgreSQL URL cannot be parsed\n"


def test_a_publish_that_fails_half_way_leaves_nothing_of_itself(pg_url, sample_crawl, tmp_path):
    from core import store
    from inspector.publish import publish

    db = store.open_db(copy_db(sample_crawl.db, tmp_path / "half.db"))
    assert publish(db, 1, pg_url).ok
    before = pg(pg_url, "SELECT * FROM findings ORDER BY fingerprint")
    with psycopg.connect(pg_url, autocommit=True) as conn:  # the 5th finding written breaks the publish
        conn.execute("""CREATE SEQUENCE n; CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN IF nextval('n') = 5 THEN RAISE 'killed half-way'; END IF; RETURN NEW; END $$;
                        CREATE TRIGGER boom BEFORE INSERT ON findings FOR EACH ROW EXECUTE FUNCTION boom()""")
    with db.conn:
        db.execute("UPDATE runs SET status = 'changed' WHERE id = 1")
    failed = publish(db, 1, pg_url)
    assert not failed.ok and "killed half-way" in failed.error and "\n" not in failed.error
    assert pg(pg_url, "SELECT * FROM findings ORDER BY fingerprint") == before
    assert pg(pg_url, "SELECT status FROM runs") == [{"status": "complete"}]
