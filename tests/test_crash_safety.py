"""Killed at any moment, a run is never taken for complete and --resume finishes it with the
findings an uninterrupted run has; readers never break a crawl; reports are never half-written."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from openpyxl import load_workbook

from tests.conftest import SITE, inspector, network_args, rows


def findings(db):
    return {(r["rule"], r["url"], r["page"]) for r in rows(db, "SELECT rule, url, page FROM findings")}


def test_a_run_killed_during_the_rules_is_not_complete_and_resume_evaluates_it(portal, sample_crawl, tmp_path):
    db = str(tmp_path / "rules.db")
    shutil.copy(sample_crawl.db, db)
    conn = sqlite3.connect(db)
    with conn:  # the state a kill between the last fact and the last finding leaves
        conn.execute("UPDATE runs SET status = 'crawled'")
        conn.execute("DELETE FROM findings WHERE rowid % 2 = 0")
    conn.close()
    assert inspector("export", "--db", db).code == 0
    portal.reset()
    r = inspector("crawl", f"{SITE}/", "--db", db, "--resume", *network_args(portal))
    assert r.code == 0, r.err
    assert rows(db, "SELECT status FROM runs") == [{"status": "complete"}]
    assert findings(db) == findings(sample_crawl.db)
    assert [p for _, _, p in portal.requests if p != "/robots.txt"] == []  # nothing fetched again


def test_a_crawl_killed_right_after_its_facts_never_passes_for_complete(portal, tmp_path):
    db = str(tmp_path / "late.db")
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "crawl", f"{SITE}/", "--db", db, *network_args(portal)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = None
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            got = rows(db, "SELECT status FROM runs") if os.path.exists(db) else []
        except sqlite3.OperationalError:  # the tables are being created
            got = []
        if got:
            status = got[0]["status"]
            if status == "crawled":
                proc.send_signal(signal.SIGKILL)
                break
        time.sleep(0.02)
    proc.wait()
    final = rows(db, "SELECT status, (SELECT count(*) FROM findings) AS n FROM runs")[0]
    # either killed while evaluating (not complete), or it finished first (complete with findings)
    assert final["status"] == "crawled" or (final["status"] == "complete" and final["n"] > 0)
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_a_reader_holding_a_transaction_never_breaks_the_crawl(portal, tmp_path):
    db = str(tmp_path / "read.db")
    inspector("runs", "--db", db)  # nothing yet
    stop = threading.Event()
    seen = []

    def reader():
        while not os.path.exists(db):
            time.sleep(0.05)
        conn = sqlite3.connect(db, timeout=30)
        while not stop.is_set():
            conn.execute("BEGIN")
            seen.append(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
            time.sleep(0.5)  # a report or Datasette reading, its snapshot held open
            conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        r = inspector("crawl", f"{SITE}/", "--db", db, *network_args(portal))
    finally:
        stop.set()
        thread.join()
    assert r.code == 0, r.err
    assert seen and rows(db, "SELECT status FROM runs") == [{"status": "complete"}]


def test_a_report_killed_while_writing_leaves_no_half_file(sample_crawl, tmp_path):
    out = tmp_path / "清单.xlsx"
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "report", "--db", sample_crawl.db, "--format", "xlsx",
                             "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if out.exists():  # it finished before the kill: then it is whole
        assert load_workbook(out).sheetnames
    r = inspector("report", "--db", sample_crawl.db, "--format", "xlsx", "-o", out)
    assert r.code == 0 and load_workbook(out).sheetnames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["清单.xlsx"]
