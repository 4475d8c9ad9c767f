"""单项否决风险 (site level): the veto counters of the national checklist (国办秘函〔2019〕19号).

- 栏目不更新 (1): dynamic columns not updated in 2 weeks plus notice/policy (and normative)
  columns not updated in 6 months: ≥ 5 → veto;
- 栏目不更新 (2): columns that should update but have not (every stale column): ≥ 10 → veto;
- 空白栏目: blank columns: ≥ 5 → veto;
- 首页不更新: the home page not updated in 2 weeks → veto.
One finding per counter reached, on the home page; every counter, reached or not, is stored in
the run's verdict (runs.verdict) and shown in the crawl summary. The stale and blank columns are
those of stale-column and empty-column, with their options.

PASS: 2 stale dynamic/notice columns, 4 stale columns in all, 1 blank column, home page fresh.
FAIL: 5 blank columns (空白栏目 5 ≥ 5).
"""

from __future__ import annotations

from core.records import Finding
from rules import empty_column, stale_column, stale_homepage
from rules.columns import config_of, home_page

ID = "site-veto"
LEVEL = "veto"
DESCRIPTION = "单项否决风险: the checklist's veto counters (stale and blank columns, stale home page)"
DEFAULT = {"stale_dynamic_notice": 5, "should_update": 10, "blank": 5}

LABELS = {
    "stale_dynamic_notice": "栏目不更新（动态要闻两周、通知公告政策文件六个月未更新）",
    "should_update": "栏目不更新（应更新而未更新的栏目）",
    "blank": "空白栏目",
    "home_stale": "首页不更新",
}


def counters(run, conf: dict | None = None) -> dict:
    """Every counter: {"count", "threshold", "reached", "columns" (URLs), "names"} by counter id, plus "veto"."""
    conf = {**DEFAULT, **(conf or {})}
    rules = config_of(run).rules
    stale = stale_column.stale(run, {**stale_column.DEFAULT, **rules.get(stale_column.ID, {})})
    blank = empty_column.blank(run)
    home = stale_homepage.stale(run, {**stale_homepage.DEFAULT, **rules.get(stale_homepage.ID, {})})
    found = {
        "stale_dynamic_notice": [s["column"] for s in stale if s["class"] in ("dynamic", "notice-policy", "normative")],
        "should_update": [s["column"] for s in stale],
        "blank": [c for c, _k in blank],
        "home_stale": [{"url": home["home"], "name": "首页"}] if home else [],
    }
    thresholds = {**{k: conf[k] for k in DEFAULT}, "home_stale": 1}
    out = {key: {"label": LABELS[key], "count": len(cols), "threshold": thresholds[key],
                 "reached": len(cols) >= thresholds[key], "columns": [c["url"] for c in cols],
                 "names": [c.get("name") or c["url"] for c in cols]} for key, cols in found.items()}
    return {"veto": any(c["reached"] for c in out.values()), "counters": out}


def check(run, conf):
    verdict = counters(run, conf)
    home = home_page(run)
    url = home["url"] if home else run.run.get("start_url", "")
    for key, c in verdict["counters"].items():
        if c["reached"]:
            yield Finding(
                rule=ID, level=LEVEL, url=f"{url}#veto={key}", page=url, column="",
                message=f"单项否决风险：{c['label']} {c['count']} 个，达到否决线 {c['threshold']}",
                evidence={"counter": key, **c},
            )


SHORT = {"stale_dynamic_notice": "动态/通知类栏目不更新", "should_update": "应更新未更新栏目", "blank": "空白栏目",
         "home_stale": "首页不更新"}


def summary(verdict: dict) -> str:
    """One line for the crawl summary: the veto counters (count/threshold), those reached first."""
    counts = (verdict or {}).get("counters")
    if not counts:
        return "否决线计数：未计算（本次检查未覆盖全站）"
    every = "，".join(f"{SHORT[k]} {c['count']}/{c['threshold']}" for k, c in counts.items())
    reached = [f"{SHORT[k]} {c['count']}/{c['threshold']}" for k, c in counts.items() if c["reached"]]
    head = f"达到否决线：{'，'.join(reached)}" if reached else "均未达到否决线"
    return f"否决线计数：{head}（{every}）"
