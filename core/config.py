"""Configuration through one door: the defaults table, the site profile (TOML) and the
command line's overrides, validated in one place.

Every option lives in OPTIONS with its default and help text; `inspector rules` and the
README show the same table. A profile key that is not in the table, or a value of the wrong
type, is rejected with a one-line error naming the key.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

from core import __version__, toml
from core.errors import ConfigError  # noqa: F401 - raised here, caught by the CLI
from core.verdict import load_table

USER_AGENT = f"portal-inspector/{__version__} (+https://github.com/portal-inspector/portal-inspector; government site inspection)"



# section -> key -> (type, default, help)
OPTIONS: dict[str, dict[str, tuple[type, object, str]]] = {
    "site": {
        "name": (str, "", "site name (网站名称) shown in reports"),
        "id_code": (str, "", "网站标识码 (10 digits, or bm + 8 for ministries)"),
        "aliases": (list, [], "other host names of the same site, crawled as its own"),
        "default_unit": (str, "", "责任单位 for findings no [columns] entry assigns"),
        "rectify_days": (int, 15, "days a supervisor gives to fix a finding (the 整改期限 column)"),
        "scoring": (str, "", "scoring table (TOML) of the estimated score; '' = the bundled core/data/scoring.toml"),
    },
    "crawl": {
        "concurrency": (int, 2, "requests at once per host (polite default for small county servers)"),
        "delay": (float, 0.25, "seconds between requests to one host"),
        "timeout": (float, 15.0, "seconds before a request counts as failed (the indicator's 15 s)"),
        "max_pages": (int, 50000, "pages parsed per run at most; the rest is skipped and reported"),
        "max_depth": (int, 20, "link hops from the start page at most (0: the start page only, its links checked)"),
        "query_variants": (int, 30, "distinct query strings per path before the rest are skipped, and half as many "
                                    "link hops (calendar traps)"),
        "retries": (int, 2, "retries of a 429/503 answer, honouring Retry-After"),
        "retry_after_max": (float, 60.0, "longest Retry-After honoured, in seconds"),
        "max_redirects": (int, 10, "redirect hops before 'too-many-redirects' (and pages that only redirect, in a row)"),
        "leaf_backlog": (int, 2000, "links waiting to be checked before page fetching pauses (bounds memory)"),
        "obey_robots": (bool, True, "obey robots.txt (a disallowed URL is recorded as not checked)"),
        "incremental": (bool, True, "conditional requests (ETag/Last-Modified) against the last complete run; a 304 reuses its facts"),
        "recheck_ok_after": (float, 7.0, "days an ok attachment, image or external link is trusted before it is asked again"),
        "user_agent": (str, USER_AGENT, "User-Agent sent with every request"),
        "progress_every": (float, 60.0, "seconds between progress lines when not on a terminal (cron, systemd)"),
        "log_file": (str, "", "write the crawl's log (INFO: every check that is not ok; -vv: every request) to this file"),
        "offline": (bool, False, "resolve only the names given with --resolve/--connect-to; never ask DNS"),
        "resolve": (list, [], "HOST:PORT:ADDR entries, curl's --resolve"),
        "connect_to": (list, [], "HOST:PORT:ADDR:PORT2 entries, curl's --connect-to"),
        "exclude": (list, [], "regular expressions: a link whose URL matches one is recorded 'excluded' (not requested, not reported)"),
        "include": (list, [], "regular expressions: when given, only links matching one are requested (they win over exclude); the rest are 'excluded'"),
        "check_fragments": (bool, False, "check that a link's #fragment to one of the site's pages names an id or name on it"),
    },
    "store": {
        "postgres": (str, "", "PostgreSQL URL (postgresql://USER@HOST:PORT/DB) each finished run is also published to; '' = off"),
    },
    "rules": {},  # per-rule tables, validated by the rules themselves (load's `rules`)
    "columns": {},  # URL path prefix -> COLUMN_KEYS, the longest prefix wins
}

COLUMN_CLASSES = ("dynamic", "notice-policy", "personnel-planning", "normative", "disclosure", "interaction",
                  "exempt", "unknown")
# keys of a [columns."/path/"] table
COLUMN_KEYS: dict[str, tuple[type, str]] = {
    "name": (str, "the column's name, when the page does not say it well"),
    "class": (str, "freshness class: " + ", ".join(COLUMN_CLASSES)),
    "unit": (str, "责任单位 responsible for this column"),
    "exempt": (bool, "never stale, never blank (archived topics, interaction columns)"),
    "review_labels": (bool, "articles here must carry the review labels (拟稿人/审核人/发布人)"),
}


@dataclass(frozen=True)
class Route:
    """A --resolve / --connect-to entry: connections to host:port go to addr:to_port."""

    host: str
    port: int
    addr: str
    to_port: int


@dataclass
class Config:
    site: dict = field(default_factory=dict)
    crawl: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    store: dict = field(default_factory=dict)
    source: str = "defaults"

    def column(self, path: str) -> dict:
        """The profile's settings for the column at URL path `path` (longest prefix wins)."""
        best = max((p for p in self.columns if path.startswith(p)), key=len, default=None)
        return self.columns[best] if best is not None else {}

    @property
    def routes(self) -> list[Route]:
        return [parse_route(r, "resolve") for r in self.crawl["resolve"]] + [
            parse_route(r, "connect_to") for r in self.crawl["connect_to"]
        ]


