"""A rule's options, declared the yamllint way: each rule module has OPTIONS, a dict of option
name → Option (its type, default, allowed values, range and help). The registry checks a
profile's [rules] table against them when the profile is loaded, before anything is fetched,
and the rule reference (`inspector rules`, the README) prints them."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from core.errors import ConfigError

_TYPE_NAMES = {str: "string", int: "integer", float: "number", bool: "true/false", list: "list", dict: "table"}


@dataclass(frozen=True)
class Option:
    """One option of a rule. `choices` are the allowed values (of a list: its allowed items);
    `item` is a list's item type; `low`/`high` bound a number (of a list: each item);
    `check` raises ValueError saying why a value of the right type is still wrong."""

    kind: type
    default: object
    help: str
    choices: tuple = ()
    item: type | None = None
    low: float | None = None
    high: float | None = None
    check: Callable[[object], object] | None = None

    def validate(self, value, name: str):
        """`value` (floats accept integers), or ConfigError naming `name`."""
        value = _typed(value, self.kind, name)
        values = value if self.kind is list else [value]
        for v in values:
            if self.item is not None:
                _typed(v, self.item, f"{name} item")
            if self.choices and v not in self.choices:
                raise ConfigError(f"{name}: {v!r} is not one of {', '.join(map(str, self.choices))}")
            if self.low is not None and v < self.low or self.high is not None and v > self.high:
                raise ConfigError(f"{name}: {v!r} is not {self._range()}")
        if self.check is not None:
            try:
                self.check(value)
            except ValueError as exc:
                raise ConfigError(f"{name}: {exc}") from None
        return value

    def describe(self) -> str:
        """The option's type, allowed values and range in a few words: "list of integer, 400–599"."""
        parts = [_TYPE_NAMES[self.kind] + (f" of {_TYPE_NAMES[self.item]}" if self.item else "")]
        if self.choices:
            parts.append(" | ".join(map(str, self.choices)))
        if self.low is not None or self.high is not None:
            parts.append(self._range())
        return ", ".join(parts)

    def _range(self) -> str:
        if self.high is None:
            return f"≥ {self.low}"
        if self.low is None:
            return f"≤ {self.high}"
        return f"{self.low}–{self.high}"


ENABLED = Option(bool, True, "false turns the rule off")


def defaults(module) -> dict:
    """The rule's options at their defaults (fresh copies: a rule may not share a list)."""
    return {key: copy.deepcopy(option.default) for key, option in module.OPTIONS.items()}


def settings(module, table: dict) -> dict:
    """The rule's options from a profile's validated [rules] table, over their defaults."""
    return {**defaults(module), **table.get(module.ID, {})}


def validate(module, options, where: str) -> dict:
    """A profile's [rules.<id>] table checked against the module's OPTIONS (and `enabled`)."""
    if not isinstance(options, dict):
        raise ConfigError(f"{where}: rules.{module.ID} must be a table")
    known = {**module.OPTIONS, "enabled": ENABLED}
    out = {}
    for key, value in options.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key rules.{module.ID}.{key} (known: {', '.join(known)})")
        out[key] = known[key].validate(value, f"{where}: rules.{module.ID}.{key}")
    return out


def _typed(value, kind: type, name: str):
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        raise ConfigError(f"{name} must be {_TYPE_NAMES[kind]}, not {value!r}")
    return value
