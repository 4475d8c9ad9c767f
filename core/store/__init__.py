"""The SQLite store: the facts of each run (pages, links, checks) and its findings.

Facts are written before rules run, so a run can be re-evaluated, re-reported and resumed.
Writes are batched in transactions; WAL lets a report or Datasette read while a crawl writes.

    schema.py   the tables, indexes and `links` view; opening a store; migrations of older ones
    runs.py     the runs: started, finished, looked up
    writer.py   what a crawl writes (Writer) and reuses of the last complete run (Previous)
    facts.py    reading a run back (Facts) and its findings

`from core import store` gives all of it: `store.open_db`, `store.Writer`, `store.Facts` …
"""

from core.errors import StoreError
from core.store.facts import Facts, findings, rule_names, save_rules
from core.store.runs import (
    finish_run,
    get_run,
    last_incomplete_run,
    list_runs,
    previous_complete_run,
    set_run,
    start_run,
)
from core.store.schema import LINKS_VERSION, SCHEMA_VERSION, TABLES, body_id, now, open_db, source_id
from core.store.writer import Previous, Writer, link_targets, save_columns, update_facts

__all__ = [
    "LINKS_VERSION", "SCHEMA_VERSION", "TABLES", "Facts", "Previous", "StoreError", "Writer", "body_id", "findings",
    "finish_run", "get_run", "last_incomplete_run", "link_targets", "list_runs", "now", "open_db",
    "previous_complete_run", "rule_names", "save_columns", "save_rules", "set_run", "source_id", "start_run",
    "update_facts",
]