def defaults() -> dict:
    return {section: {k: (list(v[1]) if isinstance(v[1], list) else v[1]) for k, v in keys.items()}
            for section, keys in OPTIONS.items()}


def load(path: str | Path | None = None, overrides: dict | None = None, rules=None) -> Config:
    """Defaults, then the profile at `path`, then `overrides` ({"crawl": {...}}), validated.

    The rules own their options: `rules` is the registry's validator (`rules.validate`, which
    the application passes), called with the profile's [rules] table and where it came from,
    returning the table or raising ConfigError. A [rules] table with no validator is refused."""
    values = defaults()
    source = "defaults"
    if path:
        source = str(path)
        _merge(values, toml.read(path, f"config {path}"), source, rules)
    if overrides:
        _merge(values, {s: {k: v for k, v in kv.items() if v is not None} for s, kv in overrides.items()}, "option",
               rules)
    config = Config(site=values["site"], crawl=values["crawl"], rules=values["rules"], columns=values["columns"],
                    store=values["store"], source=source)
    config.routes  # noqa: B018 - validates every route
    if config.site["scoring"]:  # relative to the profile, checked now rather than at report time
        base = Path(path).resolve().parent if path else Path.cwd()
        config.site["scoring"] = str(base / config.site["scoring"])
        load_table(config.site["scoring"])
    _check_ranges(config)
    return config


def _merge(values: dict, profile: dict, where: str, rules) -> None:
    for section, table in profile.items():
        if section not in OPTIONS:
            raise ConfigError(f"{where}: unknown section [{section}] (known: {', '.join(OPTIONS)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{section}] must be a table")
        if section == "rules":
            if rules is None:
                raise ConfigError(f"{where}: [rules] cannot be checked here (no rule registry given)")
            values["rules"] = rules(table, where)
            continue
        if section == "columns":
            values["columns"] = _columns(table, where)
            continue
        for key, value in table.items():
            if key not in OPTIONS[section]:
                raise ConfigError(f"{where}: unknown key {section}.{key}")
            values[section][key] = _typed(value, OPTIONS[section][key][0], f"{where}: {section}.{key}")


def _columns(table: dict, where: str) -> dict:
    out = {}
    for path, entry in table.items():
        name = f"{where}: columns.{path!r}"
        if not path.startswith("/"):
            raise ConfigError(f"{name}: a column key is a URL path starting with '/'")
        if not isinstance(entry, dict):
            raise ConfigError(f"{name} must be a table")
        for key, value in entry.items():
            if key not in COLUMN_KEYS:
                raise ConfigError(f"{name}: unknown key {key} (known: {', '.join(COLUMN_KEYS)})")
            _typed(value, COLUMN_KEYS[key][0], f"{name}.{key}")
        if entry.get("class", "unknown") not in COLUMN_CLASSES:
            raise ConfigError(f"{name}.class must be one of {', '.join(COLUMN_CLASSES)}, not {entry['class']!r}")
        out[path] = dict(entry)
    return out


