"""严重表述错误: wrong country, party, state-organ or government names in titles and body text.

Two sources, both data: the dictionary rules/data/wording.toml (wrong → right, severity, scope,
valid_from/valid_to, exceptions; see its header) plus the profile's `entries`; and near-misses of
canonical names (中华人民共和国, 全国人民代表大会, 中国共产党…, the site's own government name from
site.name or meta SiteName, and the profile's `names`): a substring that differs from a name by one
character replaced (a homophone or look-alike, the slip an input method makes: 人民政付,
国务院办公听) or one inner character dropped. Precision is guarded by the name's length and the
characters around the slip: the first or last character counts as replaced only in a name one
character longer than `near_miss_min_length`, and only by another Chinese character that is not
another organ's type (局 for 委, 办公会 for 办公厅: another organ, not a slip); a correct form
(`allow`, 人民政协, 中国共产主义青年团) that covers the slip or reaches beyond the hit keeps it out.
Organs renamed in 2018 (国土资源部 → 自然资源部…) count only in content published after the
rename and not in a sentence about the past (原国土资源部, an earlier year, 更名/机构改革). A veto entry or a veto name's near-miss makes the finding 单项否决风险,
the rest 扣分. One finding per page listing every hit with ± `context` characters and its sentence.

PASS: 中华人民共和国; 农业农村部; 国土资源部 in a 2015 document; 原国土资源部 in 2026; 各级农业部门.
FAIL: 中华人民共合国 (veto); 清河市新北区人民攻府 (veto: 攻府); 国土资源部 in a 2026 news item (deduct);
      清河市新北区人民正府, 清河市新北区人民政付 (near-misses of the site's name, deduct); 国务院办公听 (veto).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from core import toml
from core.records import LEVELS, Finding
from rules import content
from rules.options import Option

ID = "wording-error"
LEVEL = "veto"
RECHECK = "page"
DESCRIPTION = "严重表述错误: wrong state/party/organ names from a dictionary and one-character near-misses"
DICTIONARY = Path(__file__).parent / "data" / "wording.toml"
_ENTRY_KEYS = {"wrong", "right", "severity", "scope", "valid_from", "valid_to", "not_before", "not_after",
               "historical", "note"}
_RANK = {"hint": 0, "deduct": 1, "veto": 2}
_SENTENCE_END = "。！？；!?;\n"
_PAST = ("更名", "改名", "组建", "机构改革", "不再保留", "职责划入", "整合")
_YEAR = re.compile(r"((?:19|20)\d{2})(?=年|〔|\[|（|\()")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ORGAN_TYPES = set("局委办厅院部会处所站司署室队组府")  # one for another names another organ
_SENTENCE_MAX = 200  # characters of a sentence shown in the evidence, at most


def _entry(raw, where: str) -> dict:
    if not isinstance(raw, dict) or not isinstance(raw.get("wrong"), str) or not isinstance(raw.get("right"), str):
        raise ValueError(f"{where}: an entry needs wrong and right strings: {raw!r}")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown or not raw["wrong"]:
        raise ValueError(f"{where}: entry {raw['wrong']!r}: unknown keys {sorted(unknown)} or empty wrong form")
    entry = {"severity": "deduct", "scope": "all", "not_before": [], "not_after": [], "historical": False,
             "note": "", **raw}
    if entry["severity"] not in LEVELS or entry["scope"] not in ("all", "title", "text"):
        raise ValueError(f"{where}: entry {raw['wrong']!r}: severity must be veto|deduct|hint, scope all|title|text")
    for key in ("valid_from", "valid_to"):
        if key in entry and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry[key])):
            raise ValueError(f"{where}: entry {raw['wrong']!r}: {key} must be YYYY-MM-DD")
    return entry


def _entries(entries: list) -> None:
    """ValueError naming the first bad entry of a profile's `entries`."""
    for n, raw in enumerate(entries, 1):
        _entry(raw, f"entry {n}")


