"""Killed at any moment, a run is never taken for complete and --resume finishes it with the
findings an uninterrupted run has; readers never break a crawl; reports are never half-written."""

import fcntl
import io
import os
import shutil
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import termios
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


def test_a_crawl_killed_right_after_its_facts_never_passes_for_complete(portal, sample_crawl, tmp_path):
    """Killed once its facts are stored ('crawled'), before its findings are: the run stays
    'crawled', and --resume evaluates it into the findings of an uninterrupted run."""
    db = str(tmp_path / "late.db")
    portal.reset()
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "crawl", f"{SITE}/", "--db", db, *network_args(portal)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watcher = None
    try:
        deadline = time.time() + 120
        while proc.poll() is None and time.time() < deadline:
            if watcher is None and os.path.exists(db):
                watcher = sqlite3.connect(db, timeout=30)
            if watcher and crawled_and_held(watcher):
                # the write lock is ours: the crawl can store nothing more, its status least of all
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        assert proc.wait() == -signal.SIGKILL, "the crawl ended before it was seen between its facts and findings"
    finally:
        if watcher:
            watcher.close()
    assert rows(db, "SELECT status FROM runs") == [{"status": "crawled"}]
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert inspector("crawl", f"{SITE}/", "--db", db, "--resume", *network_args(portal)).code == 0
    assert rows(db, "SELECT status FROM runs") == [{"status": "complete"}]
    assert findings(db) == findings(sample_crawl.db)


def crawled_and_held(conn) -> bool:
    """Takes the database's write lock; keeps it (True) when the run is 'crawled', else lets go."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # the file is being created
        return False
    try:
        status = conn.execute("SELECT status FROM runs").fetchone()
    except sqlite3.OperationalError:  # its tables are not there yet
        status = None
    if status == ("crawled",):
        return True
    conn.rollback()
    return False


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


def test_a_report_killed_while_writing_leaves_the_previous_one_whole(sample_crawl, tmp_path):
    """The writer is killed while it is writing: the previous report stays as it was, byte for
    byte, and no half workbook takes its name."""
    out = tmp_path / "清单.xlsx"
    first = inspector("report", "--db", sample_crawl.db, "--format", "xlsx", "-o", out)
    assert first.code == 0, first.err
    previous = out.read_bytes()
    # the writer writes to a hidden sibling before renaming it (reports._atomic); a FIFO there,
    # shrunk to one page and never read, blocks it in the middle of its writing
    part = tmp_path / ".清单.xlsx.part"
    os.mkfifo(part)
    pipe = os.open(part, os.O_RDWR | os.O_NONBLOCK)
    room = fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, 4096)
    assert len(previous) > 2 * room  # the workbook cannot fit in the pipe: once begun, the writing cannot end
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "report", "--db", sample_crawl.db,
                             "--format", "xlsx", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not pending(pipe) and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None and pending(pipe)  # it has begun writing and is blocked before the end
    finally:
        proc.kill()  # SIGKILL, mid-write
        proc.wait()
    assert os.read(pipe, room).startswith(b"PK\x03\x04")  # what it had written: the start of a workbook
    os.close(pipe)
    assert out.read_bytes() == previous and load_workbook(out).sheetnames
    assert sorted(p.name for p in tmp_path.iterdir()) == [".清单.xlsx.part", "清单.xlsx"]
    assert stat.S_ISFIFO(part.stat().st_mode)  # nothing was renamed into place
    part.unlink()
    again = inspector("report", "--db", sample_crawl.db, "--format", "xlsx", "-o", out)
    assert again.code == 0 and load_workbook(out).sheetnames == load_workbook(io.BytesIO(previous)).sheetnames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["清单.xlsx"]


def pending(fd) -> int:
    """Bytes written into a pipe and not yet read."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