def _typed(value, kind: type, name: str):
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is list and isinstance(value, (list, tuple)):
        return list(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{name} must be {kind.__name__}, not {type(value).__name__} ({value!r})")
    return value


def _check_ranges(config: Config) -> None:
    c = config.crawl
    for key in ("concurrency", "max_pages", "query_variants", "leaf_backlog"):
        if c[key] < 1:
            raise ConfigError(f"crawl.{key} must be at least 1, not {c[key]}")
    for key in ("delay", "retries", "retry_after_max", "max_depth", "max_redirects"):  # 0 redirects: none followed
        if c[key] < 0:
            raise ConfigError(f"crawl.{key} must not be negative, not {c[key]}")
    if c["timeout"] <= 0:
        raise ConfigError(f"crawl.timeout must be positive, not {c['timeout']}")
    if not 0 < c["progress_every"] <= 86400:
        raise ConfigError(f"crawl.progress_every must be between 0 and 86400 seconds, not {c['progress_every']}")
    for key in ("exclude", "include"):
        url_patterns(c[key], f"crawl.{key}")
    url = config.store["postgres"]
    if url and not url.startswith(("postgresql://", "postgres://")):  # never echoed: it may hold a password
        raise ConfigError("store.postgres must be a postgresql://USER@HOST:PORT/DB URL")


def url_patterns(patterns: list, name: str) -> list[re.Pattern]:
    """crawl.exclude / crawl.include compiled (searched anywhere in a URL, as lychee does), or a
    ConfigError naming the first that is not a regular expression."""
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ConfigError(f"{name}: {pattern!r} must be a string (a regular expression)")
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ConfigError(f"{name}: {pattern!r} is not a regular expression: {exc}") from None
    return compiled


def parse_route(text: str, kind: str) -> Route:
    """Parse curl's `HOST:PORT:ADDR` (--resolve) or `HOST:PORT:ADDR:PORT2` (--connect-to)."""
    flag = "--" + kind.replace("_", "-")
    want = 3 if kind == "resolve" else 4
    parts = _split_route(text)
    if len(parts) != want:
        shape = "HOST:PORT:ADDR" if want == 3 else "HOST:PORT:ADDR:PORT2"
        raise ConfigError(f"{flag} {text!r}: expected {shape}")
    host, port, addr = parts[0].lower(), parts[1], parts[2]
    to_port = parts[3] if want == 4 else port
    try:
        ipaddress.ip_address(addr)
        port_n, to_port_n = int(port), int(to_port)
        if not (0 < port_n < 65536 and 0 < to_port_n < 65536):
            raise ValueError
    except ValueError:
        raise ConfigError(f"{flag} {text!r}: ADDR must be an IP address and ports 1-65535") from None
    return Route(host, port_n, addr, to_port_n)


def _split_route(text: str) -> list[str]:
    """Split on ':' but keep a bracketed IPv6 address whole."""
    parts, buf, depth = [], "", 0
    for ch in text:
        if ch == "[":
            depth += 1
            continue
        if ch == "]":
            depth -= 1
            continue
        if ch == ":" and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    return parts


# ---------------------------------------------------------------- schedule files (inspector schedule)
# section -> key -> (type, default, help); [[site]] is an array of tables, one per inspected site
SCHEDULE_OPTIONS: dict[str, dict[str, tuple[type, object, str]]] = {
    "schedule": {
        "time": (str, "02:30", "when every site is inspected each day, HH:MM"),
        "timezone": (str, "Asia/Shanghai", "time zone of the times"),
        "db": (str, "inspector.db", "SQLite database, relative to the schedule file"),
        "reports_dir": (str, "reports", "reports folder (one sub-folder per site), relative to the schedule file"),
        "grace": (int, 3600, "seconds a missed run may be late (after downtime) and still run, once"),
        "timeout": (int, 6 * 3600, "seconds before a run is stopped and recorded as failed"),
        "every": (float, 0.0, "for testing: run every N seconds instead of daily"),
    },
    "site": {
        "url": (str, "", "start page (required)"),
        "name": (str, "", "the site's name in logs and its reports folder [its host]"),
        "profile": (str, "", "site profile (TOML), relative to the schedule file"),
        "time": (str, "", "this site's time, HH:MM [schedule.time]"),
        "timeout": (int, 0, "this site's timeout in seconds [schedule.timeout]"),
        "connect_to": (list, [], "HOST:PORT:ADDR:PORT2 entries (curl's --connect-to)"),
        "resolve": (list, [], "HOST:PORT:ADDR entries (curl's --resolve)"),
        "progress_every": (float, 60.0, "seconds between progress lines when not on a terminal (cron, systemd)"),
        "log_file": (str, "", "write the crawl's log (INFO: every check that is not ok; -vv: every request) to this file"),
        "offline": (bool, False, "never ask DNS"),
        "as_of": (str, "", "a fixed 'today', YYYY-MM-DD (tests and demos)"),
    },
    "smtp": {
        "host": (str, "", "SMTP server: after each scheduled run, a summary with the workbook attached"),
        "port": (int, 25, "SMTP port"),
        "from": (str, "", "sender address"),
        "to": (list, [], "recipient addresses"),
        "starttls": (bool, False, "upgrade the connection with STARTTLS"),
    },
}


@dataclass
class Schedule:
    path: str
    schedule: dict
    sites: list[dict]
    smtp: dict | None = None


def load_schedule(path: str | Path, rules=None) -> Schedule:
    """Read and validate a schedule file; paths in it are relative to its folder (`rules`: as
    for load(), for the sites' profiles)."""
    import re
    from datetime import date
    from zoneinfo import ZoneInfo

    from core.urls import host_of, valid_start_url

    where = f"schedule {path}"
    data = toml.read(path, where)
    for section in data:
        if section not in SCHEDULE_OPTIONS:
            raise ConfigError(f"{where}: unknown section [{section}] (known: schedule, [[site]], smtp)")
    base = Path(path).resolve().parent
    sched = _section(data.get("schedule", {}), "schedule", where)
    try:
        ZoneInfo(sched["timezone"])
    except (ValueError, KeyError, OSError):
        raise ConfigError(f"{where}: schedule.timezone {sched['timezone']!r} is not a time zone") from None
    if sched["timeout"] <= 0 or sched["grace"] < 0 or sched["every"] < 0:
        raise ConfigError(f"{where}: schedule.timeout must be positive, grace and every not negative")
    sched["db"], sched["reports_dir"] = str(base / sched["db"]), str(base / sched["reports_dir"])
    entries = data.get("site")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{where}: no sites: add a [[site]] table with a url")
    sites, names = [], set()
    for n, entry in enumerate(entries, 1):
        site = _section(entry, "site", f"{where}: site {n}")
        if reason := valid_start_url(site["url"]):
            raise ConfigError(f"{where}: site {n}: url: {reason}")
        site["name"] = site["name"] or host_of(site["url"])
        if site["name"] in names:
            raise ConfigError(f"{where}: two sites are named {site['name']!r}: give each a unique name")
        names.add(site["name"])
        site["slug"] = re.sub(r"[^\w.-]+", "_", site["name"]).strip("._") or f"site{n}"
        site["time"] = site["time"] or sched["time"]
        site["timeout"] = site["timeout"] or sched["timeout"]
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", site["time"]):
            raise ConfigError(f"{where}: site {site['name']}: time {site['time']!r} must be HH:MM")
        for route in site["resolve"]:
            parse_route(route, "resolve")
        for route in site["connect_to"]:
            parse_route(route, "connect_to")
        if site["as_of"]:
            try:
                date.fromisoformat(site["as_of"])
            except ValueError:
                raise ConfigError(f"{where}: site {site['name']}: as_of must be YYYY-MM-DD") from None
        if site["profile"]:
            site["profile"] = str(base / site["profile"])
            load(site["profile"], rules=rules)  # a bad profile fails now, not at 02:30
        sites.append(site)
    smtp = None
    if "smtp" in data:
        smtp = _section(data["smtp"], "smtp", where)
        if not smtp["host"] or not smtp["from"] or not smtp["to"] or not 0 < smtp["port"] < 65536:
            raise ConfigError(f"{where}: [smtp] needs host, from, to (a list) and a port 1-65535")
    return Schedule(str(path), sched, sites, smtp)


def _section(table, section: str, where: str) -> dict:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [{section}] must be a table")
    values = {k: (list(v[1]) if isinstance(v[1], list) else v[1]) for k, v in SCHEDULE_OPTIONS[section].items()}
    for key, value in table.items():
        if key not in SCHEDULE_OPTIONS[section]:
            raise ConfigError(f"{where}: unknown key {section}.{key}")
        values[key] = _typed(value, SCHEDULE_OPTIONS[section][key][0], f"{where}: {section}.{key}")
    return values
