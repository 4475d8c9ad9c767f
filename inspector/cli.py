"""The `inspector` command: a thin layer over the library.

Exit codes: 0 done (for `check`: nothing found); 1 `check` found problems; 2 bad usage, URL
or config; 3 the start page could not be opened; 4 the database (SQLite, PostgreSQL or Redis)
cannot be used (a run PostgreSQL did not take stays complete in SQLite: `inspector publish`
retries); 130 interrupted (the run stays incomplete: `--resume` continues it). The monitoring
commands (inspector/cli_monitor.py): `recheck` 1 when findings are still open, `diff` 1 when anything
changed, `schedule --once` 5 when a site's run failed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from inspector import config as configuration
from inspector import store
from inspector.urls import valid_start_url

EXIT_FOUND, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_DB, EXIT_INTERRUPTED = 1, 2, 3, 4, 130
DEFAULT_DB = "inspector.db"


def fail(message: str, code: int = EXIT_USAGE):
    click.echo(f"inspector: error: {message}", err=True)
    sys.exit(code)


def open_store(path):
    try:
        return store.open_db(path)
    except store.StoreError as exc:
        fail(str(exc), EXIT_DB)


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
        click.option("--verbose", "-v", is_flag=True, help="Scrapy's log on stderr"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def load_config(config_path, postgres=None, **crawl):
    crawl["resolve"] = list(crawl.get("resolve") or []) or None
    crawl["connect_to"] = list(crawl.get("connect_to") or []) or None
    try:
        return configuration.load(config_path, {"crawl": crawl, "store": {"postgres": postgres}})
    except configuration.ConfigError as exc:
        fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="portal-inspector")
def main():
    """Inspect Chinese government portals the way inspectors do."""


@main.command()
@click.argument("url")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database")
@click.option("--resume", is_flag=True, help="continue the last incomplete run of URL")
@click.option("--redis", "redis_url", metavar="redis://HOST:PORT/DB",
              help="coordinate a distributed crawl: `inspector worker` processes fetch, this one writes the database")
@click.option("--max-workers", type=int, default=0, help="with --redis: workers on this site at once (0: any)")
@click.option("--postgres", metavar="postgresql://USER@HOST:PORT/DB",
              help="also publish the finished run into this PostgreSQL database [store.postgres]")
@network_options
def crawl(url, db, resume, redis_url, max_workers, postgres, config_path, as_of, verbose, **crawl_opts):
    """Crawl a portal, check every link, store the run and its findings."""
    if reason := valid_start_url(url):
        fail(reason)
    step = None
    if redis_url:
        step = _coordinator(redis_url, max_workers)
    config = load_config(config_path, postgres, **crawl_opts)
    database = open_store(db)
    outcome = _inspect(database, url, config, as_of, resume, verbose, crawl_step=step)
    _print_summary(database, outcome, db)
    published = outcome.published
    if published and not published.ok:  # the run is whole in SQLite: say how to publish it later
        click.echo(f"inspector: error: {published.error} (run {published.run} is kept in {db}; "
                   f"'inspector publish {published.run} --db {db}' retries)", err=True)
    if outcome.error:
        fail(outcome.error, EXIT_UNREACHABLE)
    if published and not published.ok:
        sys.exit(EXIT_DB)
    if outcome.status != "complete":
        sys.exit(EXIT_INTERRUPTED)


def _inspect(database, url, config, as_of, resume, verbose, show_progress=True, crawl_step=None):
    from inspector.inspect import inspect

    try:
        return inspect(database, url, config, as_of=as_of.date() if as_of else None, resume=resume,
                       verbose=verbose, show_progress=show_progress, crawl_step=crawl_step)
    except KeyboardInterrupt:
        fail("interrupted; the run is kept as incomplete (continue it with --resume)", EXIT_INTERRUPTED)
    except _redis_errors() as exc:
        fail(f"Redis cannot be used: {exc}", EXIT_DB)


def _redis_errors():
    try:
        from redis.exceptions import RedisError
    except ImportError:
        return ()
    return (RedisError,)


def _redis_url(url: str) -> str:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        fail(f"--redis wants redis://HOST:PORT/DB, not {url!r}")
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        fail("distributed mode needs the redis extra: pip install 'portal-inspector[redis]'")
    return url


def _coordinator(redis_url: str, max_workers: int):
    from functools import partial

    from inspector.coordinator import coordinate

    return partial(coordinate, redis_url=_redis_url(redis_url), max_workers=max_workers)


@main.command()
@click.option("--redis", "redis_url", required=True, metavar="redis://HOST:PORT/DB", help="the coordinator's Redis")
@click.option("--once", is_flag=True, help="take part in one run, then exit (default: serve runs until stopped)")
@click.option("--wait", type=float, default=0, help="with --once: give up after SECONDS without a run [0: never]")
@click.option("--name", help="worker id in Redis [HOST-PID-random]")
@click.option("--verbose", "-v", is_flag=True, help="Scrapy's log on stderr")
def worker(redis_url, once, wait, name, verbose):
    """Fetch for distributed crawls (`inspector crawl URL --redis ...`): settings, network guard
    included, come from the run in Redis; results go back to the coordinator's database."""
    _redis_url(redis_url)
    if not once:
        _serve_runs(redis_url, name, verbose)
    from crawler.worker import work

    try:
        done = work(redis_url, name=name, wait=wait, verbose=verbose)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except _redis_errors() as exc:
        fail(f"Redis cannot be used: {exc}", EXIT_DB)
    click.echo(f"run {done['run']}: worker {done['worker']} {done['reason']}" if done else "no run to join", err=True)


