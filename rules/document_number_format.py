"""文号格式: a document's own 文号 (发文字号) written with the wrong brackets around the year.

The year of a 文号 sits in 六角括号 〔〕 (GB/T 9704): `清新政规〔2026〕3号`. Editors type
`[2026]`, `［2026］`, `(2026)`, `（2026）`, `【2026】` or `〖2026〗` instead. A low-severity note
(提示), one per document, for every document page whose own 文号 (metadata 文号, or a number
printed in the title or heading the text) is mis-bracketed; numbers quoted in a sentence are
someone else's document and are left alone.

PASS: 文号：清新政规〔2026〕3号.
FAIL: 文号：清新政办规[2026]1号 (→ 清新政办规〔2026〕1号); 发文字号：清新政发（2026）8号.
"""

from __future__ import annotations

from core.labels import bracket_mistake
from core.records import Finding
from rules import content

ID = "document-number-format"
LEVEL = "hint"
RECHECK = "page"
DESCRIPTION = "文号格式: the year of a 文号 must sit in 〔〕, not [ ], ( ) or 【】"
OPTIONS: dict = {}


def corrected(number: str, pair: str) -> str:
    """``number`` with the wrong bracket ``pair`` replaced by 〔〕."""
    return number.replace(pair[0], "〔", 1).replace(pair[1], "〕", 1)


def check(run, conf):
    for page in content.documents(run):
        number, source = content.own_number(page)
        pair = bracket_mistake(number) if number else None
        if not pair:
            continue
        right = corrected(number, pair)
        yield Finding(
            rule=ID, level=LEVEL,
            message=f"文号“{number}”年份括号使用了“{pair}”，应使用六角括号〔〕：{right}",
            evidence={"文号": number, "brackets": pair, "suggested": right, "source": source},
            **content.where(page),
        )
