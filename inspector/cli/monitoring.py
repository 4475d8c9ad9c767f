"""The monitoring commands: waive, unwaive, recheck, report, diff, schedule.

Registered on the `inspector` group (inspector/cli/__init__.py). Exit codes (besides cli.py's 2 bad
usage and 4 database): `recheck` 1 when some findings are still open after the re-fetch; `diff`
1 when anything appeared or disappeared; `schedule --once` 5 when a site's run failed.
"""

from __future__ import annotations

import getpass
import os
import sys

import click

from core import config as configuration
from core import store
from core.errors import EXIT_FOUND
from core.history import KINDS
from inspector import profile
from inspector.cli.common import DEFAULT_DB, existing_store, fail, main, network_options, output_format
from reports import REPORTS

EXIT_RUN_FAILED = 5


def _run(database, ref, db):
    run = store.get_run(database, ref)
    if run is None:
        fail(f"no run {ref!r} in {db}")
    return run


def _user() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@main.command()
@click.argument("finding")
@click.option("--reason", required=True, help="why: 误报 (false positive) or why it is accepted")
@click.option("--by", default=None, help="who decides [$USER]")
@click.option("--kind", type=click.Choice(list(KINDS)), default="false-positive", show_default=True)
@click.option("--db", default=DEFAULT_DB, show_default=True)
def waive(finding, reason, by, kind, db):
    """Waive a finding (fingerprint or a unique prefix): it leaves the rectification list."""
    from core.history import waive as record

    f = record(existing_store(db), finding, reason, by or _user(), kind)
    click.echo(f"waived {f['fingerprint']} ({f['rule']} {f['url']}) by {by or _user()}: {reason}")


@main.command()
@click.argument("finding")
@click.option("--by", default=None, help="who lifts the waiver [$USER]")
@click.option("--db", default=DEFAULT_DB, show_default=True)
def unwaive(finding, by, db):
    """Lift a finding's waiver: it is back on the rectification list."""
    from core.history import unwaive as lift

    f = lift(existing_store(db), finding, by or _user())
    click.echo(f"unwaived {f['fingerprint']} ({f['rule']} {f['url']})")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--run", "run_ref", default="latest", show_default=True, help="run id or 'latest'")
@network_options
def recheck(db, run_ref, config_path, as_of, verbose, **crawl_opts):
    """Re-fetch only what a run's open findings point at and mark the fixed ones. Exit 1 if some are still open."""
    from inspector.recheck import recheck as reverify

    database = existing_store(db)
    run = _run(database, run_ref, db)
    results = reverify(database, run, _run_config(run, config_path, crawl_opts), verbose=verbose)
    for r in results:
        click.echo(f"{r['status']:<6} {r['fingerprint']}  {r['rule']:<12} {r['url']}  {r['note']}")
    still = sum(r["status"] != "fixed" for r in results)
    click.echo(f"rechecked {len(results)} findings of run {run['id']}: {len(results) - still} fixed, {still} still open")
    sys.exit(EXIT_FOUND if still else 0)


def _run_config(run, config_path, crawl_opts):
    """The run's own settings (network routes included), under any options given now."""
    stored = run.get("settings") or {}
    overrides = {"crawl": {k: v for k, v in stored.get("crawl", {}).items() if k in configuration.OPTIONS["crawl"]},
                 "site": {k: v for k, v in stored.get("site", {}).items() if k in configuration.OPTIONS["site"]}}
    if config_path:
        overrides = {"crawl": {}}
    for key, value in crawl_opts.items():
        if value not in (None, ()):
            overrides["crawl"][key] = list(value) if isinstance(value, tuple) else value
    return profile.load(config_path, overrides)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--run", "run_ref", default="latest", show_default=True, help="run id or 'latest'")
@click.option("--format", "fmt", type=click.Choice(list(REPORTS)), help="[from -o's extension, else html]")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="file to write")
def report(db, run_ref, fmt, output):
    """Write a run's report: HTML page, XLSX 整改清单, or CSV/JSON of every finding with its status."""
    from reports.model import build

    fmt = output_format(fmt, output, REPORTS, "html")
    database = existing_store(db)
    data = build(database, _run(database, run_ref, db))
    try:
        REPORTS[fmt](data, output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    click.echo(f"{fmt} report of run {data['run']['id']}: {output}")


@main.command()
@click.argument("run_a")
@click.argument("run_b")
@click.option("--db", default=DEFAULT_DB, show_default=True)
def diff(run_a, run_b, db):
    """What appeared (+) and disappeared (-) between two runs, by fingerprint. Exit 1 if anything changed."""
    from core.history import view

    database = existing_store(db)
    a, b = _run(database, run_a, db), _run(database, run_b, db)
    seen = lambda run: {r["fingerprint"]: r for r in view(database, run) if r["seen"]}  # noqa: E731
    before, after = seen(a), seen(b)
    status_b = {r["fingerprint"]: r["status"] for r in view(database, b)}
    for sign, rows, other in (("+", after, before), ("-", before, after)):
        for fp, r in sorted(rows.items(), key=lambda kv: (kv[1]["rule"], kv[1]["url"])):
            if fp not in other:
                extra = f" [{status_b.get(fp, 'not in view')}]" if sign == "-" else f" [{r['status']}]"
                click.echo(f"{sign} {fp}  {r['rule']:<12} {r['level']:<6} {r['url']}  (on {r['page']}){extra}")
    appeared, gone = len(after.keys() - before.keys()), len(before.keys() - after.keys())
    click.echo(f"run {a['id']} -> run {b['id']}: {appeared} appeared, {gone} disappeared, "
               f"{len(after.keys() & before.keys())} in both")
    sys.exit(EXIT_FOUND if appeared or gone else 0)


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="schedule file (TOML)")
@click.option("--once", is_flag=True, help="inspect every site now, write the reports, exit")
@click.option("--every", type=float, default=None, help="run every SECONDS instead of daily (testing)")
def schedule(config_path, once, every):
    """Inspect the configured sites every night (each run in a fresh process) and keep the reports fresh."""
    import scheduler

    plan = profile.load_schedule(config_path)
    scheduler.setup_logging()
    if once:
        results = scheduler.Scheduler(plan).once()
        sys.exit(EXIT_RUN_FAILED if any(r.status != "complete" for r in results) else 0)
    scheduler.Scheduler(plan).serve(every=every)
