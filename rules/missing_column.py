"""缺少栏目: the 政府信息公开 专栏, one of its four standard sub-columns (指南, 制度, 法定主动公开内容,
年报) or a required 法定主动公开内容 catalogue item (条例 第二十条, 第二十一条) was not found.

The catalogue and its aliases are data (rules/data/catalogue.toml, with the articles it comes
from): an item is present when a column inside the 专栏 (by breadcrumb, by URL folder, or linked
from a 专栏 page) has a name containing one of its aliases. Which items are required depends on
the site, read from its name (site.name, else the home page's SiteName and title, else the
footer's 主办 line) and its 网站标识码: a government portal (…省/市/区/县人民政府) is held to the
whole 第二十条 catalogue, a 设区的市 or 县级 (区, 县, 旗, 自治州…) government's also to 第二十一条;
a department's site (…局, 委, 办, 厅…) and a site the name does not place to the core set
(机构职能, 法规文件, 规划信息, 财政预决算, 人事信息). The profile overrides: `site_kind` (province,
city, county, township, department) or the list itself, `required = [...]`; aliases are added with
[rules.missing-column.catalogue]. One finding per missing item, naming it and its article; only
the 专栏 itself when it is missing. Judged on a complete crawl from the home page only (a spot
check, a crawl started at a column or a cut-short crawl has not seen the whole site).

PASS: 区人民政府 with the four sub-columns and every 第二十条 and 第二十一条 item (统计信息, 重大建设项目,
      征地…); 市教育局 with the four sub-columns and the core set.
FAIL: 区人民政府 without 统计信息 or 重大建设项目; no 政府信息公开年报 column in the 专栏; no column
      named like 政府信息公开 at all.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from core import toml
from core.records import Finding
from rules.columns import DATA, columns, config_of, home_page, pages, whole_site
from rules.options import Option

ID = "missing-column"
LEVEL = "deduct"
DESCRIPTION = "缺少栏目: the 政府信息公开 专栏, its standard sub-columns and required catalogue items"


@lru_cache(maxsize=1)
def data() -> dict:
    with open(DATA / "catalogue.toml", "rb") as fh:
        return toml.load(fh)


def _aliases(catalogue: dict) -> None:
    """ValueError unless every catalogue entry is a list of alias strings."""
    for name, aliases in catalogue.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"{name!r} must be a list of alias strings, not {aliases!r}")


OPTIONS = {
    "zhuanlan": Option(list, list(data()["zhuanlan"]), "names of the 政府信息公开 专栏", item=str),
    "site_kind": Option(str, "auto", "the kind of site, which decides the items required (auto: from its name "
                        "and 网站标识码)", choices=("auto", "province", "city", "county", "township", "department")),
    "required": Option(list, [], "法定主动公开内容 items required (names of rules/data/catalogue.toml, or new ones); "
                       "[] = those of the site's kind", item=str),
    "catalogue": Option(dict, {}, "item name → extra aliases (a column name part, or a URL path starting with /)",
                        check=_aliases),
}
# kind -> (the articles whose items it must disclose, how the finding names it); a department
# and an unplaced site: the core items only
KINDS = {"province": ((20,), "省级人民政府"), "city": ((20, 21), "设区的市级人民政府"),
         "county": ((20, 21), "县级人民政府"), "township": ((20,), "乡镇人民政府"), "department": ((), "政府部门")}
ARTICLES = {20: "第二十条", 21: "第二十一条"}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")  # 直辖市: provincial governments
_GOVERNMENT = re.compile(r"(省|自治区|市|州|盟|地区|区|县|旗|乡|镇|街道)(人民政府|行政公署|办事处)(门户网站|门户|网站|网)?$")
_DEPARTMENT = re.compile(r"(局|委|委员会|办|办公室|厅|署|中心|院|所|站|部|会|处|队)(门户网站|网站|网)?$")
_LEVEL = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city", "地区": "city",
          "区": "county", "县": "county", "旗": "county", "乡": "township", "镇": "township", "街道": "township"}
_HOST_LINE = re.compile(r"主办(?:单位)?[:：\s]*([\u4e00-\u9fff（）()]+)")


def site_kind(run, conf) -> tuple[str, str]:
    """(kind, the name or code that decided it): a key of KINDS, or "" when nothing places the site."""
    if conf["site_kind"] != "auto":  # checked when the profile is loaded (OPTIONS)
        return conf["site_kind"], "profile"
    for name in _names(run):
        if m := _GOVERNMENT.search(name):
            level = _LEVEL[m.group(1)]
            if level == "city" and name.startswith(_MUNICIPALITIES) and name[3:4] in ("人", "政"):
                level = "province"  # 上海市人民政府, not 上海市浦东新区人民政府
            return level, name
        if _DEPARTMENT.search(name):
            return "department", name
    code = (config_of(run).site.get("id_code") or _home_facts(run).get("identity", {}).get("site_id_code") or "")
    if code.lower().startswith("bm"):  # a ministry's own code (bm + 8 digits)
        return "department", code
    return "", ""


def _home_facts(run) -> dict:
    home = home_page(run)
    return (home or {}).get("facts") or {}


def _names(run):
    """The site's names, most authoritative first: the profile's, the home page's SiteName,
    the parts of its title, the footer's 主办 line."""
    facts = _home_facts(run)
    yield config_of(run).site.get("name") or ""
    yield (facts.get("meta") or {}).get("SiteName") or ""
    yield from re.split(r"[_|\-–—\s]+", facts.get("title") or "")
    if m := _HOST_LINE.search((facts.get("identity") or {}).get("footer") or ""):
        yield m.group(1)


