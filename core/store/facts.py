"""Reading a run back: its facts (pages, links, checks, columns) for rules and reports, and its
findings."""

from __future__ import annotations

import json
from typing import Iterator

from core.store.writer import batched


class Facts:
    """Read access to one run's facts: what rules and reports are computed from.
    `config` is the configuration the rules are evaluated with (site profile included).

    Pages and columns are streamed, a batch of rows at a time in URL order: a run's pages are
    never all in memory together, so the rules pass stays bounded whatever the site's size.
    Only the home page(s) are kept (read once, several rules ask)."""

    BATCH = 200  # rows read per query while streaming

    def __init__(self, db, run: dict, config=None):
        self.db, self.run, self.id, self.config = db, run, run["id"], config
        self._homes = None

    def checks(self, where: str = "1", params=()) -> list[dict]:
        rows = self.db.execute(f"SELECT * FROM checks WHERE run = ? AND ({where}) ORDER BY url", [self.id, *params])
        return [_decode(dict(zip([c[0] for c in rows.description], r)), "redirects") for r in rows.fetchall()]

    def links_to(self, url: str) -> list[dict]:
        return list(self.db["links"].rows_where("run = ? AND url = ?", [self.id, url], order_by="seq"))

    def links_from(self, source: str) -> list[dict]:
        """The links of one stored page (url, text, tag, attr), in page order."""
        return list(self.db["links"].rows_where("run = ? AND source = ?", [self.id, source], order_by="seq",
                                                select="url, text, tag, attr"))

    def documents(self, urls: list[str]) -> list[dict]:
        """Those of `urls` stored as documents in this run ({url, title, published}), in the order
        of `urls`; read a batch at a time."""
        found = {}
        for chunk in batched(dict.fromkeys(urls), 200):
            found.update((url, {"url": url, "title": title, "published": published}) for url, title, published in
                         self.db.execute(f"SELECT url, json_extract(facts, '$.title'), json_extract(facts, '$.published') "
                                         f"FROM pages WHERE run = ? AND url IN ({','.join('?' * len(chunk))}) "
                                         "AND json_extract(facts, '$.kind') = 'document'", [self.id, *chunk]))
        return [found[url] for url in dict.fromkeys(urls) if url in found]

    def pages(self, kind: str | None = None) -> Iterator[dict]:
        """The run's pages in URL order, facts decoded, streamed. `kind`: only pages whose
        facts say that kind (the page row's kind when the facts have none)."""
        where, params = "1", []
        if kind:  # the row's kind equals the facts' one (see Writer.page); both are asked, to be exact
            where, params = "kind = ? OR json_extract(facts, '$.kind') = ?", [kind, kind]
        for page in self._stream("pages", where, params):
            page = _decode(page, "facts")
            if kind is None or page["facts"].get("kind", page.get("kind")) == kind:
                yield page

    def homes(self) -> list[dict]:
        """The pages understood as a home page (facts kind "home"), in URL order; read once."""
        if self._homes is None:
            self._homes = [p for p in self.pages("home") if p["facts"].get("kind") == "home"]
        return self._homes

    def columns(self) -> Iterator[dict]:
        """The run's columns (list, content, navigation, uninspectable) in URL order,
        path/pages/items decoded, streamed."""
        for r in self._stream("columns"):
            yield {**r, **{k: json.loads(r[k]) if r.get(k) else [] for k in ("path", "pages", "items")}}

    def _stream(self, table: str, where: str = "1", params=()) -> Iterator[dict]:
        """Rows of `table` for this run in URL order, BATCH rows per query (keyset paging: no
        statement stays open between batches, so a consumer may write meanwhile)."""
        after = None
        while True:
            page = "" if after is None else "AND url > ?"
            rows = self.db.execute(f"SELECT * FROM {table} WHERE run = ? {page} AND ({where}) ORDER BY url LIMIT ?",
                                   [self.id, *([] if after is None else [after]), *params, self.BATCH])
            names = [c[0] for c in rows.description]
            batch = rows.fetchall()
            for row in batch:
                yield dict(zip(names, row))
            if len(batch) < self.BATCH:
                return
            after = batch[-1][names.index("url")]

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {table} WHERE run = ?", [self.id]).fetchone()[0]


def _decode(row: dict, key: str) -> dict:
    row[key] = json.loads(row[key]) if row.get(key) else ([] if key == "redirects" else {})
    return row


# ---------------------------------------------------------------- findings
def save_rules(db, rules) -> None:
    """Record the rules (dicts of id, name, level, description) the findings are named by."""
    with db.conn:
        db["rules"].insert_all(rules, pk="id", replace=True)


def rule_names(db) -> dict[str, str]:
    """Rule id -> its Chinese name (断链, 错链 …), as last recorded by save_rules."""
    return dict(db.execute("SELECT id, name FROM rules").fetchall())


def findings(db, run_id: int) -> list[dict]:
    return [_decode(f, "evidence") for f in db["findings"].rows_where("run = ?", [run_id], order_by="rule, url, page")]
