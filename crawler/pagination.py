"""List pages announced only by script (TRS WCM and its clones).

TRS writes `createPageHTML(N, current, "index", "html")` (or, in newer templates,
`createPageHTML("page_div", N, current, "index", "html", size)`) and sometimes
`var countPage = N`; the pages are `index_1.html` … `index_{N-1}.html` beside `index.html`.
Nothing is guessed: Hanweb JCMS has no static `index_1.html`, and a guessing pager
reports false broken links there.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

MAX_PAGES = 1000  # a pager claiming more is a template bug, not a list

_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT_VAR = re.compile(r"\b(?:var\s+)?countPage\s*=\s*['\"]?(\d+)")
_EXTENSIONS = {"html", "shtml", "htm", "jsp", "php", "aspx"}


def script_pages(script_text: str, page_url: str) -> list[str]:
    """URLs of the further list pages a TRS pager script announces on `page_url`."""
    prefix, ext, numbers = "index", "html", []
    call = _CALL.search(script_text)
    if call:
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        strings = [a for a in args if a and not a.isdigit()]
        for i, s in enumerate(strings):
            if s.lower() in _EXTENSIONS and i > 0:
                prefix, ext = strings[i - 1], s
    var = _COUNT_VAR.search(script_text)
    # a literal page count in the call wins; `createPageHTML(countPage, …)` uses the variable
    count = numbers[0] if numbers else (int(var.group(1)) if var else None)
    if not count or count < 2 or not re.fullmatch(r"[\w-]+", prefix):
        return []
    count = min(count, MAX_PAGES)
    return [urljoin(page_url, f"{prefix}_{i}.{ext}") for i in range(1, count)]
