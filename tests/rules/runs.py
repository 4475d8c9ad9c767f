"""The one helper of the rules' tests: a real SQLite store holding what a crawl of a portal would
have stored — pages whose facts have the crawler's shape (core.records.PageFacts, every key),
their links and the checks of their targets — aggregated into columns as after a crawl, read
back as the rules read it (store.Facts), and rules run the way an inspection runs them: through
the registry (rules.findings), so option defaults, the profile's [rules] tables (validated as a
profile is), `enabled` and the 责任单位 of each finding's column all apply."""

from __future__ import annotations

import zlib
from dataclasses import replace
from pathlib import Path

from core import store
from core.records import PageFacts, blank_facts
from crawler import columns as aggregation
from crawler.links import Link
from inspector.profile import load as load_profile
from rules import findings, validate

SITE = "http://www.qinghe-xinbei.gov.cn"
ZWGK = ["政府信息公开", "法定主动公开内容"]
IDENTITY = {"site_id_code": "3204110001", "icp": "苏ICP备12345678号-1", "psb": "苏公网安备 32041102000123号",
            "jiucuo": True, "dzjg": True, "footer": "f1"}
META = {"SiteName": "清河市新北区人民政府", "SiteDomain": "www.qinghe-xinbei.gov.cn", "SiteIDCode": "3204110001"}
COLUMNS = {  # name -> (list page path, breadcrumb)
    "工作动态": ("/xwzx/gzdt/index.html", ["首页", "新闻中心", "工作动态"]),
    "镇街动态": ("/col/col1234/index.html", ["首页", "镇街动态"]),
    "通知公告": ("/xwzx/tzgg/index.html", ["首页", "新闻中心", "通知公告"]),
    "规范性文件": ("/zwgk/gfxwj/index.html", ["首页", "政府信息公开", "法定主动公开内容", "规范性文件"]),
    "政策文件": ("/zwgk/zcwj/index.html", ["首页", "政府信息公开", "法定主动公开内容", "政策文件"]),
    "财政预决算": ("/zwgk/czyjs/index.html", ["首页", "政府信息公开", "法定主动公开内容", "财政预决算"]),
    "政策解读": ("/zwgk/zcjd/index.html", ["首页", "政府信息公开", "政策解读"]),
    "现行有效": ("/zwgk/gfxwj/xxyx/index.html", ["首页", "政府信息公开", "规范性文件", "现行有效"]),
    "废止和失效": ("/zwgk/gfxwj/fzsx/index.html", ["首页", "政府信息公开", "规范性文件", "废止和失效"]),
}


# ------------------------------------------------------------ pages
def facts(kind: str, title: str, **values) -> PageFacts:
    """A page's facts as understand() gives them: every key, the site's complete footer."""
    return {**blank_facts(title), "kind": kind, "identity": dict(IDENTITY), **values}


def stored(url: str, f: PageFacts, *, title: str | None = None, links=()) -> dict:
    """A page as the crawler stores it: its URL, <title>, facts and links (`links`: Link records,
    or target URLs linked with <a href> and no text)."""
    return {"url": url, "kind": f["kind"], "title": title if title is not None else f["title"], "facts": f,
            "links": [link if isinstance(link, Link) else Link(link, url, "", "a", "href") for link in links]}


def item(title: str, day: str | None, path: str | None = None, pinned: bool = False) -> dict:
    n = zlib.crc32(title.encode()) % 100000
    url = SITE + (path or f"/x/{(day or '2026-01-01').replace('-', '')[:6]}/t{(day or '20260101').replace('-', '')}_{n}.html")
    return {"title": title, "url": url, "date": day, "pinned": pinned}


def list_page(path: str, name: str, items=(), parents=(), *, list_kind: str = "static", page_url: str | None = None):
    """A column's list page (`page_url` for its index_N pages)."""
    return stored(page_url or SITE + path, facts(
        "column", f"{name}_清河市新北区人民政府",
        column={"url": SITE + path, "name": name, "path": [*parents, name],
                "kind": "uninspectable" if list_kind == "script" else "list"},
        list={"kind": list_kind, "items": list(items), "pages": []}))


