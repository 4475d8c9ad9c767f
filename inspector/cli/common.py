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
        click.option("--verbose", "-v", is_flag=True, help="Scrapy's log on stderr"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def load_config(config_path, postgres=None, **crawl):
    for key in ("resolve", "connect_to", "exclude", "include"):  # not given: the profile's
        crawl[key] = list(crawl.get(key) or []) or None
    return profile.load(config_path, {"crawl": crawl, "store": {"postgres": postgres}})


class _Group(click.Group):
    """The `inspector` group: an InspectorError from any command is its one line and exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InspectorError as exc:
            fail(str(exc), exc.exit_code)


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
