"""URL facts that need no network: resolving hrefs as a browser does, the canonical form
used to check each target once, and the text-level 错链 (wrong link) verdict.

Pure functions; the crawler, the rules and the reports all use them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ada_url import URL, join_url

# Hrefs a browser does not fetch as a page or resource: never checked, never reported.
IGNORED_SCHEMES = ("javascript:", "mailto:", "tel:", "sms:", "data:", "about:", "#")

# Session ids in URLs: one page under endless names. Dropped from the canonical form.
SESSION_PARAMS = {"jsessionid", "phpsessid", "sid", "sessionid", "aspsessionid", "cfid", "cftoken"}
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.I)

# Malformed schemes that editors type: htp://, http//, http:/x, http:\\x, hhttp://.
_MALFORMED = re.compile(
    r"^(?:h?ttps?//|ht?tps?:(?!//)|htps?:|hhttps?:|http:\\|https:\\|ttps?://|htttps?:)", re.I
)

# A scheme typed without its colon (`htttp//`, `hhttps//`); `uploads//2024/a.pdf` is a path.
_SCHEME_TYPO = re.compile(r"^(?:h{0,2}t{1,3}p{1,2}s?|ftp)//")

# Hosts of staging, test and back-office systems that must not be linked from a public page.
_TEST_HOST = re.compile(r"^(test|dev|uat|sit|staging|stage|preview|pre|beta|demo-admin)[0-9]*[.-]", re.I)
INTERNAL_SUFFIXES = (".local", ".lan", ".internal", ".intranet", ".corp", ".localdomain", ".localhost", ".home.arpa")

# CMS back-office and preview paths (TRS WCM, Hanweb JCMS, generic admin consoles).
_ADMIN_PATH = re.compile(
    r"(/wcm/|/jcms/(?!jcms_files)|/preview[./]|/preview$|preview\.(do|jsp|aspx?)|/admin(/|$|\.)"
    r"|/manage(r)?/|/backend/|/cms/(admin|preview)|[?&](preview|previewid)=)",
    re.I,
)

# RFC 6761 special-use names: resolved locally, never sent to a DNS server.
NXDOMAIN_SUFFIXES = (".invalid", ".test", ".example")


def resolve_href(href: str, base: str, encoding: str = "utf-8") -> str | None:
    """The absolute URL a browser would request for `href` on a page at `base`.

    Resolved as the WHATWG URL standard says (ada, the parser of Node.js): empty path segments
    are kept (`uploads//a.pdf`), backslashes are slashes, dot segments removed, the path
    percent-encoded as UTF-8 and the query in the page's encoding (what browsers send).
    None for hrefs that are not fetched.
    """
    href = (href or "").strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href.lower().startswith(IGNORED_SCHEMES):
        return None
    # Navigation and footer links repeat on every page and do not depend on the page's own
    # path: an absolute or root-relative href is resolved once per site origin.
    if href.startswith(("http://", "https://")):
        return _resolve(href, "", encoding)
    if href.startswith("/") and not href.startswith("//"):
        parts = urlsplit(base)
        return _resolve(href, f"{parts.scheme}://{parts.netloc}/", encoding)
    if href.startswith("?"):
        return _resolve.__wrapped__(href, base, encoding)
    # any other relative href depends only on the page's directory, which many pages share
    return _resolve(href, _directory(base), encoding)


@lru_cache(maxsize=1 << 16)
def _resolve(href: str, base: str, encoding: str) -> str:
    href = _query_in(href, _browser_encoding(encoding))
    try:
        return join_url(base, href) if base else URL(href).href
    except ValueError:
        return href  # an unparsable URL is kept as written; wrong_link_reason names it


def join(base: str, href: str) -> str | None:
    """A redirect's Location resolved against the URL that answered it (WHATWG, UTF-8), or None
    when it makes no URL."""
    try:
        return join_url(base, href.strip())
    except ValueError:
        return None


def _query_in(href: str, encoding: str) -> str:
    """`href` with the non-ASCII characters of its query percent-encoded in the page's encoding,
    as a browser sends a form's or a link's query (ada encodes the rest as UTF-8)."""
    if encoding == "utf-8" or href.isascii():
        return href
    head, hash_, fragment = href.partition("#")
    path, question, query = head.partition("?")
    if not question or query.isascii():
        return href
    try:
        query = quote(query, safe=_PRINTABLE_ASCII, encoding=encoding, errors="xmlcharrefreplace")
    except LookupError:  # an encoding Python does not know: UTF-8, as ada does
        return href
    return f"{path}?{query}{hash_}{fragment}"


_PRINTABLE_ASCII = "".join(map(chr, range(33, 127)))


@lru_cache(maxsize=1024)
def _directory(base: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, parts.path[: parts.path.rfind("/") + 1] or "/", "", ""))


def _browser_encoding(encoding: str) -> str:
    enc = (encoding or "utf-8").lower()
    return "gb18030" if enc in ("gb2312", "gbk", "gb_2312-80", "cp936") else enc


@lru_cache(maxsize=1 << 16)
def canonical(url: str) -> str:
    """The form a target is known by: fragment and session ids dropped, host lower-cased,
    default port removed. Two links with the same canonical form are checked once."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = _port(parts)
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host name *is*, as a browser reads it: dotted, decimal (2130706433),
    hex (0x7f.1) and short forms (127.1) included. None for a real name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if re.fullmatch(r"[0-9][0-9a-fA-FxX.]*", host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    return None


def is_private_address(addr) -> bool:
    """Loopback, RFC 1918, link-local, CGNAT, unspecified and other non-public space."""
    if isinstance(addr, str):
        try:
            addr = ipaddress.ip_address(addr.split("%")[0])
        except ValueError:
            return False
    if getattr(addr, "ipv4_mapped", None):
        addr = addr.ipv4_mapped
    return not addr.is_global


def wrong_link_reason(url: str) -> str | None:
    """Why a link found on a public page points somewhere it must not (错链), or None.

    Judged on the text alone, before any connection: private and loopback addresses,
    localhost, single-label and internal hosts, test/staging hosts, file:// paths, malformed
    schemes and CMS preview/admin paths.
    """
    raw = url.strip()
    mistake = href_mistake(raw)
    if mistake:
        return mistake
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "malformed-url"
    if parts.scheme not in ("http", "https"):
        return None if parts.scheme else "malformed-url"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "malformed-url"
    if host == "localhost" or host.endswith(".localhost"):
        return "localhost"
    addr = ip_of(host)
    if addr is not None:
        return "loopback-address" if addr.is_loopback else ("private-address" if is_private_address(addr) else None)
    if "." not in host:
        return "single-label-host"
    if host.endswith(INTERNAL_SUFFIXES):
        return "internal-host"
    if _TEST_HOST.match(host):
        return "test-host"
    if _ADMIN_PATH.search(parts.path + ("?" + parts.query if parts.query else "")):
        return "cms-admin-path"
    return None


def href_mistake(href: str) -> str | None:
    """A mistake visible in the href as written, before it is resolved against the page:
    `file://` paths from an editor's PC and malformed schemes (`htp://`, `http//`)."""
    low = href.strip().lower()
    if low.startswith("file:"):
        return "file-scheme"
    if _MALFORMED.match(low) or _SCHEME_TYPO.match(low):
        return "malformed-scheme"
    return None


def is_special_nxdomain(host: str) -> bool:
    """Names that RFC 6761 says never resolve: answered locally, no DNS query is sent."""
    host = host.lower().rstrip(".")
    return host.endswith(NXDOMAIN_SUFFIXES) or host in ("invalid", "test", "example")


HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/index.php",
              "/default.html", "/default.htm", "/default.aspx", "/main.html", "/portal/index.html"}


