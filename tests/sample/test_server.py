"""The sample portal server: host dispatch, encodings, planted defects, request log.

Every request goes to 127.0.0.1 with an explicit Host header; nothing leaves the loopback.
"""
import http.client
import select
import socket
import time
from urllib.parse import quote

import pytest

from inspector.profile import load
from inspector.sample.server import AS_OF, EXTERNAL_HOST, HERE, PROFILE, SITE_HOST, PortalServer


@pytest.fixture(scope="module")
def portal():
    with PortalServer() as srv:
        yield srv


def fetch(portal, path, host=SITE_HOST, method="GET", timeout=5, read=True):
    conn = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=timeout)
    conn.request(method, path, headers={"Host": host, "User-Agent": "portal-inspector-tests"})
    resp = conn.getresponse()
    body = resp.read() if read and method != "HEAD" else b""
    conn.close()
    return resp, body


def test_api_basics(portal):
    assert portal.base_url == f"http://{SITE_HOST}/"
    assert AS_OF == "2026-11-20"
    entries = portal.connect_to()
    assert f"{SITE_HOST}:80:127.0.0.1:{portal.port}" in entries
    assert f"{EXTERNAL_HOST}:80:127.0.0.1:{portal.port}" in entries
    closed = [e for e in entries if e.startswith("www.closed-demo.cn:80:127.0.0.1:")]
    assert len(closed) == 1
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(closed[0].rsplit(":", 1)[1])), timeout=2).close()


def test_host_dispatch(portal):
    resp, body = fetch(portal, "/")
    assert resp.status == 200
    assert resp.getheader("Content-Type") == "text/html; charset=utf-8"
    html = body.decode("utf-8")
    assert "清河市新北区人民政府" in html and "苏ICP备12345678号-1" in html and "32041102000123" in html
    assert fetch(portal, "/index.html")[1] == body
    resp, body = fetch(portal, "/", host=f"{EXTERNAL_HOST}:80")  # port in Host is stripped
    assert resp.status == 200 and "协作平台" in body.decode("utf-8")
    assert fetch(portal, "/gone.html", host=EXTERNAL_HOST)[0].status == 404
    resp, body = fetch(portal, "/", host="www.example.org")
    assert resp.status == 404 and body == b"unknown host"


def test_gbk_page_and_chinese_file_names(portal):
    resp, body = fetch(portal, "/gbk/index.html")
    assert resp.status == 200
    assert resp.getheader("Content-Type") == "text/html"  # no charset: the meta tag decides
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    html = body.decode("gb18030")
    assert 'charset=gb2312' in html and "附件/工作报告.pdf" in html
    ok = fetch(portal, "/gbk/" + quote("附件/工作报告.pdf"))[0]  # UTF-8 percent-encoding, as browsers send
    assert ok.status == 200 and ok.getheader("Content-Type") == "application/pdf"
    assert fetch(portal, "/gbk/" + quote("附件/工作报告.pdf", encoding="gbk"))[0].status == 404
    assert fetch(portal, "/gbk/" + quote("附件/会议纪要.doc"))[0].status == 404  # the planted broken one


def test_redirect_chain_and_loop(portal):
    first = fetch(portal, "/old/notice.html")[0]
    assert first.status == 301 and first.getheader("Location") == f"http://{SITE_HOST}/temp/notice.html"
    second = fetch(portal, "/temp/notice.html")[0]
    assert second.status == 302
    final_path = second.getheader("Location").split(SITE_HOST, 1)[1]
    resp, body = fetch(portal, final_path)
    assert resp.status == 200 and "关于调整部分公交线路的通告" in body.decode("utf-8")
    assert fetch(portal, "/loop-a.html")[0].getheader("Location").endswith("/loop-b.html")
    assert fetch(portal, "/loop-b.html")[0].getheader("Location").endswith("/loop-a.html")
    assert fetch(portal, "/xwzx/gzdt/202610/t20261015_0999.html")[0].getheader("Location") == f"http://{SITE_HOST}/"
    resp, body = fetch(portal, "/404.html")
    assert resp.status == 200 and "您访问的页面不存在" in body.decode("utf-8")


@pytest.mark.parametrize("path,status", [
    ("/zt/2025zt/index.html", 404), ("/zwgk/ysqgk/index.html", 403),
    ("/xwzx/gzdt/202508/t20250801_0777.html", 410), ("/hdjl/wsdc/index.html", 500),
    ("/images/banner-2025.jpg", 404), ("/zwgk/gfxwj/202606/P020260610123456789012.pdf", 404),
    ("/col/col1234/index_1.html", 404), ("/xwzx/gzdt/index_1.html", 200),
    ("/xwzx/index.html;jsessionid=ABC123", 200), ("/xwzx/index.html?jsessionid=XYZ", 200),
])
def test_statuses(portal, path, status):
    assert fetch(portal, path)[0].status == status


