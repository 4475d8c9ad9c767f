"""The inspection commands: crawl, check, worker, export, runs, rules, publish."""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

import click

from core import store
from core.errors import EXIT_FOUND, EXIT_INTERRUPTED, EXIT_START_PAGE, EXIT_STORE
from core.urls import valid_start_url
from inspector.cli.common import (
    DEFAULT_DB,
    existing_store,
    fail,
    fail_on_option,
    failing,
    load_config,
    main,
    network_options,
    open_store,
    output_format,
    pad,
)
from reports import WRITERS


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
@fail_on_option
def crawl(url, db, resume, redis_url, max_workers, postgres, config_path, as_of, verbose, fail_on, **crawl_opts):
    """Crawl a portal, check every link, store the run and its findings."""
    if reason := valid_start_url(url):
        fail(reason)
    step = None
    if redis_url:
        step = _coordinator(redis_url, max_workers)
    config = load_config(config_path, postgres, **crawl_opts)
    database = open_store(db)
    outcome = inspect_or_fail(database, url, config, as_of, resume, verbose, crawl_step=step, db_path=db)
    print_summary(database, outcome, db)
    published = outcome.published
    if published and not published.ok:  # the run is whole in SQLite: say how to publish it later
        click.echo(f"inspector: error: {published.error} (run {published.run} is kept in {db}; "
                   f"'inspector publish {published.run} --db {db}' retries)", err=True)
    if outcome.error:
        fail(outcome.error, EXIT_START_PAGE)
    if published and not published.ok:
        sys.exit(EXIT_STORE)
    if outcome.status != "complete":
        fail(f"the run is kept as incomplete: continue it with {_resume(url, db)}", EXIT_INTERRUPTED)
    if failing(open_findings(database, outcome.run), fail_on):
        sys.exit(EXIT_FOUND)


def open_findings(database, run) -> list[dict]:
    from core.history import OPEN, view

    return [f for f in view(database, run) if f["status"] in OPEN]


def inspect_or_fail(database, url, config, as_of, resume, verbose, show_progress=True, crawl_step=None,
                    db_path=None):
    from inspector.inspect import inspect

    try:
        return inspect(database, url, config, as_of=as_of.date() if as_of else None, resume=resume,
                       verbose=verbose, show_progress=show_progress, crawl_step=crawl_step)
    except KeyboardInterrupt:
        again = _resume(url, db_path) if db_path else "--resume"
        fail(f"interrupted; the run is kept as incomplete: continue it with {again}", EXIT_INTERRUPTED)
    except _redis_errors() as exc:
        fail(f"Redis cannot be used: {exc}", EXIT_STORE)


def _resume(url: str, db) -> str:
    return f"inspector crawl {shlex.quote(url)} --db {shlex.quote(str(db))} --resume"


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
        fail(f"Redis cannot be used: {exc}", EXIT_STORE)
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
            if child.wait() == EXIT_STORE:
                time.sleep(5)  # Redis away: try again later
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if child and child.poll() is None:
            child.terminate()
            child.wait()