OPTIONS = {
    "entries": Option(list, [], "extra dictionary entries: [{wrong = \"…\", right = \"…\", severity = \"deduct\"}, …]",
                      item=dict, check=_entries),
    "names": Option(list, [], "the site's departments and other canonical names whose near-misses are errors",
                    item=str),
    "allow": Option(list, [], "correct forms that look like near-misses (a neighbouring 新吴区人民政府)", item=str),
    "near_miss": Option(bool, True, "flag one-character near-misses of canonical names"),
    "near_miss_min_length": Option(int, 5, "shorter names are too ambiguous (国务院 → 国学院)", low=3),
    "context": Option(int, 20, "characters of context either side of a hit", low=0),
}


@lru_cache(maxsize=1)
def dictionary() -> tuple[list[dict], list[str], list[str]]:
    """The shipped entries, veto-level canonical names and allowed forms."""
    data = toml.loads(DICTIONARY.read_text(encoding="utf-8"))
    canonical = data.get("canonical", {})
    return ([_entry(e, DICTIONARY.name) for e in data.get("entry", [])], list(canonical.get("veto", [])),
            list(canonical.get("allow", [])))


def _spans(text: str, forms) -> list[tuple[int, int]]:
    out = []
    for form in forms:
        start = text.find(form)
        while form and start >= 0:
            out.append((start, start + len(form)))
            start = text.find(form, start + 1)
    return out


def _overlaps(span, spans) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _excused(span, slip: int, correct_spans) -> bool:
    """A correct form over the hit that reaches beyond it (中国共产主义青年团 around 中国共产主) or
    covers the slipped character (人民政协 in 新北区人民政协): no slip. One inside the hit, away
    from the slip (国务院 in 国务院办公听), excuses nothing."""
    return any(span[0] < e and s < span[1] and (s < span[0] or e > span[1] or s <= slip < e)
               for s, e in correct_spans)


def _excepted(text: str, start: int, end: int, entry: dict) -> bool:
    before = text[max(0, start - 2):start]
    if any(before.endswith(w) for w in entry["not_before"]) or text.startswith(tuple(entry["not_after"]), end):
        return True
    if not entry["historical"]:
        return False
    sentence = _sentence(text, start, end)
    since = int(str(entry.get("valid_from", "0000"))[:4])
    return any(w in sentence for w in _PAST) or any(int(y) < since for y in _YEAR.findall(sentence))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], cut to _SENTENCE_MAX characters around the hit. A
    space ends one too: in a page's text it stands for a line or block break (Chinese sentences
    have none)."""
    ends = _SENTENCE_END + " \t\u3000"
    s = max(text.rfind(c, 0, start) for c in ends) + 1
    e = min([i for i in (text.find(c, end) for c in ends) if i >= 0] or [len(text)])
    s, e = max(s, start - _SENTENCE_MAX // 2), min(e + 1, end + _SENTENCE_MAX // 2)
    return re.sub(r"\s+", " ", text[s:e]).strip()


def _dated(entry: dict, date: str | None) -> bool:
    if "valid_from" not in entry and "valid_to" not in entry:
        return True
    if date is None:  # an undated page is never called out for a rename
        return False
    return str(entry.get("valid_from", "0000-00-00")) <= date <= str(entry.get("valid_to", "9999-99-99"))


@lru_cache(maxsize=256)
def _drops(name: str) -> frozenset:
    """`name` with one inner character dropped, each way."""
    return frozenset(name[:k] + name[k + 1:] for k in range(1, len(name) - 1))


def near_misses(text: str, name: str, edges: bool = False):
    """(start, end, found) for substrings one character away from ``name``: an inner one
    substituted (same length) or dropped (one shorter); with `edges`, the first or the last
    one replaced too (see _slip)."""
    n, first, last = len(name), name[0], name[-1]
    drops = _drops(name)
    i = text.find(first)
    while i >= 0:
        same = text[i:i + n]
        if len(same) == n and same[-1] == last and sum(a != b for a, b in zip(same, name)) == 1:
            yield i, i + n, same
        elif text[i:i + n - 1] in drops:
            yield i, i + n - 1, text[i:i + n - 1]
        i = text.find(first, i + 1)
    if not edges:
        return
    head, tail = name[:-1], name[1:]
    i = text.find(head)
    while i >= 0:  # the last character replaced
        typed = text[i + n - 1:i + n]
        if typed and _slip(typed, last):
            yield i, i + n, text[i:i + n]
        i = text.find(head, i + 1)
    i = text.find(tail, 1)
    while i >= 1:  # the first character replaced
        if _slip(text[i - 1], first):
            yield i - 1, i - 1 + n, text[i - 1:i - 1 + n]
        i = text.find(tail, i + 1)


def _slip(typed: str, meant: str) -> bool:
    """`typed` written for `meant` as an input method slips: another Chinese character (not a
    truncation before punctuation), and not another organ's type (局 for 委: another organ)."""
    return typed != meant and bool(_HAN.match(typed)) and not (typed in _ORGAN_TYPES and meant in _ORGAN_TYPES)


