"""The site profile through one door: core.config reads and checks its sections, and the rule
registry checks the [rules] table, each rule its own options (the yamllint way). Every
command, the scheduler and the demo load profiles here."""

from __future__ import annotations

from pathlib import Path

from core import config
from core.config import Config, Schedule
from rules import validate


def load(path: str | Path | None = None, overrides: dict | None = None) -> Config:
    """Defaults, then the profile at `path`, then `overrides`; raises ConfigError naming the key."""
    return config.load(path, overrides, rules=validate)


def load_schedule(path: str | Path) -> Schedule:
    """A schedule file, with every site's profile loaded as load() does."""
    return config.load_schedule(path, rules=validate)