def _serve_runs(redis_url, name, verbose):
    """One child process per run (a Twisted reactor runs once per process), until stopped."""
    import signal
    import subprocess
    import time

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    args = [sys.executable, "-m", "inspector", "worker", "--redis", redis_url, "--once"]
    args += (["--name", name] if name else []) + (["--verbose"] if verbose else [])
    child = None
    try:
        while True:
            child = subprocess.Popen(args)
            if child.wait() == EXIT_DB:
                time.sleep(5)  # Redis away: try again later
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if child and child.poll() is None:
            child.terminate()
            child.wait()


def _print_summary(database, outcome, db_path) -> None:
    from inspector.inspect import summary_counts

    run, c = outcome.run, outcome.counts
    click.echo(f"run {run['id']} {outcome.status}: {c.get('pages', 0)} pages parsed, "
               f"{c.get('checks', 0)} targets checked, {c.get('links', 0)} links seen")
    by_rule = summary_counts(database, run["id"])
    parts = [f"{rule} {sum(levels.values())}" for rule, levels in sorted(by_rule.items())]
    click.echo(f"findings: {outcome.findings}" + (f" ({', '.join(parts)})" if parts else ""))
    from rules.site_veto import summary

    click.echo(summary(run.get("verdict")))
    if outcome.skipped:
        click.echo("skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(outcome.skipped.items())))
    click.echo(f"database: {db_path}")
    if outcome.published and outcome.published.ok:
        click.echo(_published_line(outcome.published))


def _published_line(p) -> str:
    return f"published run {p.run} to PostgreSQL (id {p.pg_id}): {p.findings} findings, {p.columns} columns"


@main.command()
@click.argument("url")
@click.option("--db", default=None, help="keep the spot check in this database (default: a temporary one)")
@network_options
def check(url, db, config_path, as_of, verbose, **crawl_opts):
    """Spot-check one page or column: its links and wrong links. Exit 1 if problems were found."""
    if reason := valid_start_url(url):
        fail(reason)
    crawl_opts["max_depth"] = 0  # the page itself is parsed; its links are checked, not followed
    config = load_config(config_path, **crawl_opts)
    config.store["postgres"] = ""  # a spot check is not an inspection: it is not published
    path = db or str(Path(tempfile.mkdtemp(prefix="inspector-check-")) / "check.db")
    database = open_store(path)
    outcome = _inspect(database, url, config, as_of, False, verbose, show_progress=False)
    if outcome.error:
        fail(outcome.error, EXIT_UNREACHABLE)
    found = store.findings(database, outcome.run["id"])
    _print_findings(found)
    sys.exit(EXIT_FOUND if found else 0)


def _print_findings(found) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    if not found:
        console.print("no findings")
        return
    table = Table("level", "rule", "url", "page", "message", show_lines=False)
    for f in found:
        table.add_row(f["level"], f["rule"], f["url"], f["page"], f["message"])
    console.print(table, markup=False)
    console.print(f"{len(found)} findings")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--run", "run_ref", default="latest", show_default=True, help="run id or 'latest'")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "json"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file to write (default: stdout)")
