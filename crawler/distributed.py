"""The Redis pieces of a distributed crawl: run keys, the shared frontier (a scrapy-redis queue),
the shared seen-sets, per-host politeness tokens, and the worker registry.

Everything a run shares lives under ``pi:run:<id>:``; per-host tokens are global (``pi:host:``),
so two runs that touch one host are polite together. A request popped by a worker moves
atomically from the frontier into that worker's in-flight hash; it leaves the hash only in the
same transaction that stores its records and queues the requests it led to (`Shared.settle`).
A worker whose heartbeat key expires has its in-flight requests put back (`requeue`).
A run is live while its state is "open" and its coordinator's key has not expired: workers
join only a live run and pop nothing from any other. On an incremental night the coordinator
publishes what workers need of the last complete run (`publish_previous`, `RedisPrevious`).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import random
import time
import zlib

import redis
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import PriorityQueue

PREFIX = "pi"
RUNS = f"{PREFIX}:runs"  # set: ids of the runs open for workers
RUN_SEQ = f"{PREFIX}:runs:seq"
HEARTBEAT_TTL = 3.0  # seconds without a heartbeat before a worker counts as dead
RID = 12  # a frontier member is a 12-digit request id followed by the request as JSON


def connect(url: str) -> redis.Redis:
    """A client for `url` (redis://HOST:PORT/DB); raises redis.exceptions.RedisError if unreachable."""
    server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, health_check_interval=30)
    server.ping()
    return server


class Keys:
    """The Redis keys of one run."""

    def __init__(self, run: int | str):
        self.run = str(run)
        p = self.prefix = f"{PREFIX}:run:{run}"
        self.meta, self.coordinator, self.workers = p, f"{p}:coordinator", f"{p}:workers"
        self.frontier, self.seq, self.records = f"{p}:frontier", f"{p}:seq", f"{p}:records"
        self.seen, self.parsed, self.bodies = f"{p}:seen", f"{p}:parsed", f"{p}:bodies"
        self.families, self.counts, self.skipped = f"{p}:families", f"{p}:counts", f"{p}:skipped"
        self.previous, self.fresh = f"{p}:previous", f"{p}:fresh"  # the last complete run, published

    def inflight(self, worker: str) -> str:
        return f"{self.prefix}:inflight:{worker}"

    def claims(self, rid: str) -> str:
        return f"{self.prefix}:claims:{rid}"

    def inherited(self, rid: str) -> str:
        return f"{self.prefix}:inherited:{rid}"

    @staticmethod
    def alive(worker: str) -> str:
        return f"{PREFIX}:worker:{worker}"


