"""crawler.dates: dates in page text, in URLs, and the priority between them."""

from datetime import date, datetime

import pytest

from crawler.dates import best_date, date_from_url, parse_date

AS_OF = date(2026, 11, 20)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-12", date(2026, 11, 12)),
        ("发布时间：2026-11-12 09:30:00", date(2026, 11, 12)),
        ("2026-11-12T09:30:00+08:00", date(2026, 11, 12)),
        ("发布日期：2026年11月12日", date(2026, 11, 12)),
        ("2026年1月2日", date(2026, 1, 2)),
        ("2026 年 1 月 2 日", date(2026, 1, 2)),
        ("2026/11/12", date(2026, 11, 12)),
        ("2026.11.12", date(2026, 11, 12)),
        ("2026-1-2", date(2026, 1, 2)),
        ("成文日期：２０２６－１１－１２", date(2026, 11, 12)),
        ("[2026-11-12]", date(2026, 11, 12)),
    ],
)
def test_full_dates(text, expected):
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("关于开展安全生产大检查的通知 [11-12]", date(2026, 11, 12)),
        ("区长调研重点项目 (11-12)", date(2026, 11, 12)),
        ("区长调研重点项目（11-12）", date(2026, 11, 12)),
        ("区长调研重点项目［11-12］", date(2026, 11, 12)),
        ("11-12", date(2026, 11, 12)),
        ("图片新闻 11-19", date(2026, 11, 19)),
        ("11月12日", date(2026, 11, 12)),
        # Later in the year than as_of: it was last year.
        ("[12-30]", date(2025, 12, 30)),
        ("11月21日", date(2025, 11, 21)),
    ],
)
def test_year_less_dates_take_the_year_of_as_of(text, expected):
    assert parse_date(text, AS_OF) == expected


def test_year_less_list_dates_around_new_year():
    as_of = date(2026, 1, 5)
    assert parse_date("[12-30]", as_of) == date(2025, 12, 30)
    assert parse_date("[01-05]", as_of) == date(2026, 1, 5)
    assert parse_date("[01-06]", as_of) == date(2025, 1, 6)
    assert parse_date("[01-02]", as_of) == date(2026, 1, 2)


def test_year_less_date_defaults_to_today():
    found = parse_date("[01-01]")
    assert found is not None and found <= date.today()


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-40",
        "2026年2月30日",
        "[13-40]",
        "[02-29]",  # 2026 and 2025 are not leap years
        "",
        "没有日期",
        "关于开展404专项整治行动的通知",
        "电话：0519-85123456",
        "第3-5条",  # a range inside a word, not a lone MM-DD
        "1.2.3",
    ],
)
def test_no_date(text):
    assert parse_date(text, AS_OF) is None


def test_bad_input_returns_none():
    assert parse_date(None, AS_OF) is None
    assert parse_date(20261112, AS_OF) is None


def test_first_valid_date_wins():
    assert parse_date("2026-13-40 更正为 2026-10-01", AS_OF) == date(2026, 10, 1)
    assert parse_date("成文日期 2026-11-10 发布日期 2026-11-12", AS_OF) == date(2026, 11, 10)


def test_full_date_in_future_is_kept():
    # A forged future date is a finding for the rules, not something to hide here.
    assert parse_date("2027-01-01", AS_OF) == date(2027, 1, 1)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.qingxin.gov.cn/zwgk/gfxwj/202611/t20261112_1234567.html", date(2026, 11, 12)),
        ("http://www.example.gov.cn/xxgk/202611/t20261112_88.shtml", date(2026, 11, 12)),
        ("https://www.cznewdistrict.gov.cn/art/2026/1/2/art_12345_678901.html", date(2026, 1, 2)),
        ("https://www.example.gov.cn/art/2026/11/12/art_1_2.html", date(2026, 11, 12)),
        ("https://www.example.edu.cn/2026/1112/c1234a56789/page.htm", date(2026, 11, 12)),
        ("https://www.example.gov.cn/xwzx/202611/abc.html", date(2026, 11, 1)),
        # gov.cn and the 中国科普网 (www.kepu.gov.cn/politics/2023-12/01/content_1755244.html)
        ("http://www.gov.cn/zhengce/content/2021-03/05/content_5590001.htm", date(2021, 3, 5)),
        ("http://www.kepu.gov.cn/politics/2023-12/01/content_1755244.html", date(2023, 12, 1)),
        ("http://www.example.gov.cn/news/2021-03-05/1234.html", date(2021, 3, 5)),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.gov.cn/col/col12345/index.html",
        "https://www.example.gov.cn/xxgk/202613/t20261340_1.html",
        "https://www.example.gov.cn/index_3.html",
        "",
        None,
    ],
)
def test_no_date_in_url(url):
    assert date_from_url(url) is None


def test_best_date_priority():
    url = "https://www.example.gov.cn/xxgk/202611/t20261101_1.html"
    # what the reader sees (发布日期 on the page) beats the PubDate tag a CMS rewrites (issue 10)
    assert best_date(
        meta_pubdate="2026-11-12 09:30", metadata_pubdate="2026年11月11日",
        list_date="[11-10]", url=url, as_of=AS_OF,
    ) == (date(2026, 11, 11), "metadata")
    assert best_date(
        meta_pubdate="2026-11-12 09:30", metadata_pubdate="", list_date="[11-10]", url=url, as_of=AS_OF,
    ) == (date(2026, 11, 12), "meta")
    assert best_date(metadata_pubdate="无", list_date="[11-10]", url=url, as_of=AS_OF) == (
        date(2026, 11, 10), "list",
    )
    assert best_date(list_date="", url=url, as_of=AS_OF) == (date(2026, 11, 1), "url")
    assert best_date(as_of=AS_OF) == (None, "none")


def test_best_date_accepts_date_objects_and_infers_list_year():
    assert best_date(list_date=date(2026, 1, 3)) == (date(2026, 1, 3), "list")
    assert best_date(meta_pubdate=datetime(2026, 1, 3, 9, 30)) == (date(2026, 1, 3), "meta")
    assert best_date(list_date="[12-30]", as_of=date(2026, 1, 5)) == (date(2025, 12, 30), "list")
