"""wording-error: the dictionary, the 2018 renames by date, near-misses of canonical names."""


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
    assert set(result) == {"/c.html", "/d.html"}  # 中国人民代表大会: first character differs, left alone
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
