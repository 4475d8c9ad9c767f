"""有效性未标注: a normative document (规范性文件) without its 有效性 (validity) label, with an
empty value, with a value outside the standard set, or with a value that contradicts its column.

A page is a normative document when it is a document page that is not a 政策解读 (column or
title with 解读/图解/问答) and it sits in a column of class normative (profile [columns] class,
or a column or breadcrumb named 规范性文件), or its own 文号 is a normative one (…规〔YYYY〕N号).
A 文号 quoted inside an interpretation or a news item is not the page's own.
Standard values: 有效, 失效, 废止, 已修改/已修订, 部分失效, 尚未生效 (现行有效, 已失效, 已废止 accepted);
a remark in brackets after the value is ignored (有效（2026年3月1日起施行）). A value outside the
set is a 提示 (hint), the others 扣分. Some sites split 现行有效 and 废止和失效 columns: a 失效/废止
document in the first or an 有效 one in the second is reported.
A wrong bracket in the 文号 itself ([2026], (2026), 【2026】) is rule document-number-format.

PASS: 清新政规〔2026〕3号 with 有效性：有效; 有　效　性：现行有效; a 政策解读 quoting 清新政规〔2026〕3号.
FAIL: 清新政规〔2026〕1号 with no 有效性 row; `有 效 性：` with no value; 有效性：长期 (hint);
      有效性：废止 in a 现行有效 column.
"""

from __future__ import annotations

import re

from core.labels import normalise_validity
from core.records import Finding
from rules import content
from rules.options import Option

ID = "missing-validity"
LEVEL = "deduct"
RECHECK = "page"
DESCRIPTION = "有效性未标注: normative documents without a (valid, consistent) 有效性 label"
OPTIONS = {
    "values": Option(list, [], "extra 有效性 values this site uses and accepts (local wording: 继续有效)", item=str),
    "unknown_level": Option(str, "hint", "level of a value outside the standard set", choices=("hint", "deduct")),
    "current_columns": Option(list, ["现行有效"], "column names holding documents in force", item=str),
    "repealed_columns": Option(list, ["废止", "失效"], "column names holding repealed or expired documents", item=str),
}

_STANDARD = "、".join(["有效", "失效", "废止", "已修改", "已修订", "部分失效", "尚未生效"])
_REMARK = re.compile(r"[（(【\[].*?[)）】\]]")


def validity(value: str, extra=()) -> str | None:
    """The standard value of a 有效性 cell (现行有效 → 有效), a local one from ``extra``, or None."""
    value = re.sub(r"[\s\u3000\xa0]+", "", value or "")
    for candidate in (value, _REMARK.sub("", value)):
        known = normalise_validity(candidate)
        if known or candidate in extra:
            return known or candidate
    return None


def _column_mismatch(value: str, page: dict, conf: dict) -> str | None:
    """The column name that contradicts ``value``, or None."""
    for name in content.names(page)[:1]:  # the column itself, not its ancestors
        if value in ("失效", "废止") and any(w in name for w in conf["current_columns"]):
            return name
        repealed = any(w in name for w in conf["repealed_columns"])
        if value in ("有效", "尚未生效") and repealed and not any(w in name for w in conf["current_columns"]):
            return name
    return None


def check(run, conf):
    for page in content.documents(run):
        why = content.normative_reason(page, run.config)
        if not why:
            continue
        meta = content.facts(page).get("metadata") or {}
        number, _source = content.own_number(page)
        raw = meta.get("有效性")
        named = f"（文号 {number}）" if number else ""
        evidence = {"文号": number, "normative_because": why, "value": raw,
                    "column_class": content.column_class(page, run.config)}
        level = "deduct"
        if raw is None:
            reason, message = "missing", f"规范性文件未标注有效性{named}，请在信息公开元数据中补充“有效性”"
        elif not raw.strip():
            reason, message = "empty", f"规范性文件有效性为空{named}：标注了“有效性”但未填写取值"
        else:
            value = validity(raw, conf["values"])
            column = value and _column_mismatch(value, page, conf)
            if value is None:
                reason, level = "unknown", conf["unknown_level"]
                message = f"规范性文件有效性取值“{raw.strip()}”不规范{named}，应为{_STANDARD}之一"
            elif column:
                reason = "column-mismatch"
                message = f"规范性文件有效性为“{value}”，与所在栏目“{column}”不符{named}，请核实有效性或调整栏目"
            else:
                continue
        yield Finding(rule=ID, level=level, message=message, evidence={"reason": reason, **evidence},
                      **content.where(page))

