"""站点无法访问: the home page could not be opened in this run (one probe of the indicator's
"≥ 20 probes a day for a week, ≥ 5 % failed → veto"; nightly runs build the series in the history).

A failure to connect, a timeout (the indicator's 15 s), an HTTP error or an error page on the start
URL is a finding on the site itself; the run's other facts then say little. A run started below the
home page (a spot check of a column) says 页面无法访问 instead: it did not probe the home page.

PASS: the start page answers 200 within the timeout.
FAIL: connection refused, DNS failure, a timeout, HTTP 503 after retries.
"""

from core.records import BROKEN, Finding, outcome_text
from core.urls import canonical
from rules.columns import started_at_home

ID = "site-unreachable"
LEVEL = "deduct"
DESCRIPTION = "站点无法访问: the home page cannot be opened (one probe of the availability indicator)"
OPTIONS: dict = {}


def check(run, conf):
    start = run.run["start_url"]
    for c in run.checks("url = ?", [canonical(start)]):
        if c["outcome"] in BROKEN:
            yield Finding(rule=ID, level=LEVEL, url=start, page=start,
                          message=f"{'首页' if started_at_home(run) else '页面'}无法访问："
                                  f"{outcome_text(c['outcome'], c['status'], c['detail'] or '')}",
                          evidence={"outcome": c["outcome"], "status": c["status"], "detail": c["detail"],
                                    "elapsed": c["elapsed"], "checked": c["checked"], "redirects": c["redirects"]})
