"""The rule registry: one module per rule, listed here explicitly (no discovery magic).

Each module has ID, LEVEL, DESCRIPTION, OPTIONS (name → rules.options.Option: type, default,
allowed values, help), a docstring with PASS/FAIL examples, and check(run, conf) yielding
Findings (`conf`: its options over their defaults). A module may set RECHECK, how
`inspector recheck` re-verifies its findings (see inspector/recheck.py): "target" (fetch the
finding's URL again), "link" (re-read the page's links) or "page" (run the rule again over the
re-parsed page); without it a finding waits for the next full crawl.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from core.errors import ConfigError
from core.records import LEVELS, Finding
from rules import (
    broken_link,
    document_number_format,
    empty_column,
    missing_annual_report,
    missing_column,
    missing_review_labels,
    missing_site_identity,
    missing_validity,
    mixed_content,
    site_unreachable,
    site_veto,
    stale_column,
    stale_homepage,
    wording_error,
    wrong_link,
)
from rules.options import ENABLED, settings
from rules.options import validate as validate_rule

RULES = {m.ID: m for m in (
    site_unreachable, broken_link, wrong_link,  # links
    empty_column, stale_column, stale_homepage, missing_column, missing_annual_report,  # columns
    missing_validity, document_number_format, missing_review_labels, mixed_content, wording_error,  # documents
    missing_site_identity,
    site_veto,  # last: it counts the column findings
)}

__all__ = ["RULES", "LEVELS", "Finding", "catalogue", "evaluate", "findings", "option_lines", "reference", "settings", "validate"]


def validate(table: dict, where: str = "config") -> dict:
    """Check a profile's [rules] table: known rule ids, and each rule's options against its
    OPTIONS (type, allowed values, range, windows and deadlines). Raises ConfigError naming the
    key. core.config.load(…, rules=validate) calls it, before anything is fetched."""
    for rule_id in table:
        if rule_id not in RULES:
            raise ConfigError(f"{where}: unknown rule rules.{rule_id} (known: {', '.join(RULES)})")
    return {rule_id: validate_rule(RULES[rule_id], options, where) for rule_id, options in table.items()}


def evaluate(run, config) -> list[Finding]:
    """Every enabled rule over one run's facts (`run.config` is `config`); each finding gets the
    responsible unit (责任单位) of its column from the site profile. When the home page could not
    be opened, that is the only finding: every other rule would judge a site it has not seen."""
    found: list[Finding] = []
    for rule_id in RULES:
        found.extend(findings(rule_id, run, config))
        if rule_id == site_unreachable.ID and found:
            break
    return found


def findings(rule_id: str, run, config) -> list[Finding]:
    """One rule's findings as evaluate() gives them: none when the profile switches it off, its
    options over their defaults, each finding with its column's 责任单位."""
    module = RULES[rule_id]
    if not config.rules.get(rule_id, {}).get("enabled", ENABLED.default):
        return []
    return [_with_unit(f, config) for f in module.check(run, settings(module, config.rules))]


def catalogue() -> list[dict]:
    """One row per rule (id, name, level, description) for the store: reports name rules by it."""
    return [{"id": rule_id, "name": _name(module), "level": module.LEVEL, "description": module.DESCRIPTION}
            for rule_id, module in RULES.items()]


def _name(module) -> str:
    """The rule's Chinese name: the part of its DESCRIPTION before the colon (断链, 错链 …)."""
    text = module.DESCRIPTION
    return text.split(":")[0].strip() if ":" in text else module.ID


def reference() -> str:
    """The rule reference in Markdown, from each module's docstring and OPTIONS (the README's)."""
    parts = []
    for rule_id, module in RULES.items():
        listed = "".join(f"\n- {line}" for line in option_lines(module)) or " none"
        parts.append(f"### `{rule_id}` — {LEVELS[module.LEVEL]} ({module.LEVEL})\n\n"
                     f"{(module.__doc__ or '').strip()}\n\nOptions:{listed}\n")
    return "\n".join(parts)


def option_lines(module) -> list[str]:
    """One line per option of the rule: name, type and allowed values, default, help."""
    return [f"`{key}` ({option.describe()}; default `{option.default!r}`): {option.help}"
            for key, option in module.OPTIONS.items()]


def _with_unit(finding: Finding, config) -> Finding:
    if finding.unit:
        return finding
    where = urlsplit(finding.column_url or finding.page or finding.url).path or "/"
    unit = config.column(where).get("unit") or config.site.get("default_unit", "")
    return replace(finding, unit=unit) if unit else finding
