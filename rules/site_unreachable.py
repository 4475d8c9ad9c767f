"""站点无法访问: the home page could not be opened in this run (one probe of the indicator's
"≥ 20 probes a day for a week, ≥ 5 % failed → veto"; nightly runs build the series in the history).

A failure to connect, a timeout (the indicator's 15 s), an HTTP error or an error page on the start
URL is a finding on the site itself; the run's other facts then say little.

PASS: the start page answers 200 within the timeout.
FAIL: connection refused, DNS failure, a timeout, HTTP 503 after retries.
"""

from core.records import BROKEN, Finding, outcome_text
from core.urls import canonical

ID = "site-unreachable"
LEVEL = "deduct"
DESCRIPTION = "站点无法访问: the home page cannot be opened (one probe of the availability indicator)"
DEFAULT = {}


def check(run, conf):
    start = run.run["start_url"]
    for c in run.checks("url = ?", [canonical(start)]):
        if c["outcome"] in BROKEN:
            yield Finding(rule=ID, level=LEVEL, url=start, page=start,
                          message=f"首页无法访问：{outcome_text(c['outcome'], c['status'], c['detail'] or '')}",
                          evidence={"outcome": c["outcome"], "status": c["status"], "detail": c["detail"],
                                    "elapsed": c["elapsed"], "checked": c["checked"], "redirects": c["redirects"]})
