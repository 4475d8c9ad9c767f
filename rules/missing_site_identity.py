"""网站标识缺失: a page footer without the site identity items of the 功能设计 indicators —
网站标识码 (equal to meta SiteIDCode and to site.id_code when the profile sets it), the ICP filing
(苏ICP备12345678号-1), the public-security filing (苏公网安备 32041102000123号) and the
我为政府网站找错 entry (the 党政机关 badge too when `require` lists "dzjg").

Footers come from templates: pages are grouped by their footer (identity.footer) and each
template lacking something is reported once, on its most prominent page (the home page, else
a list page, else the shortest URL), naming the missing items and counting the pages that
share it. Only pages of the kinds in `kinds` are read (error pages, iframes and application
pages are no site pages).

PASS: footer 网站标识码：3204110001 苏ICP备12345678号-1 苏公网安备 32041102000123号 + 找错 link,
      meta SiteIDCode 3204110001.
FAIL: the old GBK template without the 找错 entry (2 pages, one finding); a footer 网站标识码
      3204110002 on pages whose SiteIDCode is 3204110001; a footer with no ICP number.
"""

from __future__ import annotations

import heapq
import re

from core.records import Finding
from rules import content
from rules.options import Option

ID = "missing-site-identity"
LEVEL = "deduct"
DESCRIPTION = "网站标识缺失: footer without 网站标识码, ICP/公安备案, 找错 entry (per template)"
ITEMS = {"id_code": "网站标识码", "icp": "ICP备案编号", "psb": "公安机关备案号",
         "jiucuo": "“我为政府网站找错”入口", "dzjg": "党政机关网站标识"}
OPTIONS = {
    "require": Option(list, ["id_code", "icp", "psb", "jiucuo"], "footer items every page must show",
                      item=str, choices=tuple(ITEMS)),
    "kinds": Option(list, ["home", "column", "document"], "page kinds whose footer is checked",
                    item=str, choices=("home", "column", "document", "other")),
    "max_pages_listed": Option(int, 20, "pages of a template listed in a finding's evidence", low=1),
}
_RANK = {"home": 0, "column": 1, "document": 2}  # the page a template's finding is shown on
_ID_CODE = re.compile(r"(?:bm\d{8}|\d{10})", re.IGNORECASE)


def _problems(page: dict, identity: dict, require, id_code: str) -> tuple[tuple, str]:
    """(missing item keys, a note on a wrong 网站标识码) for one page."""
    have = {"id_code": identity.get("site_id_code"), "icp": identity.get("icp"), "psb": identity.get("psb"),
            "jiucuo": identity.get("jiucuo"), "dzjg": identity.get("dzjg")}
    missing = tuple(k for k in ITEMS if k in require and not have[k])
    code = have["id_code"]
    note = ""
    if code and "id_code" in require:
        declared = (content.facts(page).get("meta") or {}).get("SiteIDCode") or ""
        if not _ID_CODE.fullmatch(code):
            note = f"网站标识码“{code}”格式不正确（应为10位数字，部委网站为bm加8位数字）"
        elif id_code and code != id_code:
            note = f"网站标识码“{code}”与网站配置的标识码“{id_code}”不一致"
        elif declared and code != declared:
            note = f"页脚网站标识码“{code}”与页面元数据SiteIDCode“{declared}”不一致"
    return missing, note


def check(run, conf):
    id_code = (run.config.site.get("id_code") if run.config else "") or ""
    home = (run.run.get("counts") or {}).get("home")
    # per template: how many pages share it, and only its first pages (the shown one first)
    groups: dict[tuple, dict] = {}
    for page in content.pages(run):
        f = content.facts(page)
        identity = f.get("identity")
        if not isinstance(identity, dict) or f.get("kind", page.get("kind")) not in conf["kinds"]:
            continue
        missing, note = _problems(page, identity, conf["require"], id_code)
        if missing or note:
            group = groups.setdefault((identity.get("footer") or "", missing, note), {"count": 0, "first": []})
            group["count"] += 1
            rank = (page["url"] != home, _RANK.get(f.get("kind"), 3), len(page["url"]), page["url"])
            group["first"] = heapq.nsmallest(conf["max_pages_listed"], [*group["first"], (rank, page)],
                                             key=lambda kept: kept[0])
    for (footer, missing, note), group in groups.items():
        first = group["first"][0][1]
        bare = not footer and len(missing) == len(conf["require"])
        parts = [f"{'页面无页脚，缺少' if bare else '页脚缺少'}{'、'.join(ITEMS[k] for k in missing)}"] if missing else []
        parts += [note] if note else []
        count = f"使用同一页面模板的 {group['count']} 个页面" if group["count"] > 1 else "该页面"
        yield Finding(
            rule=ID, level=LEVEL, message=f"{'；'.join(parts)}（{count}）",
            evidence={"missing": [ITEMS[k] for k in missing], "note": note, "footer": footer,
                      "pages_count": group["count"],
                      "pages": [p["url"] for _rank, p in group["first"]][: conf["max_pages_listed"]],
                      "identity": content.facts(first).get("identity")},
            **content.where(first),
        )
