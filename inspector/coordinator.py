"""The coordinator of a distributed crawl: the crawl step of `inspect()` when `--redis` is given.

It opens the run in Redis (settings, seed), then is the run's single SQLite writer: it drains
the records the workers push into store.Writer in batched transactions, puts back the in-flight
requests of workers whose heartbeat expired, and ends the crawl when the frontier is empty, no
request is in flight and no record is waiting, for `quiet` seconds together. Columns and rules
then run exactly as after a single-process crawl (inspector.inspect).

On an incremental night it publishes what workers need of the last complete run (validators,
reused pages' link targets, trusted leaves); the records of a 304 or a trusted leaf make it
copy the stored facts (store.Writer.reuse_page, reuse_check).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from core import store
from core.records import Check
from core.urls import page_key
from crawler import distributed
from crawler.distributed import RUN_SEQ, RUNS, Keys
from crawler.links import Link
from crawler.run import Progress, previous_run, resume_state, site_hosts, stored_home
from crawler.worker import DistributedSpider

COORDINATOR_TTL = 30.0  # workers leave a run whose coordinator has been silent this long
ABANDONED_AFTER = timedelta(days=1)  # a run started this long ago whose coordinator is gone is dropped
BATCH = 1000


def coordinate(db, run_id: int, start_url: str, config, *, redis_url: str, max_workers: int = 0, quiet: float = 2.0,
               resume: bool = False, verbose: bool = False, show_progress: bool = True) -> dict:
    """Crawl `start_url` into run `run_id` with the workers on `redis_url`; returns what
    crawler.run.crawl returns ({"status", "reason", "counts", "skipped", "home"}).

    `resume`: the run was interrupted (its coordinator killed, say). The Redis runs it had are
    cancelled, so that their workers leave, the records they left are written (pages already
    stored skipped), and its frontier is rebuilt from the store, as a single process does
    (crawler.run.resume_state), into a new Redis run; the old ones are dropped at the end."""
    server = distributed.connect(redis_url)
    _drop_abandoned(server)
    run = store.get_run(db, run_id)
    writer, written, stale = store.Writer(db, run_id), set(), []
    if resume:
        written = {url for url, in db.execute("SELECT url FROM pages WHERE run = ?", [run_id])}
        stale = _cancel(server, run)
        for old in stale:
            _drain(server, old, writer, written, None, limit=None)
    keys = Keys(server.incr(RUN_SEQ))
    hosts = site_hosts(start_url, config.site["aliases"])
    previous = previous_run(db, run, config.crawl)
    meta = {"start_url": start_url, "crawl": config.crawl, "hosts": sorted(hosts), "as_of": run["as_of"],
            "site": run["site"], "store_run": run_id, "store_started": run["started"],
            "previous_run": previous.run if previous else None}
    # listed before it is filled: a coordinator killed while seeding leaves a run --resume finds
    server.hset(keys.meta, mapping={"settings": json.dumps(meta, ensure_ascii=False, default=str), "state": "seeding",
                                    "max_workers": max_workers, "started": store.now()})
    server.sadd(RUNS, keys.run)
    if previous:  # an incremental night: workers send conditional requests and trust recent ok leaves
        distributed.publish_previous(server, keys, previous.pages(), previous.fresh_leaves())
    _seed(server, keys, writer, start_url, config.crawl, hosts, previous,
          resume_state(db, run_id, start_url) if resume else None)
    server.set(keys.coordinator, "1", px=int(COORDINATOR_TTL * 1000))
    server.hset(keys.meta, "state", "open")
    progress = Progress(every=config.crawl["progress_every"]) if show_progress else None
    status, reason = "complete", "finished"
    try:
        _drive(server, keys, writer, written, quiet, progress)
    except KeyboardInterrupt:
        status, reason = "interrupted", "shutdown"
    finally:
        server.hset(keys.meta, "state", "done" if status == "complete" else "cancelled")
        server.srem(RUNS, keys.run)
    if progress:
        progress.done()
    _drain(server, keys, writer, written, None, limit=None)
    writer.flush()
    counts, skipped = _counters(server, keys, db, run_id)
    for old in [*stale, keys]:
        server.srem(RUNS, old.run)
        _cleanup(server, old)
    home = stored_home(db, run_id, start_url) or page_key(start_url)
    return {"status": status, "reason": reason, "counts": counts, "skipped": skipped, "home": home,
            "redis_run": keys.run}


def _drop_abandoned(server) -> None:
    """Drop the Redis state of runs whose coordinator was killed and never resumed (started
    more than ABANDONED_AFTER ago, coordinator silent): nothing else would. What they held is
    not lost to a later `--resume`, which rebuilds the frontier from the store."""
    cutoff = datetime.now(timezone.utc) - ABANDONED_AFTER
    for member in server.smembers(RUNS):
        keys = Keys(member.decode())
        started = server.hget(keys.meta, "started")
        if server.exists(keys.coordinator) or (started and datetime.fromisoformat(started.decode()) > cutoff):
            continue
        server.srem(RUNS, keys.run)
        _cleanup(server, keys)


def _cancel(server, run: dict) -> list[Keys]:
    """Cancel the Redis runs of store run `run` (their workers stop popping and leave); they
    stay listed until the resumed run drops them, so that a resume killed in turn finds them."""
    stale = []
    for member in server.smembers(RUNS):
        keys = Keys(member.decode())
        settings = json.loads(server.hget(keys.meta, "settings") or "{}")
        if (settings.get("store_run"), settings.get("store_started")) == (run["id"], run["started"]):
            server.hset(keys.meta, "state", "cancelled")
            stale.append(keys)
    return stale


def _seed(server, keys: Keys, writer, start_url: str, crawl: dict, hosts: set[str], previous, resume) -> None:
    """Start the shared frontier with the home page, or with the resumed frontier and seen-sets:
    the spider's own start, run here with its seen-sets in Redis. What it settles itself (wrong
    links, trusted leaves) goes straight to the store."""
    spider = DistributedSpider(server=server, keys=keys, worker_id=None, start_url=start_url, crawl=crawl,
                               site_hosts=hosts, previous=previous, resume=resume)
    spider.writer = writer
    requests = list(spider._start())
    for i in range(0, len(requests), BATCH):
        server.zadd(keys.frontier, spider.frontier.members(requests[i:i + BATCH]))
    for key, counter in ((keys.counts, spider.counts), (keys.skipped, spider.skipped)):
        for field, n in counter.items():
            server.hincrby(key, field, n)
    writer.flush()


def _drive(server, keys: Keys, writer, written: set, quiet: float, progress) -> None:
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
    """Write waiting records into the store; returns how many were taken. A batch leaves Redis
    only once it is committed: a coordinator killed in between loses none (and its resume
    rebuilds the frontier from the store anyway)."""
    taken = 0
    while True:
        rows = server.lrange(keys.records, 0, BATCH - 1)
        if not rows:
            return taken
        taken += len(rows)
        for raw in rows:
            kind, *row = json.loads(raw)
            if kind in ("page", "reuse_page"):
                url = row[0] if kind == "page" else row[1]
                if url in written:
                    continue  # a request replayed although its first worker lived on: first copy stands
                written.add(url)
            if kind == "page":
                row[8] = [(key, Link(key, row[0], text, tag, attr)) for key, text, tag, attr in row[8]]
            elif kind == "check":
                row = [Check(**row[0])]
            WRITES[kind](writer, *row)
            if tally is not None:
                tally["pages" if kind.endswith("page") else "checks"] += 1
        writer.flush()
        server.ltrim(keys.records, len(rows), -1)
        if limit is not None and taken >= limit:
            return taken


# what a worker's record asks of the store (crawler.worker.RecordBuffer writes them)
WRITES = {"page": store.Writer.page, "check": store.Writer.check, "reuse_page": store.Writer.reuse_page,
          "reuse_check": store.Writer.reuse_check}


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
