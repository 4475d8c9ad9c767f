"""Benchmark `inspector crawl` against the machine's ceiling on a synthetic portal.

    python bench/run.py                      # 20,000 pages: tool, then ceiling; writes bench/results.md
    python bench/run.py --pages 500 --no-results   # a quick smoke run
    python bench/run.py --pages 20000 --profile    # the tool under cProfile -> bench/profile.out

Generates a TRS-like portal (bench/synth.py) into a temp dir, serves it with nginx on a free
127.0.0.1 port (its own config, pid, logs and temp dirs; `daemon off`, one worker, no access
log), then runs, one after the other on the same site:
  * `inspector crawl` as a subprocess, politeness lifted (--delay 0, --concurrency N,
    --offline, --connect-to for both host names, a fresh SQLite db);
  * bench/ceiling.py, the simplest correct asyncio + aiohttp crawler, same start URL and
    concurrency.
Wall time, pages/s, links/s and peak RSS (GNU time's maximum resident set size, or polling
/proc when /usr/bin/time is missing) are printed as a markdown table and written to
bench/results.md. Timing is reported, never asserted. Nothing leaves loopback: both host
names are routed to 127.0.0.1 and the crawls run --offline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import pstats
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from synth import EXT_HOST, SITE_HOST, Portal  # noqa: E402

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/logs/error.log warn;
{user}
events {{ worker_connections 1024; }}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;
    charset utf-8;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;

    server {{
        listen 127.0.0.1:{port} default_server;
        server_name {site};
        root {root};
        index index.html;
        # attachments and images: one small sample file per type answers every path
        location ~* \\.(pdf|doc|docx|xls|xlsx|jpg|png)$ {{ try_files $uri /_files/sample.$1; }}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name {ext};
        root {root};
        index index.html;
    }}
}}
"""


# ---------------------------------------------------------------- nginx
def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.path.exists(p)), None)


def ensure_nginx() -> str:
    nginx = find_nginx()
    if nginx:
        return nginx
    if os.geteuid() != 0:
        sys.exit("bench: nginx is missing; install it with:  sudo apt-get install -y nginx-light")
    print("bench: installing nginx-light (apt-get)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "nginx-light"]
    if subprocess.run(cmd, env=env).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
        subprocess.run(cmd, env=env, check=False)
    nginx = find_nginx()
    if not nginx:
        sys.exit("bench: could not install nginx; try:  apt-get update && apt-get install -y nginx-light")
    # Debian's package may have started the system nginx on port 80; ours never needs it.
    return nginx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    def __init__(self, binary: str, work: Path, root: Path):
        self.binary, self.work, self.root = binary, work, root
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        for d in ("logs", "tmp"):
            (self.work / d).mkdir(exist_ok=True)
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        conf = self.work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=self.work, port=self.port, root=self.root, site=SITE_HOST,
                                          ext=EXT_HOST, user=user))
        self.proc = subprocess.Popen([self.binary, "-p", str(self.work), "-c", str(conf),
                                      "-e", str(self.work / "logs/error.log")],
                                     stdout=subprocess.DEVNULL, stderr=open(self.work / "logs/stderr.log", "wb"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + (self.work / "logs/stderr.log").read_text()
                                   + (self.work / "logs/error.log").read_text())
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/", headers={"Host": SITE_HOST})
                status = conn.getresponse().status
                conn.close()
                if status != 200:
                    raise RuntimeError(f"nginx answered {status} for / (see {self.work}/logs/error.log)")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start listening within 10 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful stop of our own master (and its worker)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cpu_seconds(self) -> float:
        """user+sys seconds of our nginx master and its workers so far."""
        pids = [self.proc.pid] + _children(self.proc.pid)
        return sum(_cpu_of(p) for p in pids)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# ---------------------------------------------------------------- measuring a subprocess
def measure(cmd: list[str], out: Path, err: Path, cwd: Path = REPO) -> dict:
    """Run `cmd`; wall seconds, exit code, peak RSS (MB) and CPU seconds of it and its children."""
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    tfile = out.with_suffix(".time")
    full = [gnu_time, "-v", "-o", str(tfile)] + cmd if gnu_time else cmd
    peak_kb = 0
    t0 = time.perf_counter()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(full, stdout=fo, stderr=fe, cwd=cwd)
        while proc.poll() is None:
            if not gnu_time:
                peak_kb = max(peak_kb, _tree_hwm_kb(proc.pid))
            time.sleep(0.2)
    wall = time.perf_counter() - t0
    result = {"wall": wall, "rc": proc.returncode, "rss_mb": peak_kb / 1024, "cpu": None}
    if gnu_time and tfile.exists():
        text = tfile.read_text()
        fields = {}
        for line in text.splitlines():
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
        result["rss_mb"] = int(fields.get("Maximum resident set size (kbytes)", 0)) / 1024
        result["cpu"] = float(fields.get("User time (seconds)", 0)) + float(fields.get("System time (seconds)", 0))
        if "Exit status" in fields:
            result["rc"] = int(fields["Exit status"])
    return result


def _tree_hwm_kb(pid: int) -> int:
    best = 0
    for p in [pid] + _children(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]))
        except OSError:
            pass
        if p != pid:
            best = max(best, _tree_hwm_kb(p))
    return best


