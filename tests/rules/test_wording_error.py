"""wording-error: the dictionary, the 2018 renames by date, near-misses of canonical names."""

import json

import pytest

from rules import wording_error
from rules.wording_error import near_misses
from tests.rules.runs import SITE, by_url, doc, make_run, run_rule


def found(tmp_path, *pages, profile="", **options):
    return by_url(run_rule(wording_error, make_run(tmp_path, list(pages), profile), **options))


def news(path, text, published="2026-11-03", title="新北区召开秋冬季大气污染防治工作会议"):
    return doc(path, title, text=text, published=published)


def test_dictionary_entries_with_context(tmp_path):
    text = "双方将以学习贯彻《中华人民共合国科学技术进步法》为契机，深化产学研合作。"
    f = found(tmp_path, news("/a.html", text))["/a.html"]
    assert f.level == "veto" and f.message == "严重表述错误：“中华人民共合国”应为“中华人民共和国”（国名错误）"
    [hit] = f.evidence["matches"]
    assert hit["context"] == "双方将以学习贯彻《中华人民共合国科学技术进步法》为契机，深化产学研合作。"
    assert (hit["kind"], hit["where"]) == ("dictionary", "text")
    long = "一" * 30 + "扫黑险恶" + "二" * 30
    hit = found(tmp_path, news("/b.html", long))["/b.html"].evidence["matches"][0]
    assert hit["context"] == "一" * 20 + "扫黑险恶" + "二" * 20


@pytest.mark.parametrize("text", [
    "中华人民共和国宪法", "贯彻落实农业农村部部署", "各级农业部门要加强协调", "做好环境保护部署",
    "区人民检察院开展检查", "对院落开展检查院内卫生", "中国共产主义青年团新北区委员会", "清河市新北区人民政府办公室",
])
def test_correct_forms_are_never_flagged(tmp_path, text):
    assert found(tmp_path, news("/a.html", text)) == {}


def test_renamed_organs_only_in_content_after_the_rename(tmp_path):
    text = "会议传达了国土资源部、生态环境部有关工作要求。"
    result = found(tmp_path, news("/y2015.html", text, "2015-06-01"), news("/y2026.html", text, "2026-11-03"),
                   news("/undated.html", text, None))
    assert set(result) == {"/y2026.html"}
    f = result["/y2026.html"]
    assert f.level == "deduct" and "“国土资源部”应为“自然资源部”（机构已于2018年更名）" in f.message
    assert f.evidence["matches"][0]["kind"] == "rename" and f.evidence["published"] == "2026-11-03"


@pytest.mark.parametrize("text", [
    "原国土资源部于2018年并入自然资源部。",
    "2016年，国土资源部批复了我区土地利用总体规划。",
    "根据机构改革方案，国家卫生和计划生育委员会的职责划入新组建的部门。",
    "依据《不动产登记暂行条例实施细则》（国土资源部令第63号）办理。",
])
def test_historical_sentences_keep_the_old_name(tmp_path, text):
    assert found(tmp_path, news("/a.html", text)) == {}


def test_near_miss_of_the_site_name_and_dictionary_first(tmp_path):
    result = found(tmp_path, news("/a.html", "部署清河市新北区人民攻府秋冬季重点任务。"),
                   news("/b.html", "清河市新北区人民正府召开会议。"),
                   news("/c.html", "清河市新北区人政府召开会议。"),
                   news("/d.html", "清河市新北区政府召开会议。"),  # two characters shorter: an abbreviation
                   news("/e.html", "清河市新北区人民政协召开会议。"))  # last character differs: another organ
    assert set(result) == {"/a.html", "/b.html", "/c.html"}
    a = result["/a.html"].evidence["matches"]
    assert [(m["wrong"], m["kind"]) for m in a] == [("攻府", "dictionary")]  # one hit, not two
    b = result["/b.html"]
    assert b.level == "deduct" and b.message == "表述错误：“清河市新北区人民正府”应为“清河市新北区人民政府”（与规范名称相差一字）"
    assert result["/c.html"].evidence["matches"][0]["wrong"] == "清河市新北区人政府"