def print_summary(database, outcome, db_path) -> None:
    from inspector.inspect import BELOW_HOME, summary_counts

    from core.history import view
    from core.records import PROBLEMS

    run, c = outcome.run, outcome.counts
    below = f" ({BELOW_HOME})" if c.get("start") == "below-home" else ""
    # the whole run's pages and targets, a resumed one's included (not only this session's)
    pages, checks, problems = database.execute(
        f"SELECT (SELECT count(*) FROM pages WHERE run = :r), (SELECT count(*) FROM checks WHERE run = :r), "
        f"(SELECT count(*) FROM checks c WHERE run = :r AND outcome IN ({','.join('?' * len(PROBLEMS))}) "
        f"AND EXISTS (SELECT 1 FROM links l WHERE l.run = :r AND l.url = c.url))"
        .replace(":r", str(int(run["id"]))), sorted(PROBLEMS)).fetchone()
    click.echo(f"run {run['id']} {outcome.status}{below}: {pages} pages parsed, "
               f"{checks} targets checked, {c.get('links', 0)} links seen")
    seen = view(database, store.get_run(database, run["id"]))
    click.echo(f"用时 {_elapsed(store.get_run(database, run['id']))}；问题链接 {problems} 个（断链、错链，含疑似）；"
               f"与上次相比：新发现 {sum(f['status'] == 'new' for f in seen)} 个，"
               f"已整改 {sum(f['status'] == 'fixed' for f in seen)} 个")
    by_rule = summary_counts(database, run["id"])
    parts = [f"{rule} {sum(levels.values())}" for rule, levels in sorted(by_rule.items())]
    click.echo(f"findings: {outcome.findings}" + (f" ({', '.join(parts)})" if parts else ""))
    from core.verdict import headline
    from rules.site_veto import summary

    if run.get("verdict"):  # the night's verdict, as evaluate_run stored it
        click.echo(headline(run["verdict"]))
    click.echo(summary(run.get("verdict")))
    if outcome.skipped:
        click.echo("skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(outcome.skipped.items())))
    click.echo(f"database: {db_path}")
    if outcome.published and outcome.published.ok:
        click.echo(_published_line(outcome.published))
    db = shlex.quote(str(db_path))
    click.echo(f"下一步：inspector report --db {db} -o 报告.html（整改清单：-o 整改清单.xlsx）")


def _elapsed(run: dict) -> str:
    """From the run's first start to its end (a resumed run: across its sessions)."""
    from datetime import datetime

    try:
        seconds = int((datetime.fromisoformat(run["finished"]) - datetime.fromisoformat(run["started"]))
                      .total_seconds())
    except (TypeError, ValueError):
        return "未知"
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _published_line(p) -> str:
    return f"published run {p.run} to PostgreSQL (id {p.pg_id}): {p.findings} findings, {p.columns} columns"


@main.command()
@click.argument("url")
@click.option("--db", default=None, help="keep the spot check in this database (default: a temporary one)")
@network_options
@fail_on_option
def check(url, db, config_path, as_of, verbose, fail_on, **crawl_opts):
    """Spot-check one page or column: its links and wrong links. Exit 1 if problems were found
    (with --fail-on LEVEL: problems at or above LEVEL)."""
    if reason := valid_start_url(url):
        fail(reason)
    crawl_opts["max_depth"] = 0  # the page itself is parsed; its links are checked, not followed
    config = load_config(config_path, **crawl_opts)
    config.store["postgres"] = ""  # a spot check is not an inspection: it is not published
    path = db or str(Path(tempfile.mkdtemp(prefix="inspector-check-")) / "check.db")
    database = open_store(path)
    outcome = inspect_or_fail(database, url, config, as_of, False, verbose, show_progress=False)
    if outcome.error:
        fail(outcome.error, EXIT_START_PAGE)
    found = store.findings(database, outcome.run["id"])
    _print_findings(found, store.rule_names(database))
    sys.exit(EXIT_FOUND if failing(found, fail_on or "hint") else 0)


def _print_findings(found, names: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    from core.records import LEVELS

    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    if not found:
        console.print("未发现问题")
        return
    table = Table("问题等级", "问题类型", "问题链接", "所在页面", "问题描述", show_lines=False)
    for f in found:  # the rule id beside its name, for scripts and for `inspector rules`
        table.add_row(LEVELS.get(f["level"], f["level"]), f"{names.get(f['rule'], f['rule'])} ({f['rule']})",
                      f["url"], f["page"], f["message"])
    console.print(table, markup=False)
    console.print(f"共 {len(found)} 个问题")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--run", "run_ref", default="latest", show_default=True, help="run id or 'latest'")
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), help="[from -o's extension, else jsonl]")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file to write (default: stdout)")
@click.option("--include-fixed", is_flag=True, help="add the findings this run found fixed")
def export(db, run_ref, fmt, output, include_fixed):
    """Export a run's findings (new, open, reopened, waived) as JSON Lines, CSV or JSON."""
    from core.history import view

    fmt = output_format(fmt, output, WRITERS, "jsonl")
    database = existing_store(db)
    run = store.get_run(database, run_ref)
    if run is None:
        fail(f"no run {run_ref!r} in {db}")
    found = view(database, run, include_fixed=include_fixed)
    if output:  # a CSV file gets a BOM, so that Excel opens Chinese text right; a pipe gets none
        with open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            WRITERS[fmt](found, fh)
    else:
        WRITERS[fmt](found, sys.stdout)


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
    database = existing_store(db)
    chosen = [store.get_run(database, ref) or fail(f"no run {ref!r} in {db}") for ref in run_refs]
    for run in chosen:
        published = publish_run(database, run["id"], url)
        if not published.ok:
            fail(published.error, EXIT_STORE)
        click.echo(_published_line(published))


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
def runs(db):
    """List the runs in the database."""
    database = existing_store(db)
    for r in store.list_runs(database):
        n = database.execute("SELECT count(*) FROM findings WHERE run = ?", [r["id"]]).fetchone()[0]
        click.echo(f"{r['id']:>5}  {r['status']:<11} {r['started']}  as-of {r['as_of']}  "
                   f"{r['counts'].get('pages', 0):>6} pages  {n:>5} findings  {r['start_url']}")


@main.command(name="rules")
@click.option("--markdown", is_flag=True, help="the full rule reference (the README's), from the rules' docstrings")
def list_rules(markdown):
    """List the rules: id, level, what each flags and its options (type, allowed values, default)."""
    from rules import LEVELS, RULES, option_lines, reference

    if markdown:
        click.echo(reference(), nl=False)
        return
    for rule_id, module in RULES.items():  # padded by display width: a Chinese character takes two columns
        click.echo(f"{rule_id:<24} {module.LEVEL:<7} {pad(LEVELS[module.LEVEL], 13)} {module.DESCRIPTION}")
        for line in option_lines(module):
            click.echo(f"    {line.replace('`', '')}")
