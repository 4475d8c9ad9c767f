"""缺少栏目: the 政府信息公开 专栏, one of its four standard sub-columns (指南, 制度, 法定主动公开内容,
年报) or a required 法定主动公开内容 catalogue item (条例 第二十条) was not found.

The catalogue and its aliases are data (rules/data/catalogue.toml): an item is present when a
column inside the 专栏 (by breadcrumb, by URL folder, or linked from a 专栏 page) has a name
containing one of its aliases. By default the four sub-columns and a core set are required
(机构职能, 法规文件, 规划信息, 财政预决算, 人事信息); the profile changes the set with
[rules.missing-column] required = [...] and adds aliases with [rules.missing-column.catalogue].
One finding per missing item, naming it; only the 专栏 itself when it is missing. Judged on a
complete crawl from the home page only (a spot check, a crawl started at a column or a
cut-short crawl has not seen the whole site).

PASS: 专栏 政府信息公开 with 指南, 制度, 法定主动公开内容, 年报; 规范性文件, 机构职能, 规划计划, 财政预决算, 人事信息.
FAIL: no 政府信息公开年报 column in the 专栏; no column named like 政府信息公开 at all.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from core import toml
from core.records import Finding
from rules.columns import DATA, columns, home_page, pages, whole_site
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
    "required": Option(list, [name for name, item in data()["catalogue"].items() if item.get("required")],
                       "法定主动公开内容 catalogue items looked for (names of rules/data/catalogue.toml, or new ones)",
                       item=str),
    "catalogue": Option(dict, {}, "item name → extra aliases (a column name part, or a URL path starting with /)",
                        check=_aliases),
}


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
    wanted = [(n, "standard", a) for n, a in data()["standard"].items()]
    wanted += [(n, "catalogue", catalogue.get(n, [n])) for n in conf["required"]]
    for item, group, aliases in wanted:
        if any(matches(n, u, aliases) for n, u in present):
            continue
        what = "标准子栏目" if group == "standard" else "法定主动公开内容目录项"
        yield Finding(
            rule=ID, level=LEVEL, url=f"{zhuanlan['url']}#missing={item}", page=zhuanlan["url"],
            column=zhuanlan["name"], column_url=zhuanlan["url"],
            message=f"缺少栏目：{zhuanlan['name']}专栏中未找到{what}「{item}」",
            evidence={"item": item, "group": group, "aliases": aliases,
                      "columns_seen": sorted({n for n, _u in present if n})[:60]},
        )
