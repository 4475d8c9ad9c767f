"""Loopback server for the bundled sample portal (the demo and the tests' fixture).

One threaded server answers for several host names, chosen by the HTTP ``Host`` header:
the district portal (files under ``site/``), an external partner site (``external/``) and,
for anything else, a plain 404.  Crawlers reach it with curl-style connect-to entries::

    with PortalServer() as srv:
        srv.connect_to()   # ["www.qinghe-xinbei.gov.cn:80:127.0.0.1:PORT", ...]

Planted defects that files cannot express (status codes, redirects, delays, state) live in
``ROUTES`` below; DEFECTS.md lists every defect and trap with its expected outcome.
"""
import argparse
import datetime
import hashlib
import mimetypes
import socket
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SITE_HOST = "www.qinghe-xinbei.gov.cn"
EXTERNAL_HOST = "www.partner-demo.cn"
CLOSED_HOST = "www.closed-demo.cn"
AS_OF = "2026-11-20"
HERE = Path(__file__).resolve().parent
ROOTS = {SITE_HOST: HERE / "site", EXTERNAL_HOST: HERE / "external"}
PROFILE = HERE / "profile.toml"  # the sample's site profile (责任单位 per column): `inspector demo` loads it
GBK_DIR = "/gbk/"  # old section: GBK bytes, Content-Type without charset
BIG_SIZE = 5 * 1024 * 1024
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "application/javascript",
         ".json": "application/json", ".txt": "text/plain; charset=utf-8", ".png": "image/png",
         ".jpg": "image/jpeg", ".ico": "image/x-icon", ".pdf": "application/pdf", ".doc": "application/msword",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xls": "application/vnd.ms-excel", ".wps": "application/kswps", ".zip": "application/zip"}
NOT_FOUND = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>'
             '<body><h1>404 Not Found</h1><p>The requested URL was not found on this server.</p></body></html>')


def _status(code, title):
    return lambda h: h.reply(code, f"<html><body><h1>{code} {title}</h1></body></html>")


def _redirect(code, target):
    return lambda h: h.reply(code, "", Location=h.absolute(target))


def _delayed(seconds):
    def route(h):
        h.portal._stopping.wait(seconds)  # stop() cuts the wait short
        h.serve_file()
    return route


def _busy(h):
    with h.portal._lock:
        h.portal._busy_hits += 1
        first = h.portal._busy_hits == 1
    if first:
        h.reply(503, "<html><body><h1>503 Service Unavailable</h1></body></html>", **{"Retry-After": "1"})
    else:
        h.serve_file()


def _notice_doc(h):
    h.reply(404, NOT_FOUND) if h.command == "HEAD" else h.serve_file()


def _big_report(h):
    """5 MB PDF generated on the fly; HEAD is not allowed (as on some real servers)."""
    if h.command == "HEAD":
        return h.reply(405, "", Allow="GET")
    h.send_response(200)
    h.send_header("Content-Type", "application/pdf")
    h.send_header("Content-Length", str(BIG_SIZE))
    h.end_headers()
    chunk, left = b"%PDF-1.4\n" + b"0" * (65536 - 9), BIG_SIZE
    while left > 0:
        part = chunk[:min(left, len(chunk))]
        h.wfile.write(part)
        h.portal._count(h.route_path, len(part))
        left -= len(part)
        chunk = b"0" * 65536


