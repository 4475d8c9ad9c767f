"""What the commands share: the `inspector` group, the options of commands that touch the
network, loading the site profile, opening the store, and the one place where a user's error
(core.errors.InspectorError) becomes its one line and exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core import store
from core.errors import EXIT_STORE, EXIT_USAGE, InspectorError
from inspector import profile

DEFAULT_DB = "inspector.db"


def fail(message: str, code: int = EXIT_USAGE):
    click.echo(f"inspector: error: {message}", err=True)
    sys.exit(code)


def open_store(path):
    try:
        return store.open_db(path)
    except store.StoreError as exc:
        fail(str(exc), EXIT_STORE)


def network_options(func):
    """The options every command that touches the network shares."""
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False), help="site profile (TOML)"),
        click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="'today' for every date rule (YYYY-MM-DD)"),
        click.option("--resolve", multiple=True, metavar="HOST:PORT:ADDR", help="connect to ADDR for HOST:PORT (curl's --resolve)"),
        click.option("--connect-to", multiple=True, metavar="HOST:PORT:ADDR:PORT2", help="connect to ADDR:PORT2 for HOST:PORT (curl's --connect-to)"),
        click.option("--offline", is_flag=True, default=None, help="never ask DNS: only --resolve/--connect-to names resolve"),
        click.option("--concurrency", type=int, help="requests at once per host [2]"),
        click.option("--delay", type=float, help="seconds between requests to one host [0.25]"),
        click.option("--timeout", type=float, help="seconds before a request fails [15]"),
        click.option("--max-pages", type=int, help="pages parsed at most [50000]"),
        click.option("--max-depth", type=int, help="link hops from the start page at most [20]"),
        click.option("--exclude", multiple=True, metavar="REGEX",
                     help="links whose URL matches are not requested nor reported (repeatable; replaces crawl.exclude)"),
        click.option("--include", multiple=True, metavar="REGEX",
                     help="only links whose URL matches are requested (repeatable; replaces crawl.include)"),
        click.option("--log-file", type=click.Path(dir_okay=False),
                     help="write the crawl's log to this file: every link that is not ok, with why [crawl.log_file]"),
        click.option("--verbose", "-v", count=True, help="the log on stderr: -v every link that is not ok, -vv every request"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def load_config(config_path, postgres=None, **crawl):
    for key in ("resolve", "connect_to", "exclude", "include"):  # not given: the profile's
        crawl[key] = list(crawl.get(key) or []) or None
    return profile.load(config_path, {"crawl": crawl, "store": {"postgres": postgres}})


class _Group(click.Group):
    """The `inspector` group: an InspectorError from any command, and click's own usage errors,
    are one line (`inspector: error: …`) and their exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InspectorError as exc:
            fail(str(exc), exc.exit_code)

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Exit as exc:  # --help, --version
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            fail("interrupted", 130)
        except click.ClickException as exc:
            command = exc.ctx.command_path if getattr(exc, "ctx", None) else "inspector"
            fail(" ".join(f"{command}: {exc.format_message()}".split()), exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="portal-inspector")
def main():
    """Inspect Chinese government portals the way inspectors do."""


def existing_store(db):
    if not Path(db).exists():
        fail(f"no database at {db} (run 'inspector crawl URL --db {db}' first)", EXIT_STORE)
    return open_store(db)


SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".jsonl": "jsonl"}


def output_format(fmt: str | None, output: str | None, choices, default: str) -> str:
    """The format to write: --format, else the output file's extension, else `default`; a
    --format that contradicts the extension (`-o x.xlsx --format html`) is refused."""
    implied = SUFFIXES.get(Path(output).suffix.lower()) if output else None
    if fmt and implied and implied != fmt:
        fail(f"-o {output} names a .{Path(output).suffix[1:]} file but --format is {fmt}: give one that agrees")
    fmt = fmt or (implied if implied in choices else default)
    return fmt


def pad(text: str, columns: int) -> str:
    """`text` padded to `columns` terminal columns (CJK characters are two columns wide)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, columns - used)


FAIL_ON = ("hint", "deduct", "veto")  # lowest first


def fail_on_option(func):
    return click.option("--fail-on", type=click.Choice(FAIL_ON), metavar="LEVEL",
                        help="exit 1 when a finding at or above LEVEL (hint < deduct < veto) is open, as in CI")(func)


def failing(findings, level: str | None) -> bool:
    """Whether any of `findings` (open ones) is at or above `level`."""
    return level is not None and any(FAIL_ON.index(f["level"]) >= FAIL_ON.index(level) for f in findings
                                     if f["level"] in FAIL_ON)