# ---------------------------------------------------------------- request codec
def _pack(obj):
    if isinstance(obj, bytes):
        return {"$b": base64.b64encode(obj).decode()}
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            return {k: _pack(v) for k, v in obj.items()}
        return {"$d": [[_pack(k), _pack(v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return [_pack(v) for v in obj]
    return obj


def _unpack(obj):
    if isinstance(obj, dict):
        if "$b" in obj:
            return base64.b64decode(obj["$b"])
        if "$d" in obj:
            return {_unpack(k): _unpack(v) for k, v in obj["$d"]}
        return {k: _unpack(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_unpack(v) for v in obj]
    return obj


class JsonCodec:
    """Requests as JSON, not scrapy-redis's default pickle: whoever can write to Redis must not
    be able to run code in the workers."""

    @staticmethod
    def dumps(obj) -> str:
        return json.dumps(_pack(obj), ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def loads(text):
        return _unpack(json.loads(text))


# ---------------------------------------------------------------- Lua: each one atomic on the server
def _live(meta: str) -> str:
    """Lua: is the run whose settings hash is `meta` live (open, its coordinator's key not expired)?"""
    return f"(redis.call('HGET', {meta}, 'state') == 'open' and redis.call('EXISTS', {meta} .. ':coordinator') == 1)"


# Pop the best request of a live run into the worker's in-flight hash; what an earlier attempt at
# it claimed before its worker died becomes inheritable (see _ADD_NEW). Returns {member, replayed?}.
_POP = """
if not %s then return false end
local m = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #m == 0 then return false end
local rid = string.sub(m[1], 1, %d)
redis.call('ZREM', KEYS[1], m[1])
redis.call('HSET', KEYS[2], rid, m[2] .. ' ' .. m[1])
local claims, inherited = ARGV[1] .. ':claims:' .. rid, ARGV[1] .. ':inherited:' .. rid
if redis.call('EXISTS', claims) == 1 then
  redis.call('SUNIONSTORE', inherited, claims, inherited)
  redis.call('DEL', claims)
end
return {m[1], redis.call('EXISTS', inherited)}""" % (_live("ARGV[1]"), RID)

# The frontier's length as Scrapy's engine sees it: 0 once the run is not live, so that workers
# go idle (and leave) rather than wait for requests they may no longer pop.
_LEN = f"if not {_live('ARGV[1]')} then return 0 end return redis.call('ZCARD', KEYS[1])"

_REQUEUE = """
local all = redis.call('HVALS', KEYS[1])
for _, v in ipairs(all) do
  local i = string.find(v, ' ', 1, true)
  redis.call('ZADD', KEYS[2], tonumber(string.sub(v, 1, i - 1)), string.sub(v, i + 1))
end
redis.call('DEL', KEYS[1])
return #all"""

# A member is new if this call added it, or if an earlier attempt at the request being processed
# added it before its worker died (inherited claims, each taken once): a replayed request
# re-derives what it had claimed, nothing more.
_ADD_NEW = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 or (ARGV[3] == '1' and redis.call('SREM', KEYS[3], ARGV[2]) == 1) then
  if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[2]) end
  return 1
end
return 0"""

_JOIN = f"""
if not {_live("KEYS[1]")} then return -1 end
local cap = tonumber(redis.call('HGET', KEYS[1], 'max_workers') or '0')
if cap > 0 and redis.call('SCARD', KEYS[2]) >= cap then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
return 1"""

# 0: token taken; -1: the host's limit is reached; n > 0: the next start is allowed in n ms.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3]) + 1000)
return 0"""


def requeue(server, keys: Keys, worker: str) -> int:
    """Put a worker's in-flight requests back on the frontier; returns how many."""
    return server.eval(_REQUEUE, 2, keys.inflight(worker), keys.frontier)


def release_tokens(server, worker: str) -> int:
    """Free the host tokens a dead worker held (they would expire anyway, after the timeout)."""
    freed = 0
    for key in server.scan_iter(match=f"{PREFIX}:host:*:slots", count=1000):
        mine = [m for m in server.zrange(key, 0, -1) if m.decode().startswith(worker + ":")]
        if mine:
            freed += server.zrem(key, *mine)
    return freed


def join(server, keys: Keys, worker: str) -> int:
    """1 joined, 0 the run has its number of workers, -1 the run is not live."""
    return server.eval(_JOIN, 2, keys.meta, keys.workers, worker)


# ---------------------------------------------------------------- shared state of a run
class RedisMemo:
    """The spider's Memo (add_new, add, update, in) kept in a Redis set. Additions made while a
    request is processed are claimed by it (`owner()` gives its id and whether it is a replay),
    so that its replay after a worker's death sees them as new again."""

    KNOWN = 500_000  # members remembered here: most links are the same header and footer links

    def __init__(self, server, key: str, tag: str, keys: Keys, owner):
        self.server, self.key, self.tag, self.keys, self.owner = server, key, tag, keys, owner
        self.known: set = set()
        self.script = server.register_script(_ADD_NEW)  # EVALSHA: the script is not sent each time

    def add_new(self, member) -> bool:
        rid, replay = self.owner()
        if member in self.known and not replay:  # a replay may have to take back its own claims
            return False
        rid = rid or "-"
        new = bool(self.script(keys=[self.key, self.keys.claims(rid), self.keys.inherited(rid)],
                               args=[member, f"{self.tag}|{member}", "0" if rid == "-" else "1"]))
        if len(self.known) >= self.KNOWN:
            self.known.clear()
        self.known.add(member)
        return new

    def add(self, member) -> None:
        self.server.sadd(self.key, member)

    def update(self, members) -> None:
        members = list(members)
        for i in range(0, len(members), 10_000):
            self.server.sadd(self.key, *members[i:i + 10_000])

    def __contains__(self, member) -> bool:
        return bool(self.server.sismember(self.key, member))


class RedisTally:
    """The spider's Tally in Redis: a set of members per key, so a replayed request's members
    are not counted twice."""

    def __init__(self, server, key: str):
        self.server, self.key = server, key

    def incr(self, key, member=None) -> int:
        name = f"{self.key}:{json.dumps(key, ensure_ascii=False)}"
        pipe = self.server.pipeline()
        pipe.sadd(name, member if member is not None else random.random())
        pipe.scard(name)
        return pipe.execute()[1]

    def first(self, key, value: int) -> int:
        """The first value given for `key`, across every worker."""
        name, field = f"{self.key}:first", json.dumps(key, ensure_ascii=False)
        pipe = self.server.pipeline()
        pipe.hsetnx(name, field, value)
        pipe.hget(name, field)
        return int(pipe.execute()[1])


def publish_previous(server, keys: Keys, pages, fresh) -> None:
    """Publish what workers need of the last complete run (store.Previous.pages and fresh_leaves):
    per page with validators, its ETag, Last-Modified, digest and links' targets — the first
    (key, tag) of each target, all a 304 needs to go on crawling — zlib-compressed JSON; and the
    targets checked ok recently enough."""
    pipe = server.pipeline(transaction=False)
    for n, (url, etag, modified, digest, links) in enumerate(pages, 1):
        targets: dict = {}
        for key, tag in links:
            targets.setdefault(key, tag)  # follow() admits a target once: its first tag decides
        entry = json.dumps([etag, modified, digest, list(targets.items())], ensure_ascii=False, separators=(",", ":"))
        pipe.hset(keys.previous, url, zlib.compress(entry.encode()))
        if n % 500 == 0:
            pipe.execute()
    pipe.execute()
    fresh = iter(fresh)
    while chunk := list(itertools.islice(fresh, 10_000)):
        server.sadd(keys.fresh, *chunk)


class RedisPrevious:
    """store.Previous for a worker, read from what the coordinator published."""

    def __init__(self, server, keys: Keys, run: int):
        self.server, self.keys, self.run = server, keys, run

    def _page(self, url: str):
        raw = self.server.hget(self.keys.previous, url)
        return json.loads(zlib.decompress(raw)) if raw else None

    def validators(self, url: str) -> tuple[str, str] | None:
        page = self._page(url)
        return (page[0], page[1]) if page else None

    def leaf_validators(self, url: str) -> None:
        """Not published: a worker asks the site's own leaves unconditionally."""
        return None

    def fresh_leaf(self, url: str) -> bool:
        return bool(self.server.sismember(self.keys.fresh, url))

    def page(self, url: str) -> tuple[str, list[tuple[str, str]]]:
        """The digest and link targets (key, tag) of a page answered 304."""
        _, _, digest, links = self._page(url)
        return digest, [tuple(link) for link in links]


class Frontier(PriorityQueue):
    """The run's frontier: a scrapy-redis priority queue whose pop moves the request into the
    popping worker's in-flight hash (one Lua call: a kill cannot fall between the two)."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer=JsonCodec)
        self.keys: Keys = spider.keys
        worker = getattr(spider, "worker_id", None)  # None: the coordinator, seeding
        self.inflight = self.keys.inflight(worker) if worker else None
        self.script = server.register_script(_POP)
        self.length = server.register_script(_LEN)

    def __len__(self) -> int:
        return self.length(keys=[self.key], args=[self.keys.prefix])

    def members(self, requests) -> dict[str, float]:
        """Frontier members of `requests` (ids given to those without one); request id order is
        queue order among equal priorities, as in Scrapy's own FIFO queues."""
        fresh = [r for r in requests if not r.meta.get("rid")]
        if fresh:
            last = self.server.incrby(self.keys.seq, len(fresh))
            for n, request in enumerate(fresh, start=last - len(fresh) + 1):
                request.meta["rid"] = f"{n:0{RID}d}"
        return {request.meta["rid"] + self._encode_request(request): -request.priority for request in requests}

    def push(self, request) -> None:
        """A request Scrapy schedules itself (a retry): queued, and no longer in flight here."""
        pipe = self.server.pipeline(transaction=True)
        pipe.zadd(self.key, self.members([request]))
        if self.inflight:
            pipe.hdel(self.inflight, request.meta["rid"])
        pipe.execute()

    def pop(self, timeout=0):
        popped = self.script(keys=[self.key, self.inflight or f"{self.key}:popped"], args=[self.keys.prefix])
        if not popped:
            return None
        member, replayed = popped
        request = request_from_dict(self.serializer.loads(member[RID:]), spider=self.spider)
        request.meta["t0"] = time.monotonic()  # another process's clock means nothing here
        request.meta["replayed"] = bool(replayed)
        return request


class NoDupeFilter:
    """scrapy-redis's scheduler wants a dupefilter; deduplication is the spider's (seen-sets)."""

    @classmethod
    def from_spider(cls, spider):
        return cls()

    def request_seen(self, request) -> bool:
        return False

    def clear(self) -> None:
        pass

    def close(self, reason="") -> None:
        pass

    def log(self, request, spider) -> None:
        pass


class HostTokens:
    """Downloader middleware: politeness per host across all workers together — at most
    `limit` requests in flight to a host and at least `delay` seconds between two starts.
    A token expires after the download timeout (plus a margin): a dead worker cannot keep one.
    Within a worker, at most `limit` requests per host ask Redis at once (a local gate): the
    others wait in the worker without polling."""

    def __init__(self, server, worker: str, limit: int, delay: float, ttl: float):
        self.server, self.worker, self.limit = server, worker, limit
        self.delay_ms, self.ttl_ms = int(delay * 1000), int(ttl * 1000)
        self.ids = itertools.count()
        self.script = server.register_script(_ACQUIRE)
        self.gates: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(connect(s["INSPECTOR_REDIS_URL"]), s["INSPECTOR_WORKER"], s.getint("INSPECTOR_HOST_LIMIT"),
                   s.getfloat("INSPECTOR_HOST_DELAY"), s.getfloat("DOWNLOAD_TIMEOUT") + 5)

    async def process_request(self, request):
        host = urlparse_cached(request).hostname or ""
        keys = (f"{PREFIX}:host:{host}:slots", f"{PREFIX}:host:{host}:next")
        token = f"{self.worker}:{next(self.ids)}"
        gate = self.gates.setdefault(host, asyncio.Semaphore(self.limit))
        try:  # bounded: should a request ever vanish without an answer, its gate place is not lost for good
            await asyncio.wait_for(gate.acquire(), self.ttl_ms / 1000)
            request.meta["host_gate"] = host
        except asyncio.TimeoutError:
            pass
        for attempt in itertools.count():
            wait = self.script(keys=keys, args=[token, self.limit, self.delay_ms, self.ttl_ms])
            if wait == 0:
                request.meta["host_token"] = (keys[0], token)
                return None
            # a slot frees at an unknown moment: poll soon, then less often, jittered so that
            # workers do not march in step
            pause = wait / 1000 if wait > 0 else min(0.002 * 2 ** attempt, 0.05)
            await asyncio.sleep(pause * (0.75 + random.random() / 2))

    def _release(self, request) -> None:
        held = request.meta.pop("host_token", None)
        if held:
            self.server.zrem(*held)
        host = request.meta.pop("host_gate", None)
        if host is not None:
            self.gates[host].release()

    def process_response(self, request, response):
        self._release(request)
        return response

    def process_exception(self, request, exception):
        self._release(request)