def _calendar(h):
    """Endless calendar: every day links the previous and the next one."""
    q = parse_qs(urlsplit(h.path).query)
    try:
        day = datetime.date.fromisoformat(q.get("date", [AS_OF])[0])
    except ValueError:
        day = datetime.date.fromisoformat(AS_OF)
    prev, nxt = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
    h.reply(200, f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务活动日历 {day}</title></head>
<body><h1>政务活动日历：{day:%Y年%m月%d日}</h1><p>当日暂无政务活动安排。</p>
<p><a href="?date={prev}">前一天</a> | <a href="?date={nxt}">后一天</a> | <a href="/hdjl/index.html">返回</a></p></body></html>""")


ROUTES = {
    "/zwgk/ysqgk/index.html": _status(403, "Forbidden"),
    "/hdjl/wsdc/index.html": _status(500, "Internal Server Error"),
    "/xwzx/gzdt/202508/t20250801_0777.html": _status(410, "Gone"),
    "/old/notice.html": _redirect(301, "/temp/notice.html"),
    "/temp/notice.html": _redirect(302, "/xwzx/tzgg/202611/t20261103_1201.html"),
    "/loop-a.html": _redirect(302, "/loop-b.html"),
    "/loop-b.html": _redirect(302, "/loop-a.html"),
    "/xwzx/gzdt/202610/t20261015_0999.html": _redirect(302, "/"),  # deleted → home page
    "/xwzx/gzdt/202610/t20261020_0998.html": _redirect(302, "/404.html"),  # deleted → 200 error page
    "/busy.html": _busy,
    "/slow.html": _delayed(1.5),
    "/hang.html": _delayed(30),
    "/files/big-report.pdf": _big_report,
    "/files/notice.doc": _notice_doc,
    "/calendar/": _calendar,
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "TRS-WCM/7.0"
    protocol_version = "HTTP/1.0"

    def version_string(self):
        return self.server_version

    @property
    def portal(self):
        return self.server.portal

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        start, self.answered = time.monotonic(), None
        try:
            self._dispatch()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout):
            self.close_connection = True  # the client went away mid-answer: normal for crawlers
        finally:
            self.portal._span(start, self.answered or time.monotonic(), host, self.path)

    do_HEAD = do_GET

    def _dispatch(self):
        self.host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = urlsplit(self.path).path or "/"
        self.route_path = unquote(path.split(";")[0], encoding="utf-8", errors="replace")  # drop ;jsessionid=
        self.portal._log(self.command, self.host, self.path)
        if self.host not in ROOTS:
            return self.reply(404, "unknown host", ctype="text/plain; charset=utf-8")
        route = None
        if self.host == SITE_HOST:
            override = self.portal.overrides.get(self.route_path)
            if isinstance(override, tuple):  # (status, body): a changed or added page
                return self.reply(*override)
            route = override or ROUTES.get(self.route_path)
        (route or _Handler.serve_file)(self)

    def absolute(self, target):
        return f"http://{self.host}{target}" if target.startswith("/") else target

    def serve_file(self):
        root = ROOTS[self.host]
        fp = (root / self.route_path.lstrip("/")).resolve()
        if root not in fp.parents and fp != root:
            return self.reply(404, NOT_FOUND)
        if fp.is_dir():
            if not self.route_path.endswith("/"):
                return self.reply(301, "", Location=self.absolute(self.route_path + "/"))
            fp = fp / "index.html"
        if not fp.is_file():
            return self.reply(404, NOT_FOUND)
        ctype = TYPES.get(fp.suffix.lower()) or mimetypes.guess_type(fp.name)[0] or "application/octet-stream"
        if fp.suffix == ".html" and self.route_path.startswith(GBK_DIR):
            ctype = "text/html"
        data = fp.read_bytes()
        # validators as nginx sends them: a conditional request for an unchanged file gets a 304
        etag = '"%s"' % hashlib.sha1(data).hexdigest()[:16]
        modified = formatdate(fp.stat().st_mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == modified):
            return self.reply(304, b"", ETag=etag, **{"Last-Modified": modified})
        self.reply(200, data, ctype=ctype, ETag=etag, **{"Last-Modified": modified})

    def reply(self, code, body, ctype="text/html; charset=utf-8", **headers):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        # taken before anything is sent: a client cannot have the whole answer (and ask again) earlier
        self.answered = time.monotonic()
        self.end_headers()
        if self.command != "HEAD" and data:
            self.wfile.write(data)
            self.portal._count(self.route_path, len(data))

    def log_message(self, fmt, *args):
        if self.server.verbose:
            super().log_message(fmt, *args)


class PortalServer:
    """The sample portal on a loopback port; a context manager."""

    def __init__(self, host="127.0.0.1", port=0, verbose=False):
        self.host, self.port, self.verbose = host, port, verbose
        self.requests = []    # (method, host, path_with_query), in arrival order
        # path -> (status, body) or a route function: the portal changed between two runs (tests)
        self.overrides = {}
        self.bytes_sent = {}  # path -> body bytes written
        # (start, answered, host, path) of every request, time.monotonic(): from its arrival to just
        # before its answer is sent, so that a polite client's requests to a host never overlap here
        self.spans = []
        self.closed_port = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._busy_hits = 0
        self._httpd = self._thread = None

    @property
    def base_url(self):
        return f"http://{SITE_HOST}/"

    def start(self):
        with socket.socket() as s:  # a port that was free a moment ago: connections get refused
            s.bind((self.host, 0))
            self.closed_port = s.getsockname()[1]
        self._stopping.clear()
        self._httpd = ThreadingHTTPServer((self.host, self.port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.portal, self._httpd.verbose = self, self.verbose
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="portal-server", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def connect_to(self):
        return [f"{SITE_HOST}:80:{self.host}:{self.port}", f"{EXTERNAL_HOST}:80:{self.host}:{self.port}",
                f"{CLOSED_HOST}:80:{self.host}:{self.closed_port}"]

    def reset(self):
        with self._lock:
            self.requests.clear()
            self.bytes_sent.clear()
            self._busy_hits = 0
            self.spans.clear()

    def _log(self, method, host, path):
        with self._lock:
            self.requests.append((method, host, path))

    def _span(self, start, answered, host, path):
        with self._lock:
            self.spans.append((start, answered, host, path))

    def _count(self, path, n):
        with self._lock:
            self.bytes_sent[path] = self.bytes_sent.get(path, 0) + n


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m inspector.sample.server", description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    args = ap.parse_args(argv)
    with PortalServer(args.host, args.port, verbose=True) as srv:
        print(f"Sample portal {srv.base_url} (as of {AS_OF}) on {args.host}:{srv.port}")
        for entry in srv.connect_to():
            print(f"  --connect-to {entry}")
        print(f"try: curl --connect-to {srv.connect_to()[0]} {srv.base_url}\nCtrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
