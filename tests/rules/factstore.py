"""Real SQLite stores of page facts (the pages.facts contract of crawler/understand.py) for the
content rules' tests: what a crawl of a portal would have stored, without the crawl."""

from __future__ import annotations

from pathlib import Path

from core import store
from inspector.profile import load as load_profile
from rules import settings

SITE = "http://www.qinghe-xinbei.gov.cn"
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


def doc(path: str, title: str, column: str = "工作动态", *, text: str = "", metadata: dict | None = None,
        review: dict | None = None, published: str | None = "2026-11-10", doc_number: str | None = None,
        identity: dict | None = None, kind: str = "document", meta: dict | None = None) -> dict:
    """One stored page: its URL and the facts understand() gives it."""
    list_path, crumbs = COLUMNS.get(column, (f"/{column}/index.html", ["首页", column]))
    return {
        "url": SITE + path,
        "kind": kind,
        "title": f"{title}_{column}_清河市新北区人民政府",
        "facts": {
            "kind": kind, "title": title,
            "meta": {**META, "ColumnName": column, "ArticleTitle": title,
                     **({"PubDate": f"{published} 09:30"} if published else {}), **(meta or {})},
            "column": {"url": SITE + list_path, "name": column, "path": crumbs},
            "published": published, "published_source": "meta" if published else "none",
            "metadata": metadata or {}, "doc_number": doc_number if doc_number is not None else
            (metadata or {}).get("文号") or None,
            "review": review or {}, "text": text, "excerpt": text[:200],
            "identity": {**IDENTITY, **(identity or {})},
        },
    }


def make_run(tmp_path: Path, pages: list[dict], profile: str = "", as_of: str = "2026-11-20"):
    """A store holding ``pages`` as one complete run, read back as rules read it (store.Facts)."""
    path = None
    tmp_path.mkdir(parents=True, exist_ok=True)
    if profile:
        path = tmp_path / "profile.toml"
        path.write_text(profile, encoding="utf-8")
    config = load_profile(path)
    db = store.open_db(tmp_path / "facts.db")
    run_id = store.start_run(db, site="清河市新北区人民政府", start_url=SITE + "/", as_of=as_of, settings={})
    writer = store.Writer(db, run_id)
    for depth, page in enumerate(pages):
        writer.page(page["url"], min(depth, 3), 200, page["kind"], page["title"], "text/html; charset=utf-8",
                    "utf-8", page["facts"], [])
    writer.flush()
    store.finish_run(db, run_id, status="complete", counts={"pages": len(pages), "home": SITE + "/"})
    return store.Facts(db, store.get_run(db, run_id), config)


def run_rule(module, run, **options) -> list:
    """The findings of one rule module: its defaults, the profile's [rules.<id>] table, ``options``."""
    return list(module.check(run, {**settings(module, run.config.rules), **options}))


def by_url(findings) -> dict:
    return {f.url.removeprefix(SITE): f for f in findings}
