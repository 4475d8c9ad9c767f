"""How the content rules read a page's facts (pages.facts, see crawler/understand.py): which
pages are documents, their column and its class, their own 文号, whether a page is a
政策解读 (policy interpretation) or a normative document (规范性文件), and its date.

Shared by missing-validity, document-number-format, missing-review-labels, mixed-content,
wording-error and missing-site-identity; no rule logic lives here.
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urlsplit

from core.labels import is_normative_number
from core.records import PageFacts
from rules.columns import column_class as shared_column_class

INTERPRETATION_WORDS = ("解读", "图解", "问答", "答记者问", "一图读懂")
# Titles ending in a document type are documents, whatever verbs they contain
# (关于召开…会议的通知, 关于印发《…政策解读工作规定》的通知).
DOCUMENT_ENDINGS = ("通知", "意见", "办法", "规定", "决定", "方案", "细则", "公告", "通告", "批复", "规划",
                    "报告", "公示", "决议", "命令", "函", "纪要", "指南", "目录", "清单", "制度", "规则", "条例",
                    "预算", "决算", "计划", "纲要", "标准", "要点", "通报")
STATUTORY_NAMES = ("法定主动公开内容", "政府信息公开", "政务公开")
# What comes right before a 文号 quoted in a sentence: （清新政规〔2026〕3号）, 根据清新政规〔2026〕3号,
# 详见…; not the 见 of a title ending in 意见 (…的实施意见 苏政规〔2021〕3号: the document's own).
_QUOTED_BEFORE = re.compile(r"(?:[（(《〈、，,和及与]|根据|按照|依据|印发|转发|贯彻|落实|参照|执行|关于|(?<!意)见)[\s\u3000]*$")
_BOOK_TITLE = re.compile(r"《[^《》]*》")
_TRAILING = re.compile(r"[\s\u3000\"“”'‘’《》<>（）()]+$")


def pages(run) -> Iterator[dict]:
    """The run's pages with their decoded facts, in URL order, streamed from the store."""
    return run.pages()


def documents(run) -> Iterator[dict]:
    """The run's document pages (kind document), in URL order, streamed from the store."""
    return run.pages("document")


def facts(page: dict) -> PageFacts:
    return page.get("facts") or {}


def title(page: dict) -> str:
    """The document's own title: ArticleTitle, the metadata 标题, the understood title, <title>."""
    f = facts(page)
    for value in ((f.get("meta") or {}).get("ArticleTitle"), (f.get("metadata") or {}).get("标题"),
                  f.get("title"), page.get("title")):
        if value and value.strip():
            return value.strip()
    return ""


def column(page: dict) -> dict:
    """{"url", "name", "path"} of the page's column, the name falling back to meta ColumnName."""
    f = facts(page)
    col = dict(f.get("column") or {})
    col.setdefault("url", None)
    col["name"] = col.get("name") or (f.get("meta") or {}).get("ColumnName") or ""
    col["path"] = [n for n in col.get("path") or [] if isinstance(n, str)]
    return col


def names(page: dict) -> list[str]:
    """The column's name and its breadcrumb ancestors, the column first."""
    col = column(page)
    return [n for n in [col["name"], *reversed(col["path"])] if n]


def profile(page: dict, config) -> dict:
    """The site profile's [columns] entry for the page's column (by its list URL, else the page URL)."""
    if config is None:
        return {}
    col = column(page)
    for url in (col["url"], page["url"]):
        if url:
            entry = config.column(urlsplit(url).path or "/")
            if entry:
                return entry
    return {}


def column_class(page: dict, config) -> str:
    """normative, dynamic, notice-policy, personnel-planning, disclosure, interaction, exempt or
    unknown: the column rules' reading (profile, name, breadcrumb), then the profile entry
    matching the page's own URL (Hanweb articles live outside their column's folder)."""
    klass = shared_column_class(column(page), config)
    if klass == "unknown":
        klass = profile(page, config).get("class") or klass
    return klass


def is_statutory(page: dict, config) -> bool:
    """In the 政府信息公开 专栏 / 法定主动公开内容 (normative or disclosure columns, or under them)."""
    klass = column_class(page, config)
    if klass in ("normative", "disclosure"):
        return True
    if klass in ("dynamic", "interaction", "exempt"):  # a news, interaction or archive column under the 专栏
        return False
    return any(w in n for n in names(page)[1:] for w in STATUTORY_NAMES)


def in_interpretation_column(page: dict) -> bool:
    return any("解读" in n for n in names(page))


def is_document_title(text: str) -> bool:
    return _TRAILING.sub("", text or "").endswith(DOCUMENT_ENDINGS)


def is_interpretation(page: dict) -> bool:
    """A 政策解读 page: in a 解读 column, or titled 解读/图解/问答 (and not a notice about them)."""
    if in_interpretation_column(page):
        return True
    t = _BOOK_TITLE.sub("《》", title(page))  # 关于印发《政策解读工作规定》的通知 is a notice
    return any(w in t for w in INTERPRETATION_WORDS) and not is_document_title(t)


def own_number(page: dict) -> tuple[str | None, str]:
    """The page's own 文号 and where it came from ("metadata" | "title" | "heading").

    The metadata 文号 wins. A 文号 found elsewhere (doc_number) counts only where a document
    prints its own: in its title or near the top of its text, and not quoted in a sentence
    (（清新政规〔2026〕3号）, 根据…, 印发…): the number a news item, an interpretation or a
    forwarding notice cites is another document's.
    """
    f = facts(page)
    meta = f.get("metadata") or {}
    if meta.get("文号"):
        return meta["文号"], "metadata"
    number = f.get("doc_number")
    if not number:
        return None, ""
    for source, text in (("title", title(page)), ("heading", (f.get("text") or "")[:300 + len(number)])):
        pos = text.find(number)
        if pos >= 0 and not _QUOTED_BEFORE.search(text[max(0, pos - 12):pos]) \
                and not text[pos + len(number):].lstrip().startswith(("）", ")", "，以下", "的")):
            return number, source
    return None, ""


def normative_reason(page: dict, config) -> str:
    """Why the page is a normative document ("column" | "number"), or "" when it is not one."""
    if is_interpretation(page):
        return ""
    if column_class(page, config) == "normative" or any("规范性文件" in n for n in names(page)):
        return "column"
    number, _source = own_number(page)
    return "number" if is_normative_number(number) else ""


def published(page: dict) -> str | None:
    """YYYY-MM-DD: the understood date, else meta PubDate, else the metadata 发布日期/成文日期."""
    f = facts(page)
    for value in (f.get("published"), (f.get("meta") or {}).get("PubDate"),
                  (f.get("metadata") or {}).get("发布日期"), (f.get("metadata") or {}).get("成文日期")):
        m = re.match(r"\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", value or "")
        if m:
            return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return None


def where(page: dict) -> dict:
    """The Finding fields locating a document: url, page, column, column_url."""
    col = column(page)
    return {"url": page["url"], "page": page["url"], "column": col["name"], "column_url": col["url"] or ""}


def context(text: str, start: int, end: int, width: int = 20) -> str:
    """``width`` characters either side of text[start:end], on one line."""
    return re.sub(r"\s+", " ", text[max(0, start - width):end + width]).strip()
