"""三审标注缺失: an article lacking any of the three review labels (拟稿人/审核人/发布人, or the
site's own convention) in a column whose articles must carry them.

Which columns: those the site profile marks `review_labels = true` ([columns."/path/"]); a
column marked `review_labels = false` is never checked. Without a profile entry the column's
own habit decides: where at least `majority` of its documents (and at least `min_articles`
of them) carry review labels, the ones lacking them are findings. A label printed without a
name (审核人：) counts as missing. The convention is `convention` when set, else the one the
column's labelled articles use most (拟稿-审核-发布, 编辑-审核-签发, 初审-复审-终审).

PASS: 工作动态, 8 of 10 articles with 拟稿人：刘洋 审核人：赵敏 发布人：王五 — those 8;
      镇街动态 where no article carries labels (no profile entry).
FAIL: the 2 工作动态 articles without labels; an article with 拟稿人 and 发布人 but no 审核人;
      any unlabelled article in a column the profile marks review_labels = true.
"""

from __future__ import annotations

from collections import Counter

from core.labels import DEFAULT_REVIEW_LABELS, missing_review_labels, review_convention, review_labels
from core.records import Finding
from rules import content
from rules.options import Option

ID = "missing-review-labels"
LEVEL = "deduct"
DESCRIPTION = "三审标注缺失: articles without 拟稿人/审核人/发布人 where the column requires them"


def convention_roles(name: str) -> tuple[str, ...] | None:
    """The roles of a `convention` value: None for "" (each column's own), a known convention's
    roles, or the site's own roles separated by "/"; ValueError for a single role."""
    name = name.strip()
    if not name:
        return None
    if name in DEFAULT_REVIEW_LABELS:
        return DEFAULT_REVIEW_LABELS[name]
    roles = tuple(r.strip() for r in name.split("/") if r.strip())
    if len(roles) < 2:
        raise ValueError(f"{name!r} is neither {', '.join(DEFAULT_REVIEW_LABELS)} nor roles separated by '/'")
    return roles


OPTIONS = {
    "majority": Option(float, 0.6, "share of a column's articles carrying labels that makes the labels its rule",
                       low=0, high=1),
    "min_articles": Option(int, 3, "fewer documents than this in a column: no majority rule", low=1),
    "convention": Option(str, "", "\"\" = the one the column uses most; 拟稿-审核-发布, 编辑-审核-签发, 初审-复审-终审; "
                                  "or the site's own roles separated by / (撰稿人/核稿人/签发人)", check=convention_roles),
}


def _found(page: dict, custom: tuple[str, ...] | None) -> dict:
    """Role → name of the review labels on the page (understood facts; re-read for custom roles)."""
    f = content.facts(page)
    found = dict(f.get("review") or {})
    if custom:  # the site's own roles: the understood facts only know the standard ones
        found.update(review_labels(f.get("text") or "", {"site": custom}))
    return found


def _group(page: dict) -> str:
    col = content.column(page)
    return col["url"] or col["name"] or "?"


def _convention(group: dict, conf: dict, custom) -> tuple[str, ...] | None:
    """The roles a column's articles must carry, or None when the column is not judged."""
    required, articles = group["required"], group["articles"]
    if required is False:
        return None
    if not required and (articles < conf["min_articles"] or group["labelled"] / articles < conf["majority"]):
        return None
    used = group["used"]
    used.pop(None, None)
    return custom or DEFAULT_REVIEW_LABELS[used.most_common(1)[0][0] if used else next(iter(DEFAULT_REVIEW_LABELS))]


def check(run, conf):
    # Two passes over the documents, streamed: the first learns each column's habit (how many
    # articles, how many labelled, with which convention), the second judges each article by it.
    custom = convention_roles(conf["convention"])
    groups: dict[str, dict] = {}
    for page in content.documents(run):
        key = _group(page)
        if key not in groups:
            groups[key] = {"required": content.profile(page, run.config).get("review_labels"),
                           "articles": 0, "labelled": 0, "used": Counter(), "complete": 0, "lacking": []}
        found = _found(page, custom)
        groups[key]["articles"] += 1
        if any(found.values()):
            groups[key]["labelled"] += 1
            groups[key]["used"][review_convention(found)] += 1
    for g in groups.values():
        g["roles"] = _convention(g, conf, custom)
    for page in content.documents(run):
        g = groups[_group(page)]
        if g["roles"]:
            found = _found(page, custom)
            missing = missing_review_labels(found, g["roles"])
            if missing:
                g["lacking"].append((content.where(page), missing, found))
            else:
                g["complete"] += 1
    for g in groups.values():
        roles, required, complete = g["roles"], g["required"], g["complete"]
        why = "网站配置要求本栏目标注三审信息" if required else f"本栏目{g['articles']}篇文章中{complete}篇已完整标注"
        for where, missing, found in g["lacking"]:
            what = "未标注三审信息" if len(missing) == len(roles) else "三审信息不全"
            yield Finding(
                rule=ID, level=LEVEL,
                message=f"{what}：缺少{'、'.join(missing)}（{why}“{'/'.join(roles)}”）",
                evidence={"missing": missing, "found": found, "convention": list(roles),
                          "required_by": "profile" if required else "majority",
                          "labelled": g["labelled"], "complete": complete, "articles": g["articles"]},
                **where,
            )
