"""Link checks that must give a browser's answer (issue 11): redirects judged by where they
really lead, hrefs resolved as the WHATWG URL standard says, chains counted right."""

from __future__ import annotations

from tests.web import Answer, Web, crawl

SITE = "http://www.a.gov.cn"


def test_redirects_are_judged_by_where_they_lead(tmp_path):
    home = "<html><head><title>清河市人民政府</title></head><body>首页</body></html>"
    pages = {
        "/": "<a href='/old/art1.html'>已删除的文章</a> <a href='/moved/index.html'>迁移的栏目</a>"
             "<a href='/ten/0'>十次跳转</a> <a href='/eleven/0'>十一次跳转</a> <a href='/ftp.html'>FTP</a>"
             "<a href='/cached.html'>304</a>",
        # a deleted article sent to its own home page: the classic 已删除
        "/old/art1.html": Answer(302, location="http://a.gov.cn/index.html"),
        # a column moved to the new portal of another body: its home page is a real answer
        "/moved/index.html": Answer(301, location="http://www.b.gov.cn/"),
        "/ftp.html": Answer(302, location="ftp://ftp.a.gov.cn/files/report.pdf"),
        # 304 is no redirect (Fetch: 301, 302, 303, 307, 308), whatever headers it carries
        "/cached.html": Answer(304, location="/never.html"),
    }
    pages.update({f"/ten/{i}": Answer(302, location=f"/ten/{i + 1}") for i in range(10)})
    pages["/ten/10"] = "<title>第十跳之后</title><p>正文</p>"
    pages.update({f"/eleven/{i}": Answer(302, location=f"/eleven/{i + 1}") for i in range(11)})
    pages["/eleven/11"] = "<title>第十一跳之后</title><p>正文</p>"
    with Web({"www.a.gov.cn": pages, "a.gov.cn": {"/index.html": home}, "www.b.gov.cn": {"/": home}}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    checks = run.checks()
    assert checks[f"{SITE}/old/art1.html"]["outcome"] == "redirect-home"
    assert checks[f"{SITE}/moved/index.html"]["outcome"] == "ok"
    # crawl.max_redirects = 10 (the default): ten hops are allowed, the eleventh is one too many
    assert checks[f"{SITE}/ten/0"]["outcome"] == "ok"
    assert checks[f"{SITE}/eleven/0"]["outcome"] == "too-many-redirects"
    assert ("www.a.gov.cn", "/eleven/11") not in web.requests
    assert (checks[f"{SITE}/cached.html"]["outcome"], checks[f"{SITE}/cached.html"]["status"]) == ("http-error", 304)
    assert ("www.a.gov.cn", "/never.html") not in web.requests
    ftp = checks[f"{SITE}/ftp.html"]
    assert (ftp["outcome"], ftp["detail"].split(":")[0]) == ("error", "unsupported-scheme")
    broken = {f["url"]: f for f in run.findings("broken-link")}
    assert broken[f"{SITE}/ftp.html"]["level"] == "hint"  # suspected: a browser may open ftp:// elsewhere
    assert set(broken) == {f"{SITE}/old/art1.html", f"{SITE}/eleven/0", f"{SITE}/ftp.html", f"{SITE}/cached.html"}


def test_hrefs_are_resolved_as_a_browser_does(tmp_path):
    pages = {
        "/xxgk/index.html": "<a href='uploads//2024/a.pdf'>附件</a> <a href='..//zcwj/b.html'>文件</a>"
                            "<a href='files\\c.doc'>反斜杠</a>",
        "/xxgk/uploads//2024/a.pdf": Answer(body=b"%PDF-1.4", ctype="application/pdf"),
        "//zcwj/b.html": "<title>文件</title>",
        "/xxgk/files/c.doc": Answer(body=b"doc", ctype="application/msword"),
    }
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/xxgk/index.html", tmp_path / "run.db")
    # what Chrome and Firefox request for these hrefs (the WHATWG URL parser keeps empty segments)
    assert {p for _, p in web.requests} >= {"/xxgk/uploads//2024/a.pdf", "//zcwj/b.html", "/xxgk/files/c.doc"}
    assert run.findings("wrong-link") == [] and run.findings("broken-link") == []


def test_a_chunked_attachment_is_read_only_to_its_headers(tmp_path):
    """A file answered without Content-Length (chunked, as gzip'd or generated files are) is
    checked from its headers, as one with a length is: its body is not downloaded."""
    pdf = b"%PDF-1.4\n" + bytes(4 * 1024 * 1024)
    pages = {"/": "<a href='/files/report.pdf'>年度报告</a>",
             "/files/report.pdf": Answer(body=pdf, ctype="application/pdf", sized=False)}
    with Web({"www.a.gov.cn": pages}) as web:
        run = crawl(web, f"{SITE}/", tmp_path / "run.db")
    check = run.checks()[f"{SITE}/files/report.pdf"]
    assert check["outcome"] == "ok"
    assert check["size"] < len(pdf)
