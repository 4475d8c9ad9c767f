"""The site's verdict, computed once from the findings on the rectification list and shown the
same everywhere (the crawl summary, the HTML report, the XLSX 汇总, the JSON report):

    veto        True when any veto-level finding (单项否决风险) is open
    veto_items  the single-veto items those findings fall under (严重表述错误 …)
    items       per indicator item: findings, points deducted (capped)
    score       100 less the deductions: an estimate (core/data/scoring.toml says how)
    estimate    "不合格" when a veto item is reached or the score is below the pass mark, else "合格"

The scoring table is data the user can edit: [site] scoring = "path" in the profile."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core import toml
from core.errors import ConfigError

TABLE = Path(__file__).parent / "data" / "scoring.toml"
OTHER_VETO = "其他单项否决项"


@lru_cache(maxsize=8)
def load_table(path: str | None = None) -> dict:
    """The scoring table at `path` (the bundled one by default), checked; ConfigError if bad."""
    where = f"scoring table {path or TABLE}"
    table = toml.read(path or TABLE, where)
    mark, items = table.get("pass_mark", 60), table.get("item")
    if not isinstance(mark, (int, float)) or isinstance(mark, bool) or not 0 <= mark <= 100:
        raise ConfigError(f"{where}: pass_mark must be a number from 0 to 100")
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: no [[item]] tables")
    out = []
    for n, item in enumerate(items, 1):
        name, rules = item.get("name"), item.get("rules")
        points, cap = item.get("points", 0), item.get("cap", 100)
        if not isinstance(name, str) or not name or not isinstance(rules, list) or not all(
                isinstance(r, str) for r in rules):
            raise ConfigError(f"{where}: item {n} needs a name and a list of rule ids")
        for key, value in (("points", points), ("cap", cap)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 100:
                raise ConfigError(f"{where}: item {name}: {key} must be a number from 0 to 100")
        out.append({"name": name, "rules": tuple(rules), "veto": bool(item.get("veto")), "points": float(points),
                    "cap": float(cap)})
    return {"pass_mark": float(mark), "items": tuple(out)}


def compute(findings, table: dict) -> dict:
    """The verdict of the open findings `findings` (dicts with rule, level and evidence)."""
    counted = [{"name": i["name"], "veto": i["veto"], "count": 0, "vetoed": False, "deducted": 0.0}
               for i in table["items"]]
    other_veto = 0
    for f in findings:
        if f["level"] not in ("veto", "deduct"):
            continue  # 提示: suspected, not confirmed
        n = _item_of(f, table["items"])
        if n is None:
            other_veto += f["level"] == "veto"
            continue
        c, item = counted[n], table["items"][n]
        c["count"] += 1
        if f["level"] == "veto":
            c["vetoed"] = True
        else:
            c["deducted"] = min(item["cap"], c["deducted"] + item["points"])
    veto_items = [c["name"] for c in counted if c["vetoed"]] + ([OTHER_VETO] if other_veto else [])
    score = round(max(0.0, 100.0 - sum(c["deducted"] for c in counted)), 1)
    return {
        "veto": bool(veto_items), "veto_items": veto_items, "score": score, "pass_mark": table["pass_mark"],
        "estimate": "不合格" if veto_items or score < table["pass_mark"] else "合格",
        "items": [{**c, "deducted": round(c["deducted"], 1)} for c in counted if c["count"]],
    }


def _item_of(finding: dict, items) -> int | None:
    group = (finding.get("evidence") or {}).get("group")
    keys = {finding["rule"], f"{finding['rule']}:{group}"} if group else {finding["rule"]}
    return next((n for n, item in enumerate(items) if keys & set(item["rules"])), None)


def headline(verdict: dict) -> str:
    """One line: 单项否决风险, the estimated score and the estimate, in Chinese; for a run that
    did not see the whole site, that it is not judged (and the veto findings it saw)."""
    if verdict.get("judged") is False:
        seen = f"；发现单项否决类问题：{'、'.join(verdict['veto_items'])}" if verdict.get("veto") else ""
        return f"全站评价：不评价（{verdict.get('reason', '')}）{seen}"
    veto = f"是（{'、'.join(verdict['veto_items'])}）" if verdict["veto"] else "否"
    return f"单项否决风险：{veto}；估算得分 {verdict['score']:g} 分（{verdict['estimate']}，估算）"
