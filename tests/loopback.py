"""A small portal on loopback whose pages a test sets and changes between runs (two nights),
and `inspector crawl` run against it."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from inspector.sample.server import SITE_HOST
from tests.conftest import SITE, inspector


class Site:
    """path -> body (str: UTF-8 HTML; or (bytes, Content-Type)); with `validators`, answers
    carry ETag and Last-Modified and a matching conditional request gets a 304. Every request
    is logged as (path, status); other paths answer 404."""

    def __init__(self, pages: dict, validators: bool = False):
        self.pages, self.validators, self.log = pages, validators, []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                page = site.pages.get(self.path.split("?")[0])
                if page is None:
                    return self.answer(404, b"<html><body><h1>404 Not Found</h1></body></html>", {})
                data, ctype = (page.encode("utf-8"), "text/html; charset=utf-8") if isinstance(page, str) else page
                headers = {"Content-Type": ctype}
                if site.validators:
                    digest = hashlib.sha1(data).hexdigest()
                    headers |= {"ETag": f'"{digest[:16]}"',
                                "Last-Modified": f"Mon, 0{int(digest, 16) % 9 + 1} Nov 2026 08:00:00 GMT"}
                    if self.headers.get("If-None-Match") == headers["ETag"]:
                        return self.answer(304, b"", headers)
                self.answer(200, data, headers)

            def answer(self, status, data, headers):
                site.log.append((self.path, status))
                self.send_response(status)
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def crawl(self, db, as_of, *extra):
        """`inspector crawl` of the site (the sample portal's host name) into `db`."""
        port = self.httpd.server_address[1]
        result = inspector("crawl", f"{SITE}/", "--db", db, "--offline", "--delay", "0", "--timeout", "3",
                           "--as-of", as_of, "--connect-to", f"{SITE_HOST}:80:127.0.0.1:{port}", *extra)
        assert result.code == 0, result.err
        return result