def _site_name(run) -> str:
    name = (run.config.site.get("name") if run.config else "") or ""
    if name:
        return name
    seen = Counter((content.facts(p).get("meta") or {}).get("SiteName") for p in content.pages(run))
    seen.pop(None, None)
    seen.pop("", None)
    return seen.most_common(1)[0][0] if seen else ""


def _scan(text: str, where: str, date, entries, names, correct, conf) -> list[dict]:
    hits, taken = [], []
    for entry in entries:
        if entry["scope"] not in ("all", where) or not _dated(entry, date):
            continue
        right = _spans(text, [entry["right"]])
        for start, end in _spans(text, [entry["wrong"]]):
            if _overlaps((start, end), right) or _excepted(text, start, end, entry):
                continue
            kind = "rename" if "valid_from" in entry else "dictionary"
            hits.append({"wrong": entry["wrong"], "right": entry["right"], "severity": entry["severity"],
                         "kind": kind, "note": entry["note"], "where": where, "start": start})
            taken.append((start, end))
    if conf["near_miss"]:
        ok = _spans(text, correct)
        for name, severity in names:
            edges = len(name) > conf["near_miss_min_length"]  # one edge character of a short name says too little
            for start, end, found in near_misses(text, name, edges):
                slip = start + next((k for k, (a, b) in enumerate(zip(found, name)) if a != b), len(found))
                if found in correct or _overlaps((start, end), taken) or _excused((start, end), slip, ok):
                    continue
                hits.append({"wrong": found, "right": name, "severity": severity, "kind": "near-miss",
                             "note": "与规范名称相差一字", "where": where, "start": start})
                taken.append((start, end))
    for hit in hits:
        start = hit.pop("start")
        hit["context"] = content.context(text, start, start + len(hit["wrong"]), conf["context"])
        hit["sentence"] = _sentence(text, start, start + len(hit["wrong"]))
    return hits


def check(run, conf):
    shipped, veto_names, allowed = dictionary()
    entries = shipped + [_entry(e, "entries") for e in conf["entries"]]
    site = _site_name(run)
    local = [n for n in [site, *conf["names"]] if n]
    names = sorted({**{n: "deduct" for n in local}, **{n: "veto" for n in veto_names}}.items(),
                   key=lambda kv: -len(kv[0]))
    names = [(n, s) for n, s in names if len(n) >= conf["near_miss_min_length"]]
    correct = sorted({*veto_names, *local, *allowed, *conf["allow"]}, key=len, reverse=True)
    for page in content.pages(run):
        f = content.facts(page)
        date = content.published(page)
        hits = _scan(content.title(page), "title", date, entries, names, correct, conf)
        if f.get("kind", page.get("kind")) == "document":
            hits += _scan(f.get("text") or "", "text", date, entries, names, correct, conf)
        if not hits:
            continue
        level = max((h["severity"] for h in hits), key=_RANK.get)
        told = []
        for h in hits:
            said = f"“{h['wrong']}”应为“{h['right']}”" + (f"（{h['note']}）" if h["note"] else "")
            if said not in told:
                told.append(said)
        head = "严重表述错误" if level == "veto" else "表述错误"
        yield Finding(rule=ID, level=level, message=f"{head}：{'；'.join(told)}",
                      evidence={"matches": hits, "published": date}, **content.where(page))
