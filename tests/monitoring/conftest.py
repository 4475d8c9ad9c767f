"""The sample portal inspected four times, changed in between: the history every monitoring
test reads (statuses, reports, waivers, recheck, diff).

run 1 (2026-11-20)  the portal as shipped
run 2 (2026-11-27)  fixed: B6 (网上调查 500 → 200), W3 (cms-admin link removed); new: a broken link
                    and a wrong link on the 招聘公告 page, whose title now carries a <script>
run 3 (2026-11-28)  --max-pages 5, B1 (专题专栏 404) fixed meanwhile: partial, nothing marked fixed
run 4 (2026-11-29)  full: B1 fixed; B6 broken again (reopened)
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from inspector.sample.server import HERE
from tests.conftest import SITE, inspector, network_args

NOTICE = "/xwzx/tzgg/202610/t20261025_1202.html"
HOSTILE_TITLE = "招聘公告<script>document.title='pwned';document.body.setAttribute('data-pwned','1')</script>"
FORMULA = '=HYPERLINK("http://evil.example/","点我")'
PROFILE = """
[site]
name = "清河市新北区人民政府"
id_code = "3204110001"
default_unit = "区政府办公室"
rectify_days = 15

[columns."/xwzx/"]
unit = "区融媒体中心"

[columns."/zwgk/"]
unit = "区政务公开办[信息/公开]科：负责政府信息公开平台日常维护与内容保障工作的科室"
"""
B1 = f"{SITE}/zt/2025zt/index.html"
B2 = f"{SITE}/images/banner-2025.jpg"
B6 = f"{SITE}/hdjl/wsdc/index.html"
W3 = "http://cms-admin/index.html"
NEW_BROKEN = f"{SITE}/xwzx/tzgg/new-gone.html"
NEW_WRONG = "http://192.168.9.9/oa/login.do"


def changed_notice() -> str:
    page = (HERE / "site" / NOTICE.lstrip("/")).read_text(encoding="utf-8")
    page = page.replace('<a href="http://cms-admin/index.html">网上报名系统</a>', "网上报名系统")
    page = page.replace("<title>关于2026年度区级机关公开招聘工作人员的公告_通知公告_清河市新北区人民政府</title>",
                        f"<title>{HOSTILE_TITLE.replace('<', '&lt;')}</title>")
    extra = (f'<p><a href="/xwzx/tzgg/new-gone.html">&lt;img src=x onerror="document.body.dataset.pwned=2"&gt;</a>'
             f'<a href="{NEW_WRONG}">{FORMULA.replace("<", "&lt;")}</a></p>')
    return page.replace("</body>", extra + "</body>")


def crawl(db, portal, as_of, *extra):
    args = network_args(portal)
    args[args.index("--as-of") + 1] = as_of
    result = inspector("crawl", f"{SITE}/", "--db", db, "--config", db.parent / "site.toml", *args, *extra)
    assert result.code in (0, 130), result.err
    return result


def export(db, run="latest", fixed=True):
    out = inspector("export", "--db", db, "--run", run, "--format", "jsonl", *(["--include-fixed"] if fixed else []))
    assert out.code == 0, out.err
    return [json.loads(line) for line in out.out.splitlines()]


@pytest.fixture(scope="session")
def history_db(portal, tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    (folder / "site.toml").write_text(PROFILE, encoding="utf-8")
    db = folder / "history.db"
    portal.reset()
    portal.overrides.clear()
    try:
        crawl(db, portal, "2026-11-20")
        portal.overrides["/hdjl/wsdc/index.html"] = (200, "<html><head><title>网上调查</title></head><body>网上调查</body></html>")
        portal.overrides[NOTICE] = (200, changed_notice())
        crawl(db, portal, "2026-11-27")
        portal.overrides["/zt/2025zt/index.html"] = (200, "<html><head><title>专题</title></head><body>专题</body></html>")
        crawl(db, portal, "2026-11-28", "--max-pages", "5")
        del portal.overrides["/hdjl/wsdc/index.html"]
        crawl(db, portal, "2026-11-29")
    finally:
        portal.overrides.clear()
    return db


@pytest.fixture
def history_copy(history_db, tmp_path):
    """A copy to change (waivers, rechecks) without touching the shared history."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(history_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    (tmp_path / "site.toml").write_text(PROFILE, encoding="utf-8")
    return copy
