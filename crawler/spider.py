"""The portal spider: follows the site's own pages, checks every link once, stores the facts.

Redirects are followed by hand (not by Scrapy's RedirectMiddleware) so that every hop is
kept, loops and home-page redirects are named, and a redirect to an already-crawled URL is
not silently dropped by a duplicate filter. Deduplication is ours too: one canonical key per
target, checked once per run, whatever the number of pages linking to it.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload

from core.config import url_patterns
from core.records import PROBLEMS, Check
from core.urls import canonical, host_of, href_mistake, join, page_key, wrong_link_reason
from crawler import resolver
from crawler.checks import classify_answer, classify_failure, error_page_phrase
from crawler.leaves import LeafChecks
from crawler.links import (REFRESH, Link, anchor_links, css_links, extract_links, parse_html, redirect_links,
                           redirect_target)
from crawler.pagination import script_pages
from crawler.understand import understand

# Targets that are files, not pages: checked, never parsed.
ATTACHMENT_EXT = {
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd", "ceb", "txt", "csv", "rtf",
    "zip", "rar", "7z", "gz", "tar", "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "mp3", "mp4",
    "avi", "wmv", "flv", "swf", "mov", "apk", "exe", "msi", "css", "js", "xml", "json",
}
# pager: a script-announced list page; refresh: a redirect the page makes itself (meta refresh, script)
PAGE_TAGS = {"a", "area", "iframe", "frame", "pager", REFRESH}
STYLESHEET_TAGS = {"link", "style", "css"}  # css: an @import or url() of a style sheet
HTML_TYPES = (b"text/html", b"application/xhtml")
SMALL_BODY = 256 * 1024  # read to the end: enough of an external page to recognise an error page
_HOST_REASONS = {"localhost", "loopback-address", "private-address", "single-label-host", "internal-host"}
_REPEATED_SEGMENT = re.compile(r"(/[^/]+)\1\1")
# Answers a browser follows to their Location (Fetch's redirect statuses): not 300, not 304.
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class Memo:
    """A set of keys whose add_new(key) adds key and says whether it was new; crawler.distributed
    keeps one in Redis, shared by every worker of a run. It holds a 64-bit hash of each key, not
    the key: 400,000 targets of a 100,000-page site take ~25 MB instead of ~70 MB. (Two of a
    million URLs share a hash once in ~10^7 runs; one of them would go unchecked.)"""

    __slots__ = ("hashes",)

    def __init__(self):
        self.hashes: set[int] = set()

    def add_new(self, key) -> bool:
        h = hash(key)
        if h in self.hashes:
            return False
        self.hashes.add(h)
        return True

    def add(self, key) -> None:
        self.hashes.add(hash(key))

    def discard(self, key) -> None:
        self.hashes.discard(hash(key))

    def update(self, keys) -> None:
        self.hashes.update(map(hash, keys))

    def __contains__(self, key) -> bool:
        return hash(key) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


class Tally(Counter):
    """Counts per key; incr(key, member) returns the new count (the Redis one counts a member once);
    first(key, value) returns the first value given for key (a query family's first depth)."""

    def __init__(self):
        super().__init__()
        self.firsts: dict = {}

    def incr(self, key, member=None) -> int:
        self[key] += 1
        return self[key]

    def first(self, key, value: int) -> int:
        return self.firsts.setdefault(key, value)


class PortalSpider(scrapy.Spider):
    name = "portal"
    leaves_beside = True  # leaves checked by crawler.leaves, not scheduled (False: every request scheduled)
    leaves = None  # the LeafChecks, once the crawler made the spider
    share_hops = True  # a redirect to a target checked anyway waits for its outcome (False: asked again)

    def __init__(self, *, start_url: str, writer, crawl: dict, site_hosts: set[str], resume=None, progress=None,
                 as_of=None, follow_links: bool = True, previous=None, **kwargs):
        super().__init__(**kwargs)
        self.follow_links = follow_links  # False: parsed pages' links are stored, not fetched (recheck)
        self.previous = previous  # store.Previous: the last complete run, for conditional requests
        self.start_url = start_url
        self.as_of = as_of  # "today" of the run: year-less list dates are read against it
        self.writer = writer
        self.conf = crawl
        self.site_hosts = site_hosts
        self.resume = resume
        self.progress = progress
        self.seen = Memo()  # targets: the one place a target is admitted once per run
        self.pending = Memo()  # targets requested (themselves or as a claimed next hop), not yet recorded (share_hops)
        self.waiting: dict[str, list] = {}  # pending target -> the redirects to it waiting for its outcome
        self.parsed = Memo()
        self.bodies = Memo()
        self.families = Tally()
        self.skipped: Counter = Counter()
        self.counts: Counter = Counter()
        self.close_reason: str | None = None
        self.fragments: dict[str, set[str]] = {}  # page -> the #fragments linked (crawl.check_fragments)
        self.anchors: dict[str, set[str]] = {}  # parsed page -> its ids and <a name>s
        self.exclude = url_patterns(crawl.get("exclude", []), "crawl.exclude")
        self.include = url_patterns(crawl.get("include", []), "crawl.include")

    def closed(self, reason):
        self._judge_fragments()
        self.writer.flush()
        self.close_reason = reason

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_headers, signal=signals.headers_received)
        if spider.leaves_beside:
            s = crawler.settings
            spider.leaves = LeafChecks(crawler, spider._answer, spider._failed, limit=s.getint("CONCURRENT_REQUESTS"),
                                       per_host=s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                                       backlog=s.getint("INSPECTOR_LEAF_BACKLOG"))
        return spider

    def _dispatch(self, requests):
        """Pages are yielded to Scrapy's scheduler; leaves go to the leaf checks."""
        for request in requests:
            if self.leaves is not None and request.meta["kind"] == "leaf":
                self.leaves.put(request)
            else:
                yield request

    # ------------------------------------------------------------ start
    async def start(self):
        for request in self._dispatch(self._start()):
            yield request

    def _start(self):
        if self.resume:
            self.seen.update(self.resume["seen"])
            for url in self.resume["seen"]:  # the query families already fetched count against their bounds
                if "?" in url:
                    self.families.incr(_family(urlsplit(url)), url)
            for url, depth in sorted(self.resume.get("depths", ()), key=lambda d: d[1]):
                self.families.first(_family(urlsplit(url)), depth)
            self.parsed.update(self.resume["parsed"])
            self.bodies.update(self.resume["digests"])
            self.counts["pages"] = self.counts["pages_scheduled"] = len(self.resume["parsed"])
            for url, depth, tag in self.resume["frontier"]:
                request = self.follow(url, tag, depth)
                if request is not None:
                    yield request
        key = canonical(self.start_url)
        if not self.seen.add_new(key):
            return
        self.counts["pages_scheduled"] += 1
        yield self._request(key, 0, "page", priority=100)

    def _request(self, url: str, depth: int, kind: str, priority: int = 0, chain=None, target=None):
        headers = {}
        validators = self._validators(url, kind) if self.previous and not chain else None
        if validators:  # an incremental night: the server answers 304 if the page or file is unchanged
            etag, modified = validators
            headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        return scrapy.Request(
            url, callback=self.on_response, errback=self.on_failure, dont_filter=True, headers=headers,
            # scheduled leaves (distributed mode) before the pages of their depth: cheap, and a waiting
            # request costs memory
            priority=priority - depth if kind == "page" else priority - depth + 1,
            meta={"kind": kind, "depth": depth, "target": target or url, "chain": chain or [], "t0": time.monotonic(),
                  "dont_redirect": True, "handle_httpstatus_all": True, "conditional": bool(headers)},
        )

    def _validators(self, url: str, kind: str) -> tuple[str, str] | None:
        if kind == "page":
            return self.previous.validators(page_key(url))
        return self.previous.leaf_validators(url) if host_of(url) in self.site_hosts else None

    # ------------------------------------------------------------ following links
    def _is_page_url(self, url: str) -> bool:
        path = urlsplit(url).path
        ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        return host_of(url) in self.site_hosts and ext not in ATTACHMENT_EXT

    def _is_own_stylesheet(self, url: str, tag: str) -> bool:
        """A style sheet of the site's own, fetched whole and read for its url()s."""
        return tag in STYLESHEET_TAGS and host_of(url) in self.site_hosts and urlsplit(url).path.endswith(".css")

    def follow(self, key: str, tag: str, depth: int):
        """A request for a newly seen target, or None (seen before, not fetched, or skipped).
        Every target passes here, resumed ones included: this is where wrong links stop."""
        if "#" in key and self.conf.get("check_fragments") and not href_mistake(key):
            key, fragment = key.split("#", 1)  # the page is checked; its anchor once it is parsed
            self.fragments.setdefault(key, set()).add(fragment)
        if not self.seen.add_new(key):
            return None
        if excluded := self._excluded(key):
            self._record(Check(key, "excluded", detail=excluded, same_site=host_of(key) in self.site_hosts))
            self.skipped["excluded (crawl.exclude/include)"] += 1
            return None
        reason = wrong_link_reason(key)
        if reason in _HOST_REASONS and host_of(key) in self.site_hosts:
            reason = None  # an intranet portal's own address is its own
        if reason:
            self._record(Check(key, "wrong-link", detail=reason))
            return None
        if urlsplit(key).scheme not in ("http", "https"):
            self.skipped["other-scheme"] += 1
            return None
        own_page = tag in PAGE_TAGS and self._is_page_url(key)
        kind = "page" if own_page or self._is_own_stylesheet(key, tag) else "leaf"
        if kind == "page":
            skip = self._trap(key, depth)
            if skip:
                self.skipped[skip] += 1
                return None
            if depth > self.conf["max_depth"]:
                kind = "leaf"  # beyond the depth bound a page is still checked, not parsed
                self.skipped["depth (checked, not parsed)"] += 1
            elif self.counts["pages_scheduled"] >= self.conf["max_pages"]:
                self.skipped["max-pages"] += 1
                return None
            else:
                self.counts["pages_scheduled"] += 1
        # an external leaf checked ok recently is not asked again; the site's own ones are asked
        # every night (conditionally), so a file deleted yesterday is reported this morning
        if kind == "leaf" and self.previous and host_of(key) not in self.site_hosts and self.previous.fresh_leaf(key):
            self.writer.reuse_check(self.previous.run, key)
            self.counts["checks"] += 1
            self.counts["checks_reused"] += 1
            return None
        if self.share_hops:
            self.pending.add(key)
        return self._request(key, depth, kind)

    def _excluded(self, url: str) -> str | None:
        """Why the user's patterns keep `url` out, or None: an include match wins (as in lychee),
        then an exclude match, then not matching the include patterns given."""
        if any(p.search(url) for p in self.include):
            return None
        if hit := next((p.pattern for p in self.exclude if p.search(url)), None):
            return f"matches crawl.exclude {hit!r}"
        return "matches no crawl.include pattern" if self.include else None

    def _trap(self, url: str, depth: int) -> str | None:
        """Why a page is a trap, or None. A query family (same path and parameter names) is cut
        after crawl.query_variants members, or half as many link hops past its first member: a
        calendar grows two a hop (the day before, the day after), and a bound on hops admits or
        skips each hop's members together, whatever the order they are found in."""
        parts = urlsplit(url)
        if _REPEATED_SEGMENT.search(parts.path):
            return "repeating-path"
        if parts.query:
            family = _family(parts)
            variants = self.conf["query_variants"]
            if (self.families.incr(family, url) > variants
                    or depth - self.families.first(family, depth) >= variants // 2):
                return "query-family"
        return None

    # ------------------------------------------------------------ answers
    def on_headers(self, headers, body_length, request, spider):
        """Stop a download after its headers when its body is of no use: a file (its status and
        headers are the whole check) or a large external page. A small body is read to the end
        instead: stopping closes the connection, and a new connection costs more than 256 KB."""
        meta = request.meta
        if "kind" not in meta:
            return
        ctype = (headers.get(b"Content-Type") or b"").lower()
        known = isinstance(body_length, int) and body_length >= 0  # chunked: Twisted's UNKNOWN_LENGTH, a str
        own_sheet = meta["kind"] == "page" and ctype.startswith(b"text/css")  # read as the site's pages are
        if not ctype or ctype.startswith(HTML_TYPES) or own_sheet:
            stop = meta["kind"] == "leaf" and known and body_length > SMALL_BODY
        else:
            stop = not known or body_length > SMALL_BODY
        if stop:
            raise StopDownload(fail=False)

    def on_response(self, response):
        return self._dispatch(self._answer(response))

    def _answer(self, response):
        """Requests to follow from one response: a redirect hop, an unchanged page or file (304)
        or a final answer."""
        if response.status in REDIRECT_STATUSES and b"Location" in response.headers:
            return self._redirect(response)
        if response.status == 304 and response.meta["conditional"]:
            return self._unchanged_leaf(response) if response.meta["kind"] == "leaf" else self._unchanged(response)
        return self._final(response)

    def _unchanged_leaf(self, response):
        """A 304 for a file of the site's own host: ok as the last night found it."""
        meta, request = response.meta, response.request  # a 304 may omit the validators: the ones sent stay true
        self._record(Check(meta["target"], "ok", status=304, detail="not modified since the last run",
                           elapsed=time.monotonic() - meta["t0"], same_site=True, size=0,
                           etag=_header(response, b"ETag") or _header(request, b"If-None-Match"),
                           last_modified=_header(response, b"Last-Modified") or _header(request, b"If-Modified-Since")))
        return ()

    def _final(self, response):
        """A final answer, classified and recorded; a page of the site (or its own style sheet)
        is parsed, its links followed."""
        meta, status = response.meta, response.status
        chain, target, kind = meta["chain"], meta["target"], meta["kind"]
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip()
        final_key = page_key(response.url)  # the page's one name: `dir/` and `dir/index.html` are one page
        if meta.get("refreshes") and final_key in self.parsed:
            final_key = canonical(response.url)  # `/` that only refreshes to /index.html: two pages, not one
        same_site = host_of(response.url) in self.site_hosts
        doc, title = _read_html(response, ctype) if status < 400 else (None, "")
        phrase = error_page_phrase(doc)
        outcome, detail = classify_answer(target, status, response.url, chain, phrase)
        is_css = ctype.lower() == "text/css" and hasattr(response, "text")
        if (kind == "page" and outcome == "ok" and (doc is not None or is_css) and same_site
                and "download_stopped" not in response.flags and self.parsed.add_new(final_key)
                and self._first_copy(response)):
            if doc is not None:
                yield from self._parse_page(response, doc, final_key, title, status)
            else:
                links = css_links(response.text, response.url, response.url, "css", response.encoding)
                yield from self._store_page(response, final_key, status, "", {"kind": "stylesheet"}, links)
        self._conclude(meta, outcome, status=status, final_url=response.url if chain else None, redirects=chain,
                       detail=detail, phrase=phrase, content_type=ctype, same_site=same_site, size=len(response.body),
                       etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"))

    def _unchanged(self, response):
        """A 304: the page is what the last complete run stored; its facts and links are reused,
        not parsed again, and its links are followed as usual."""
        meta = response.meta
        key, depth = meta["target"], meta["depth"]
        self._record(Check(key, "ok", status=304, detail="not modified since the last run",
                           elapsed=time.monotonic() - meta["t0"], same_site=True, size=0))
        page = page_key(key)
        if not self.parsed.add_new(page):
            return
        digest, links = self.writer.reuse_page(self.previous.run, page, depth)
        self.bodies.add(digest)
        self.counts["pages"] += 1
        self.counts["pages_unchanged"] += 1
        self.counts["links"] += len(links)
        yield from self._follow_all(links, depth + 1, response.meta.get("refreshes", 0))

    def _first_copy(self, response) -> bool:
        """False for a page whose bytes were parsed under another URL (`/` and `/index.html`,
        `dir/` and `dir/index.html`): its links are the same links, reported once."""
        digest = hashlib.blake2b(response.body, digest_size=16).hexdigest()
        if not self.bodies.add_new(digest):
            self.skipped["same page under another URL"] += 1
            return False
        response.meta["digest"] = digest
        return True

    def _parse_page(self, response, doc, key: str, title: str, status: int):
        encoding = response.encoding
        links = extract_links(doc, response.url, encoding) + redirect_links(doc, response.url, encoding)
        for script in doc.iter("script"):
            if script.text and ("createPageHTML" in script.text or "countPage" in script.text):
                links += [Link(u, response.url, "", "pager", "createPageHTML")
                          for u in script_pages(script.text, response.url)]
        if self.conf.get("check_fragments"):
            ids = {str(a) for a in doc.xpath("//@id | //a/@name")}
            self.anchors[key] = self.anchors[response.meta["target"]] = ids
            links += anchor_links(doc, response.url)
        try:
            facts = understand(doc, response.url, title, self.as_of)
        except Exception as exc:  # a bug in reading one page must not lose the page and its links
            self.logger.error("cannot understand %s: %r", response.url, exc)
            facts = {"kind": "other", "error": f"{type(exc).__name__}: {exc}"[:300]}
            self.skipped["pages not understood (see the log)"] += 1
        yield from self._store_page(response, key, status, title, facts, links)

    def _store_page(self, response, key: str, status: int, title: str, facts: dict, links: list[Link]):
        """Store a parsed page (or style sheet) with its links, and follow them."""
        keyed = [(self._link_key(link), link) for link in links]
        targets = [(k, link.tag) for k, link in keyed]
        if redirect_target(targets):  # only a redirect: nothing of its own to judge
            facts["kind"] = "redirect"
        self.writer.page(key, response.meta["depth"], status, facts.get("kind", "other"), title,
                         response.headers.get(b"Content-Type", b"").decode("latin-1"), response.encoding, facts, keyed,
                         response.meta["digest"], _header(response, b"ETag"), _header(response, b"Last-Modified"))
        self.counts["pages"] += 1
        self.counts["links"] += len(keyed)
        yield from self._follow_all(targets, response.meta["depth"] + 1, response.meta.get("refreshes", 0))

    def _link_key(self, link: Link) -> str:
        """href_key(link); with crawl.check_fragments, a link to an anchor of one of the site's
        pages keeps its #fragment, so the anchor is checked (and reported) as a target of its own."""
        key = href_key(link)
        if not self.conf.get("check_fragments") or link.tag not in ("a", "area") or key == link.url:
            return key  # key == link.url: no fragment to keep, or a malformed href kept as written
        fragment = link.url.partition("#")[2]
        if not fragment or fragment.startswith(("/", "!")):  # "#/route", "#!/route": a script's state, no anchor
            return key
        return f"{key}#{fragment}" if self._is_page_url(key) else key

    def _judge_fragments(self) -> None:
        """Record each linked anchor of a parsed page: ok, or missing-fragment (no such id or name).
        Anchors of pages not parsed in this run are not judged."""
        for key, fragments in self.fragments.items():
            anchors = self.anchors.get(key)
            for fragment in sorted(fragments) if anchors is not None else ():
                name = unquote(fragment)
                if fragment in anchors or name in anchors or name.lower() == "top":  # #top: the page's top (HTML)
                    self._record(Check(f"{key}#{fragment}", "ok", same_site=True))
                else:
                    self._record(Check(f"{key}#{fragment}", "missing-fragment",
                                       detail=f"no id or name {name!r} on the page", same_site=True))

    def _follow_all(self, targets, depth: int, refreshes: int = 0):
        """Requests for a page's (key, tag) targets; none when links are only read (recheck).
        A page that only redirects is no hop: its target keeps the page's depth, for
        crawl.max_redirects such pages in a row (`refreshes`: how many led to this one)."""
        moved = redirect_target(targets) is not None and refreshes < self.conf["max_redirects"]
        onward = {key for key, tag in targets if tag == REFRESH} if moved else set()
        for key, tag in targets if self.follow_links else ():
            same = key in onward  # also when an <a> to the same place comes first
            request = self.follow(key, REFRESH if same else tag, depth - 1 if same else depth)
            if request is not None:
                if same:
                    request.meta["refreshes"] = refreshes + 1
                yield request

    def _redirect(self, response):
        meta = response.meta
        location = response.headers[b"Location"].decode("latin-1")
        next_url = join(response.url, location) or location.strip()
        chain = meta["chain"] + [[response.url, response.status]]
        target = meta["target"]
        args = dict(status=response.status, final_url=next_url, redirects=chain,
                    same_site=host_of(response.url) in self.site_hosts)
        next_key = canonical(next_url)
        if next_key in {canonical(u) for u, _ in chain}:
            self._conclude(meta, "redirect-loop", detail=f"redirect loop back to {next_url}", **args)
        elif len(chain) > self.conf["max_redirects"]:  # the last allowed hop may still end in an answer
            self._conclude(meta, "too-many-redirects", detail=f"more than {self.conf['max_redirects']} redirects",
                           **args)
        elif (reason := wrong_link_reason(next_url)) and host_of(next_url) not in self.site_hosts:
            self._conclude(meta, "wrong-link", detail=f"redirects to {next_url}: {reason}", **args)
        elif urlsplit(next_url).scheme not in ("http", "https"):
            self._conclude(meta, "error", detail=f"unsupported-scheme: redirects to {next_url}", **args)
        elif not (self.share_hops and self._join(next_key, meta, chain)):
            own = self._is_page_url(next_url) or self._is_own_stylesheet(next_url, "link")
            kind = meta["kind"] if own else "leaf"
            request = self._request(next_key, meta["depth"], kind, chain=chain, target=target)
            request.meta["t0"], request.meta["refreshes"] = meta["t0"], meta.get("refreshes", 0)
            request.meta["claimed"] = list(meta.get("claimed", ()))
            if self.seen.add_new(next_key):  # not a target yet: its own check comes from this chain
                request.meta["claimed"].append((next_key, len(chain)))
                if self.share_hops:
                    self.pending.add(next_key)
            yield request

    def _join(self, key: str, meta, chain) -> bool:
        """True when the redirect's next hop `key` needs no request: it is checked anyway (its
        outcome is awaited) or was already (its stored check settles the redirect now)."""
        if key in self.pending:
            self.waiting.setdefault(key, []).append((meta, chain))
            return True
        done = self.writer.stored_check(key) if key in self.seen else None
        if done is None:
            return False
        self._conclude_from(meta, chain, key, done)
        return True

    def _conclude_from(self, meta, chain, key: str, done: dict) -> None:
        """Record a redirect whose next hop `key` was checked as `done` (a checks row)."""
        redirects = chain + done["redirects"]
        final = done["final_url"] or key
        outcome, detail = _derived(meta["target"], redirects, done["status"], final, done["outcome"], done["detail"])
        if len(redirects) > self.conf["max_redirects"]:
            outcome, detail = "too-many-redirects", f"more than {self.conf['max_redirects']} redirects"
        self._conclude(meta, outcome, status=done["status"], final_url=final, redirects=redirects, detail=detail,
                       content_type=done["content_type"] or "", same_site=host_of(final) in self.site_hosts, size=0)

    def _conclude(self, meta, outcome: str, *, redirects=(), final_url=None, detail="", status=None,
                  phrase: str | None = None, **kwargs) -> None:
        """Record a request's target, and the next hops its redirects claimed (see _redirect):
        each with its part of the chain, and the outcome that part leads to (`phrase`: the final
        answer's error-page phrase, error_page_phrase)."""
        elapsed = time.monotonic() - meta["t0"]
        self._record(Check(meta["target"], outcome, status=status, final_url=final_url, redirects=list(redirects),
                           detail=detail, elapsed=elapsed, **kwargs))
        end = final_url or meta["target"]
        for key, i in meta.get("claimed", ()):
            part = list(redirects)[i:]
            own, why = _derived(key, part, status, end, outcome, detail, phrase)
            self._record(Check(key, own, status=status, final_url=end if part else None, redirects=part, detail=why,
                               elapsed=elapsed, content_type=kwargs.get("content_type", ""),
                               same_site=kwargs.get("same_site", False), size=0), linked=False)

    def on_failure(self, failure):
        self._failed(failure.request, failure.value)

    def _failed(self, request, exc: BaseException) -> None:
        meta = request.meta
        if "target" not in meta:
            return
        host = host_of(request.url)
        outcome, detail = classify_failure(exc, host, resolver.BLOCKED)
        if meta["chain"] and outcome == "robots-excluded":
            detail = f"redirects to {request.url}, which robots.txt forbids"
        self._conclude(meta, outcome, final_url=request.url if meta["chain"] else None, redirects=meta["chain"],
                       detail=detail, same_site=host in self.site_hosts)

    def _record(self, check: Check, linked: bool = True):
        """Store a check; `linked`: a target some page links (a redirect's next hop checked on
        its way is not one, and is no problem link of the live count)."""
        self.writer.check(check)
        self.pending.discard(check.url)
        for meta, chain in self.waiting.pop(check.url, ()):  # redirects to it, waiting for its outcome
            self._conclude_from(meta, chain, check.url, {
                "outcome": check.outcome, "status": check.status, "final_url": check.final_url,
                "redirects": list(check.redirects), "detail": check.detail, "content_type": check.content_type})
        self.counts["checks"] += 1
        if linked and check.outcome in PROBLEMS:
            self.counts["problems"] += 1
        if check.outcome != "ok":  # -v or --log-file: why a URL was flagged, answered from the log
            self.logger.info("checked %s: %s %s %s%s", check.url, check.outcome, check.status or "", check.detail,
                             f" (via {check.final_url})" if check.final_url else "")
        if self.progress:
            self.progress(self.counts)


def _read_html(response, ctype: str) -> tuple:
    """(lxml tree, <title>) of an HTML answer; (None, "") for anything else (a file, an image,
    a page that does not parse)."""
    if not hasattr(response, "text") or (ctype and not ctype.lower().startswith(("text/html", "application/xhtml"))):
        return None, ""
    doc = parse_html(response.text)
    return (doc, (doc.findtext(".//title") or "").strip()) if doc is not None else (None, "")


def _family(parts) -> tuple:
    """A URL's query family: host, path and parameter names."""
    return parts.hostname, parts.path, tuple(sorted(k.split("=")[0] for k in parts.query.split("&")))


def _header(message, name: bytes) -> str:
    """A header of a response or request as text, "" when absent."""
    return (message.headers.get(name) or b"").decode("latin-1")


def _derived(url: str, chain: list, status, final_url: str, outcome: str, detail: str,
             phrase: str | None = None) -> tuple[str, str]:
    """The outcome of `url`, whose redirect `chain` ends at the answer that gave `outcome`: a
    failure or a broken chain is the same for every URL on it; an answer is judged again for
    `url` (a redirect home is one for the article, not for the home page) with the final
    answer's error-page `phrase` when known, and an error page stays one."""
    if status is None or outcome in ("redirect-loop", "too-many-redirects", "wrong-link"):
        return outcome, detail
    if status == 304 and outcome == "ok":  # the end of the chain is unchanged since the last night: a 200 then
        status = 200
    judged = classify_answer(url, status, final_url, chain, phrase)
    return (outcome, detail) if judged[0] == "ok" and outcome == "soft-404" else judged


def href_key(link: Link) -> str:
    """The key a link's target is known by: the href as written for a malformed one."""
    return link.url if href_mistake(link.url) else canonical(link.url)