# ---------------------------------------------------------------- the runs
def tool_cmd(url: str, db: Path, port: int, concurrency: int, max_pages: int) -> list[str]:
    return ["crawl", url, "--db", str(db),
            "--connect-to", f"{SITE_HOST}:80:127.0.0.1:{port}", "--connect-to", f"{EXT_HOST}:80:127.0.0.1:{port}",
            "--offline", "--delay", "0", "--concurrency", str(concurrency), "--max-pages", str(max_pages)]


def inspector_argv(tool: str | None = None) -> list[str]:
    if tool:
        return shlex.split(tool)
    exe = shutil.which("inspector")
    return [exe] if exe else [sys.executable, "-m", "inspector"]


def db_facts(db: Path) -> dict:
    conn = sqlite3.connect(str(db))
    try:
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        run = conn.execute("SELECT id, status, started, finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        crawl_s = None
        if run and run[2] and run[3]:
            crawl_s = (datetime.fromisoformat(run[3]) - datetime.fromisoformat(run[2])).total_seconds()
        outcomes = dict(conn.execute("SELECT outcome, count(*) FROM checks GROUP BY outcome ORDER BY 2 DESC"))
        return {"pages": one("SELECT count(*) FROM pages"), "checks": one("SELECT count(*) FROM checks"),
                "links": one("SELECT count(*) FROM links"), "findings": one("SELECT count(*) FROM findings"),
                "status": run[1] if run else None, "crawl_s": crawl_s, "outcomes": outcomes}
    finally:
        conn.close()


def run_tool(work: Path, url: str, server: Nginx, args) -> dict:
    db = work / "tool.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = inspector_argv(args.tool) + tool_cmd(url, db, server.port, args.concurrency, args.pages + 1000)
    print(f"bench: inspector crawl ... ({args.pages} pages)", flush=True)
    cpu0 = server.cpu_seconds()
    m = measure(cmd, work / "tool.out", work / "tool.err")
    m["server_cpu"] = server.cpu_seconds() - cpu0
    m["cmd"] = cmd
    m.update(db_facts(db))
    if m["rc"] != 0:
        print(f"bench: inspector exited {m['rc']}:\n" + (work / "tool.err").read_text()[-3000:], file=sys.stderr)
    print("  " + (work / "tool.out").read_text().strip().replace("\n", "\n  "), flush=True)
    return m


def night_traffic(db: Path, run: int) -> tuple[int, int]:
    """(answers fetched, body bytes read) by one run: its checks made during the run (a leaf
    trusted from the previous night keeps its old `checked` time and counts for nothing)."""
    conn = sqlite3.connect(str(db))
    try:
        started = conn.execute("SELECT started FROM runs WHERE id = ?", [run]).fetchone()[0]
        n, size = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM checks WHERE run = ? AND checked >= ?",
                               [run, started]).fetchone()
        return n, size
    finally:
        conn.close()


