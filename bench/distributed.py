"""One process against a coordinator with N workers, on the same synthetic portal (bench/synth.py)
served by nginx on 127.0.0.1, with a redis-server of its own on a free loopback port.

    python bench/distributed.py --pages 5000 --workers 2

Prints wall seconds, pages/s and CPU seconds (the crawl command and, distributed, its workers;
redis-server's own CPU apart) for each, the speed-up, and whether both runs stored the same pages,
checks and findings. Workers are started (and have imported Scrapy) before the clock starts, as
long-running `inspector worker` services are; both runs include the rules pass.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import SITE_HOST, Nginx, _cpu_of, ensure_nginx, free_port, inspector_argv, measure, tool_cmd  # noqa: E402
from bench.synth import Portal  # noqa: E402


def facts(db: Path) -> dict:
    conn = sqlite3.connect(str(db))
    try:
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        return {"pages": one("SELECT count(*) FROM pages"), "checks": one("SELECT count(*) FROM checks"),
                "findings": {tuple(r) for r in conn.execute("SELECT rule, url FROM findings")}}
    finally:
        conn.close()


def redis_server(work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(work)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            return proc, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def run(work: Path, name: str, cmd: list[str], workers: int = 0, redis_url: str = "") -> dict:
    procs = [subprocess.Popen(inspector_argv() + ["worker", "--redis", redis_url, "--once", "--wait", "120"],
                              stdout=subprocess.DEVNULL, stderr=open(work / f"worker{i}.err", "wb"))
             for i in range(workers)]
    time.sleep(3 if procs else 0)  # the workers are up and waiting for a run
    cpu0 = sum(_cpu_of(p.pid) for p in procs)
    m = measure(cmd, work / f"{name}.out", work / f"{name}.err")
    m["cpu_workers"] = sum(_cpu_of(p.pid) for p in procs) - cpu0  # read before they exit
    for p in procs:
        p.wait(120)
    if m["rc"] != 0:
        sys.exit(f"bench: {name} exited {m['rc']}:\n" + (work / f"{name}.err").read_text()[-2000:])
    return m


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=5000, help="pages of the synthetic portal [5000]")
    ap.add_argument("--workers", type=int, default=2, help="workers of the distributed run [2]")
    ap.add_argument("--concurrency", type=int, default=16, help="requests at once per host [16]")
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    args = ap.parse_args(argv)
    if not shutil.which("redis-server"):
        sys.exit("bench: redis-server is missing (apt-get install redis-server)")
    work = Path(tempfile.mkdtemp(prefix="inspector-dist-"))
    work.chmod(0o755)
    (work / "site").mkdir()
    Portal(args.pages, 1).write(work / "site")
    url = f"http://{SITE_HOST}/"
    redis, redis_url = redis_server(work)
    try:
        with Nginx(ensure_nginx(), work, work / "site") as server:
            cmd = lambda db: inspector_argv() + tool_cmd(url, work / db, server.port, args.concurrency,  # noqa: E731
                                                         args.pages + 1000)
            print(f"bench: one process ({args.pages} pages) ...", flush=True)
            one = run(work, "single", cmd("single.db"))
            print(f"bench: coordinator + {args.workers} workers ...", flush=True)
            redis_cpu0 = _cpu_of(redis.pid)
            many = run(work, "distributed", cmd("distributed.db") + ["--redis", redis_url], args.workers, redis_url)
            many["cpu_redis"] = _cpu_of(redis.pid) - redis_cpu0
    finally:
        redis.terminate()
        redis.wait()
    a, b = facts(work / "single.db"), facts(work / "distributed.db")
    same = a == b
    for name, m, f in (("one process", one, a), (f"coordinator + {args.workers} workers", many, b)):
        extra = (f", workers {m['cpu_workers']:.1f} s, redis {m['cpu_redis']:.1f} s" if "cpu_redis" in m else "")
        print(f"| {name} | {f['pages']:,} | {m['wall']:.1f} | {f['pages'] / m['wall']:.0f} | "
              f"{m['cpu']:.1f} s{extra} |")
    print(f"speed-up {one['wall'] / many['wall']:.2f}x; same pages, checks and findings: {same}"
          + ("" if same else f" (one: {a['pages']}/{a['checks']}/{len(a['findings'])}, "
                             f"distributed: {b['pages']}/{b['checks']}/{len(b['findings'])})"))
    if args.keep:
        print(f"bench: work dir kept at {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