def test_busy_then_ok(portal):
    portal.reset()
    resp = fetch(portal, "/busy.html")[0]
    assert resp.status == 503 and resp.getheader("Retry-After") == "1"
    assert fetch(portal, "/busy.html")[0].status == 200
    portal.reset()
    assert fetch(portal, "/busy.html")[0].status == 503


def test_head_rules_and_big_download(portal):
    portal.reset()
    assert fetch(portal, "/files/big-report.pdf", method="HEAD")[0].status == 405
    assert fetch(portal, "/files/notice.doc", method="HEAD")[0].status == 404
    assert fetch(portal, "/files/notice.doc")[0].status == 200
    assert fetch(portal, "/index.html", method="HEAD")[0].status == 200
    conn = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=5)
    conn.request("GET", "/files/big-report.pdf", headers={"Host": SITE_HOST})
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Type") == "application/pdf"
    assert int(resp.getheader("Content-Length")) == 5 * 1024 * 1024
    assert resp.read(1024).startswith(b"%PDF")
    resp.close()
    conn.close()  # abort mid-body, as a checker should
    answers = lambda: [s[3] for s in portal.spans].count("/files/big-report.pdf")  # noqa: E731
    deadline = time.time() + 30
    while answers() < 2 and time.time() < deadline:
        time.sleep(0.05)  # until the server has given up this GET's answer too (the HEAD's came first)
    assert answers() == 2 and 0 < portal.bytes_sent["/files/big-report.pdf"] < 5 * 1024 * 1024


def test_robots_and_calendar(portal):
    resp, body = fetch(portal, "/robots.txt")
    assert resp.status == 200 and body.decode() == "User-agent: *\nDisallow: /private/\n"
    assert fetch(portal, "/private/report.html")[0].status == 200  # exists, but robots forbids it
    html = fetch(portal, "/calendar/?date=2031-02-28")[1].decode("utf-8")
    assert 'href="?date=2031-02-27"' in html and 'href="?date=2031-03-01"' in html


def test_slow_routes_do_not_block_others(portal):
    portal.reset()
    hanging = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=5)
    hanging.request("GET", "/hang.html", headers={"Host": SITE_HOST})
    try:
        deadline = time.time() + 30
        while ("GET", SITE_HOST, "/hang.html") not in portal.requests and time.time() < deadline:
            time.sleep(0.02)  # until the server holds the hanging request
        assert ("GET", SITE_HOST, "/hang.html") in portal.requests
        assert fetch(portal, "/index.html")[0].status == 200
        assert select.select([hanging.sock], [], [], 0)[0] == []  # answered while /hang.html still owes its answer
    finally:
        hanging.close()


def test_request_log(portal):
    portal.reset()
    fetch(portal, "/xwzx/gzdt/index.html?x=1")
    fetch(portal, "/about.html", host=EXTERNAL_HOST, method="HEAD")
    assert portal.requests == [("GET", SITE_HOST, "/xwzx/gzdt/index.html?x=1"), ("HEAD", EXTERNAL_HOST, "/about.html")]
    assert portal.bytes_sent["/xwzx/gzdt/index.html"] == (HERE / "site" / "xwzx" / "gzdt" / "index.html").stat().st_size


def _defect_rows():
    import re
    from pathlib import Path

    import inspector.sample
    text = (Path(inspector.sample.__file__).parent / "DEFECTS.md").read_text(encoding="utf-8")
    return re.findall(r"^\| B\d+ \| `(/[^`]+)`[^|]*\|[^|]*\|[^|]*\| http-error (\d+)", text, re.M)


@pytest.mark.parametrize("path,status", _defect_rows())
def test_defects_md_statuses(portal, path, status):
    assert fetch(portal, quote(path))[0].status == int(status)


def test_defects_md_parsed():
    assert len(_defect_rows()) >= 6


def test_the_sample_profile_loads_and_names_real_columns():
    """inspector/sample/profile.toml (the demo's): every [columns] path is a folder of the sample
    site, every entry and the site default name a 责任单位."""
    config = load(PROFILE)
    assert config.site["id_code"] == "3204110001" and config.site["default_unit"]
    for path, entry in config.columns.items():
        assert (HERE / "site" / path.strip("/")).is_dir(), path
        assert entry.get("unit"), path
    assert len({e["unit"] for e in config.columns.values()}) >= 5
