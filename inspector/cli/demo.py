"""`inspector demo`: the bundled sample portal served on loopback and inspected."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from core import store
from inspector.cli.common import load_config, main, open_store
from inspector.cli.inspection import inspect_or_fail, print_summary


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
        outcome = inspect_or_fail(database, server.base_url, config, datetime.fromisoformat(AS_OF), False, False)
    print_summary(database, outcome, db_path)
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
