"""Distributed mode: a coordinator and `inspector worker` processes sharing a real redis-server
on loopback find what one process finds, lose nothing when a worker is killed, and stay
polite per host across all workers together."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from core.urls import page_key
from tests.conftest import SITE, need, need_module, network_args, pages_stored, rows

need_module("scrapy_redis", "scrapy-redis (pip install -e '.[test]')")
need(shutil.which("redis-server"), "redis-server (Debian's redis-server)")

HOST = "www.qinghe-xinbei.gov.cn"
# asked twice in a single-process run too: 503 then 200, a retried timeout, redirect destinations
# requests the server goes on answering after the client has moved on: a timeout, a file read no further
OUTLIVE = {"/hang.html", "/files/big-report.pdf"}
REPEATS = {"/busy.html", "/hang.html", "/", "/404.html", "/xwzx/tzgg/202611/t20261103_1201.html"}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as c:
                c.sendall(b"PING\r\n")
                if c.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


def worker(redis_url, name):
    return subprocess.Popen([sys.executable, "-m", "inspector", "worker", "--redis", redis_url, "--once",
                             "--wait", "60", "--name", name], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def coordinator(redis_url, db, args):
    return subprocess.Popen([sys.executable, "-m", "inspector", "crawl", f"{SITE}/", "--db", db, "--redis", redis_url,
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def findings(db):
    return {(r["rule"], r["url"], r["page"]) for r in rows(db, "SELECT rule, url, page FROM findings")}


def most_at_once(portal, host=HOST) -> int:
    """Most requests to `host` in the server's hands at once, each from its arrival to the moment
    before its answer is sent (a polite client cannot ask again before that: no allowance needed)."""
    events = []
    for start, answered, h, path in portal.spans:
        if h == host and path not in OUTLIVE:
            events += [(start, 1), (answered, -1)]  # at the same instant an answer counts first
    most = now = 0
    for _, step in sorted(events):
        now += step
        most = max(most, now)
    return most


def site_requests(portal):
    return [path for _, host, path in portal.requests if host == HOST]


def _abandoned_run(server, run: str, started: datetime):
    """A run as a coordinator killed at `started` and never resumed leaves it in Redis."""
    from crawler.distributed import RUNS, Keys

    keys = Keys(run)
    server.hset(keys.meta, mapping={"settings": "{}", "state": "open", "started": started.isoformat()})
    server.zadd(keys.frontier, {"000000000001{}": 0})
    server.sadd(RUNS, keys.run)
    return keys


def test_two_workers_find_what_one_process_finds(portal, redis_url, tmp_path, sample_crawl):
    db = str(tmp_path / "dist.db")
    from crawler import distributed
    from crawler.distributed import RUNS

    portal.reset()
    server = distributed.connect(redis_url)
    now = datetime.now(timezone.utc)
    old, recent = _abandoned_run(server, "old", now - timedelta(days=2)), _abandoned_run(server, "recent", now)
    workers = [worker(redis_url, f"w{i}") for i in (1, 2)]
    coord = coordinator(redis_url, db, network_args(portal, timeout=6))  # three processes share two cores
    out, err = coord.communicate(timeout=90)
    assert coord.returncode == 0, err
    assert [w.wait(30) for w in workers] == [0, 0]
    assert findings(db) == findings(sample_crawl.db)
    assert rows(db, "SELECT status FROM runs") == [{"status": "complete"}]
    for table in ("pages", "links", "checks"):
        count = f"SELECT count(*) n FROM {table}"
        assert rows(db, count) == rows(sample_crawl.db, count)
    paths = site_requests(portal)
    # robots.txt holds in every worker, also for the requests it popped while fetching robots.txt
    assert not [p for p in paths if p.startswith("/private/")]
    checks = {r["url"]: r["outcome"] for r in rows(db, "SELECT url, outcome FROM checks")}
    assert checks[f"{SITE}/private/report.html"] == "robots-excluded"
    assert 1 <= paths.count("/robots.txt") <= 2  # once per worker that fetched from the site, at most
    repeated = {p for p in paths if paths.count(p) > 1} - {"/robots.txt"}
    assert repeated <= REPEATS  # the seen-set is shared: nothing else is asked twice
    assert most_at_once(portal) <= 4
    # the coordinator dropped a run abandoned two days ago, not one a --resume may still drain
    assert not server.exists(old.frontier) and not server.sismember(RUNS, "old")
    assert server.exists(recent.frontier) and server.sismember(RUNS, "recent")
    server.srem(RUNS, "recent")
    server.delete(recent.frontier, recent.meta)


def test_a_killed_worker_loses_nothing(portal, redis_url, tmp_path, sample_crawl):
    db = str(tmp_path / "killed.db")
    args = network_args(portal, timeout=6)
    args[args.index("--delay") + 1] = "0.04"  # slow enough to be killed mid-crawl
    args[args.index("--concurrency") + 1] = "2"
    portal.reset()
    doomed, survivor = worker(redis_url, "doomed"), worker(redis_url, "survivor")
    coord = coordinator(redis_url, db, args)
    assert holding_requests_when_killed(doomed, redis_url)  # no goodbye: its requests are left in Redis
    restarted = worker(redis_url, "restarted")
    out, err = coord.communicate(timeout=90)
    assert coord.returncode == 0, err
    assert survivor.wait(30) == 0 and restarted.wait(30) == 0
    run = rows(db, "SELECT status, counts FROM runs")[0]
    assert run["status"] == "complete"
    assert json.loads(run["counts"]).get("requeued", 0) >= 1  # the killed worker had requests in flight
    assert findings(db) == findings(sample_crawl.db)
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert most_at_once(portal) <= 2  # politeness held across the three workers


def holding_requests_when_killed(proc, redis_url, name="doomed") -> bool:
    """SIGKILLs the worker `name` at a moment it holds requests in flight: it is stopped
    (SIGSTOP) until its in-flight list in Redis is seen non-empty, so that list cannot change
    between the look and the kill."""
    from crawler import distributed

    server = distributed.connect(redis_url)
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        proc.send_signal(signal.SIGSTOP)
        if any(server.scan_iter(match=f"{distributed.PREFIX}:run:*:inflight:{name}")):
            proc.kill()
            proc.wait()
            return True
        proc.send_signal(signal.SIGCONT)
        time.sleep(0.02)
    return False


def test_one_request_at_a_time_per_host_across_workers(portal, redis_url, tmp_path):
    db = str(tmp_path / "polite.db")
    args = network_args(portal, timeout=6)
    args[args.index("--concurrency") + 1] = "1"
    portal.reset()
    workers = [worker(redis_url, f"p{i}") for i in (1, 2)]
    coord = coordinator(redis_url, db, [*args, "--max-depth", "1"])
    out, err = coord.communicate(timeout=90)
    assert coord.returncode == 0, err
    assert [w.wait(30) for w in workers] == [0, 0]
    assert most_at_once(portal) == 1
    assert site_requests(portal).count("/robots.txt") == 2


def test_a_replayed_request_reclaims_what_it_had_claimed_once(redis_url):
    from crawler import distributed
    from crawler.distributed import Keys, RedisMemo

    server = distributed.connect(redis_url)
    keys, rid = Keys("claims-test"), "000000000007"
    server.hset(keys.meta, "state", "open")
    server.set(keys.coordinator, "1")
    server.zadd(keys.frontier, {rid + "{}": 0})
    popped = server.eval(distributed._POP, 2, keys.frontier, keys.inflight("w1"), keys.prefix)
    assert popped == [(rid + "{}").encode(), 0]
    owner = {"now": (rid, False)}
    seen = RedisMemo(server, keys.seen, "s", keys, lambda: owner["now"])
    assert seen.add_new("a") and not seen.add_new("a")  # a page linking one target twice
    # its worker dies before settling: the request goes back and is popped again (elsewhere)
    assert distributed.requeue(server, keys, "w1") == 1
    popped = server.eval(distributed._POP, 2, keys.frontier, keys.inflight("w2"), keys.prefix)
    assert popped[1] == 1  # a replay: what it had claimed is its own again, once
    owner["now"] = (rid, True)
    assert seen.add_new("a") and not seen.add_new("a")
    owner["now"] = ("000000000008", False)
    assert not seen.add_new("a")  # another request never takes it
    assert not RedisMemo(server, keys.seen, "s", keys, lambda: owner["now"]).add_new("a")  # nor another worker


def test_max_workers_ties_a_site_to_one_worker(redis_url):
    from crawler import distributed
    from crawler.distributed import Keys

    server = distributed.connect(redis_url)
    keys = Keys("join-test")
    server.hset(keys.meta, mapping={"state": "open", "max_workers": 1})
    assert distributed.join(server, keys, "a") == -1  # no live coordinator: a killed one's run is not joined
    server.set(keys.coordinator, "1")
    assert [distributed.join(server, keys, w) for w in ("a", "b")] == [1, 0]
    server.hset(keys.meta, "state", "done")
    assert distributed.join(server, keys, "c") == -1


def serving_worker(redis_url, name):
    """`inspector worker` as a service runs it: one child process per run, until stopped."""
    return subprocess.Popen([sys.executable, "-m", "inspector", "worker", "--redis", redis_url, "--name", name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def leftovers(redis_url):
    """Runs still listed, and crawl state (frontier, records, published facts) still in Redis."""
    from crawler import distributed

    server = distributed.connect(redis_url)
    state = [k.decode() for k in server.scan_iter(match="pi:run:*", count=1000)
             if re.fullmatch(r"pi:run:\d+:(frontier|records|seen|previous|fresh)", k.decode())]
    return [m.decode() for m in server.smembers(distributed.RUNS)], state


def test_a_killed_coordinator_is_resumed_with_the_findings_of_an_uninterrupted_run(portal, redis_url, tmp_path,
                                                                                     sample_crawl):
    db = str(tmp_path / "resumed.db")
    args = network_args(portal, timeout=6)
    args[args.index("--delay") + 1] = "0.04"  # slow enough to be killed mid-crawl
    args[args.index("--concurrency") + 1] = "2"
    portal.reset()
    workers = [serving_worker(redis_url, f"s{i}") for i in (1, 2)]
    try:
        first = coordinator(redis_url, db, args)
        deadline = time.time() + 60
        while time.time() < deadline and pages_stored(db) < 20:
            time.sleep(0.1)
        first.kill()  # SIGKILL while the workers fetch: no goodbye, its Redis run left open
        first.wait()
        assert rows(db, "SELECT status FROM runs") == [{"status": "running"}]  # never passes for complete
        assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
        checked_before = {r["url"] for r in rows(db, "SELECT url FROM checks")}
        portal.reset()
        # the same workers leave the killed run and take part in the resumed one
        resumed = coordinator(redis_url, db, [*args, "--resume"])
        _, err = resumed.communicate(timeout=120)
    finally:
        for w in workers:
            w.terminate()
            w.wait(30)
    assert resumed.returncode == 0, err
    assert rows(db, "SELECT id, status FROM runs") == [{"id": 1, "status": "complete"}]
    assert findings(db) == findings(sample_crawl.db)
    assert rows(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    refetched = {f"http://{HOST}{p}" for p in site_requests(portal)} & checked_before
    assert refetched <= {f"http://{HOST}{p}" for p in REPEATS}  # what was stored is not asked again
    assert leftovers(redis_url) == ([], [])  # the killed run is dropped with the resumed one


def test_a_distributed_second_night_reuses_unchanged_pages_and_sees_a_deleted_one(portal, redis_url, tmp_path,
                                                                                   sample_crawl):
    db = str(tmp_path / "nights.db")
    shutil.copy(sample_crawl.db, db)  # the first night, crawled by one process
    deleted = "/xwzx/gzdt/202611/t20261112_1001.html"
    portal.overrides[deleted] = (404, "<html><body>404</body></html>")
    portal.reset()
    try:
        workers = [worker(redis_url, f"n{i}") for i in (1, 2)]
        coord = coordinator(redis_url, db, network_args(portal, timeout=6))
        _, err = coord.communicate(timeout=90)
        requests, sent, asked = site_requests(portal), dict(portal.bytes_sent), list(portal.requests)
    finally:
        portal.overrides.clear()
    assert coord.returncode == 0, err
    assert [w.wait(30) for w in workers] == [0, 0]
    # a page is asked under each name it is linked by (dir/ and dir/index.html), with its validators
    unchanged = {page_key(r["url"]) for r in rows(db, "SELECT url FROM checks WHERE run = 2 AND status = 304")}
    validated = {r["url"] for r in rows(db, "SELECT url FROM pages WHERE run = 1 AND (etag != '' OR last_modified != '')")}
    assert unchanged == validated - {SITE + deleted}  # every page with validators but the deleted one: 304
    # a page answered 304 is the stored one, its links copied
    links = lambda run: rows(db, "SELECT source, url, text, tag, attr FROM links WHERE run = ? AND source IN "
                                 "(SELECT url FROM checks WHERE run = 2 AND status = 304) ORDER BY source, seq", [run])
    assert links(2) == links(1) and links(1)
    assert {r["url"] for r in rows(db, "SELECT url FROM pages WHERE run = 2")} >= unchanged
    assert "/images/logo.png" in requests  # the site's own files are asked every night
    # an external page checked ok is trusted for 7 days
    assert not any(path == "/about.html" for _, host, path in asked if host == "www.partner-demo.cn")
    body = lambda d: sum(n for path, n in d.items() if path != "/files/big-report.pdf")
    assert body(sent) < body(sample_crawl.bytes_sent) * 0.25  # 304s carry no body
    night = lambda run: {(r["rule"], r["url"], r["page"])
                         for r in rows(db, "SELECT rule, url, page FROM findings WHERE run = ?", [run])}
    before, after = night(1), night(2)
    assert {(rule, url) for rule, url, _ in after - before} == {("broken-link", SITE + deleted)}
    assert {f for f in before - after if f[1] != SITE + deleted and f[2] != SITE + deleted} == set()
    assert leftovers(redis_url) == ([], [])  # the published facts go with the run