@click.option("--include-fixed", is_flag=True, help="add the findings this run found fixed")
def export(db, run_ref, fmt, output, include_fixed):
    """Export a run's findings (new, open, reopened, waived) as JSON Lines, CSV or JSON."""
    from inspector.history import view
    from reports import WRITERS

    database = _existing_store(db)
    run = store.get_run(database, run_ref)
    if run is None:
        fail(f"no run {run_ref!r} in {db}")
    found = view(database, run, include_fixed=include_fixed)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            WRITERS[fmt](found, fh)
    else:
        WRITERS[fmt](found, sys.stdout)


def _existing_store(db):
    if not Path(db).exists():
        fail(f"no database at {db} (run 'inspector crawl URL --db {db}' first)", EXIT_DB)
    return open_store(db)


@main.command()
@click.argument("run_refs", metavar="RUN...", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--postgres", metavar="postgresql://USER@HOST:PORT/DB", help="PostgreSQL database [store.postgres]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="site profile (TOML) giving store.postgres")
def publish(run_refs, db, postgres, config_path):
    """Publish (or publish again) stored runs (ids or 'latest') into the shared PostgreSQL database."""
    from inspector.publish import publish as publish_run

    url = load_config(config_path, postgres).store["postgres"]
    if not url:
        fail("no PostgreSQL database: give --postgres URL (or store.postgres in --config)")
    database = _existing_store(db)
    chosen = [store.get_run(database, ref) or fail(f"no run {ref!r} in {db}") for ref in run_refs]
    for run in chosen:
        published = publish_run(database, run["id"], url)
        if not published.ok:
            fail(published.error, EXIT_DB)
        click.echo(_published_line(published))


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
def runs(db):
    """List the runs in the database."""
    database = _existing_store(db)
    for r in store.list_runs(database):
        n = database.execute("SELECT count(*) FROM findings WHERE run = ?", [r["id"]]).fetchone()[0]
        click.echo(f"{r['id']:>5}  {r['status']:<11} {r['started']}  as-of {r['as_of']}  "
                   f"{r['counts'].get('pages', 0):>6} pages  {n:>5} findings  {r['start_url']}")


@main.command(name="rules")
@click.option("--markdown", is_flag=True, help="the full rule reference (the README's), from the rules' docstrings")
def list_rules(markdown):
    """List the rules: id, level and what each flags."""
    from rules import LEVELS, RULES, reference

    if markdown:
        click.echo(reference(), nl=False)
        return
    for rule_id, module in RULES.items():
        click.echo(f"{rule_id:<24} {module.LEVEL:<7} {LEVELS[module.LEVEL]:<8} {module.DESCRIPTION}")


@main.command()
@click.option("--out", default="inspector-demo", show_default=True, help="folder for the database and export")
def demo(out):
    """Serve the bundled sample portal on loopback, inspect it, write the database and findings."""
    from inspector.sample.server import AS_OF, PROFILE, PortalServer

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "inspector.db"
    with PortalServer() as server:
        click.echo(f"sample portal {server.base_url} served on 127.0.0.1:{server.port}")
        # the sample's site profile, through the same door as --config; the loopback options on top
        config = load_config(str(PROFILE), connect_to=server.connect_to(), offline=True, delay=0.0, concurrency=4,
                             timeout=5.0)
        units = sorted({c["unit"] for c in config.columns.values() if c.get("unit")} | {config.site["default_unit"]})
        click.echo(f"site profile: {config.source} ({len(config.columns)} columns, {len(units)} 责任单位)")
        database = open_store(db_path)
        from datetime import datetime

        outcome = _inspect(database, server.base_url, config, datetime.fromisoformat(AS_OF), False, False)
    _print_summary(database, outcome, db_path)
    from reports import WRITERS

    export_path = folder / "findings.jsonl"
    with open(export_path, "w", encoding="utf-8") as fh:
        WRITERS["jsonl"](store.findings(database, outcome.run["id"]), fh)
    click.echo(f"findings export: {export_path}")
    from reports import REPORTS
    from reports.model import build

    report = build(database, store.get_run(database, outcome.run["id"]))
    for name, fmt in (("report.html", "html"), ("整改清单.xlsx", "xlsx")):
        REPORTS[fmt](report, folder / name)
        click.echo(f"{fmt} report: {folder / name}")


from inspector import cli_monitor  # noqa: E402,F401 - registers waive, recheck, report, diff, schedule

if __name__ == "__main__":
    main()
