"""Politeness by the clock: the gaps between request starts on the sample portal's host under
`--delay`, alone or with workers sharing a redis-server (a timing the tests no longer hold: on a
loaded machine the network jitter reached the delay itself).

    python bench/politeness.py --delay 0.04 --concurrency 2 --workers 2

Serves the sample portal on loopback (inspector.sample.server), crawls it once, and prints the
most requests the server held at once for the host, and the 5th percentile and median of the
gaps between request starts (the delay is per request slot, so with concurrency C about
delay / C is expected).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.distributed import redis_server  # noqa: E402
from inspector.sample.server import AS_OF, SITE_HOST, PortalServer  # noqa: E402

OUTLIVE = {"/hang.html", "/files/big-report.pdf"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--delay", type=float, default=0.04, help="crawl.delay in seconds [0.04]")
    ap.add_argument("--concurrency", type=int, default=2, help="requests at once per host [2]")
    ap.add_argument("--workers", type=int, default=0, help="workers sharing a redis-server [0: one process]")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="inspector-polite-"))
    redis = None
    try:
        with PortalServer() as portal:
            cmd = [sys.executable, "-m", "inspector", "crawl", f"http://{SITE_HOST}/", "--db", str(work / "run.db"),
                   "--offline", "--delay", str(args.delay), "--concurrency", str(args.concurrency),
                   "--timeout", "6", "--as-of", AS_OF]
            for entry in portal.connect_to():
                cmd += ["--connect-to", entry]
            workers = []
            if args.workers:
                redis, url = redis_server(work)
                cmd += ["--redis", url]
                workers = [subprocess.Popen([sys.executable, "-m", "inspector", "worker", "--redis", url, "--once",
                                             "--wait", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                           for _ in range(args.workers)]
            done = subprocess.run(cmd, capture_output=True, text=True)
            for w in workers:
                w.wait(60)
            if done.returncode != 0:
                sys.exit(f"bench: the crawl exited {done.returncode}:\n{done.stderr[-2000:]}")
            # a timed-out request and a download read no further stay in the server's hands after the
            # client has moved on: left out of "at once"
            spans = [s for s in portal.spans if s[2] == SITE_HOST and s[3] not in OUTLIVE]
    finally:
        if redis:
            redis.terminate()
            redis.wait()
        shutil.rmtree(work, ignore_errors=True)
    events = sorted([(start, 1) for start, *_ in spans] + [(answered, -1) for _, answered, *_ in spans])
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    starts = sorted(start for start, *_ in spans)
    gaps = sorted(b - a for a, b in zip(starts, starts[1:]))
    print(f"{len(spans)} requests to {SITE_HOST}; delay {args.delay} s, concurrency {args.concurrency}, "
          f"{args.workers or 'no'} workers")
    print(f"most at once: {most}; gaps between starts: 5th percentile {gaps[len(gaps) // 20] * 1000:.1f} ms, "
          f"median {statistics.median(gaps) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
