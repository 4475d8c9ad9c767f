"""空白栏目: a column list page with no item at all (暂无信息, an empty list).

A blank column is a 单项否决 counter (≥ 5 blank columns fail the site, see site-veto); each one
is a 扣分 finding here. Only list columns can be blank: a single content page (机构职能), a
navigation page linking its sub-columns, and a list a script fills from a data endpoint the
crawler cannot read (not inspectable) are never blank. Exempt columns (archived topics, or
`exempt = true` in the profile) are skipped.

PASS: 机构职能 (a content page); 政府信息公开 (navigation); 部门动态 (a JS list: not inspectable).
FAIL: 人事信息 showing only 暂无信息.
"""

from __future__ import annotations

from core.records import Finding
from rules.columns import column_class, columns, config_of

ID = "empty-column"
LEVEL = "deduct"
DESCRIPTION = "空白栏目: list columns without any item"
OPTIONS: dict = {}


def blank(run) -> list[tuple[dict, str]]:
    """(column, class) of every blank list column of the run."""
    config = config_of(run)
    found = []
    for col in columns(run):
        if col["kind"] == "list" and not col["item_count"]:
            klass = column_class(col, config)
            if klass != "exempt":
                found.append((col, klass))
    return found


def check(run, conf):
    for col, klass in blank(run):
        yield Finding(
            rule=ID, level=LEVEL, url=col["url"], page=col["url"], column=col["name"], column_url=col["url"],
            message=f"空白栏目：{col['name']} 无任何信息",
            evidence={"class": klass, "pages": col["pages"], "path": col["path"]},
        )
