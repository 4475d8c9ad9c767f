"""内容混杂: an item whose nature does not match its column (国办公开办函〔2019〕61号 "专栏姓专").

Three cases, each a 提示 (hint) with a confidence from 0 to 1 built from the signals that agree:
- news in a normative or statutory column (规范性文件, 法定主动公开内容 and the rest of the
  政府信息公开 专栏): a news verb in the title (召开, 调研, 督导, 开展…活动, 举办, 走访, 慰问,
  座谈会…) triggers it; no 文号 of its own, no metadata block, a news-style body (近日, 会议强调,
  a leading "10月19日，") raise it. A title ending in a document type (关于召开…会议的通知) is a
  document and never news.
- a document in a news (dynamic) column: its own 文号 (normative ones weigh more) triggers it; a
  title ending in a document type and a metadata block raise it; news verbs in the title lower it.
- news in a 政策解读 column: a news verb in a title without 解读/图解/问答 words.
Reported when the confidence reaches `min_confidence`. The word lists are options: a profile
list replaces the default one.

PASS: 区政府召开第十一次常务会议 in 工作动态; 关于开展安全生产月活动的通知 in 规范性文件;
      《…》政策解读 quoting 清新政规〔2026〕3号 in 政策解读.
FAIL: 区司法局开展规范性文件清理专项督导活动 in 规范性文件 (0.85); 清新政规〔2026〕5号 in 工作动态;
      区政府召开政策吹风会 in 政策解读.
"""

from __future__ import annotations

import re

from core.labels import is_normative_number
from core.records import Finding
from rules import content
from rules.options import Option

ID = "mixed-content"
LEVEL = "hint"
RECHECK = "page"
DESCRIPTION = "内容混杂: news in statutory/normative columns, documents in news columns, news in 政策解读"
OPTIONS = {
    "min_confidence": Option(float, 0.5, "report from this confidence on", low=0, high=1),
    "news_words": Option(list, ["召开", "调研", "督导", "督查", "开展…活动", "举办", "举行", "走访", "慰问", "座谈会", "视察",
                   "考察", "会见", "出席", "签约", "签署", "揭牌", "启动仪式", "培训班", "观摩", "参观"],
                         "news verbs and phrases in a title; … stands for up to 12 characters (开展…活动)", item=str),
    "body_news_words": Option(list, ["近日", "日前", "会议强调", "会议指出", "会议要求", "会上", "记者", "现场", "一行",
                        "参加会议", "出席会议"],
                              "phrases of a news-style body (reported speech, on-the-spot wording)", item=str),
    "interpretation_words": Option(list, ["解读", "图解", "问答", "答记者问", "一图读懂"],
                                   "words that make a title a 政策解读", item=str),
}

# A news lead opening a paragraph: "10月19日，区司法局…" (the text may start with the title and info line).
_DATELINE = re.compile(r"(?:^|[\s\u3000。])(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日[，,]")


def _patterns(words) -> list[tuple[str, re.Pattern]]:
    return [(w, re.compile(r".{0,12}?".join(re.escape(p) for p in w.split("…")))) for w in words if w.strip("…")]


def _matches(patterns, text: str) -> list[str]:
    return [w for w, rx in patterns if rx.search(text)]


def _signals(page: dict, conf: dict, news, body_news) -> dict:
    f = content.facts(page)
    title = content.title(page)
    number, source = content.own_number(page)
    text = f.get("text") or ""
    return {
        "title": title,
        "news": _matches(news, title),
        "document_title": content.is_document_title(title),
        "number": number, "number_source": source, "normative_number": is_normative_number(number),
        "block": len(f.get("metadata") or {}) >= 3,
        "body_news": _matches(body_news, text[:1500]),
        "dateline": bool(_DATELINE.search(text[:400])),
        "interpretation_title": any(w in title for w in conf["interpretation_words"]),
    }


def _news_in_statutory(s: dict) -> tuple[float, list[str]]:
    if not s["news"] or s["document_title"]:
        return 0.0, []
    why = [f"标题含“{'”“'.join(s['news'])}”"]
    score = 0.5 + (0.1 if len(s["news"]) > 1 else 0)
    if not s["number"]:
        score += 0.2
        why.append("无文号")
    if not s["block"]:
        score += 0.1
        why.append("无信息公开元数据")
    if s["body_news"] or s["dateline"]:
        score += 0.15
        why.append("正文为新闻报道体")
    return score, why


def _document_in_news(s: dict) -> tuple[float, list[str]]:
    if not s["number"] or s["interpretation_title"]:
        return 0.0, []
    score = (0.5 if s["normative_number"] else 0.35) if s["number_source"] == "metadata" else 0.4
    why = [f"{'规范性文件' if s['normative_number'] else ''}文号 {s['number']}"]
    if s["document_title"]:
        score += 0.25
        why.append("标题为公文标题")
    if s["block"]:
        score += 0.1
        why.append("带信息公开元数据")
    if s["news"]:
        score -= 0.2
    return score, why


def _news_in_interpretation(s: dict) -> tuple[float, list[str]]:
    if not s["news"] or s["interpretation_title"] or s["document_title"]:
        return 0.0, []
    score, why = 0.7, [f"标题含“{'”“'.join(s['news'])}”", "标题无“解读”字样"]
    if s["body_news"] or s["dateline"]:
        score += 0.15
        why.append("正文为新闻报道体")
    return score, why


def check(run, conf):
    news, body_news = _patterns(conf["news_words"]), _patterns(conf["body_news_words"])
    for page in content.documents(run):
        klass = content.column_class(page, run.config)
        if content.in_interpretation_column(page):
            case, what, judge = "news-in-interpretation", ("新闻动态类信息", "政策解读栏目"), _news_in_interpretation
        elif klass == "dynamic":
            case, what, judge = "document-in-news", ("公文类信息", "新闻动态栏目"), _document_in_news
        elif content.is_statutory(page, run.config) and not content.is_interpretation(page):
            where = "规范性文件栏目" if klass == "normative" else "政府信息公开专栏"
            case, what, judge = "news-in-statutory", ("新闻动态类信息", where), _news_in_statutory
        else:
            continue
        signals = _signals(page, conf, news, body_news)
        score, why = judge(signals)
        score = round(min(score, 0.95), 2)
        if score < conf["min_confidence"] or not why:
            continue
        name = content.column(page)["name"] or "（未知栏目）"
        yield Finding(
            rule=ID, level=LEVEL,
            message=f"内容混杂：{what[0]}“{signals['title']}”发布在{what[1]}“{name}”中"
                    f"（置信度 {score:.2f}：{'，'.join(why)}），请核实后移至相应栏目",
            evidence={"case": case, "confidence": score, "signals": why, "column_class": klass,
                      **{k: signals[k] for k in ("news", "number", "body_news", "dateline")}},
            **content.where(page),
        )
