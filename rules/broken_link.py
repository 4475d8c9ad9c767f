"""断链 (broken link): a link, image, script or attachment that cannot be opened.

One finding per broken target, whatever the number of pages linking to it; the evidence
lists where it was linked (page, element, attribute, anchor text) and the redirect chain.
404/403/410 on the site's own pages are confirmed (扣分); network errors, other statuses
and external failures are suspected (提示) until they fail again. Links on the home page
are their own, higher-weight group (the indicator counts them separately); a run started at a
column or an article has no home page, so none of its links is labelled 首页.

PASS: /xwzx/gzdt/index.html answers 200.
FAIL: /xwzx/tpxw/missing.html answers 404 (confirmed); www.dead-host.invalid does not resolve (suspected).
"""

from core.records import BROKEN, Finding, outcome_text
from rules.options import Option

ID = "broken-link"
LEVEL = "deduct"
RECHECK = "target"
DESCRIPTION = "断链: links, images and attachments that cannot be opened"
OPTIONS = {
    "confirmed_statuses": Option(list, [404, 403, 410], "statuses of the site's own pages that confirm a broken link (扣分)",
                                 item=int, low=400, high=599),
    "max_pages_listed": Option(int, 20, "linking pages listed in a finding's evidence", low=1),
}

def check(run, conf):
    home = run.run.get("counts", {}).get("home")
    for c in run.checks("outcome IN (%s)" % ",".join("?" * len(BROKEN)), sorted(BROKEN)):
        sources = run.links_to(c["url"])
        if not sources:
            continue
        on_home = any(s["source"] == home for s in sources)
        sources.sort(key=lambda s: s["source"] != home)
        confirmed = bool(c["same_site"]) and c["outcome"] == "http-error" and c["status"] in conf["confirmed_statuses"]
        what = outcome_text(c["outcome"], c["status"], c["detail"] or "", c["final_url"] or "")
        where = "首页" if on_home else "页面"
        kind = "确认" if confirmed else "疑似"
        count = len({s["source"] for s in sources})
        text = next((s["text"] for s in sources if s["text"]), "")
        anchor = f"，链接文字「{text}」" if text else ""
        yield Finding(
            rule=ID, level="deduct" if confirmed else "hint", url=c["url"], page=sources[0]["source"],
            message=f"{where}{kind}断链：{what}{anchor}（{count} 个页面链接）",
            evidence={
                "outcome": c["outcome"], "status": c["status"], "detail": c["detail"], "confirmed": confirmed,
                "group": "home" if on_home else "other", "final_url": c["final_url"], "redirects": c["redirects"],
                "linked_from_count": count,
                "linked_from": [{k: s[k] for k in ("source", "tag", "attr", "text")}
                                for s in sources[: conf["max_pages_listed"]]],
                "checked": c["checked"],
            },
        )