def test_near_misses_of_national_names_are_veto(tmp_path):
    result = found(tmp_path, news("/a.html", "第十四届全国人民代表大会第三次会议"), news("/b.html", "中国人民代表大会"),
                   news("/c.html", "中国共青党"), news("/d.html", "坚持中国共产党的领导，全国人民代大会"))
    # 中国人民代表大会 for 全国人民代表大会: the first character replaced, a classic slip in the style guides
    assert set(result) == {"/b.html", "/c.html", "/d.html"}
    assert result["/b.html"].evidence["matches"][0]["right"] == "全国人民代表大会"
    assert result["/c.html"].level == "veto" and "“中国共青党”应为“中国共产党”" in result["/c.html"].message
    assert result["/d.html"].evidence["matches"][0]["right"] == "全国人民代表大会"


def test_profile_names_entries_and_allowed_forms(tmp_path):
    profile = """
[site]
name = "清河市新北区人民政府"
[rules.wording-error]
names = ["清河市新北区教育局"]
entries = [{wrong = "新北区大数据中心", right = "新北区大数据管理中心", severity = "hint"}]
allow = ["清河市新吴区人民政府"]
"""
    result = found(tmp_path, news("/a.html", "清河市新北区教肓局发布通知。"), news("/b.html", "新北区大数据中心"),
                   news("/c.html", "与清河市新吴区人民政府签署协议。"), profile=profile)
    assert set(result) == {"/a.html", "/b.html"}
    assert result["/b.html"].level == "hint"
    assert "“新北区大数据中心”应为“新北区大数据管理中心”" in result["/b.html"].message


def test_titles_are_scanned_and_hits_are_gathered_per_page(tmp_path):
    page = news("/a.html", "中华人民大和国。国土资源部要求。中华人民大和国。", title="关于学习中共人民共和国宪法的通知")
    f = found(tmp_path, page)["/a.html"]
    assert [(m["wrong"], m["where"]) for m in f.evidence["matches"]] == [
        ("中共人民共和国", "title"), ("中华人民大和国", "text"), ("中华人民大和国", "text"), ("国土资源部", "text")]
    assert f.level == "veto" and f.message.count("中华人民大和国") == 1


def test_near_miss_scan_of_a_long_text_finds_exactly_the_one_miss():
    """(Its speed is measured by bench/wording_scan.py, not here.)"""
    text = ("清河市新北区人民政府召开常务会议，研究部署中华人民共和国成立纪念活动。" * 200)[:6000]
    assert list(near_misses(text, "清河市新北区人民政府")) == []
    planted = text[:3000] + "清河市新北区人民攻府" + text[3000:]
    assert list(near_misses(planted, "清河市新北区人民政府")) == [(3000, 3010, "清河市新北区人民攻府")]


def test_sample_portal(sample_crawl):
    """DEFECTS.md §5: 中华人民共合国; 国土资源部 (2026) and 清河市新北区人民攻府 on one page."""
    found = {f["url"].removeprefix(SITE): f for f in sample_crawl.findings("wording-error")}
    assert set(found) == {"/xwzx/gzdt/202611/t20261106_1006.html", "/xwzx/gzdt/202611/t20261103_1005.html"}
    assert all(f["level"] == "veto" for f in found.values())
    hits = found["/xwzx/gzdt/202611/t20261103_1005.html"]["evidence"]["matches"]
    assert {(m["wrong"], m["kind"]) for m in hits} == {("攻府", "dictionary"), ("国土资源部", "rename")}
    assert all("人民攻府" in m["context"] for m in hits if m["wrong"] == "攻府")


def test_near_misses_can_be_switched_off_or_kept_to_longer_names(tmp_path):
    pages = (news("/a.html", "部署清河市新北区人民攻府秋冬季重点任务。"), news("/b.html", "清河市新北区人民正府召开会议。"),
             news("/c.html", "新北区教肓局发布通知。"))
    profile = '[rules.wording-error]\nnames = ["新北区教育局"]\n'
    assert set(found(tmp_path / "a", *pages, profile=profile)) == {"/a.html", "/b.html", "/c.html"}
    assert set(found(tmp_path / "b", *pages, profile=profile, near_miss_min_length=7)) == {"/a.html", "/b.html"}
    assert set(found(tmp_path / "c", *pages, profile=profile, near_miss=False)) == {"/a.html"}  # the dictionary stays


