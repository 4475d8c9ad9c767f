"""单项否决风险 (site level): the veto counters of the national checklist (国办秘函〔2019〕19号).

- 栏目不更新 (1): dynamic columns not updated in 2 weeks plus notice/policy (and normative)
  columns not updated in 6 months: ≥ 5 → veto;
- 栏目不更新 (2): columns that should update but have not (every stale column): ≥ 10 → veto;
- 空白栏目: blank columns: ≥ 5 → veto;
- 首页不更新: the home page not updated in 2 weeks → veto.
One finding per counter reached, on the home page; every counter, reached or not, is stored in
the run's verdict (runs.verdict) and shown in the crawl summary. Only a complete crawl from the
home page is judged: a spot check, a crawl started at a column, cut short or interrupted has
the verdict "not judged" and its reason. The stale and blank columns are
those of stale-column and empty-column, with their options.

PASS: 2 stale dynamic/notice columns, 4 stale columns in all, 1 blank column, home page fresh.
FAIL: 5 blank columns (空白栏目 5 ≥ 5).
"""

from __future__ import annotations

from core.records import Finding
from rules import empty_column, stale_column, stale_homepage
from rules.columns import config_of, home_page, not_judged
from rules.options import Option, settings

ID = "site-veto"
LEVEL = "veto"
DESCRIPTION = "单项否决风险: the checklist's veto counters (stale and blank columns, stale home page)"
OPTIONS = {
    "stale_dynamic_notice": Option(int, 5, "stale dynamic, notice and normative columns that reach the veto", low=1),
    "should_update": Option(int, 10, "stale columns of any class that reach the veto", low=1),
    "blank": Option(int, 5, "blank columns that reach the veto", low=1),
}

LABELS = {
    "stale_dynamic_notice": "栏目不更新（动态要闻两周、通知公告政策文件六个月未更新）",
    "should_update": "栏目不更新（应更新而未更新的栏目）",
    "blank": "空白栏目",
    "home_stale": "首页不更新",
}


def counters(run, conf: dict | None = None) -> dict:
    """Every counter: {"count", "threshold", "reached", "columns" (URLs), "names"} by counter id, plus
    "veto"; {"judged": False, "reason"} for a run that did not see the whole site (`conf`: this
    rule's options; stale-column's and stale-homepage's come from the run's profile)."""
    if reason := not_judged(run):
        return {"judged": False, "reason": reason}
    conf = conf if conf is not None else {key: option.default for key, option in OPTIONS.items()}
    rules = config_of(run).rules
    stale = stale_column.stale(run, settings(stale_column, rules))
    blank = empty_column.blank(run)
    home = stale_homepage.stale(run, settings(stale_homepage, rules))
    found = {
        "stale_dynamic_notice": [s["column"] for s in stale if s["class"] in ("dynamic", "notice-policy", "normative")],
        "should_update": [s["column"] for s in stale],
        "blank": [c for c, _k in blank],
        "home_stale": [{"url": home["home"], "name": "首页"}] if home else [],
    }
    thresholds = {**{k: conf[k] for k in OPTIONS}, "home_stale": 1}
    out = {key: {"label": LABELS[key], "count": len(cols), "threshold": thresholds[key],
                 "reached": len(cols) >= thresholds[key], "columns": [c["url"] for c in cols],
                 "names": [c.get("name") or c["url"] for c in cols]} for key, cols in found.items()}
    return {"veto": any(c["reached"] for c in out.values()), "counters": out}


def check(run, conf):
    verdict = counters(run, conf)
    home = home_page(run)
    url = home["url"] if home else run.run.get("start_url", "")
    for key, c in verdict.get("counters", {}).items():
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
    if (verdict or {}).get("judged") is False:
        return f"否决线计数：不评价（{verdict['reason']}）"
    counts = (verdict or {}).get("counters")
    if not counts:
        return "否决线计数：未计算（本次检查未覆盖全站）"
    every = "，".join(f"{SHORT[k]} {c['count']}/{c['threshold']}" for k, c in counts.items())
    reached = [f"{SHORT[k]} {c['count']}/{c['threshold']}" for k, c in counts.items() if c["reached"]]
    head = f"达到否决线：{'，'.join(reached)}" if reached else "均未达到否决线"
    return f"否决线计数：{head}（{every}）"
