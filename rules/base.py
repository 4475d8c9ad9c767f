"""The Finding record every rule yields, and the levels of the national checklist."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

LEVELS = {"veto": "单项否决风险", "deduct": "扣分", "hint": "提示"}


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str  # veto | deduct | hint
    url: str  # the defective thing itself: a link's target, a column's list page, a document
    page: str  # where it was seen (the linking page); equal to url for page-level findings
    message: str
    column: str = ""  # the column's name
    unit: str = ""  # 责任单位, from the site profile
    column_url: str = ""  # the column's list page, to find its unit
    evidence: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Stable across runs: rule + defective URL + where it was seen."""
        return hashlib.sha1(f"{self.rule}\n{self.url}\n{self.page}".encode()).hexdigest()[:16]