def is_home_url(url: str) -> bool:
    """True for a site's root address (`/`, `/index.html`, `/default.aspx` …, no query)."""
    parts = urlsplit(url)
    return parts.path.lower() in HOME_PATHS and not parts.query


def valid_start_url(url: str) -> str | None:
    """None if `url` can start a crawl, else a one-line reason."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018
    except ValueError as exc:
        return f"malformed URL {url!r}: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"malformed URL {url!r}: the scheme must be http or https"
    if not parts.hostname:
        return f"malformed URL {url!r}: no host"
    return None


@lru_cache(maxsize=1 << 16)
def page_key(url: str) -> str:
    """The one name of a page, whatever alias it was reached by, in the store, the findings,
    the history and the reports: a folder `dir/` is `dir/index.html` (the name column URLs
    use, see column_url), and the site root is `/` (its index.html, .htm, .shtml… too).
    Other URLs: canonical()."""
    key = canonical(url)
    try:
        parts = urlsplit(key)
    except ValueError:
        return key
    if parts.query:
        return key
    if _ROOT_INDEX.fullmatch(parts.path):
        return parts._replace(path="/").geturl()
    if parts.path.endswith("/") and parts.path != "/":
        return parts._replace(path=parts.path + "index.html").geturl()
    return key


_ROOT_INDEX = re.compile(r"/index\.(s?html?|jsp|php|aspx?)")


# ------------------------------------------------------------ columns
@lru_cache(maxsize=8192)
def column_url(url: str) -> str:
    """A column's canonical first-page URL: `dir/` and `index_2.html` become `dir/index.html`."""
    key = canonical(url)
    try:
        parts = urlsplit(key)
    except ValueError:
        return key  # an unparsable URL (http://[::1) stands for itself
    path = parts.path
    if path.endswith("/"):
        path += "index.html"
    path = _INDEX_N.sub(r"/index.\1", path)
    return parts._replace(path=path).geturl()


@lru_cache(maxsize=8192)
def folder_key(url: str) -> str:
    """A column URL without its `index…` file name: `dir/`, `dir/index.html` and
    `dir/index_3.shtml` all give `dir/` (sites differ in the index file they use)."""
    key = canonical(url)
    try:
        parts = urlsplit(key)
    except ValueError:
        return key
    return parts._replace(path=_INDEX_FILE.sub("/", parts.path)).geturl()


_INDEX_N = re.compile(r"/index_\d+\.(s?html?|jsp|php|aspx?)$")
_INDEX_FILE = re.compile(r"/index(_\d+)?\.[a-z]+$")


def same_column(a: str, b: str) -> bool:
    return folder_key(a) == folder_key(b)
