"""Page understanding measured on the real-page corpus: saved pages of real government
portals (tests/corpus/<portal>/<name>.html, byte for byte) and the hand labels beside them
(<name>.toml, read off the page by a person). Each page is decoded as the crawler decodes it
(w3lib's HTML decoding, Scrapy's: GBK and GB2312 read as GB18030), read by `understand()`
under its labelled URL, and compared field by field with the labels.

    python -m tests.crawler.test_corpus       # the per-field table in Markdown, and the misses

Extra corpus folders (development only): PORTAL_CORPUS=dir1:dir2. A label key that is absent
was not labelled and is not scored; "" or [] means the page shows none.

How a label is scored (one row of the table each):
  kind          article, document, interpretation -> "document"; column -> "column"; home ->
                "home"; channel and other -> "other" (understand()'s contract: a channel page
                of blocks of sub-columns stands for its column as "navigation", and is judged
                through the columns it links to, not as one list).
  published     on article/document/interpretation pages: the date equals the label; a label ""
                (the page prints no publication date) wants none read from the page's text (a
                date from the PubDate meta tag or the URL is allowed: the tool says so).
  list rows     on pages with labelled rows (blocks give counts only): the page passes when >= 95 % of
                its rows are among the items read, with the labelled date.
  newest        the newest dated item read equals the labelled newest date; on a home, column or
                channel page labelled with none (its lists print no dates), no dated item is read.
  next page     a labelled next page is among the list's further pages (which the crawler
                follows); on a column page labelled with no next page, none is announced.
  column        the column name (a document's column, or the column a list page stands for).
  breadcrumb    the trail without 首页-like crumbs and without the document's own title.
  metadata      each labelled field (spaces removed, dates as ISO dates) equals the value read.
  文号, 有效性   equal to the label ("" = none read).
  review        every labelled 三审/责任编辑 role is read with its name, and no other role.
  identity      each labelled footer item equals the one read: icp, psb and site_code by their
                digits (the tool writes a filing in one form), jiucuo and dzjg as present or not.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from w3lib.encoding import html_to_unicode

from core import toml
from core.labels import ROLE_VARIANTS, normalise_validity
from core.urls import canonical
from crawler.dates import parse_date
from crawler.layout import HOME_NAMES
from crawler.links import extract_links, parse_html, redirect_links, redirect_target
from crawler.metadata import METADATA_LABELS
from crawler.understand import understand

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
# Issue 10 asks for 60 pages of 10 portals; 45 of 27 portal folders were found with provenance so far
# (tests/corpus/SOURCES-*.md say what was searched). The floor keeps the test from passing on a
# corpus too small to mean anything; raise it as pages are added.
MIN_PAGES, MIN_PORTALS = 45, 10
ROW_SHARE = 0.95
# field -> target share of right answers (None: reported, not a target of issue 10)
TARGETS = {
    "kind": 0.97, "published": 0.95, "list rows": 0.95, "newest": 0.95, "next page": 0.90,
    "review": 0.90, "metadata": 0.98, "文号": None, "有效性": None, "column": None, "breadcrumb": None,
    "identity": None,
}
KINDS = {"article": "document", "document": "document", "interpretation": "document", "column": "column",
         "home": "home", "channel": "other", "other": "other"}
DOCUMENT_KINDS = {"article", "document", "interpretation"}
IDENTITY = {"icp": "icp", "psb": "psb", "site_code": "site_id_code", "jiucuo": "jiucuo", "dzjg": "dzjg"}
_SPACE = re.compile(r"[\s\u3000\xa0]+")


def folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("PORTAL_CORPUS", "").split(os.pathsep) if p]
    return [f for f in [CORPUS, *extra] if f.is_dir()]


def labelled_pages() -> list[Path]:
    return sorted(p for f in folders() for p in f.glob("*/*.toml") if p.with_suffix(".html").is_file())


def read(label_file: Path) -> tuple[dict, dict]:
    """(labels, facts) of one corpus page."""
    labels = toml.loads(label_file.read_text(encoding="utf-8"))
    body = label_file.with_suffix(".html").read_bytes()
    _encoding, text = html_to_unicode(None, body)  # what Scrapy's response.text does
    doc = parse_html(text)
    title = (doc.findtext(".//title") or "").strip() if doc is not None else ""
    url = page_url(label_file, labels)
    facts = understand(doc, url, title, _as_of(labels))
    # the kind the crawler stores: a page that only redirects (meta refresh, script) is "redirect"
    links = extract_links(doc, url) + redirect_links(doc, url) if doc is not None else []
    if redirect_target([(canonical(link.url), link.tag) for link in links]):
        facts["kind"] = "redirect"
    return labels, facts


def page_url(label_file: Path, labels: dict) -> str:
    """The page's labelled URL; for a page saved without one (url = ""), a URL that tells the
    tool nothing: neither a home page's nor an article's pattern."""
    return labels.get("url") or f"http://corpus.invalid/{label_file.parent.name}/{label_file.stem}"


def _as_of(labels: dict) -> date:
    """The day the page is read as of: the date it was saved, when labelled, else a day after
    its newest labelled date (year-less list dates take their year from it)."""
    saved = parse_date(str(labels.get("saved", "")))
    if saved:
        return saved
    days = [parse_date(str(v)) for v in (labels.get("newest"), labels.get("published")) if v]
    days += [parse_date(str(r.get("date", ""))) for r in labels.get("rows") or [] if isinstance(r, dict)]
    days = [d for d in days if d]
    return max(days) if days else date(2026, 11, 20)


def flat(value) -> str:
    return _SPACE.sub("", str(value or ""))


def same_value(expected, found) -> bool:
    """Equal once spaces are removed, or the same date written two ways."""
    a, b = flat(expected), flat(found)
    if a == b:
        return True
    da, db = parse_date(a), parse_date(b)
    return bool(da) and da == db and len(a) <= 20 and len(b) <= 20


def same_title(expected: str, found: str) -> bool:
    """Equal, or one a cut (… / ...) start of the other."""
    a, b = flat(expected), flat(found)
    if a == b:
        return True
    cut_a, cut_b = a.rstrip(".…"), b.rstrip(".…")
    return bool(cut_a and cut_b) and (a != cut_a and b.startswith(cut_a) or b != cut_b and a.startswith(cut_b))


@dataclass
class Score:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, page: str, detail: str = "") -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(f"{page}: {detail}")

    @property
    def share(self) -> float | None:
        """The share of right answers; None when no page is labelled for the field."""
        return self.right / self.total if self.total else None


def labelled_rows(labels: dict) -> list[dict]:
    """The labelled list rows (a block's rows are labelled as a count: not scored as rows)."""
    return [r for r in labels.get("rows") or [] if isinstance(r, dict)]


def score_page(name: str, labels: dict, facts: dict, scores: dict[str, Score]) -> None:
    kind = labels.get("kind")
    if kind in KINDS:
        got = "other" if facts["kind"] == "redirect" else facts["kind"]  # a redirect-only page: judged for nothing
        scores["kind"].add(got == KINDS[kind], name, f"{kind} read as {facts['kind']}")
    if "published" in labels and kind in DOCUMENT_KINDS:
        want, got = labels["published"], facts["published"]
        ok = (got is None or facts["published_source"] in ("meta", "url")) if not want else got == str(parse_date(str(want)))
        scores["published"].add(ok, name, f"{want!r} read as {got!r} ({facts['published_source']})")
    items = facts["list"]["items"]
    rows = labelled_rows(labels)
    if rows:
        found = [r for r in rows if any(same_title(r.get("title", ""), i["title"]) and i["date"] == _iso(r.get("date"))
                                        for i in items)]
        missed = [r.get("title", "") for r in rows if r not in found]
        scores["list rows"].add(len(found) >= ROW_SHARE * len(rows), name,
                                f"{len(found)}/{len(rows)} rows, missed e.g. {missed[:2]}")
    if "newest" in labels and (labels["newest"] or kind in ("home", "column", "channel")):
        dated = [i["date"] for i in items if i.get("date")]
        got = max(dated) if dated else None
        scores["newest"].add(got == _iso(labels["newest"]), name, f"{labels['newest']} read as {got}")
    if "next_page" in labels and (labels["next_page"] or kind == "column"):
        pages = {canonical(u) for u in facts["list"]["pages"]}
        want = labels["next_page"]
        ok = canonical(want) in pages if want else not pages
        scores["next page"].add(ok, name, f"{want or 'none'} among {sorted(pages)[:4]}")
    if labels.get("column"):
        scores["column"].add(flat(facts["column"]["name"]) == flat(labels["column"]), name,
                             f"{labels['column']} read as {facts['column']['name']!r}")
    if labels.get("breadcrumb"):
        own = {flat(labels.get("title"))} if kind in DOCUMENT_KINDS else set()
        want = [flat(n) for n in labels["breadcrumb"] if n not in HOME_NAMES and flat(n) not in own]
        got = [flat(n) for n in facts["column"]["path"] if flat(n) not in own]
        scores["breadcrumb"].add(want == got, name, f"{want} read as {got}")
    for key, value in (labels.get("metadata") or {}).items():
        got = facts["metadata"].get(METADATA_LABELS.get(key, key))  # synonyms as the tool folds them
        scores["metadata"].add(same_value(value, got), name, f"{key}={value!r} read as {got!r}")
    if "doc_number" in labels and (labels["doc_number"] or kind in DOCUMENT_KINDS):
        got = facts["doc_number"] or ""
        scores["文号"].add(flat(got) == flat(labels["doc_number"]), name, f"{labels['doc_number']!r} read as {got!r}")
    if "validity" in labels and (labels["validity"] or kind in DOCUMENT_KINDS):
        got = normalise_validity(facts["metadata"].get("有效性") or "") or ""
        want = normalise_validity(labels["validity"]) or flat(labels["validity"])
        scores["有效性"].add(got == want, name, f"{labels['validity']!r} read as {got!r}")
    if "review" in labels and (labels["review"] or kind in DOCUMENT_KINDS):
        want = {flat(ROLE_VARIANTS.get(k, k)): flat(v) for k, v in labels["review"].items()}  # 责任编辑: 编辑
        got = {flat(k): flat(v) for k, v in facts["review"].items()}
        scores["review"].add(want == got, name, f"{want} read as {got}")
    for key, value in (labels.get("identity") or {}).items():
        if key in IDENTITY:
            got = facts["identity"][IDENTITY[key]]
            # a filing is its number: the tool writes every 公网安备 and ICP filing in one form
            ok = bool(got) == value if isinstance(value, bool) else _digits(got) == _digits(value)
            scores["identity"].add(ok, name, f"{key}={value!r} read as {got!r}")


def _digits(value) -> str:
    return re.sub(r"\D", "", str(value or "")) if value else ""


def _iso(value) -> str | None:
    found = parse_date(str(value or ""))
    return found.isoformat() if found else None


def measure() -> tuple[dict[str, Score], int, int]:
    """Scores per field over the corpus, the number of pages and of portals."""
    scores = {name: Score() for name in TARGETS}
    pages = labelled_pages()
    for label_file in pages:
        labels, facts = read(label_file)
        score_page(f"{label_file.parent.name}/{label_file.stem}", labels, facts, scores)
    return scores, len(pages), len({p.parent for p in pages})


def table(scores: dict[str, Score], pages: int, portals: int) -> str:
    lines = [f"{pages} pages of {portals} portals.", "", "| field | right | share | target |", "|---|---|---|---|"]
    for name, s in scores.items():
        target = TARGETS[name]
        share = "no page labelled" if s.share is None else f"{s.share:.0%}"
        lines.append(f"| {name} | {s.right} / {s.total} | {share} | {f'≥ {target:.0%}' if target else '—'} |")
    return "\n".join(lines)


def misses(scores: dict[str, Score]) -> str:
    return "\n".join(f"  {name}: {m}" for name, s in scores.items() for m in s.misses)


def test_understanding_meets_the_targets_on_the_real_page_corpus():
    scores, pages, portals = measure()
    if pages < MIN_PAGES or portals < MIN_PORTALS:
        message = f"the corpus has {pages} pages of {portals} portals; at least {MIN_PAGES} of {MIN_PORTALS} wanted"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message + " (a failure under CI)")
    report = table(scores, pages, portals) + "\nmisses:\n" + misses(scores)
    print(report)
    # a target no labelled page tests is not met either
    below = [n for n, s in scores.items() if TARGETS[n] and (s.share is None or s.share < TARGETS[n])]
    assert not below, f"below target: {below}\n{report}"


def test_every_label_file_names_its_page_url_and_a_known_kind():
    for label_file in labelled_pages():
        labels = toml.loads(label_file.read_text(encoding="utf-8"))
        assert labels.get("url") == "" or str(labels.get("url")).startswith(("http://", "https://")), label_file
        assert labels.get("kind") in KINDS, label_file


if __name__ == "__main__":
    found, n_pages, n_portals = measure()
    print(table(found, n_pages, n_portals))
    if "--misses" in sys.argv:
        print("\nmisses:\n" + misses(found))
