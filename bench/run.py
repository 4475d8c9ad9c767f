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
    concurrency;
  * unless --no-others: LinkChecker (--threads N) and linkinator (--concurrency N), the other
    link checkers of issue 5, on a copy of the site whose second-host links read
    http://127.0.0.2:PORT (they cannot be told to dial a host name at 127.0.0.1), started at
    http://127.0.0.1:PORT/, every other URL excluded; their pages and links are counted from
    nginx's log of those two origins. `--install-others` installs both under bench/.others.
Wall time, pages/s, links/s and peak RSS (GNU time's maximum resident set size, or polling
/proc when /usr/bin/time is missing) are printed as a markdown table and written to
bench/results.md. Timing is reported, never asserted. Nothing leaves loopback: both host
names are routed to 127.0.0.1 and the crawls run --offline; the other checkers only see
127.0.0.x URLs (`--strace-others` proves it on a run).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import pstats
import re
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
{others}}}
"""

# For the other link checkers, which cannot be told to dial a host name at 127.0.0.1: the
# copy of the site whose links to the second host read http://127.0.0.2:PORT (synth's
# ext_origin), served as http://127.0.0.1:PORT/ and http://127.0.0.2:PORT/. Only these two
# servers log requests (one line each, unbuffered: pages and targets are counted from it the
# same way for both tools); the `LinkChecker` header lifts LinkChecker's per-host rate limit
# (its documented switch: above 10 requests/s only for servers that send it).
OTHERS_CONF = """\
    log_format others '$host\\t$request_method\\t$status\\t$sent_http_content_type\\t$request_uri';
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        root {lo_root};
        index index.html;
        access_log {work}/logs/others.log others;
        add_header LinkChecker bench always;
        location ~* \\.(pdf|doc|docx|xls|xlsx|jpg|png)$ {{ try_files $uri /_files/sample.$1; }}
    }}
    server {{
        listen 127.0.0.2:{port};
        root {lo_root};
        index index.html;
        access_log {work}/logs/others.log others;
        add_header LinkChecker bench always;
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
    def __init__(self, binary: str, work: Path, root: Path, port: int | None = None, lo_root: Path | None = None):
        self.binary, self.work, self.root, self.lo_root = binary, work, root, lo_root
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.others_log = work / "logs/others.log"

    def __enter__(self):
        for d in ("logs", "tmp"):
            (self.work / d).mkdir(exist_ok=True)
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        conf = self.work / "nginx.conf"
        others = OTHERS_CONF.format(work=self.work, port=self.port, lo_root=self.lo_root) if self.lo_root else ""
        conf.write_text(NGINX_CONF.format(work=self.work, port=self.port, root=self.root, site=SITE_HOST,
                                          ext=EXT_HOST, user=user, others=others))
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


def _descendants(pid: int) -> list[int]:
    out = []
    for c in _children(pid):
        out += [c] + _descendants(c)
    return out


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# ---------------------------------------------------------------- measuring a subprocess
def measure(cmd: list[str], out: Path, err: Path, cwd: Path = REPO, env: dict | None = None,
            timeout: float | None = None) -> dict:
    """Run `cmd`; wall seconds, exit code, peak RSS (MB) and CPU seconds of it and its children.
    After `timeout` seconds the command (not GNU time, which then still reports) gets SIGTERM,
    and `timed_out` is set."""
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    tfile = out.with_suffix(".time")
    full = [gnu_time, "-v", "-o", str(tfile)] + cmd if gnu_time else cmd
    peak_kb = 0
    timed_out = False
    t0 = time.perf_counter()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(full, stdout=fo, stderr=fe, cwd=cwd, env=env)
        while proc.poll() is None:
            if not gnu_time:
                peak_kb = max(peak_kb, _tree_hwm_kb(proc.pid))
            if timeout and not timed_out and time.perf_counter() - t0 > timeout:
                timed_out = True
                for pid in (_descendants(proc.pid) if gnu_time else [proc.pid] + _descendants(proc.pid)):
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
            time.sleep(0.2)
    wall = time.perf_counter() - t0
    result = {"wall": wall, "rc": proc.returncode, "rss_mb": peak_kb / 1024, "cpu": None, "timed_out": timed_out}
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


def run_floor(work: Path, url: str, server: Nginx, args) -> dict:
    """bench/floor.py: the tool's Scrapy stack with a spider that only follows links."""
    cmd = [sys.executable, str(BENCH / "floor.py"), url, "--concurrency", str(args.concurrency),
           "--connect-to", f"{SITE_HOST}:80:127.0.0.1:{server.port}", "--connect-to", f"{EXT_HOST}:80:127.0.0.1:{server.port}"]
    print("bench: Scrapy floor (the tool's stack, a do-nothing spider) ...", flush=True)
    m = measure(cmd, work / "floor.out", work / "floor.err")
    if m["rc"] != 0:
        print("bench: floor failed:\n" + (work / "floor.err").read_text()[-3000:], file=sys.stderr)
        return m
    stats = json.loads((work / "floor.out").read_text().strip().splitlines()[-1])
    m.update(pages=stats["pages"], checks=stats["checks"], inner_s=stats["seconds"])
    print(f"  {stats['pages']} pages, {stats['checks']} targets in {stats['seconds']} s", flush=True)
    return m


# ---------------------------------------------------------------- the other link checkers
OTHERS_DIR = BENCH / ".others"  # git-ignored: LinkChecker's venv and linkinator's node_modules
# linkinator 8, not 7: 7.x starts every discovered link's check at once whatever --concurrency
# says (thousands of open connections on this site; past nginx's 1024 most links then fail with
# "other side closed"). 8 wants Node >= 22 only through undici 8's zstd support; with undici 7 it
# runs on Node 20 (the machine's), and our nginx never sends zstd.
LINKINATOR_PACKAGE = {
    "private": True,
    "description": "bench/run.py's linkinator (installed by --install-others)",
    "dependencies": {"linkinator": "^8.1.0"},
    "overrides": {"undici": "^7"},
}
OTHERS_INSTALL = {
    "LinkChecker": "python -m venv bench/.others/venv && bench/.others/venv/bin/pip install LinkChecker",
    "linkinator": "npm install --prefix bench/.others --no-audit --no-fund   "
                  "(with bench/.others/package.json as written by --install-others)",
}


def find_linkchecker() -> list[str] | None:
    exe = OTHERS_DIR / "venv/bin/linkchecker"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("linkchecker")
    return [found] if found else None


def find_linkinator() -> list[str] | None:
    node = shutil.which("node")
    if not node:
        return None
    cli = OTHERS_DIR / "node_modules/linkinator/build/src/cli.js"
    if cli.exists():
        return [node, str(cli)]
    found = shutil.which("linkinator")  # a global `npm install -g linkinator`: a symlink to its cli.js
    return [node, os.path.realpath(found)] if found else None


def install_others() -> None:
    """LinkChecker into a venv at bench/.others/venv, linkinator into bench/.others/node_modules."""
    OTHERS_DIR.mkdir(exist_ok=True)
    (OTHERS_DIR / ".gitignore").write_text("*\n")
    venv = OTHERS_DIR / "venv"
    print(f"bench: installing LinkChecker into {venv}", flush=True)
    if not (venv / "bin/pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False)
    subprocess.run([str(venv / "bin/pip"), "install", "-q", "LinkChecker"], check=False)
    if not shutil.which("npm"):
        print("bench: npm is missing (apt-get install -y nodejs npm); linkinator not installed", file=sys.stderr)
        return
    print(f"bench: installing linkinator into {OTHERS_DIR / 'node_modules'}", flush=True)
    (OTHERS_DIR / "package.json").write_text(json.dumps(LINKINATOR_PACKAGE, indent=2) + "\n")
    subprocess.run(["npm", "install", "--prefix", str(OTHERS_DIR), "--no-audit", "--no-fund"], check=False)


def loopback_env() -> dict:
    """The environment for the other checkers: no proxy variables (a proxy would be dialled
    instead of 127.0.0.1), no_proxy for everything."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(no_proxy="*", NO_PROXY="*")
    return env


def not_loopback_regex(port: int) -> str:
    """Matches every URL that is not on one of the two bench origins: those are never fetched."""
    return rf"^(?!https?://127\.0\.0\.[12]:{port}/)"


def others_log_read(server: Nginx, offset: int) -> dict:
    """Pages and targets from the loopback servers' log lines written since `offset`:
    pages = distinct site URIs answered 200 text/html to a GET; targets = distinct
    (host, URI) requested by any method (robots.txt left out); requests = all lines."""
    pages, targets, requests, methods, statuses = set(), set(), 0, {}, {}
    try:
        with open(server.others_log, "rb") as f:
            f.seek(offset)
            data = f.read().decode("utf-8", "replace")
    except OSError:
        data = ""
    for line in data.splitlines():
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        host, method, status, ctype, uri = parts
        requests += 1
        methods[method] = methods.get(method, 0) + 1
        if uri != "/robots.txt":
            targets.add((host, uri))
            if (host, uri) not in statuses or method == "GET":
                statuses[(host, uri)] = status
        if host == "127.0.0.1" and method == "GET" and status == "200" and ctype.startswith("text/html"):
            pages.add(uri)
    by_status: dict[str, int] = {}
    for status in statuses.values():
        by_status[status] = by_status.get(status, 0) + 1
    return {"pages": len(pages), "checks": len(targets), "requests": requests, "methods": methods,
            "statuses": dict(sorted(by_status.items()))}


def _log_size(server: Nginx) -> int:
    try:
        return server.others_log.stat().st_size
    except OSError:
        return 0


STRACE_CALLS = "connect,sendto,sendmsg,sendmmsg"


def strace_verdict(trace: Path) -> dict:
    """Every address the traced process tree connected or sent to: loopback or not."""
    addrs: dict[str, int] = {}
    bad: list[str] = []
    text = trace.read_text(errors="replace") if trace.exists() else ""
    for line in text.splitlines():
        m4 = re.search(r'sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)', line)
        m6 = re.search(r'sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"', line)
        m = m4 or m6
        if not m:
            if "AF_INET" in line:  # an AF_INET(6) address strace printed some other way: suspicious
                bad.append(line.strip())
            continue
        port, addr = m.group(1), m.group(2)
        key = f"{addr}:{port}"
        addrs[key] = addrs.get(key, 0) + 1
        loop = addr.startswith("127.") or addr in ("::1", "::") or addr.startswith("::ffff:127.")
        if not loop or port == "53":
            bad.append(line.strip())
    return {"addresses": addrs, "bad": bad, "lines": len(text.splitlines())}


def run_other(name: str, cmd: list[str], work: Path, server: Nginx, args, stem: str) -> dict:
    print(f"bench: {name} ...", flush=True)
    trace = work / f"{stem}.strace"
    if args.strace_others:
        cmd = ["strace", "-f", "-qq", "-e", f"trace={STRACE_CALLS}", "-o", str(trace)] + cmd
    offset = _log_size(server)
    cpu0 = server.cpu_seconds()
    env = {**loopback_env(), "HOME": str(work)}  # no user config of either tool
    m = measure(cmd, work / f"{stem}.out", work / f"{stem}.err", cwd=work, env=env,
                timeout=args.others_timeout or None)
    m["server_cpu"] = server.cpu_seconds() - cpu0
    time.sleep(0.2)  # the last log lines (unbuffered, but written by nginx's worker)
    m.update(others_log_read(server, offset))
    m["cmd"] = cmd
    out = ((work / f"{stem}.out").read_text(errors="replace") + (work / f"{stem}.err").read_text(errors="replace"))
    m["summary"] = next((ln.strip() for ln in reversed(out.splitlines())
                         if "links in" in ln or "Scanned" in ln or "scanned" in ln), "")
    if m["rc"] not in (0, 1) and not m["timed_out"]:  # both exit 1 when they found broken links
        print(f"bench: {name} exited {m['rc']}:\n" + out[-3000:], file=sys.stderr)
    if args.strace_others:
        m["strace"] = v = strace_verdict(trace)
        if v["bad"]:
            print(f"bench: {name} contacted a non-loopback address or port 53!\n  " + "\n  ".join(v["bad"][:20]),
                  file=sys.stderr)
        else:
            print(f"  strace ({STRACE_CALLS}): {sum(v['addresses'].values()):,} calls, all to loopback: "
                  f"{v['addresses']}", flush=True)
    stopped = f", stopped after {args.others_timeout:.0f} s" if m["timed_out"] else ""
    print(f"  {m['pages']:,} pages, {m['checks']:,} targets, {m['requests']:,} requests {m['methods']}, "
          f"statuses {m['statuses']}, exit {m['rc']}{stopped}; its summary: {m['summary'] or '–'}", flush=True)
    return m


def run_linkchecker(work: Path, server: Nginx, args) -> dict | None:
    exe = find_linkchecker()
    if not exe:
        print("bench: LinkChecker is missing, skipped; install it with:  python bench/run.py --install-others ...\n"
              "  or by hand:  " + OTHERS_INSTALL["LinkChecker"] + "   (or pip install LinkChecker)", file=sys.stderr)
        return None
    conf = work / "linkcheckerrc"
    # Politeness lifted as for the tool (--delay 0): LinkChecker waits 0.1-0.6 s between two
    # requests to one host unless the server sends a `LinkChecker` header (ours does) and
    # maxrequestspersecond is raised.
    conf.write_text("[checking]\nmaxrequestspersecond=1000000\n")
    cmd = exe + ["--config", str(conf), "--threads", str(args.concurrency), "--check-extern",
                 "--ignore-url", not_loopback_regex(server.port), "--no-status", "--timeout", "15",
                 f"http://127.0.0.1:{server.port}/"]
    m = run_other(f"LinkChecker (--threads {args.concurrency})", cmd, work, server, args, "linkchecker")
    m.update(flag=f"--threads {args.concurrency}", version=tool_version(exe).split(" released")[0].split()[-1],
             shown=["linkchecker"] + cmd[len(exe):])
    return m


def run_linkinator(work: Path, server: Nginx, args) -> dict | None:
    exe = find_linkinator()
    if not exe:
        print("bench: linkinator (or node) is missing, skipped; install it with:  python bench/run.py "
              "--install-others ...\n  or by hand:  " + OTHERS_INSTALL["linkinator"], file=sys.stderr)
        return None
    version = tool_version(exe)
    if version.split(".")[0].isdigit() and int(version.split(".")[0]) < 8:
        print(f"bench: linkinator {version} starts every link's check at once whatever --concurrency says (fixed "
              f"in 8): expect thousands of connections and failed links on a large site; install 8 with "
              f"--install-others", file=sys.stderr)
    cmd = exe + [f"http://127.0.0.1:{server.port}/", "--recurse", "--concurrency", str(args.concurrency),
                 "--skip", not_loopback_regex(server.port), "--timeout", "15000"]
    m = run_other(f"linkinator (--concurrency {args.concurrency})", cmd, work, server, args, "linkinator")
    m.update(flag=f"--concurrency {args.concurrency}", version=version, shown=["linkinator"] + cmd[len(exe):])
    return m


def tool_version(cmd: list[str]) -> str:
    try:
        v = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=30, env=loopback_env())
        return (v.stdout or v.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


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


def report(args, site: dict, tool: dict | None, ceiling: dict | None, nginx: str,
           others: dict | None = None, floor: dict | None = None) -> str:
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
    if floor and floor.get("pages"):
        ratio = f"{(floor['pages'] / floor['wall']) / ceil_pps:.2f}" if ceil_pps else "–"
        lines.append(row("Scrapy floor: the tool's stack, a do-nothing spider", floor["pages"], floor["wall"],
                         floor["checks"], floor["rss_mb"], floor["cpu"], ratio))
    others = {k: v for k, v in (others or {}).items() if v}
    for name, o in others.items():
        ratio = f"{(o['pages'] / o['wall']) / ceil_pps:.2f}" if ceil_pps and o["wall"] else "–"
        label = f"{name} {o['version']} ({o['flag']})"
        if o["timed_out"]:
            label += f", stopped at {args.others_timeout:.0f} s"
        lines.append(row(label, o["pages"], o["wall"], o["checks"], o["rss_mb"], o["cpu"], ratio))
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
        f"- load average (1 min) at the start and the end: {args.load_start:.1f} → {os.getloadavg()[0]:.1f} on "
        f"{m['nproc']} cores (above ~1, other jobs shared the machine and every figure is low)",
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
    if others:
        notes += ["", f"Other link checkers, same pages and links, run on a copy of the site whose links to the second "
                      f"host read http://127.0.0.2:PORT instead of http://{EXT_HOST} (same seed, same bytes "
                      f"otherwise), "
                      f"started at http://127.0.0.1:PORT/, with every URL not on those two origins excluded "
                      f"(LinkChecker --ignore-url, linkinator --skip), no proxy. Their pages and links are counted "
                      f"from nginx's log of those two origins: pages = distinct site URIs answered 200 text/html to "
                      f"a GET, links = distinct (host, URI) requested by any method, robots.txt left out."]
        for name, o in others.items():
            stopped = (f" STOPPED after {args.others_timeout:.0f} s (the --others-timeout): pages/s and links/s are "
                       f"what it did in that time, not a finished crawl;" if o["timed_out"] else "")
            notes.append(f"{name} {o['version']}:{stopped} exit {o['rc']}, {o['requests']:,} requests "
                         f"{json.dumps(o['methods'])}, statuses of the targets {json.dumps(o['statuses'])}, nginx used "
                         f"{o['server_cpu']:.1f} CPU s during its run; its own summary: {o['summary'] or '–'}; "
                         f"command: `{shlex.join(o['shown'])}`")
        if tool and tool.get("pages"):
            tool_pps = tool["pages"] / tool["wall"]
            for name, want in (("LinkChecker", 5), ("linkinator", 2)):
                o = others.get(name)
                if o and o["pages"]:
                    x = tool_pps / (o["pages"] / o["wall"])
                    notes.append(f"inspector crawl pages/s ÷ {name}'s = {x:.2f} (issue 5's target ≥ {want}: "
                                 f"{'met' if x >= want else 'NOT met'})")
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
    ap.add_argument("--floor", action="store_true",
                    help="also run bench/floor.py: the tool's Scrapy stack with a spider that only follows links")
    ap.add_argument("--no-results", action="store_true", help="do not overwrite bench/results.md")
    ap.add_argument("--results", default=str(BENCH / "results.md"), help="where to write the results")
    ap.add_argument("--workdir", help="folder for the site, nginx and databases (default: a new temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (site, nginx logs, databases)")
    ap.add_argument("--no-others", action="store_true", help="skip the other link checkers (LinkChecker, linkinator)")
    ap.add_argument("--no-linkchecker", action="store_true", help="skip LinkChecker")
    ap.add_argument("--no-linkinator", action="store_true", help="skip linkinator")
    ap.add_argument("--install-others", action="store_true",
                    help="install LinkChecker (venv) and linkinator (npm) under bench/.others first")
    ap.add_argument("--others-timeout", type=float, default=1500, metavar="SEC",
                    help="stop an other checker after SEC seconds and report what it did (0: never) [1500]")
    ap.add_argument("--strace-others", action="store_true",
                    help="run the other checkers under strace -f (connect/sendto/sendmsg/sendmmsg) and fail if any "
                         "call went to a non-loopback address or to port 53 (slows them: for checking, not timing)")
    ap.add_argument("--second-night", action="store_true",
                    help="crawl the unchanged site again into the same database and report the incremental night")
    args = ap.parse_args(argv)
    args.load_start = os.getloadavg()[0]
    args.command_line = "python bench/run.py" + "".join(" " + shlex.quote(a) for a in (argv or sys.argv[1:]))

    nginx = ensure_nginx()
    if not args.no_ceiling and not args.profile:
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            sys.exit("bench: the ceiling needs aiohttp:  pip install aiohttp   (or pass --no-ceiling)")

    if args.install_others:
        install_others()
    want_others = not args.no_others and not args.profile and not (args.no_linkchecker and args.no_linkinator)

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
        port, lo_root = free_port(), None
        if want_others:
            lo_root = work / "site-lo"
            if lo_root.exists():
                shutil.rmtree(lo_root)
            lo_root.mkdir()
            t0 = time.perf_counter()
            Portal(args.pages, args.seed, ext_origin=f"http://127.0.0.2:{port}").write(lo_root)
            print(f"bench: and its loopback copy (second host as 127.0.0.2:{port}) for the other checkers in "
                  f"{time.perf_counter() - t0:.1f} s under {lo_root}", flush=True)
        url = f"http://{SITE_HOST}/"
        with Nginx(nginx, work, root, port, lo_root) as server:
            print(f"bench: nginx serving {SITE_HOST} and {EXT_HOST} on 127.0.0.1:{server.port}", flush=True)
            if args.profile:
                run_profile(work, url, server, args)
                return 0
            tool = None if args.no_tool else run_tool(work, url, server, args)
            if tool and args.second_night:
                tool["night2"] = run_second_night(work, url, server, args, tool)
            ceiling = None if args.no_ceiling else run_ceiling(work, url, server, args)
            floor = run_floor(work, url, server, args) if args.floor else None
            others = {}
            if want_others and not args.no_linkchecker:
                others["LinkChecker"] = run_linkchecker(work, server, args)
            if want_others and not args.no_linkinator:
                others["linkinator"] = run_linkinator(work, server, args)
        table, notes = report(args, site, tool, ceiling, nginx, others, floor)
        print()
        print(table)
        print()
        print(notes)
        if not args.no_results:
            Path(args.results).write_text(f"# portal-inspector crawl benchmark\n\n{table}\n\n{notes}\n")
            print(f"\nbench: results written to {args.results}")
        failed = (tool and tool["rc"] != 0) or (ceiling and ceiling["rc"] != 0) or \
            any(o and o["rc"] not in (0, 1) and not o["timed_out"] for o in others.values()) or \
            any(o and o.get("strace", {}).get("bad") for o in others.values())
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"bench: work dir kept at {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
