"""inspector.columns: a run's pages aggregated into columns, and documents placed in the
column that lists them (with the list's date when they had no better one)."""

from core import store
from tests.rules.runs import SITE, document, item, list_page, make_run, other_page


def test_items_are_merged_and_deduplicated_over_the_list_pages(tmp_path):
    a = item("区政府召开常务会议", "2026-11-18")
    pinned = item("关于公布重点工作任务分工的通知", "2025-12-01", pinned=True)
    first = list_page("/xwzx/gzdt/index.html", "工作动态", [pinned, a])
    second = list_page("/xwzx/gzdt/index.html", "工作动态", [a, item("无日期的一则", None)],
                       page_url=SITE + "/xwzx/gzdt/index_1.html")
    run = make_run(tmp_path, [second, first, other_page("/zwgk/jgzn.html", "机构职能", "content")])
    columns = {c["name"]: c for c in run.columns()}
    gzdt = columns["工作动态"]
    assert gzdt["pages"] == [SITE + "/xwzx/gzdt/index.html", SITE + "/xwzx/gzdt/index_1.html"]
    assert [i["title"] for i in gzdt["items"]] == ["关于公布重点工作任务分工的通知", "区政府召开常务会议", "无日期的一则"]
    assert (gzdt["kind"], gzdt["newest"], gzdt["item_count"], gzdt["undated"]) == ("list", "2026-11-18", 3, 1)
    assert (columns["机构职能"]["kind"], columns["机构职能"]["items"]) == ("content", [])


def test_documents_learn_their_listing_column_and_its_date(tmp_path):
    listed = item("新桥镇推进农村人居环境整治", "2026-11-02", path="/zjdt/content_499.html")
    page = document("/zjdt/content_499.html", "新桥镇推进农村人居环境整治")  # no breadcrumb, no date of its own
    dated = document("/xwzx/gzdt/202611/t20261118_1.html", "常务会议", "/xwzx/gzdt/", published="2026-11-18")
    run = make_run(tmp_path, [list_page("/zjdt/index.html", "镇街动态", [listed]), page, dated])
    facts = {p["url"]: p["facts"] for p in store.Facts(run.db, run.run).pages()}
    placed = facts[SITE + "/zjdt/content_499.html"]
    assert placed["column"]["url"] == SITE + "/zjdt/index.html" and placed["column"]["name"] == "镇街动态"
    assert (placed["published"], placed["published_source"]) == ("2026-11-02", "list")
    assert facts[SITE + "/xwzx/gzdt/202611/t20261118_1.html"]["column"]["url"] == SITE + "/xwzx/gzdt/"
