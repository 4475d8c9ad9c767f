"""The label conventions read from a document's text (domain.md): the 三审 review labels
(拟稿人/审核人/发布人 and their local variants), the 文号 and its brackets, the 有效性 value.

Plain text in, values out: no tree, no I/O, no exceptions for bad input (None, "" or an empty
dict instead). The vocabularies are module-level data so that a site's configuration can
extend them.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Whitespace as it appears between the characters of a label (有 效 性, full-width spaces).
SPACE = "\\s\u3000\xa0"

#: 三审 label conventions (local): name → the three roles, in workflow order.
DEFAULT_REVIEW_LABELS = {
    "拟稿-审核-发布": ("拟稿人", "审核人", "发布人"),
    "编辑-审核-签发": ("编辑", "审核", "签发"),
    "初审-复审-终审": ("初审", "复审", "终审"),
}

#: Other names printed for a role, reported as the role (（责任编辑： 某某 ） is the 编辑).
ROLE_VARIANTS = {"责任编辑": "编辑", "责编": "编辑", "审核人员": "审核", "签发人员": "签发"}

VALIDITY_VALUES = {"有效", "失效", "废止", "已修改", "已修订", "部分失效", "尚未生效"}
VALIDITY_SYNONYMS = {"现行有效": "有效", "已失效": "失效", "已废止": "废止"}

#: 文号 brackets: the look-alikes editors type instead of the 六角括号 〔〕.
WRONG_BRACKETS = ("[]", "［］", "()", "（）", "【】", "〖〗", "﹝﹞")


def spaced(word: str) -> str:
    """Regex for ``word`` with any spaces between its characters (有 效 性)."""
    return f"[{SPACE}]*".join(re.escape(ch) for ch in word)


# --- 三审 review labels ---------------------------------------------------------------


def _review_roles(patterns) -> list[str]:
    # Longest first so that 审核人 wins over 审核; sorted fully so the order is stable.
    return sorted({r for roles in patterns.values() for r in roles}, key=lambda r: (-len(r), r))


def _review_regex(roles: list[str]) -> re.Pattern:
    # A bare role also accepts a trailing 人 (签发人：), and a colon is required: 编辑部 is no label.
    alternatives = [
        f"(?P<r{i}>{spaced(role)}{'' if role.endswith('人') else '人?'})" for i, role in enumerate(roles)
    ]
    # The lookahead on the roles' first characters lets the regex engine skip ahead.
    return re.compile(f"{starts(roles)}(?:{'|'.join(alternatives)})[{SPACE}]*[:：]")


def starts(words) -> str:
    """A lookahead for the first characters of ``words`` (regex engines skip fast to them)."""
    return f"(?=[{''.join(sorted({re.escape(w[0]) for w in words if w}))}])" if all(words) and words else ""


@lru_cache(maxsize=64)
def _review_matcher(patterns: tuple) -> tuple[list[str], re.Pattern]:
    """(the names a role may be printed under, the roles among them, their regex)."""
    roles = _review_roles(dict(patterns))
    names = sorted(roles + [v for v, role in ROLE_VARIANTS.items() if role in roles], key=lambda r: (-len(r), r))
    return [ROLE_VARIANTS.get(n, n) for n in names], _review_regex(names)


_NAME_END = re.compile(f"[{SPACE}|｜,，;；)）】\\]]")


def review_labels(text: str, patterns=DEFAULT_REVIEW_LABELS) -> dict[str, str]:
    """Role → name for the 三审 labels in ``text`` (``拟稿人：张三 审核人：李四 发布人：王五``).

    A label printed with no name maps to "". Roles are reported as spelled in ``patterns``;
    a role printed under one of its :data:`ROLE_VARIANTS` (责任编辑) is reported as the role.
    """
    if not isinstance(text, str) or not text:
        return {}
    roles, regex = _review_matcher(tuple((name, tuple(r)) for name, r in patterns.items()))
    matches = list(regex.finditer(text))
    found: dict[str, str] = {}
    for n, match in enumerate(matches):
        role = roles[int(match.lastgroup[1:])]
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        # The name runs to the next label, a gap or a separator.
        name = _NAME_END.split(text[match.end():end].lstrip(" \t\n\u3000\xa0"), maxsplit=1)[0]
        found.setdefault(role, name)
    return found


def review_convention(found: dict[str, str], patterns=DEFAULT_REVIEW_LABELS) -> str | None:
    """The convention whose roles ``found`` uses most, or None when no role was found."""
    scores = {name: sum(r in found for r in roles) for name, roles in patterns.items()}
    name = max(scores, key=scores.get, default=None)
    return name if name and scores[name] else None


def missing_review_labels(found: dict[str, str], convention, patterns=DEFAULT_REVIEW_LABELS) -> list[str]:
    """The roles of ``convention`` (a name in ``patterns`` or a tuple of roles) that are absent
    from ``found`` or carry no name, in workflow order."""
    roles = patterns.get(convention, ()) if isinstance(convention, str) else tuple(convention or ())
    return [role for role in roles if not (found or {}).get(role)]


# --- 文号 ----------------------------------------------------------------------------

_OPENERS = "〔" + "".join(pair[0] for pair in WRONG_BRACKETS)
_CLOSERS = "〕" + "".join(pair[1] for pair in WRONG_BRACKETS)
_WENHAO = re.compile(
    f"(?P<prefix>[\u4e00-\u9fff]{{2,16}})[{SPACE}]*"
    f"(?P<open>[{re.escape(_OPENERS)}])[{SPACE}]*(?P<year>(?:19|20)\\d{{2}})[{SPACE}]*"
    f"(?P<close>[{re.escape(_CLOSERS)}])[{SPACE}]*(?P<no>第?\\d+)[{SPACE}]*号"
)
_YEAR_IN_BRACKETS = re.compile(f"[{re.escape(_OPENERS)}][{SPACE}]*(?:19|20)\\d{{2}}[{SPACE}]*[{re.escape(_CLOSERS)}]")
# Words that end the running text before an issuer's abbreviation (根据国办发〔2019〕19号).
_PREFIX_STOPS = re.compile(r".*(?:印发|转发|根据|按照|依据|参照|关于|贯彻|落实|执行|文件|通知|的|和|及|与|见|号)")
_NORMATIVE = re.compile(f"规字?[{re.escape(_OPENERS)}](?:19|20)\\d{{2}}[{re.escape(_CLOSERS)}]第?\\d+号$")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAS_FULL_DIGIT = re.compile("[０-９]")


def document_number(text: str) -> str | None:
    """The first 文号 in ``text`` (``清新政规〔2026〕3号``), with whatever brackets it was
    written with (``[2026]``, ``（2026）``…), spaces removed; None when there is none."""
    if not isinstance(text, str):
        return None
    if _HAS_FULL_DIGIT.search(text):  # str.translate is slow on CJK text
        text = text.translate(_FULL_DIGITS)
    if not _YEAR_IN_BRACKETS.search(text):  # what every 文号 shows: most texts have none
        return None
    for match in _WENHAO.finditer(text):
        prefix = _PREFIX_STOPS.sub("", match.group("prefix"))
        if len(prefix) < 2:
            continue
        return f"{prefix}{match['open']}{match['year']}{match['close']}{match['no']}号"
    return None


def is_normative_number(wenhao: str) -> bool:
    """True for the normative-document family ``…规〔YYYY〕N号`` / ``…规字〔YYYY〕N号``
    (whatever the brackets: a mis-bracketed number is still a normative one)."""
    return isinstance(wenhao, str) and bool(_NORMATIVE.search(re.sub(f"[{SPACE}]", "", wenhao)))


def bracket_mistake(wenhao: str) -> str | None:
    """The wrong bracket pair around the year (``"【】"``), or None when 〔〕 is used."""
    if not isinstance(wenhao, str):
        return None
    for pair in WRONG_BRACKETS:
        if re.search(f"{re.escape(pair[0])}[{SPACE}]*(?:19|20)\\d{{2}}[{SPACE}]*{re.escape(pair[1])}", wenhao):
            return pair
    return None


# --- 有效性 --------------------------------------------------------------------------


def normalise_validity(value: str) -> str | None:
    """The 有效性 value in :data:`VALIDITY_VALUES` (现行有效 → 有效), or None if empty/unknown."""
    if not isinstance(value, str):
        return None
    value = re.sub(f"[{SPACE}]+", "", value)
    value = VALIDITY_SYNONYMS.get(value, value)
    return value if value in VALIDITY_VALUES else None
