"""Docs are tests: the README's commands, rules, example profile and set-up lines are true."""

import re
from pathlib import Path

from core import toml
from inspector.cli import main
from inspector.profile import load
from rules import RULES, reference

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented():
    for name in main.commands:
        assert f"`inspector {name}" in README, name


def test_every_rule_is_documented_as_generated():
    section = README.split("<!-- rules:start -->\n")[1].split("<!-- rules:end -->")[0]
    assert section == reference(), "run: inspector rules --markdown, and paste it between the markers"
    for rule_id in RULES:
        assert f"### `{rule_id}`" in section


def test_the_example_profile_loads(tmp_path):
    block = re.search(r"A complete example profile.*?```toml\n(.*?)```", README, re.S).group(1)
    toml.loads(block)
    path = tmp_path / "site.toml"
    path.write_text(block, encoding="utf-8")
    config = load(path)
    assert config.site["id_code"] == "3204110001"
    assert config.column("/xwzx/gzdt/202611/t1.html")["unit"] == "区政府办公室"


def test_the_two_setup_commands_open_the_readme():
    setup = README.split("## Set up and run")[1].split("```")[1]
    assert "inspector demo" in setup and "pytest" in setup


def test_every_configuration_key_is_documented():
    from core.config import OPTIONS

    for section, keys in OPTIONS.items():
        for key in keys:
            assert f"`{section}.{key}`" in README or f"`{section}.{key}`," in README, f"{section}.{key}"


def test_the_supported_pythons_agree():
    """pyproject.toml's classifiers, the README and .ci/run name the same oldest and newest Python."""
    root = Path(__file__).resolve().parent.parent
    project = toml.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    versions = sorted((c.rsplit(" ", 1)[1] for c in project["classifiers"] if re.fullmatch(r".*:: 3\.\d+", c)),
                      key=lambda v: int(v.split(".")[1]))
    oldest, newest = versions[0], versions[-1]
    assert project["requires-python"] == f">={oldest}"
    assert f"Python {oldest} to {newest} are supported" in README
    assert f"for version in {oldest} {newest}; do" in (root / ".ci" / "run").read_text(encoding="utf-8")
