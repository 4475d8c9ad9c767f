"""One door for configuration: defaults, profile, overrides; bad input is one clear line."""

import pytest

from core.config import ConfigError, parse_route
from inspector.profile import load


def test_defaults_are_polite():
    c = load()
    assert c.crawl["concurrency"] == 2 and c.crawl["obey_robots"] and c.crawl["timeout"] == 15.0
    assert "portal-inspector" in c.crawl["user_agent"]


def test_profile_then_overrides(tmp_path):
    p = tmp_path / "site.toml"
    p.write_text('[site]\nname = "清河市新北区人民政府"\naliases = ["qinghe-xinbei.gov.cn"]\n[crawl]\ndelay = 1\n', encoding="utf-8")
    c = load(p, {"crawl": {"delay": None, "concurrency": 4}})
    assert c.site["name"] == "清河市新北区人民政府" and c.crawl["delay"] == 1.0 and c.crawl["concurrency"] == 4


@pytest.mark.parametrize(
    "text, message",
    [
        ("[crawl]\nconcurency = 3\n", "unknown key crawl.concurency"),
        ("[crawl]\ndelay = 'fast'\n", "crawl.delay must be float"),
        ("[crawel]\n", "unknown section [crawel]"),
        ("[crawl\n", "not valid TOML"),
        ("[rules.broken-lnk]\n", "unknown rule rules.broken-lnk"),
        ("[rules.wrong-link]\nold_domains = 'a.cn'\n", "rules.wrong-link.old_domains must be list"),
        ("[crawl]\nconcurrency = 0\n", "crawl.concurrency must be at least 1"),
    ],
)
def test_bad_profiles_are_rejected_naming_the_key(tmp_path, text, message):
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load(p)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_missing_profile_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load(tmp_path / "nope.toml")


def test_routes_follow_curl():
    r = parse_route("www.a.gov.cn:80:127.0.0.1", "resolve")
    assert (r.host, r.port, r.addr, r.to_port) == ("www.a.gov.cn", 80, "127.0.0.1", 80)
    r = parse_route("WWW.A.gov.cn:80:[::1]:8080", "connect_to")
    assert (r.host, r.addr, r.to_port) == ("www.a.gov.cn", "::1", 8080)
    with pytest.raises(ConfigError, match="expected HOST:PORT:ADDR"):
        parse_route("www.a.gov.cn:80", "resolve")
    with pytest.raises(ConfigError, match="ADDR must be an IP"):
        parse_route("www.a.gov.cn:80:notanip", "resolve")
