"""错链 (wrong link): a link that points somewhere a public page must not — an intranet,
loopback or test address, a single-label host, an editor's file:// path, a malformed
scheme, a CMS preview/admin path, a host whose name resolves into private space, or a
domain the site has left (rules.wrong-link.old_domains). Never fetched: flagged.

PASS: http://www.gov.cn/ on a district portal.
FAIL: http://192.168.1.20/wcm/preview.do?docid=1, file:///C:/Users/admin/Desktop/通知.doc, htp://www.x.gov.cn/.
"""

from core.records import Finding
from core.urls import host_of
from rules.options import Option

ID = "wrong-link"
LEVEL = "deduct"
RECHECK = "link"
DESCRIPTION = "错链: links to intranet, test, preview or local addresses, malformed links, old domains"
OPTIONS = {"old_domains": Option(list, [], "domains the site has left: links to them (and their subdomains) are 错链",
                                  item=str)}

REASONS = {
    "private-address": "内网地址", "loopback-address": "本机地址", "localhost": "本机地址 (localhost)",
    "single-label-host": "内网主机名", "internal-host": "内网域名", "test-host": "测试/预发布环境域名",
    "cms-admin-path": "内容管理系统后台或预览地址", "file-scheme": "本地文件路径 (file://)",
    "malformed-scheme": "网址协议书写错误", "malformed-url": "网址格式错误", "resolves-private": "域名解析到内网地址",
    "old-domain": "已停用的旧域名",
}


def check(run, conf):
    for c in run.checks("outcome IN ('wrong-link', 'not-checked-private')"):
        reason = c["detail"] if c["outcome"] == "wrong-link" else "resolves-private"
        yield from _findings(run, c["url"], reason, c["detail"])
    old = {d.lower().strip(".") for d in conf["old_domains"]}
    if old:
        for c in run.checks("outcome NOT IN ('wrong-link', 'not-checked-private')"):
            host = host_of(c["url"])
            if host in old or any(host.endswith("." + d) for d in old):
                yield from _findings(run, c["url"], "old-domain", f"{host} is a retired domain")


def _findings(run, url, reason, detail):
    label = REASONS.get(reason.split(":")[-1].strip(), None) or REASONS.get(reason, reason)
    for s in _distinct_sources(run.links_to(url)):
        yield Finding(
            rule=ID, level=LEVEL, url=url, page=s["source"],
            message=f"错链：{label}，链接文字「{s['text'] or s['tag']}」",
            evidence={"reason": reason, "detail": detail, "tag": s["tag"], "attr": s["attr"], "text": s["text"]},
        )


def _distinct_sources(sources):
    seen = set()
    for s in sources:
        if s["source"] not in seen:
            seen.add(s["source"])
            yield s
