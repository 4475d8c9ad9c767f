"""Shared fixtures: the sample portal on loopback and the `inspector` command run as a user runs it."""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass

import pytest

from inspector.sample.server import AS_OF, PortalServer

SITE = "http://www.qinghe-xinbei.gov.cn"


@dataclass
class Result:
    code: int
    out: str
    err: str


def inspector(*args, timeout=240, **kwargs) -> Result:
    proc = subprocess.run([sys.executable, "-m", "inspector", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def network_args(server, timeout=3):
    args = ["--offline", "--delay", "0", "--concurrency", "4", "--timeout", str(timeout), "--as-of", AS_OF]
    for entry in server.connect_to():
        args += ["--connect-to", entry]
    return args


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def pages_stored(db_path) -> int:
    """Pages a crawl running in another process has stored so far (0 while it creates the file
    and its tables)."""
    try:
        return rows(db_path, "SELECT count(*) n FROM pages")[0]["n"] if os.path.exists(db_path) else 0
    except sqlite3.OperationalError:
        return 0


# a test that uses one of these (the loopback sample portal, a crawl of it or the demo's, Redis,
# PostgreSQL) is marked slow: CI leaves the slow tests out on the oldest and newest Python (-m "not slow")
SLOW_FIXTURES = {"portal", "sample_crawl", "history_db", "demo", "published_crawl", "redis_url", "pg_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


def need(available, what: str) -> None:
    """A test's need from outside Python's packages (chromium, redis-server, PostgreSQL, a test
    extra): without it the test is skipped on a developer's machine, saying what is missing, and
    fails on CI (CI=true), where .ci/run installs everything the tests use."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing on CI: .ci/run must install it", pytrace=False)
    pytest.skip(f"{what} is not installed here", allow_module_level=True)


def need_module(name: str, what: str):
    """The module `name` imported, or need(False, what)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        need(False, what)


@pytest.fixture(scope="session")
def portal():
    with PortalServer() as server:
        yield server


@dataclass
class Crawl:
    db: str
    result: Result
    requests: list
    bytes_sent: dict

    def findings(self, rule=None):
        out = inspector("export", "--db", self.db, "--format", "jsonl")
        assert out.code == 0, out.err
        found = [json.loads(line) for line in out.out.splitlines()]
        return [f for f in found if rule is None or f["rule"] == rule]

    def checks(self):
        return {r["url"]: r for r in rows(self.db, "SELECT * FROM checks")}


@pytest.fixture(scope="session")
def sample_crawl(portal, tmp_path_factory):
    """One full crawl of the sample portal, shared by the tests that read its results."""
    portal.reset()
    db = str(tmp_path_factory.mktemp("crawl") / "run.db")
    result = inspector("crawl", f"{SITE}/", "--db", db, *network_args(portal))
    assert result.code == 0, result.err
    return Crawl(db, result, list(portal.requests), dict(portal.bytes_sent))
