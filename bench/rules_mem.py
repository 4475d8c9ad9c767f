"""Memory and time of the pass after the crawl (columns.build + the rules + saving findings)
on a stored run, without crawling again.

    python bench/rules_mem.py /tmp/rulesmem/tool.db                    # peak RSS and seconds
    python bench/rules_mem.py DB --dump out.jsonl                      # + findings, columns, facts
    python bench/rules_mem.py DB --scale 5 --out /tmp/rulesmem/x5.db   # make a 5x larger copy (only)

The database is copied to a temporary file first (the pass rewrites columns, facts and
findings), unless --in-place. The peak RSS is the process's VmHWM after each phase (the
interpreter and imports included: see "start"). To measure another version of the code, put
its tree first on PYTHONPATH (e.g. `git archive COMMIT | tar -x -C /tmp/old`, then
`PYTHONPATH=/tmp/old python bench/rules_mem.py …`).

--scale K makes a K-times larger run cheaply: every page, link and check row of the run is
copied K-1 times with its site URLs moved under a folder (http://HOST/ → http://HOST/kN/, in
the URL columns and inside the facts JSON), so each copy is a sub-site with its own columns,
documents and broken links; the home page and the start URL stay those of the original.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit


def vm(key: str) -> float:
    """VmHWM or VmRSS of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def scale(src: Path, out: Path, times: int) -> None:
    """Copy `src` to `out` and multiply its latest run `times`-fold (see the module docstring)."""
    import sqlite3

    shutil.copyfile(src, out)
    conn = sqlite3.connect(out)
    run, start = conn.execute("SELECT id, start_url FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(start))
    cols = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in ("pages", "links", "checks")}
    moved = {"pages": ("url", "facts"), "links": ("source", "url"), "checks": ("url", "final_url", "redirects")}
    last = {t: conn.execute(f"SELECT max(rowid) FROM {t}").fetchone()[0] for t in cols}  # copy the originals only
    with conn:
        for k in range(1, times):
            for table, names in cols.items():
                exprs = [f"replace({c}, ?, ?)" if c in moved[table] else c for c in names]
                params = [origin, f"{origin}k{k}/"] * len(moved[table])
                conn.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {table} "
                             f"WHERE run = ? AND {moved[table][0]} LIKE ? AND rowid <= ?",
                             [*params, run, origin + "%", last[table]])
    pages = conn.execute("SELECT count(*) FROM pages WHERE run = ?", [run]).fetchone()[0]
    conn.close()
    print(f"rules_mem: {out}: run {run} now has {pages:,} pages ({times}x)", file=sys.stderr)


def dump(db, run: dict, path: Path) -> None:
    """Findings, columns and a digest of every page's facts, canonically, one JSON per line."""
    with open(path, "w", encoding="utf-8") as fh:
        for f in db.execute("SELECT rule, level, url, page, column, unit, message, evidence, fingerprint FROM findings "
                            "WHERE run = ? ORDER BY fingerprint", [run["id"]]):
            fh.write(json.dumps(["finding", *f[:7], json.loads(f[7]), f[8]], ensure_ascii=False, sort_keys=True) + "\n")
        for c in db.execute("SELECT * FROM columns WHERE run = ? ORDER BY url", [run["id"]]):
            fh.write(json.dumps(["column", *c], ensure_ascii=False) + "\n")
        digest = hashlib.sha256()
        for url, facts in db.execute("SELECT url, facts FROM pages WHERE run = ? ORDER BY url", [run["id"]]):
            digest.update(url.encode() + b"\0" + json.dumps(json.loads(facts), sort_keys=True).encode() + b"\0")
        fh.write(json.dumps(["facts", digest.hexdigest()]) + "\n")
        fh.write(json.dumps(["verdict", db.execute("SELECT verdict FROM runs WHERE id = ?", [run["id"]]).fetchone()[0]],
                            ensure_ascii=False) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--run", default="latest")
    ap.add_argument("--in-place", action="store_true", help="work on DB itself, not a copy")
    ap.add_argument("--dump", type=Path, help="write findings, columns and a facts digest here (to compare versions)")
    ap.add_argument("--scale", type=int, help="first make a copy K times larger (needs --out)")
    ap.add_argument("--out", type=Path, help="where --scale writes its database")
    args = ap.parse_args(argv)
    if args.scale:
        if not args.out:
            ap.error("--scale needs --out")
        scale(args.db, args.out, args.scale)
        return 0

    from core import config, store
    from crawler import columns
    from inspector import inspect

    start = vm("VmHWM")
    tmp = None
    path = args.db
    if not args.in_place:
        tmp = Path(tempfile.mkdtemp(prefix="rules-mem-"))
        path = tmp / "run.db"
        shutil.copyfile(args.db, path)
    try:
        db = store.open_db(path)
        run = store.get_run(db, args.run)
        pages = db.execute("SELECT count(*) FROM pages WHERE run = ?", [run["id"]]).fetchone()[0]
        t0 = time.perf_counter()
        columns.build(db, run)
        t1, built = time.perf_counter(), vm("VmHWM")
        found = inspect.evaluate_run(db, run, config.load())
        t2, rules = time.perf_counter(), vm("VmHWM")
        if args.dump:
            dump(db, run, args.dump)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({"db": str(args.db), "run": run["id"], "pages": pages, "findings": found,
                      "columns_s": round(t1 - t0, 1), "rules_s": round(t2 - t1, 1),
                      "hwm_start_mb": round(start), "hwm_after_columns_mb": round(built),
                      "hwm_after_rules_mb": round(rules)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
