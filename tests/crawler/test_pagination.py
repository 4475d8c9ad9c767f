"""Script-announced TRS pagination is followed; nothing is guessed."""

from crawler.pagination import script_pages


def test_classic_trs_call():
    assert script_pages('createPageHTML(3, 0, "index", "html");', "http://a.cn/xwzx/gzdt/index.html") == [
        "http://a.cn/xwzx/gzdt/index_1.html", "http://a.cn/xwzx/gzdt/index_2.html"]


def test_newer_trs_call_with_a_div_id_first_and_shtml():
    assert script_pages("createPageHTML('page_div',4,1,'index','shtml',20);", "http://a.cn/x/") == [
        "http://a.cn/x/index_1.shtml", "http://a.cn/x/index_2.shtml", "http://a.cn/x/index_3.shtml"]


def test_count_from_the_countpage_variable():
    script = "var countPage = 3;//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, 'index', 'html');"
    assert script_pages(script, "http://a.cn/x/index.html") == ["http://a.cn/x/index_1.html", "http://a.cn/x/index_2.html"]


def test_a_single_page_or_no_pager_announces_nothing():
    assert script_pages('createPageHTML(1, 0, "index", "html");', "http://a.cn/x/") == []
    assert script_pages("var jpage = new JPage(); // Hanweb dataproxy.jsp", "http://a.cn/col/col1/index.html") == []
