"""Real SQLite stores of list, content and navigation pages for the column rules' tests: the
pages a crawl would have stored (facts as crawler.understand gives them), aggregated into the
`columns` table by inspector.columns exactly as after a crawl."""

from __future__ import annotations

import zlib
from pathlib import Path

from core import store
from crawler import columns as aggregation
from crawler.links import Link
from inspector.profile import load as load_profile
from rules import settings

SITE = "http://www.qinghe-xinbei.gov.cn"
ZWGK = ["政府信息公开", "法定主动公开内容"]


def item(title: str, day: str | None, path: str | None = None, pinned: bool = False) -> dict:
    n = zlib.crc32(title.encode()) % 100000
    url = SITE + (path or f"/x/{(day or '2026-01-01').replace('-', '')[:6]}/t{(day or '20260101').replace('-', '')}_{n}.html")
    return {"title": title, "url": url, "date": day, "pinned": pinned}


def blank_facts(kind: str, title: str) -> dict:
    return {"kind": kind, "title": title, "meta": {}, "column": {"url": None, "name": "", "path": [], "kind": None},
            "list": {"kind": "none", "items": [], "pages": []}, "published": None, "published_source": "none",
            "metadata": {}, "doc_number": None, "review": {}, "text": "", "excerpt": "",
            "identity": {"site_id_code": "3204110001", "icp": None, "psb": None, "jiucuo": True, "dzjg": True,
                         "footer": "f1"},
            "links_to_columns": []}


def list_page(path: str, name: str, items=(), parents=(), *, list_kind: str = "static", page_url: str | None = None):
    """A column's list page (`page_url` for its index_N pages)."""
    f = blank_facts("column", f"{name}_清河市新北区人民政府")
    f["column"] = {"url": SITE + path, "name": name, "path": [*parents, name],
                   "kind": "uninspectable" if list_kind == "script" else "list"}
    f["list"] = {"kind": list_kind, "items": list(items), "pages": []}
    return {"url": page_url or SITE + path, "kind": "column", "facts": f}


def other_page(path: str, name: str, column_kind: str, parents=(), links=()):
    """A navigation page (`links`: sub-column names → paths) or a single content page."""
    f = blank_facts("other", f"{name}_清河市新北区人民政府")
    f["column"] = {"url": SITE + path, "name": name, "path": [*parents, name], "kind": column_kind}
    f["links_to_columns"] = [{"name": n, "url": SITE + p} for n, p in dict(links).items()]
    if column_kind == "content":
        f["text"] = f["excerpt"] = f"{name}：主要职能……"
    return {"url": SITE + path, "kind": "other", "facts": f}


def home_page(items=(), links=()):
    f = blank_facts("home", "清河市新北区人民政府")
    f["column"] = {"url": None, "name": "首页", "path": [], "kind": None}
    f["list"] = {"kind": "static", "items": list(items), "pages": []}
    return {"url": SITE + "/", "kind": "home", "facts": f, "links": [SITE + p for p in links]}


def document(path: str, title: str, column_path: str | None = None, published: str | None = None):
    f = blank_facts("document", title)
    f["meta"] = {"ArticleTitle": title}
    f["column"] = {"url": SITE + column_path if column_path else None, "name": "", "path": [], "kind": None}
    f["published"], f["published_source"] = published, "meta" if published else "none"
    return {"url": SITE + path, "kind": "document", "facts": f}


def zhuanlan(*, without=(), extra=()):
    """The pages of a complete 政府信息公开 专栏: four sub-columns and the core catalogue."""
    subs = {"政府信息公开指南": "/zwgk/zfxxgkzn/index.html", "政府信息公开制度": "/zwgk/zfxxgkzd/index.html",
            "法定主动公开内容": "/zwgk/fdzdgknr/index.html", "政府信息公开年报": "/zwgk/zfxxgknb/index.html"}
    catalogue = {"规范性文件": "/zwgk/gfxwj/index.html", "机构职能": "/zwgk/fdzdgknr/jgzn.html",
                 "规划计划": "/zwgk/ghjh/index.html", "财政预决算": "/zwgk/czyjs/index.html",
                 "人事信息": "/zwgk/rsxx/index.html", **dict(extra)}
    subs = {n: p for n, p in subs.items() if n not in without}
    catalogue = {n: p for n, p in catalogue.items() if n not in without}
    pages = [other_page("/zwgk/index.html", "政府信息公开", "navigation", links=subs)]
    if "法定主动公开内容" in subs:
        pages.append(other_page("/zwgk/fdzdgknr/index.html", "法定主动公开内容", "navigation", ["政府信息公开"],
                                links=catalogue))
    for name, path in catalogue.items():
        if name == "机构职能":
            pages.append(other_page(path, name, "content", ZWGK))
        else:
            pages.append(list_page(path, name, [item(f"{name}一则", "2026-10-10")], ZWGK))
    for name in ("政府信息公开指南", "政府信息公开制度", "政府信息公开年报"):
        if name in subs:
            pages.append(list_page(subs[name], name, [item(f"{name}一则", "2026-03-01")], ["政府信息公开"]))
    return pages


def make_run(tmp_path: Path, pages=(), *, profile: str = "", as_of: str = "2026-11-20", settings: dict | None = None,
             status: str = "complete"):
    """A stored run of `pages`, aggregated into columns, read back as rules read it (store.Facts)."""
    path = None
    if profile:
        path = tmp_path / "profile.toml"
        path.write_text(profile, encoding="utf-8")
    config = load_profile(path)
    db = store.open_db(tmp_path / "facts.db")
    run_id = store.start_run(db, site="清河市新北区人民政府", start_url=SITE + "/", as_of=as_of,
                             settings=settings if settings is not None else {"crawl": {"max_depth": 20}})
    writer = store.Writer(db, run_id)
    for page in pages:
        links = [(u, Link(u, page["url"], "", "a", "href")) for u in page.get("links", [])]
        writer.page(page["url"], 1, 200, page["kind"], page["facts"]["title"], "text/html; charset=utf-8", "utf-8",
                    page["facts"], links)
    writer.flush()
    store.finish_run(db, run_id, status=status, counts={"pages": len(pages), "home": SITE + "/"})
    aggregation.build(db, store.get_run(db, run_id))
    return store.Facts(db, store.get_run(db, run_id), config)


def run_rule(module, run, **options) -> list:
    """The findings of one rule module with its defaults and `options`."""
    return list(module.check(run, {**settings(module, {}), **options}))