def other_page(path: str, name: str, column_kind: str, parents=(), links=()):
    """A navigation page (`links`: sub-column names → paths) or a single content page."""
    text = f"{name}：主要职能……" if column_kind == "content" else ""
    return stored(SITE + path, facts(
        "other", f"{name}_清河市新北区人民政府", text=text, excerpt=text,
        column={"url": SITE + path, "name": name, "path": [*parents, name], "kind": column_kind},
        links_to_columns=[{"name": n, "url": SITE + p} for n, p in dict(links).items()]))


def home_page(items=(), links=()):
    return stored(SITE + "/", facts(
        "home", "清河市新北区人民政府", column={"url": None, "name": "首页", "path": [], "kind": None},
        list={"kind": "static", "items": list(items), "pages": []}), links=[SITE + p for p in links])


def document(path: str, title: str, column_path: str | None = None, published: str | None = None):
    """A document known only by its title, its column's URL and its date (the column rules' view)."""
    return stored(SITE + path, facts(
        "document", title, meta={"ArticleTitle": title},
        column={"url": SITE + column_path if column_path else None, "name": "", "path": [], "kind": None},
        published=published, published_source="meta" if published else "none"))


def doc(path: str, title: str, column: str = "工作动态", *, text: str = "", metadata: dict | None = None,
        review: dict | None = None, published: str | None = "2026-11-10", doc_number: str | None = None,
        identity: dict | None = None, kind: str = "document", meta: dict | None = None) -> dict:
    """A page of a column of COLUMNS (or a column of that name at /<name>/), as the content rules see it."""
    list_path, crumbs = COLUMNS.get(column, (f"/{column}/index.html", ["首页", column]))
    return stored(SITE + path, facts(
        kind, title,
        meta={**META, "ColumnName": column, "ArticleTitle": title,
              **({"PubDate": f"{published} 09:30"} if published else {}), **(meta or {})},
        column={"url": SITE + list_path, "name": column, "path": crumbs, "kind": None},
        published=published, published_source="meta" if published else "none",
        metadata=metadata or {}, doc_number=doc_number if doc_number is not None else (metadata or {}).get("文号"),
        review=review or {}, text=text, excerpt=text[:200],
        identity={**IDENTITY, **(identity or {})}), title=f"{title}_{column}_清河市新北区人民政府")


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


# ------------------------------------------------------------ the run
def make_run(tmp_path: Path, pages=(), profile: str = "", *, checks=(), as_of: str = "2026-11-20",
             settings: dict | None = None, status: str = "complete", start_url: str = SITE + "/",
             below_home: bool = False):
    """A stored run of `pages` and `checks` (Check records), aggregated into columns, read back
    as rules read it, with the site profile `profile` (TOML text); `below_home`: stored as
    inspector.inspect stores a crawl started at a column."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = None
    if profile:
        path = tmp_path / "profile.toml"
        path.write_text(profile, encoding="utf-8")
    config = load_profile(path)
    db = store.open_db(tmp_path / "facts.db")
    run_id = store.start_run(db, site="清河市新北区人民政府", start_url=start_url, as_of=as_of,
                             settings=settings if settings is not None else {"crawl": {"max_depth": 20}})
    writer = store.Writer(db, run_id)
    for page in pages:
        writer.page(page["url"], 1, 200, page["kind"], page["title"], "text/html; charset=utf-8", "utf-8",
                    page["facts"], [(link.url, link) for link in page["links"]])
    for check in checks:
        writer.check(check)
    writer.flush()
    start = {"home": None, "start": "below-home"} if below_home else {"home": start_url, "start": "home"}
    store.finish_run(db, run_id, status=status, counts={"pages": len(pages), **start})
    aggregation.build(db, store.get_run(db, run_id))
    return store.Facts(db, store.get_run(db, run_id), config)


def run_rule(module, run, **options) -> list:
    """The findings of one rule as an inspection gives them, with `options` over the profile's
    [rules.<id>] table (checked as a profile's options are)."""
    table = {**run.config.rules.get(module.ID, {}), **options}
    config = replace(run.config, rules={**run.config.rules, **validate({module.ID: table}, "test")})
    return findings(module.ID, store.Facts(run.db, run.run, config), config)


def by_url(found) -> dict:
    return {f.url.removeprefix(SITE): f for f in found}