def run_second_night(work: Path, url: str, server: Nginx, args, first: dict) -> dict:
    """The same crawl again on the unchanged site, into the same database: an incremental night."""
    db = work / "tool.db"
    cmd = inspector_argv(args.tool) + tool_cmd(url, db, server.port, args.concurrency, args.pages + 1000)
    print("bench: inspector crawl again (second night, unchanged site) ...", flush=True)
    m = measure(cmd, work / "night2.out", work / "night2.err")
    (n1, b1), (n2, b2) = night_traffic(db, 1), night_traffic(db, 2)
    m.update(requests=(n1, n2), bytes=(b1, b2), wall_ratio=m["wall"] / first["wall"])
    print(f"  second night: {m['wall']:.1f} s ({m['wall_ratio']:.0%} of the first), answers {n2:,} of {n1:,}, "
          f"body bytes {b2 / 1e6:.1f} MB of {b1 / 1e6:.1f} MB ({b2 / max(b1, 1):.1%})", flush=True)
    return m


def run_ceiling(work: Path, url: str, server: Nginx, args) -> dict:
    cmd = [sys.executable, str(BENCH / "ceiling.py"), url, "--concurrency", str(args.concurrency),
           "--route", f"{SITE_HOST}={server.port}", "--route", f"{EXT_HOST}={server.port}"]
    print("bench: ceiling (asyncio + aiohttp) ...", flush=True)
    cpu0 = server.cpu_seconds()
    m = measure(cmd, work / "ceiling.out", work / "ceiling.err")
    m["server_cpu"] = server.cpu_seconds() - cpu0
    if m["rc"] != 0:
        print("bench: ceiling failed:\n" + (work / "ceiling.err").read_text()[-3000:], file=sys.stderr)
        return m
    stats = json.loads((work / "ceiling.out").read_text().strip().splitlines()[-1])
    m.update(pages=stats["pages"], checks=stats["checks"], links=stats["links"], inner_s=stats["seconds"],
             errors=stats["errors"], statuses=stats["status"])
    print(f"  {stats['pages']} pages, {stats['checks']} targets, {stats['errors']} errors, "
          f"statuses {stats['status']}", flush=True)
    return m


def run_profile(work: Path, url: str, server: Nginx, args) -> None:
    out = BENCH / "profile.out"
    db = work / "profile.db"
    target = ["-m", "inspector"]
    if args.tool:  # `--tool "python variant.py"`: profile that script instead
        parts = shlex.split(args.tool)
        if not Path(parts[0]).name.startswith("python") or len(parts) < 2:
            sys.exit("bench: with --profile, --tool must be 'python SCRIPT' or 'python -m MODULE'")
        target = parts[1:]
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out)] + target + \
        tool_cmd(url, db, server.port, args.concurrency, args.pages + 1000)
    print(f"bench: inspector crawl under cProfile ({args.pages} pages) ...", flush=True)
    m = measure(cmd, work / "profile.log", work / "profile.err")
    facts = db_facts(db)
    print(f"  {m['wall']:.1f} s wall under the profiler, {facts['pages']} pages, {facts['checks']} checks, "
          f"exit {m['rc']}")
    lines = []
    for order in ("cumulative", "tottime"):
        buf = _StatsText()
        stats = pstats.Stats(str(out), stream=buf)
        stats.strip_dirs().sort_stats(order).print_stats(25)
        lines.append(f"==== top 25 by {order} ====\n" + buf.text())
    text = "\n".join(lines)
    (BENCH / "profile.txt").write_text(text)
    print(text)
    print(f"bench: profile written to {out} (and {BENCH / 'profile.txt'}); "
          f"browse with: python -m pstats {out.relative_to(REPO)}")


class _StatsText:
    def __init__(self):
        self.parts: list[str] = []

    def write(self, s):
        self.parts.append(s)

    def text(self) -> str:
        body = "".join(self.parts)
        start = body.find("   ncalls")
        return body[start:] if start >= 0 else body


