"""缺少年度报告: no 政府信息公开工作年度报告 for the previous year once its deadline has passed.

条例 第四十九条: each body publishes the previous year's report by 31 January (local rules give
a government until 31 March: `deadline = "03-31"`). Before the deadline the year before that is
required. A title must *be* the report (`清河市新北区人民政府2025年政府信息公开工作年度报告`,
`2025年度政府信息公开工作年度报告（全文）`); a notice about it (`关于做好2025年政府信息公开工作年度报告
编制工作的通知`) or its 解读 does not count. Titles of list items and of documents are read.
Judged on a complete crawl from the home page only.

PASS: as of 2026-11-20, 「清河市新北区人民政府2025年政府信息公开工作年度报告」 is listed.
FAIL: as of 2026-11-20, only the 2024 report and a notice mentioning the 2025 report.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from core.records import Finding
from rules.columns import columns, home_page, pages, today, whole_site
from rules.options import Option

ID = "missing-annual-report"
LEVEL = "deduct"
DESCRIPTION = "缺少年度报告: the previous year's 政府信息公开工作年度报告 is not published after its deadline"


def deadline_day(deadline: str) -> tuple[int, int]:
    """(month, day) of an MM-DD deadline; ValueError when it is no day of every year."""
    try:
        month, day = (int(x) for x in deadline.split("-"))
        date(2023, month, day)  # not a leap year: 02-29 would not exist every year
    except ValueError:
        raise ValueError(f"{deadline!r} is not a deadline like 01-31 (MM-DD)") from None
    return month, day


OPTIONS = {"deadline": Option(str, "01-31", "the previous year's report is due by this day (MM-DD; local rules: 03-31)",
                              check=deadline_day)}

_REPORT = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:[\u4e00-\u9fff]{0,20}?)政府信息公开(?:工作)?年度?报告$")
_NOT_THE_REPORT = ("关于", "通知", "编制", "做好", "报送", "提交", "印发", "征集", "解读", "图解", "目录", "通报")
_TRAILER = re.compile(r"[\s\u3000]*([（(【\[][^）)】\]]*[）)】\]]|\.(pdf|docx?|wps|ofd))[\s\u3000]*$", re.I)


def report_year(title: str) -> int | None:
    """The year a title is *the* annual report of, or None (a notice about it is None)."""
    title = re.sub(r"\s+", "", title or "")
    while _TRAILER.search(title):
        title = _TRAILER.sub("", title)
    if any(w in title for w in _NOT_THE_REPORT):
        return None
    match = _REPORT.search(title)
    return int(match.group(1)) if match else None


def due_year(as_of: date, deadline: str) -> int:
    """The report year that must be out on `as_of`."""
    month, day = deadline_day(deadline)
    return as_of.year - 1 if as_of > date(as_of.year, month, day) else as_of.year - 2


def titles(run) -> Iterator[tuple[str, str]]:
    """(title, url) of every list item and document of the run, streamed."""
    for c in columns(run):
        yield from ((i["title"], i["url"]) for i in c["items"])
    for page in pages(run, "document"):
        facts = page.get("facts") or {}
        if facts.get("kind") == "document":
            yield (facts.get("meta") or {}).get("ArticleTitle") or facts.get("title") or "", page["url"]


def check(run, conf):
    if not whole_site(run):
        return
    as_of = today(run)
    year = due_year(as_of, conf["deadline"])
    seen = {}
    for title, url in titles(run):
        found = report_year(title)
        if found:
            seen.setdefault(found, (title, url))
    if year in seen:
        return
    column = next((c for c in columns(run) if "年报" in c["name"] or "年度报告" in c["name"]), None)
    home = home_page(run)
    url = column["url"] if column else (home["url"] if home else run.run.get("start_url", ""))
    yield Finding(
        rule=ID, level=LEVEL, url=url, page=url, column=column["name"] if column else "", column_url=url if column else "",
        message=f"缺少年度报告：截至 {as_of} 未找到 {year} 年政府信息公开工作年度报告（期限 {year + 1}-{conf['deadline']}）",
        evidence={"year": year, "deadline": f"{year + 1}-{conf['deadline']}", "as_of": as_of.isoformat(),
                  "reports_seen": {y: {"title": t, "url": u} for y, (t, u) in sorted(seen.items())}},
    )
