"""The command line as users meet it: spot checks, exports, listings, and bad input that
gets one clear line and a documented exit code, never a traceback."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import SITE, inspector, network_args, pages_stored, rows


def test_check_one_page_lists_its_problems_and_exits_1(portal):
    r = inspector("check", f"{SITE}/xwzx/tzgg/202610/t20261025_1202.html", *network_args(portal))
    assert r.code == 1, r.err
    assert "wrong-link" in r.out and "http://cms-admin/index.html" in r.out and "file:///C:/Users" in r.out
    assert "共 2 个问题" in r.out and "错链 (wrong-link)" in r.out and "问题等级" in r.out


def test_check_a_clean_page_exits_0(portal):
    r = inspector("check", f"{SITE}/xwzx/gzdt/202611/t20261112_1001.html", *network_args(portal))
    assert (r.code, r.out.strip()) == (0, "未发现问题"), r.err


def test_resolve_maps_a_host_and_port_like_curl(portal):
    url = f"http://www.qinghe-xinbei.gov.cn:{portal.port}/hdjl/index.html"
    r = inspector("check", url, "--resolve", f"www.qinghe-xinbei.gov.cn:{portal.port}:127.0.0.1", "--offline",
                  "--timeout", "2", "--delay", "0")
    assert r.code == 1
    assert "loop-a.html" in r.out and "500" in r.out  # its broken links, reached through the mapping


def test_export_formats_carry_the_contract_keys(sample_crawl):
    keys = {"run", "rule", "level", "url", "page", "column", "message", "first_seen", "status"}
    lines = inspector("export", "--db", sample_crawl.db, "--format", "jsonl").out.splitlines()
    assert keys <= set(json.loads(lines[0]))
    as_json = json.loads(inspector("export", "--db", sample_crawl.db, "--format", "json", "--run", "1").out)
    assert len(as_json) == len(lines)
    table = list(csv.DictReader(io.StringIO(inspector("export", "--db", sample_crawl.db, "--format", "csv").out)))
    assert len(table) == len(lines) and keys <= set(table[0])


def test_runs_and_rules_listings(sample_crawl):
    r = inspector("runs", "--db", sample_crawl.db)
    assert r.code == 0 and "complete" in r.out and f"{len(sample_crawl.findings())} findings" in r.out
    r = inspector("rules")
    assert "broken-link" in r.out and "wrong-link" in r.out and "deduct" in r.out
    # the descriptions start in one column, whatever the display width of the Chinese level names before them
    columns = set()
    for line in (x for x in r.out.splitlines() if not x.startswith(" ")):  # a rule's line, not its options'
        before = line[:line.index(":")].rsplit(" ", 1)[0]  # up to the description's own Chinese name
        columns.add(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before))
    assert len(columns) == 1, columns


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["crawl", "www.no-scheme.gov.cn"], 2, "malformed URL"),
        (["crawl", "http://"], 2, "malformed URL"),
        (["crawl", "http://a.gov.cn/", "--bogus"], 2, "No such option"),
        (["crawl", "http://a.gov.cn/", "--resolve", "a.gov.cn:80"], 2, "expected HOST:PORT:ADDR"),
        (["export", "--db", "/nonexistent/x.db"], 4, "no database"),
        (["export", "--format", "xml"], 2, "Invalid value"),
    ],
)
def test_bad_input_is_one_clear_line(args, code, message):
    r = inspector(*args)
    assert r.code == code
    assert message in r.err and "Traceback" not in r.err


def test_bad_config_file_names_the_key(tmp_path):
    cfg = tmp_path / "site.toml"
    cfg.write_text("[crawl]\nconcurency = 3\n", encoding="utf-8")
    r = inspector("crawl", "http://a.gov.cn/", "--config", cfg, "--db", tmp_path / "x.db")
    assert r.code == 2 and "unknown key crawl.concurency" in r.err and "Traceback" not in r.err


def test_unreachable_site_exits_3_and_keeps_the_run(portal, tmp_path):
    db = tmp_path / "x.db"
    r = inspector("crawl", "http://www.closed-demo.cn/", "--db", db, *network_args(portal))
    assert r.code == 3 and "could not be opened: connection refused" in r.err and "Traceback" not in r.err
    assert rows(db, "SELECT status FROM runs") == [{"status": "complete"}]


def test_unwritable_database_exits_4(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = inspector("crawl", "http://a.gov.cn/", "--db", blocker / "x.db", "--offline")
    assert r.code == 4 and "cannot use database" in r.err


def test_killed_crawl_stays_incomplete_and_resume_finishes_it_without_refetching(portal, tmp_path, sample_crawl):
    db = str(tmp_path / "killed.db")
    slow = [a if a != "4" else "1" for a in network_args(portal)]
    slow[slow.index("--delay") + 1] = "0.05"
    portal.reset()
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "crawl", f"{SITE}/", "--db", db, *slow],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.5)
        if pages_stored(db) >= 20:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert rows(db, "SELECT status FROM runs") == [{"status": "running"}]  # never passes for complete
    orphans = list(Path(tempfile.gettempdir()).glob(f"inspector-frontier-{proc.pid}-*"))
    assert orphans  # the killed crawl's disk frontier, left behind …
    checked_before = {r["url"] for r in rows(db, "SELECT url FROM checks")}
    assert checked_before
    portal.reset()

    r = inspector("crawl", f"{SITE}/", "--db", db, "--resume", *network_args(portal))
    assert r.code == 0, r.err
    assert rows(db, "SELECT id, status FROM runs") == [{"id": 1, "status": "complete"}]
    assert not any(o.exists() for o in orphans)  # … is removed by the next crawl
    refetched = {f"http://{h}{p}" for _, h, p in portal.requests if p != "/robots.txt"} & checked_before
    # only redirect destinations may be asked again, as the last hop of a chain
    assert refetched <= {f"{SITE}/", f"{SITE}/404.html", f"{SITE}/xwzx/tzgg/202611/t20261103_1201.html"}
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    dupes = rows(db, "SELECT source, url, count(*) n FROM links GROUP BY source, url, tag, attr, text HAVING n > 1")
    originals = rows(sample_crawl.db, "SELECT source, url, count(*) n FROM links GROUP BY source, url, tag, attr, text HAVING n > 1")
    assert len(dupes) == len(originals)
    key = lambda db_: {(f["rule"], f["url"], f["page"]) for f in rows(db_, "SELECT rule, url, page FROM findings")}
    assert key(db) == key(sample_crawl.db)


def test_resumed_frontier_still_stops_wrong_links(portal, tmp_path, sample_crawl):
    """A crawl killed after a page was stored but before its wrong links were recorded: on
    --resume those targets pass the guard again and are flagged, never fetched."""
    import shutil
    import sqlite3

    db = str(tmp_path / "half.db")
    shutil.copy(sample_crawl.db, db)
    conn = sqlite3.connect(db)
    with conn:
        wrong = [r[0] for r in conn.execute("SELECT url FROM checks WHERE outcome = 'wrong-link'")]
        conn.execute("DELETE FROM checks WHERE outcome = 'wrong-link'")
        conn.execute("UPDATE runs SET status = 'running'")
    conn.close()
    assert len(wrong) == 8
    r = inspector("crawl", f"{SITE}/", "--db", db, "--resume", *network_args(portal))
    assert r.code == 0, r.err
    after = {row["url"]: row["outcome"] for row in rows(db, "SELECT url, outcome FROM checks")}
    assert {after[u] for u in wrong} == {"wrong-link"}
