"""Rules own their options: each rule declares its options' types and allowed values, and a bad
value in a profile is a one-line error naming the key, exit 2, before anything is fetched."""

import pytest

from core.config import ConfigError
from inspector.profile import load
from inspector.sample.server import PortalServer
from rules import RULES, option_lines, validate
from rules.options import defaults
from tests.conftest import SITE, inspector, network_args


def profile(tmp_path, text: str):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text, key",
    [
        # the three the review found passing
        ("[rules.missing-validity]\nunknown_level = 'veto'\n", "rules.missing-validity.unknown_level"),
        ("[rules.missing-site-identity]\nrequire = ['icp', 'badge']\n", "rules.missing-site-identity.require"),
        ("[rules.missing-review-labels]\nconvention = '拟稿人'\n", "rules.missing-review-labels.convention"),
        # types of list items, ranges, allowed values
        ("[rules.broken-link]\nconfirmed_statuses = [404, '410']\n", "rules.broken-link.confirmed_statuses"),
        ("[rules.broken-link]\nconfirmed_statuses = [200]\n", "rules.broken-link.confirmed_statuses"),
        ("[rules.broken-link]\nmax_pages_listed = 0\n", "rules.broken-link.max_pages_listed"),
        ("[rules.wrong-link]\nold_domains = 'old.gov.cn'\n", "rules.wrong-link.old_domains"),
        ("[rules.missing-site-identity]\nkinds = ['page']\n", "rules.missing-site-identity.kinds"),
        ("[rules.missing-review-labels]\nmajority = 1.5\n", "rules.missing-review-labels.majority"),
        ("[rules.missing-review-labels]\nmin_articles = true\n", "rules.missing-review-labels.min_articles"),
        ("[rules.mixed-content]\nmin_confidence = -0.1\n", "rules.mixed-content.min_confidence"),
        ("[rules.site-veto]\nblank = 0\n", "rules.site-veto.blank"),
        ("[rules.wording-error]\nnear_miss_min_length = 2\n", "rules.wording-error.near_miss_min_length"),
        ("[rules.missing-column.catalogue]\n\"统计信息\" = '统计数据'\n", "rules.missing-column.catalogue"),
        # windows and deadlines
        ("[rules.stale-column]\ndynamic = 'two weeks'\n", "rules.stale-column.dynamic"),
        ("[rules.stale-homepage]\nwindow = '14'\n", "rules.stale-homepage.window"),
        ("[rules.missing-annual-report]\ndeadline = '02-30'\n", "rules.missing-annual-report.deadline"),
        ("[rules.missing-annual-report]\ndeadline = '02-29'\n", "rules.missing-annual-report.deadline"),
        # dictionary entries
        ("[[rules.wording-error.entries]]\nwrong = '甲'\n", "rules.wording-error.entries"),
        ("[[rules.wording-error.entries]]\nwrong = '甲'\nright = '乙'\nseverity = 'fatal'\n", "rules.wording-error.entries"),
        ("[[rules.wording-error.entries]]\nwrong = '甲'\nright = '乙'\nvalid_from = '2018'\n", "rules.wording-error.entries"),
        # every rule's switch and unknown keys
        ("[rules.broken-link]\nenabled = 'no'\n", "rules.broken-link.enabled"),
        ("[rules.broken-link]\nconfirmed = [404]\n", "rules.broken-link.confirmed"),
    ],
)
def test_a_bad_option_is_one_line_naming_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as err:
        load(profile(tmp_path, text))
    message = str(err.value)
    assert key in message and "\n" not in message and message.startswith(str(tmp_path))


def test_good_values_load_as_their_declared_type(tmp_path):
    config = load(profile(tmp_path, "[rules.missing-review-labels]\nmajority = 1\nconvention = '编辑-审核-签发'\n"
                                    "[rules.missing-annual-report]\ndeadline = '03-31'\n"
                                    "[rules.missing-site-identity]\nrequire = ['icp', 'dzjg']\n"
                                    "[rules.stale-column]\ndynamic = '2w'\nunknown = ''\n"))
    assert config.rules["missing-review-labels"]["majority"] == 1.0
    assert isinstance(config.rules["missing-review-labels"]["majority"], float)
    assert config.rules["missing-site-identity"]["require"] == ["icp", "dzjg"]


def test_every_default_passes_its_own_rule_and_every_option_is_described():
    for rule_id, module in RULES.items():
        table = defaults(module)
        assert validate({rule_id: table}) == {rule_id: table}, rule_id
        for key, line in zip(module.OPTIONS, option_lines(module)):
            assert line.startswith(f"`{key}` (") and module.OPTIONS[key].help in line


@pytest.mark.parametrize("command", ["check", "crawl"])
def test_a_bad_option_stops_the_command_before_any_request(tmp_path, command):
    bad = profile(tmp_path, "[rules.missing-validity]\nunknown_level = 'veto'\n")
    with PortalServer() as server:
        result = inspector(command, f"{SITE}/", "--db", tmp_path / "run.db", "--config", bad, *network_args(server))
        assert server.requests == []
    assert result.code == 2
    assert result.err.strip().splitlines() == [result.err.strip()] and "Traceback" not in result.err
    assert "rules.missing-validity.unknown_level" in result.err and "'veto' is not one of hint, deduct" in result.err
    assert not (tmp_path / "run.db").exists()


def test_inspector_rules_shows_each_option_with_its_type_and_choices():
    result = inspector("rules")
    assert result.code == 0
    assert ("    unknown_level (string, hint | deduct; default 'hint'): level of a value outside the standard set"
            in result.out.splitlines())
    assert "    confirmed_statuses (list of integer, 400–599; default [404, 403, 410]): " in result.out
