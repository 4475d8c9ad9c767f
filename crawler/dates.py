"""Dates on Chinese government pages: in text, in URLs, and which one to trust.

Pure functions: no I/O, no exceptions for bad input (they return None).

    >>> parse_date("发布日期：2026年11月12日")
    datetime.date(2026, 11, 12)
    >>> parse_date("[12-30]", as_of=date(2026, 1, 5))
    datetime.date(2025, 12, 30)
    >>> date_from_url("https://www.example.gov.cn/xxgk/202611/t20261112_123.html")
    datetime.date(2026, 11, 12)
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

# Full-width digits and punctuation as typed by editors with a Chinese IME.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９（）［］【】／．－：　",
    "0123456789()[][]/.-: ",
)

# Any of those characters: str.translate is slow on CJK text, so it runs only when one is there.
_HAS_FULL_WIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in _FULL_WIDTH) + "]")

# One pattern per form, tried together so that the *first* date in the text wins.
_DATE_RE = re.compile(
    r"""
    (?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)
  | (?<!\d)(?P<cy>(?:19|20)\d{2})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号]
  | (?<!\d)(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号]
  | [\[(]\s*(?P<bm>\d{1,2})-(?P<bd>\d{1,2})\s*[\])]
  | (?:^|(?<=\s))(?P<am>\d{1,2})-(?P<ad>\d{1,2})(?=\s|$)
    """,
    re.VERBOSE,
)

# URL forms, most precise first. Each yields (year, month, day); day None = month precision.
_URL_PATTERNS = (
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+"),           # TRS article
    re.compile(r"/art/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/art_"),  # Hanweb JCMS
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})/"),               # /2026/1112/
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/"),                # /20261112/
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/"),              # /2021-03/05/ (gov.cn)
    re.compile(r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})/"),              # /2021-03-05/
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})/"),                            # TRS /202611/
)

#: Where best_date() found its date, in priority order ("none" when nothing was found).
DATE_SOURCES = ("metadata", "meta", "list", "url")


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:  # 2026-13-40, 2025-02-29
        return None


def _infer_year(m: int, d: int, as_of: date) -> date | None:
    # A list shows "[12-30]" in early January: it is last December, not a future date.
    year = as_of.year if (m, d) <= (as_of.month, as_of.day) else as_of.year - 1
    return _make(year, m, d)


def parse_date(text: str, as_of: date | None = None) -> date | None:
    """Return the first valid date written in ``text``, or None.

    Full dates (``2026-11-12``, ``2026/11/12``, ``2026.11.12``, ``2026年1月2日``, with or
    without a time) keep their year. Year-less dates (``[11-12]``, ``(11-12)``, a lone
    ``11-12``, ``11月12日``) take the year of ``as_of`` (default: today), or the year
    before when that would lie after ``as_of``. Impossible dates are skipped.
    """
    if not isinstance(text, str) or not text:
        return None
    if as_of is not None and len(text) <= 200:  # list rows and labels repeat: read each once
        return _parse_date_cached(text, as_of)
    return _parse_date(text, as_of)


@lru_cache(maxsize=4096)
def _parse_date_cached(text: str, as_of: date) -> date | None:
    return _parse_date(text, as_of)


def _parse_date(text: str, as_of: date | None) -> date | None:
    if _HAS_FULL_WIDTH.search(text):
        text = text.translate(_FULL_WIDTH)
    for match in _DATE_RE.finditer(text):
        g = match.groupdict()
        if g["y"]:
            found = _make(int(g["y"]), int(g["m"]), int(g["d"]))
        elif g["cy"]:
            found = _make(int(g["cy"]), int(g["cm"]), int(g["cd"]))
        else:
            m, d = next((g[a], g[b]) for a, b in (("zm", "zd"), ("bm", "bd"), ("am", "ad")) if g[a])
            found = _infer_year(int(m), int(d), as_of or date.today())
        if found:
            return found
    return None


def date_from_url(url: str) -> date | None:
    """Return the publication date encoded in an article URL, or None.

    Knows TRS ``tYYYYMMDD_<id>`` and ``/YYYYMM/`` (month precision: the 1st of the month
    is returned), Hanweb ``/art/YYYY/M/D/art_``, ``/YYYY/MMDD/``, ``/YYYYMMDD/``, gov.cn's
    ``/YYYY-MM/DD/`` and ``/YYYY-MM-DD/``.
    """
    if not isinstance(url, str) or not url:
        return None
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(url):
            g = match.groupdict()
            found = _make(int(g["y"]), int(g["m"]), int(g.get("d") or 1))
            if found:
                return found
    return None


def _as_date(value, as_of: date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value, as_of)
    return None


def best_date(
    *,
    meta_pubdate=None,
    metadata_pubdate=None,
    list_date=None,
    url=None,
    as_of: date | None = None,
) -> tuple[date | None, str]:
    """Pick the most reliable publication date and say where it came from.

    Priority: the 发布日期 the page shows (its metadata block or date line) >
    ``<meta name="PubDate">`` (a CMS rewrites it when it regenerates a page: what a reader
    sees wins) > the date beside the list item > the date in the URL. Each argument is a
    string (parsed with :func:`parse_date`) or a ``date``. Returns ``(date, source)`` with source one of
    :data:`DATE_SOURCES`, or ``(None, "none")``. 成文日期 must never be passed: freshness
    is judged on the publication date only.
    """
    candidates = (
        ("metadata", _as_date(metadata_pubdate, as_of)),
        ("meta", _as_date(meta_pubdate, as_of)),
        ("list", _as_date(list_date, as_of)),
        ("url", date_from_url(url) if url else None),
    )
    for source, found in candidates:
        if found:
            return found, source
    return None, "none"