# Slips of an input method: one character replaced by a homophone or a look-alike, at either end
# of the name as well as inside it; each sentence as an editor would write it.
REPLACED = [
    ("会议传达学习了国务院办公听《关于进一步优化政务服务的意见》。", "国务院办公听", "国务院办公厅", "veto"),  # 厅/听
    ("认真贯彻申华人民共和国宪法和法律法规。", "申华人民共和国", "中华人民共和国", "veto"),  # 中/申 look alike
    ("依法接受最高人民法阮的监督指导。", "最高人民法阮", "最高人民法院", "veto"),  # 院/阮
    ("清河市新北区人民政付关于开展冬季安全生产大检查的通知。", "清河市新北区人民政付", "清河市新北区人民政府", "deduct"),  # 府/付
]


@pytest.mark.parametrize("text, wrong, right, level", REPLACED)
def test_a_name_with_a_character_replaced_is_a_near_miss_shown_in_its_sentence(tmp_path, text, wrong, right, level):
    page = news("/a.html", "近日，我区召开专题会议。" + text + "会议要求抓好落实。")
    f = found(tmp_path, page, profile='[site]\nname = "清河市新北区人民政府"\n')["/a.html"]
    [hit] = f.evidence["matches"]
    assert (hit["wrong"], hit["right"], hit["kind"], f.level) == (wrong, right, "near-miss", level)
    assert hit["sentence"] == text  # the whole sentence, not only the characters around the slip


@pytest.mark.parametrize("text", [
    "国务院办公会议研究部署了相关工作。",  # 办公会 for 办公厅: another body, not a slip
    "清河市新北区发展和改革委员会发布通知。",  # the profile's 发展和改革局: 委 for 局 is another organ
    "区政协委员视察清河市新北区人民政协工作。",  # 人民政协 is a name of its own
    "中国共产主义青年团新北区委员会召开全会。",  # 中国共产党 is too short for an edge slip, and allowed
    "提请全国人民代表大会常务委员会审议。",
    "根据全国人民代表大\n会议精神",  # a line break is no character typed for another
])
def test_real_sentences_that_must_not_be_flagged(tmp_path, text):
    profile = '[site]\nname = "清河市新北区人民政府"\n[rules.wording-error]\nnames = ["清河市新北区发展和改革局"]\n'
    assert found(tmp_path, news("/a.html", text), profile=profile) == {}


def test_replaced_characters_are_found_on_utf8_and_gbk_pages_alike(tmp_path):
    """A whole crawl: the same slip in an article served as UTF-8 and as GBK (no charset in
    Content-Type, as the old sections of many portals do) is the same finding."""
    from inspector.sample.server import HERE
    from tests.conftest import SITE, inspector
    from tests.loopback import Site

    article = (HERE / "site/xwzx/gzdt/202611/t20261116_1009.html").read_text(encoding="utf-8")
    slip = "会议传达学习了国务院办公听《关于进一步优化政务服务的意见》。"
    article = article.replace("11月16日，我区开展冬季安全生产大检查。", slip)
    gbk = article.replace('<meta charset="utf-8">', '<meta charset="gbk">').encode("gbk")
    home = ('<html><head><meta charset="utf-8"><title>清河市新北区人民政府</title></head><body>'
            '<a href="/a/utf8.html">一</a><a href="/a/gbk.html">二</a></body></html>')
    with Site({"/": home, "/a/utf8.html": article, "/a/gbk.html": (gbk, "text/html")}) as site:
        db = str(tmp_path / "run.db")
        site.crawl(db, "2026-11-20")
    out = inspector("export", "--db", db, "--format", "jsonl")
    found_ = {json.loads(line)["url"]: json.loads(line) for line in out.out.splitlines()}
    hits = {url.removeprefix(SITE): [(m["wrong"], m["right"], m["sentence"]) for m in f["evidence"]["matches"]]
            for url, f in found_.items() if f["rule"] == "wording-error"}
    assert hits == {path: [("国务院办公听", "国务院办公厅", slip)] for path in ("/a/utf8.html", "/a/gbk.html")}
