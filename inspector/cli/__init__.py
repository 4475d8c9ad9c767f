"""The `inspector` command: a thin layer over the library.

Exit codes (core.errors): 0 done (for `check`: nothing found); 1 `check` found problems; 2 bad
usage, URL or config; 3 the start page could not be opened; 4 the database (SQLite, PostgreSQL
or Redis) cannot be used (a run PostgreSQL did not take stays complete in SQLite: `inspector
publish` retries); 130 interrupted (the run stays incomplete: `--resume` continues it). The
monitoring commands: `recheck` 1 when findings are still open, `diff` 1 when anything changed,
`schedule --once` 5 when a site's run failed.

    common.py       the group, shared options, the profile, the store, errors → exit codes
    inspection.py   crawl, check, worker, export, runs, rules, publish
    monitoring.py   waive, unwaive, recheck, report, diff, schedule
    demo.py         demo
"""

from inspector.cli import demo, inspection, monitoring  # noqa: F401 - each registers its commands on main
from inspector.cli.common import main

__all__ = ["main"]
