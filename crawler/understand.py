"""What a page is, read as an inspector reads it: home, column (list page), document, other.
The facts kept here are what the content rules are computed from."""

from __future__ import annotations

from urllib.parse import urlsplit


def understand(doc, url: str, title: str) -> dict:
    path = urlsplit(url).path
    kind = "home" if path in ("", "/", "/index.html", "/index.htm", "/index.shtml") else "other"
    return {"kind": kind}
