"""Micro-benchmark and output guard for page understanding (`crawler.understand.understand`).

    python bench/understand_bench.py                  # time understand() over the corpus
    python bench/understand_bench.py --profile        # ... and print the cProfile top functions
    python bench/understand_bench.py --dump facts.json   # write the facts of the check corpus
    python bench/understand_bench.py --check facts.json  # compare with a dump: zero differences expected

The timing corpus: a synthetic TRS-like portal (`synth.py`, `--pages`, default 300: home,
columns, articles), every page of the sample portal (inspector/sample/site, the /gbk/ pages
decoded as GB18030) and the saved CMS pages of tests/crawler/html. Pages are parsed with
`crawler.links.parse_html` just before, outside the timer; each pass starts with cold caches
(`understand.clear_caches()` when it exists), and pages are taken in crawl order, so a cache
keyed on the site chrome warms up as it would during a crawl.

The check corpus adds, for every sample and test page, the page read under other URLs (home,
article, list) and seeded random mutations of its tree (elements dropped, classes swapped,
texts changed), so that the branches of `understand()` are exercised beyond the happy path.
`--check` also reads small pages with malformed links (http://[::1) and fails if understand()
raises on any of them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawler import understand as understand_module  # noqa: E402
from crawler.links import parse_html  # noqa: E402
from crawler.understand import understand  # noqa: E402

AS_OF = date(2026, 11, 20)
SAMPLE = ROOT / "inspector" / "sample" / "site"
SAMPLE_HOST = "http://www.qinghe-xinbei.gov.cn"
TEST_HTML = ROOT / "tests" / "crawler" / "html"
QX, XB = "http://www.qingxin.gov.cn", "http://www.qinghe-xinbei.gov.cn"
# The URLs the tests read their saved pages under (others: a document URL of their host).
TEST_URLS = {
    "understand/trs_list.html": f"{QX}/zwgk/tzgg/index.shtml",
    "understand/yearless_list.html": f"{XB}/xwzx/bmdt/list.jsp",
    "understand/hanweb_column.html": "http://www.cznd.gov.cn/col/col7015/index.html",
    "understand/js_list.html": f"{QX}/gkmlpt/index",
    "understand/empty_list.html": f"{QX}/zwgk/rsrm/index.html",
    "understand/navigation.html": f"{QX}/zwgk/",
    "understand/content_page.html": f"{QX}/zwgk/fdzdgknr/jgzn/",
    "understand/document_dates.html": f"{QX}/zwgk/gfxwj/202611/t20261105_2001.html",
    "understand/document_no_meta.html": f"{QX}/zwgk/czxx/content_77881.html",
    "understand/home.html": f"{QX}/",
    "understand/gbk_list.html": f"{XB}/zjdt/index.html",
    "understand/trs_empty_list.html": f"{QX}/zwgk/tjxx/index.shtml",
    "trs_normative.html": f"{QX}/zwgk/gfxwj/202611/t20261112_1001.html",
    "hanweb_document.html": "http://www.cznd.gov.cn/art/2026/1/16/art_1_45.html",
}


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if "/gbk/" in path.as_posix() or "gbk" in path.name:
        return data.decode("gb18030", errors="replace")
    return data.decode("utf-8", errors="replace")


def corpus(pages: int) -> list[tuple[str, str, str]]:
    """[(name, url, html text)] in crawl order: synthetic portal, sample portal, test pages."""
    from synth import SITE_HOST, Portal

    out = []
    portal = Portal(pages, seed=1)
    for i in range(portal.n):
        out.append((f"synth{portal.urls[i]}", f"http://{SITE_HOST}{portal.urls[i]}", portal.page_html(i)))
    for path in sorted(SAMPLE.rglob("*.html")):
        rel = path.relative_to(SAMPLE).as_posix()
        url = f"{SAMPLE_HOST}/" if rel == "index.html" else f"{SAMPLE_HOST}/{rel}"
        out.append((f"sample/{rel}", url, _decode(path)))
    for path in sorted(TEST_HTML.rglob("*.html")):
        rel = path.relative_to(TEST_HTML).as_posix()
        out.append((f"tests/{rel}", TEST_URLS.get(rel, f"{QX}/zwgk/x/202611/t20261112_77.html"), _decode(path)))
    return out


def _title(doc) -> str:
    return (doc.findtext(".//title") or "").strip() if doc is not None else ""


def _clear():
    clear = getattr(understand_module, "clear_caches", None)
    if clear:
        clear()


# ------------------------------------------------------------ timing
def timing(pages: int, reps: int, profile: bool) -> None:
    pages_ = corpus(pages)
    per_page: list[list[float]] = [[] for _ in pages_]
    totals = []
    prof = cProfile.Profile() if profile else None
    for _ in range(reps):
        _clear()
        total = 0.0
        for k, (_n, url, text) in enumerate(pages_):
            doc = parse_html(text)  # just before, as the spider does: the tree is warm in the CPU caches
            title = _title(doc)
            if prof:
                prof.enable()
            t0 = time.perf_counter()
            understand(doc, url, title, AS_OF)
            dt = time.perf_counter() - t0
            if prof:
                prof.disable()
            per_page[k].append(dt)
            total += dt
        totals.append(total)
    medians = [statistics.median(t) for t in per_page]
    groups = {}
    for (name, _u, _t), m in zip(pages_, medians):
        groups.setdefault(name.split("/", 1)[0], []).append(m)
    print(f"{len(pages_)} pages, {reps} passes")
    print(f"total per pass: median {statistics.median(totals) * 1000:.1f} ms (min {min(totals) * 1000:.1f} ms)")
    print(f"per page: median {statistics.median(medians) * 1000:.3f} ms, mean {statistics.mean(medians) * 1000:.3f} ms")
    for g, ms in groups.items():
        print(f"  {g:8} {len(ms):4} pages  median {statistics.median(ms) * 1000:.3f} ms  "
              f"sum {sum(ms) * 1000:.1f} ms")
    if prof:
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)


# ------------------------------------------------------------ output guard
_TAG_SWAPS = ["div", "span", "p", "li", "td", "ul", "section"]
_CLASS_SWAPS = ["footer", "nav", "position", "list", "content", "TRS_Editor", "bottom", "page", "on", "date",
                "top", "zoom", "crumb", "news_list", "xxgk_table", ""]
_URL_VARIANTS = ["/", "/index.html", "/xwzx/202611/t20261112_4711.html", "/xwzx/gzdt/index.html",
                 "/zwgk/tzgg/", "/col/col99/index.html", "/info.jsp?id=12"]


def _mutate(doc, rng: random.Random) -> None:
    els = [el for el in doc.iter() if isinstance(el.tag, str) and el.tag not in ("html", "head", "body")]
    for _ in range(rng.randrange(1, 6)):
        if not els:
            return
        el = rng.choice(els)
        op = rng.randrange(6)
        if op == 0 and el.getparent() is not None:
            el.drop_tree()
            els = [e for e in doc.iter() if isinstance(e.tag, str) and e.tag not in ("html", "head", "body")]
        elif op == 1:
            el.set("class", rng.choice(_CLASS_SWAPS))
        elif op == 2:
            el.tag = rng.choice(_TAG_SWAPS)
        elif op == 3:
            el.text = rng.choice(["", f"发布日期：2026-11-0{rng.randrange(1, 9)}", "索引号：", "当前位置：", "暂无信息",
                                  "更多>>", "文号：清府〔2026〕1号", "有效性", "数据加载中", None])
        elif op == 4 and el.getparent() is not None:
            el.getparent().append(el)  # move to the end of its parent
        elif op == 5:
            el.set("id", rng.choice(_CLASS_SWAPS))


def check_corpus(pages: int, seeds: int = 8):
    """Yield (label, doc, url) for every page of the check corpus."""
    for name, url, text in corpus(pages):
        yield name, parse_html(text), url
        if name.startswith("synth"):
            continue
        host = url.split("/", 3)[:3]
        for path in _URL_VARIANTS:
            yield f"{name} @{path}", parse_html(text), "/".join(host) + path
        for seed in range(seeds):
            doc = parse_html(text)
            if doc is not None:
                _mutate(doc, random.Random(f"{name}:{seed}"))
            yield f"{name} ~{seed}", doc, url


# Malformed hrefs in each place a page's links are read: understand() must still answer.
_ODD_HREFS = ["http://[::1", "http://a]b/", "//[x", "https://[zz]/", "http://[", "http://x:99999/a.html"]
_ODD_PAGES = [
    '<html><body><div class="main"><ul><li><a href="{h}">政策文件栏目</a></li></ul></div></body></html>',
    '<html><body><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{h}">政务公开</a></div></body></html>',
    '<html><body><ul class="list"><li><a href="/a/t20260101_1.html">一则通知标题</a><span>2026-01-01</span></li></ul>'
    '<div class="page"><a href="{h}">2</a></div></body></html>',
    '<html><head><base href="{h}"></head><body><ul><li><a href="a.html">一则通知标题</a><span>01-02</span></li></ul></body></html>',
    '<html><head><meta name="PubDate" content="2026-01-01"></head><body><div class="crumb"><a href="{h}">政务公开</a> &gt; '
    '<a href="{h}">通知公告</a></div><div class="TRS_Editor">正文</div></body></html>',
]


def odd_pages() -> int:
    """How many of the malformed-href pages understand() fails on (each under three URLs)."""
    failed = 0
    for template in _ODD_PAGES:
        for href in _ODD_HREFS:
            for path in ("/a/index.html", "/a/t20260101_5.html", "/"):
                doc = parse_html(template.replace("{h}", href))
                try:
                    understand(doc, "http://www.x.gov.cn" + path, "t", AS_OF)
                except Exception as exc:  # noqa: BLE001 - any failure is reported
                    failed += 1
                    print(f"FAIL {href!r} {path}: {type(exc).__name__}: {exc}")
    return failed


def all_facts(pages: int, seeds: int = 8) -> dict:
    _clear()
    out = {}
    for label, doc, url in check_corpus(pages, seeds):
        out[label] = understand(doc, url, _title(doc), AS_OF)
    return json.loads(json.dumps(out, ensure_ascii=False))


def check(path: Path, pages: int, seeds: int = 8) -> int:
    expected = json.loads(path.read_text())
    got = all_facts(pages, seeds)
    bad = 0
    for label in expected.keys() | got.keys():
        a, b = expected.get(label), got.get(label)
        if json.dumps(a, ensure_ascii=False) != json.dumps(b, ensure_ascii=False):  # key order counts too
            bad += 1
            if bad <= 20:
                keys = [k for k in (a or {}) if (a or {}).get(k) != (b or {}).get(k)] if a and b else ["(missing)"]
                print(f"DIFF {label}: {keys}")
                for k in keys[:3]:
                    print(f"   before: {json.dumps((a or {}).get(k), ensure_ascii=False)[:300]}")
                    print(f"   after:  {json.dumps((b or {}).get(k), ensure_ascii=False)[:300]}")
    print(f"{len(expected)} pages checked, {bad} with different facts")
    failed = odd_pages()
    print(f"{len(_ODD_PAGES) * len(_ODD_HREFS) * 3} pages with malformed links, understand() failed on {failed}")
    return 1 if bad or failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=300, help="synthetic portal pages (default 300)")
    ap.add_argument("--reps", type=int, default=5, help="timed passes over the corpus (default 5)")
    ap.add_argument("--profile", action="store_true", help="print the cProfile top functions")
    ap.add_argument("--dump", type=Path, help="write the facts of the check corpus to this JSON file")
    ap.add_argument("--check", type=Path, help="compare the facts of the check corpus with this dump")
    ap.add_argument("--seeds", type=int, default=8, help="random mutations per sample/test page (default 8)")
    args = ap.parse_args()
    if args.dump:
        facts = all_facts(args.pages, args.seeds)
        args.dump.write_text(json.dumps(facts, ensure_ascii=False, indent=0))
        print(f"{len(facts)} pages written to {args.dump}")
        return 0
    if args.check:
        return check(args.check, args.pages, args.seeds)
    timing(args.pages, args.reps, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