def required(run, conf) -> tuple[list[str], str, str]:
    """(the catalogue items required of this site, its kind, what decided it)."""
    kind, basis = site_kind(run, conf)
    if conf["required"]:
        return list(conf["required"]), kind, "profile"
    articles = KINDS.get(kind, ((), ""))[0]
    return [name for name, item in data()["catalogue"].items()
            if item.get("core") or item.get("article") in articles], kind, basis


def matches(name: str, url: str | None, aliases) -> bool:
    path = urlsplit(url or "").path
    return any(path.startswith(a) if a.startswith("/") else a in (name or "") for a in aliases)


def locate(run, names) -> dict | None:
    """The 专栏 column ({"name", "url", "path"}) — the shallowest column so named — or None."""
    wanted = {n for n in names} | {f"{n}专栏" for n in names}
    found = [c for c in columns(run) if c["name"] in wanted]
    return min(found, key=lambda c: (len(c["path"]), c["url"])) if found else None


def scope(run, zhuanlan: dict) -> list[tuple[str, str | None]]:
    """(name, url) of every column and column link inside the 专栏."""
    folder = str(PurePosixPath(urlsplit(zhuanlan["url"]).path).parent)
    name = zhuanlan["name"]

    def inside(url, path) -> bool:
        return name in (path or []) or (folder not in ("/", ".") and urlsplit(url or "").path.startswith(folder + "/"))

    found = {(c["name"], c["url"]): None for c in columns(run) if inside(c["url"], c["path"])}
    for page in pages(run):  # each distinct (name, url) once: every page of the 专栏 repeats its navigation
        facts = page.get("facts") or {}
        if page["url"] == zhuanlan["url"] or inside(page["url"], (facts.get("column") or {}).get("path")):
            found.update({(link["name"], link["url"]): None for link in facts.get("links_to_columns") or []})
    return list(found)


def check(run, conf):
    if not whole_site(run):
        return
    zhuanlan = locate(run, conf["zhuanlan"])
    if zhuanlan is None:
        home = home_page(run)
        url = home["url"] if home else run.run.get("start_url", "")
        yield Finding(rule=ID, level=LEVEL, url=f"{url}#missing=政府信息公开", page=url, column="政府信息公开",
                      message="缺少栏目：未找到政府信息公开专栏（政府信息公开 / 政务公开）",
                      evidence={"item": "政府信息公开", "looked_for": conf["zhuanlan"]})
        return
    present = scope(run, zhuanlan)
    catalogue = {name: list(item.get("aliases", [name])) for name, item in data()["catalogue"].items()}
    for name, aliases in conf["catalogue"].items():  # the profile adds aliases or new items
        catalogue[name] = catalogue.get(name, [name]) + list(aliases)
    items, kind, basis = required(run, conf)
    wanted = [(n, "standard", a) for n, a in data()["standard"].items()]
    wanted += [(n, "catalogue", catalogue.get(n, [n])) for n in items]
    for item, group, aliases in wanted:
        if any(matches(n, u, aliases) for n, u in present):
            continue
        what = "标准子栏目" if group == "standard" else "法定主动公开内容目录项"
        article = ARTICLES.get(data()["catalogue"].get(item, {}).get("article"))
        why = f"（《政府信息公开条例》{article}，{KINDS[kind][1]}）" if article and kind in KINDS else ""
        yield Finding(
            rule=ID, level=LEVEL, url=f"{zhuanlan['url']}#missing={item}", page=zhuanlan["url"],
            column=zhuanlan["name"], column_url=zhuanlan["url"],
            message=f"缺少栏目：{zhuanlan['name']}专栏中未找到{what}「{item}」{why}",
            evidence={"item": item, "group": group, "aliases": aliases, "article": article, "site_kind": kind,
                      "site_kind_from": basis, "columns_seen": sorted({n for n, _u in present if n})[:60]},
        )
