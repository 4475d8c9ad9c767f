"""The coordinator of a distributed crawl: the crawl step of `inspect()` when `--redis` is given.

It opens the run in Redis (settings, seed), then is the run's single SQLite writer: it drains
the records the workers push into store.Writer in batched transactions, puts back the in-flight
requests of workers whose heartbeat expired, and ends the crawl when the frontier is empty, no
request is in flight and no record is waiting, for `quiet` seconds together. Columns and rules
then run exactly as after a single-process crawl (inspector.inspect).
"""

from __future__ import annotations

import json
import time
from collections import Counter

from crawler import distributed
from crawler.distributed import RUN_SEQ, RUNS, Frontier, Keys
from crawler.links import Link
from crawler.run import Progress, site_hosts
from crawler.spider import PortalSpider
from inspector import store
from inspector.urls import canonical

COORDINATOR_TTL = 30.0  # workers leave a run whose coordinator has been silent this long
BATCH = 1000


def coordinate(db, run_id: int, start_url: str, config, *, redis_url: str, max_workers: int = 0, quiet: float = 2.0,
               resume: bool = False, verbose: bool = False, show_progress: bool = True) -> dict:
    """Crawl `start_url` into run `run_id` with the workers on `redis_url`; returns what
    crawler.run.crawl returns ({"status", "reason", "counts", "skipped", "home"})."""
    if resume:
        raise ValueError("--resume is not supported with --redis")
    server = distributed.connect(redis_url)
    keys = Keys(server.incr(RUN_SEQ))
    hosts = site_hosts(start_url, config.site["aliases"])
    run = store.get_run(db, run_id)
    meta = {"start_url": start_url, "crawl": config.crawl, "hosts": sorted(hosts), "as_of": run["as_of"],
            "site": run["site"], "store_run": run_id}
    _seed(server, keys, start_url, config.crawl, hosts)
    server.hset(keys.meta, mapping={"settings": json.dumps(meta, ensure_ascii=False, default=str), "state": "open",
                                    "max_workers": max_workers, "started": store.now()})
    server.set(keys.coordinator, "1", px=int(COORDINATOR_TTL * 1000))
    server.sadd(RUNS, keys.run)
    writer = store.Writer(db, run_id)
    progress = Progress() if show_progress else None
    status, reason = "complete", "finished"
    try:
        _drive(server, keys, writer, quiet, progress)
    except KeyboardInterrupt:
        status, reason = "interrupted", "shutdown"
    finally:
        server.hset(keys.meta, "state", "done" if status == "complete" else "cancelled")
        server.srem(RUNS, keys.run)
    if progress:
        progress.done()
    _drain(server, keys, writer, set(), None, limit=None)
    writer.flush()
    counts, skipped = _counters(server, keys, db, run_id)
    _cleanup(server, keys)
    start = db.execute("SELECT final_url FROM checks WHERE run = ? AND url = ?", [run_id, canonical(start_url)]).fetchone()
    home = canonical(start[0]) if start and start[0] else canonical(start_url)
    return {"status": status, "reason": reason, "counts": counts, "skipped": skipped, "home": home,
            "redis_run": keys.run}


def _seed(server, keys: Keys, start_url: str, crawl: dict, hosts: set[str]) -> None:
    spider = PortalSpider(start_url=start_url, writer=None, crawl=crawl, site_hosts=hosts)
    spider.keys = keys
    key = canonical(start_url)
    server.sadd(keys.seen, key)
    server.hincrby(keys.counts, "pages_scheduled", 1)
    Frontier(server, spider, keys.frontier).push(spider._request(key, 0, "page", priority=100))


def _drive(server, keys: Keys, writer, quiet: float, progress) -> None:
    written: set[str] = set()
    tally: Counter = Counter()
    quiet_since = None
    while True:
        server.set(keys.coordinator, "1", px=int(COORDINATOR_TTL * 1000))
        n = _drain(server, keys, writer, written, tally)
        writer.flush()
        if progress:
            progress(tally)
        workers = [w.decode() for w in server.smembers(keys.workers)]
        for worker in workers:  # dead: its heartbeat expired; its requests go back to the frontier
            if not server.exists(Keys.alive(worker)):
                server.srem(keys.workers, worker)
                server.hincrby(keys.counts, "requeued", distributed.requeue(server, keys, worker))
                distributed.release_tokens(server, worker)
        pipe = server.pipeline(transaction=True)
        pipe.zcard(keys.frontier)
        pipe.llen(keys.records)
        for worker in workers:
            pipe.hlen(keys.inflight(worker))
        busy = n or any(pipe.execute())
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= quiet:
            return
        if n < BATCH:
            time.sleep(0.1 if busy else 0.25)


def _drain(server, keys: Keys, writer, written: set, tally, limit: int | None = BATCH) -> int:
    """Write waiting records into the store; returns how many were taken."""
    taken = 0
    while True:
        rows = server.lpop(keys.records, BATCH)
        if not rows:
            return taken
        taken += len(rows)
        for raw in rows:
            kind, *row = json.loads(raw)
            if kind == "page":
                url, links = row[0], row[8]
                if url in written:
                    continue  # a request replayed although its first worker lived on: first copy stands
                written.add(url)
                row[8] = [(key, Link(key, url, text, tag, attr)) for key, text, tag, attr in links]
                writer.page(*row)
            else:
                writer.check(*row)
            if tally is not None:
                tally["pages" if kind == "page" else "checks"] += 1
        if limit is not None and taken >= limit:
            return taken


def _counters(server, keys: Keys, db, run_id: int) -> tuple[dict, dict]:
    def decoded(name):
        return {k.decode(): int(v) for k, v in server.hgetall(name).items()}

    counts = decoded(keys.counts)
    for name, sql in (("pages", "SELECT count(*) FROM pages WHERE run = ?"),
                      ("checks", "SELECT count(*) FROM checks WHERE run = ?"),
                      ("links", "SELECT count(*) FROM links WHERE run = ?")):
        counts[name] = db.execute(sql, [run_id]).fetchone()[0]
    return counts, decoded(keys.skipped)


def _cleanup(server, keys: Keys) -> None:
    """Drop the run's crawl state; its settings stay an hour so late workers see it is over."""
    doomed = [k for k in server.scan_iter(match=f"{keys.prefix}:*", count=1000)
              if not k.decode().endswith((":workers", ":coordinator"))]
    for i in range(0, len(doomed), 500):
        server.delete(*doomed[i:i + 500])
    server.expire(keys.meta, 3600)
    server.expire(keys.workers, 3600)
    server.delete(keys.coordinator)
