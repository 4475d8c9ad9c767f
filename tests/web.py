"""A loopback web server whose answers a test writes, for cases the sample portal does not hold
(the link-check cases and the peers' rebuilt cases): one threaded server answers for several
host names, each a table of path (with its query) -> Answer or HTML text; anything else is 404.

    with Web({"www.a.gov.cn": {"/": "<a href='/x.html'>x</a>", "/x.html": Answer(301, location="/")}}) as web:
        crawl(web, "http://www.a.gov.cn/")
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import Crawl, inspector, network_args


@dataclass
class Answer:
    status: int = 200
    body: str | bytes = ""
    ctype: str = "text/html; charset=utf-8"
    location: str = ""
    headers: dict = field(default_factory=dict)
    sized: bool = True  # False: no Content-Length, the body sent chunked (as gzip'd files often are)


class Web:
    """A context manager; `requests` lists (host, path) in arrival order."""

    def __init__(self, sites: dict[str, dict[str, Answer | str]]):
        self.sites = {host.lower(): table for host, table in sites.items()}
        self.requests: list[tuple[str, str]] = []
        self._httpd = None

    def __enter__(self):
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.web = self
        threading.Thread(target=self._httpd.serve_forever, name="web", daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()

    def connect_to(self) -> list[str]:
        port = self._httpd.server_address[1]
        return [f"{host}:80:127.0.0.1:{port}" for host in self.sites]

    def requested(self, host: str, path: str) -> int:
        return self.requests.count((host, path))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        web = self.server.web
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.requestline.split(" ")[1]  # as sent: self.path has a leading '//' made '/'
        web.requests.append((host, path))
        answer = web.sites.get(host, {}).get(path)
        if answer is None:
            answer = Answer(404, "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>")
        elif isinstance(answer, str):
            answer = Answer(body=answer)
        data = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
        if not answer.sized:
            self.protocol_version = "HTTP/1.1"  # chunked needs it; the connection still closes after
            self.close_connection = True
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.ctype)
        headers = {"Content-Length": str(len(data))} if answer.sized else {"Transfer-Encoding": "chunked",
                                                                           "Connection": "close"}
        if answer.location:
            headers["Location"] = answer.location
        for name, value in {**headers, **answer.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(data if answer.sized else b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler stopped reading after the headers, as it does for files

    def log_message(self, fmt, *args):
        pass


def crawl(web: Web, start: str, db, *args) -> Crawl:
    """`inspector crawl start` as a user runs it, routed to `web`; the run must finish."""
    result = inspector("crawl", start, "--db", db, *network_args(web), *args)
    assert result.code in (0, 3), result.err
    return Crawl(str(db), result, list(web.requests), {})