# ---------------------------------------------------------------- report
def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": nproc, "cpu": model or platform.processor(), "mem": mem, "kernel": platform.release()}


def versions(nginx: str) -> str:
    out = [f"Python {platform.python_version()}"]
    for pkg in ("Scrapy", "Twisted", "lxml", "aiohttp"):
        try:
            out.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            pass
    v = subprocess.run([nginx, "-v"], capture_output=True, text=True)
    out.append((v.stderr or v.stdout).strip().replace("nginx version: ", ""))
    return ", ".join(out)


def row(name, pages, seconds, links, rss, cpu, ratio) -> str:
    pps = pages / seconds if seconds else 0
    lps = links / seconds if seconds else 0
    cpu_pct = f"{100 * cpu / seconds:.0f}" if cpu is not None and seconds else "–"
    rss_txt = f"{rss:.0f}" if rss else "–"
    return (f"| {name} | {pages:,} | {seconds:.1f} | {pps:.1f} | {lps:.1f} | {rss_txt} | {cpu_pct} | "
            f"{ratio} |")


def report(args, site: dict, tool: dict | None, ceiling: dict | None, nginx: str) -> str:
    m = machine()
    ceil_pps = ceiling["pages"] / ceiling["wall"] if ceiling and ceiling.get("pages") else None
    lines = [
        "| tool | pages | seconds | pages/s | links/s | peak RSS MB | CPU % | vs ceiling (pages/s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    if tool:
        ratio = f"{(tool['pages'] / tool['wall']) / ceil_pps:.2f}" if ceil_pps else "–"
        name = "inspector crawl" if not args.tool else f"`{args.tool}` crawl"
        lines.append(row(f"{name} (whole command)", tool["pages"], tool["wall"], tool["checks"],
                         tool["rss_mb"], tool["cpu"], ratio))
        if tool.get("crawl_s"):
            ratio = f"{(tool['pages'] / tool['crawl_s']) / ceil_pps:.2f}" if ceil_pps else "–"
            lines.append(row(f"{name} (crawl phase)", tool["pages"], tool["crawl_s"], tool["checks"],
                             None, None, ratio))
    if ceiling and ceiling.get("pages"):
        lines.append(row("ceiling: asyncio + aiohttp", ceiling["pages"], ceiling["wall"], ceiling["checks"],
                         ceiling["rss_mb"], ceiling["cpu"], "1.00"))
    table = "\n".join(lines)
    notes = [
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: nproc {m['nproc']}, CPU {m['cpu']}, {m['mem']} RAM, Linux {m['kernel']}",
        f"- software: {versions(nginx)}",
        f"- command: `{args.command_line}`",
        f"- site: {site['files']:,} pages of {site['page_bytes_min'] / 1024:.1f}–{site['page_bytes_max'] / 1024:.1f} KB "
        f"({site['bytes'] / 1e6:.0f} MB of HTML), depth {site['depth']}, seed {args.seed}; hosts {SITE_HOST} and "
        f"{EXT_HOST} on one nginx (1 worker, keepalive, no access log) at 127.0.0.1",
        f"- crawl settings: concurrency {args.concurrency} per host, delay 0, offline, `--connect-to` both hosts",
        "",
        "links/s = distinct targets checked per second (rows of `checks` for the tool; URLs fetched once for the "
        "ceiling). pages = HTML pages of the site parsed. CPU % = user+sys of the process over its wall time "
        "(100 = one core busy). 'whole command' includes interpreter start-up and the rules pass after the crawl; "
        "'crawl phase' is runs.started → runs.finished (1 s resolution).",
    ]
    if tool:
        notes += ["", f"Tool: exit {tool['rc']}, run status {tool['status']}, {tool['links']:,} link rows, "
                      f"{tool['findings']:,} findings; nginx used {tool['server_cpu']:.1f} CPU s during its run; "
                      f"outcomes {json.dumps(tool['outcomes'], ensure_ascii=False)}"]
    if tool and tool.get("night2"):
        n2 = tool["night2"]
        (r1, r2), (b1, b2) = n2["requests"], n2["bytes"]
        notes += [f"Second night (unchanged site, same database): {n2['wall']:.1f} s = {n2['wall_ratio']:.0%} of the "
                  f"first night's wall time; answers fetched {r2:,} vs {r1:,} ({r2 / max(r1, 1):.0%}); body bytes read "
                  f"{b2 / 1e6:.1f} MB vs {b1 / 1e6:.1f} MB ({b2 / max(b1, 1):.1%}); peak RSS {n2['rss_mb']} MB."]
    if ceiling and ceiling.get("pages"):
        notes += [f"Ceiling: exit {ceiling['rc']}, {ceiling['links']:,} links seen, {ceiling['errors']} errors, "
                  f"in-process {ceiling['inner_s']:.1f} s; nginx used {ceiling['server_cpu']:.1f} CPU s during its "
                  f"run; statuses {ceiling['statuses']}"]
    return table, "\n".join(notes)


# ---------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark inspector crawl against an asyncio ceiling on a "
                                             "synthetic portal served by nginx on 127.0.0.1.")
    ap.add_argument("--pages", type=int, default=20000, help="pages of the synthetic portal [20000]")
    ap.add_argument("--concurrency", type=int, default=16, help="requests at once per host, both crawlers [16]")
    ap.add_argument("--seed", type=int, default=1, help="seed of the portal's content and links [1]")
    ap.add_argument("--profile", action="store_true",
                    help="only run the tool under cProfile (bench/profile.out) and print the top 25 functions")
    ap.add_argument("--tool", metavar="CMD",
                    help="the command standing for `inspector` (A/B a patch: --tool 'python my_variant.py')")
    ap.add_argument("--no-tool", action="store_true", help="skip inspector crawl")
    ap.add_argument("--no-ceiling", action="store_true", help="skip the aiohttp ceiling")
    ap.add_argument("--no-results", action="store_true", help="do not overwrite bench/results.md")
    ap.add_argument("--results", default=str(BENCH / "results.md"), help="where to write the results")
    ap.add_argument("--workdir", help="folder for the site, nginx and databases (default: a new temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (site, nginx logs, databases)")
    ap.add_argument("--second-night", action="store_true",
                    help="crawl the unchanged site again into the same database and report the incremental night")
    args = ap.parse_args(argv)
    args.command_line = "python bench/run.py" + "".join(" " + shlex.quote(a) for a in (argv or sys.argv[1:]))

    nginx = ensure_nginx()
    if not args.no_ceiling and not args.profile:
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            sys.exit("bench: the ceiling needs aiohttp:  pip install aiohttp   (or pass --no-ceiling)")

    work = Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="inspector-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)  # nginx's worker runs as nobody when we are root
    root = work / "site"
    try:
        t0 = time.perf_counter()
        if root.exists():
            shutil.rmtree(root)
        root.mkdir()
        site = Portal(args.pages, args.seed).write(root)
        print(f"bench: generated {site['files']:,} pages ({site['bytes'] / 1e6:.0f} MB, depth {site['depth']}) "
              f"in {time.perf_counter() - t0:.1f} s under {root}", flush=True)
        url = f"http://{SITE_HOST}/"
        with Nginx(nginx, work, root) as server:
            print(f"bench: nginx serving {SITE_HOST} and {EXT_HOST} on 127.0.0.1:{server.port}", flush=True)
            if args.profile:
                run_profile(work, url, server, args)
                return 0
            tool = None if args.no_tool else run_tool(work, url, server, args)
            if tool and args.second_night:
                tool["night2"] = run_second_night(work, url, server, args, tool)
            ceiling = None if args.no_ceiling else run_ceiling(work, url, server, args)
        table, notes = report(args, site, tool, ceiling, nginx)
        print()
        print(table)
        print()
        print(notes)
        if not args.no_results:
            Path(args.results).write_text(f"# portal-inspector crawl benchmark\n\n{table}\n\n{notes}\n")
            print(f"\nbench: results written to {args.results}")
        failed = (tool and tool["rc"] != 0) or (ceiling and ceiling["rc"] != 0)
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"bench: work dir kept at {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
