"""The packages are the layers, and imports run one way (shared/design.md, README "Architecture"):

    inspector/, scheduler.py        the application: CLI, demo, coordinator, one inspection
    crawler/   rules/   reports/    side by side, each over the core only
    core/                           URLs, configuration, errors, records, the store

The table below is the whole of what may import what; every import in the code, lazy ones
inside functions included, is held against it, and the module graph has no cycle."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("core", "crawler", "rules", "reports", "inspector", "scheduler")
ALLOWED = {
    "core": {"core"},
    "crawler": {"core", "crawler"},
    "rules": {"core", "rules"},
    "reports": {"core", "reports"},
    "inspector": {"core", "crawler", "rules", "reports", "inspector", "scheduler"},
    "scheduler": {"core", "reports", "rules", "inspector"},
}


def modules() -> dict[str, Path]:
    found = {"scheduler": ROOT / "scheduler.py"}
    for layer in LAYERS[:-1]:
        for path in (ROOT / layer).rglob("*.py"):
            if "sample" in path.relative_to(ROOT).parts and path.name != "server.py":
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports (a `from package import name` counts as package.name
    when that is a module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] in LAYERS}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in LAYERS:
                continue
            subs = {f"{node.module}.{a.name}" for a in node.names} & known
            out |= subs or {node.module}
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: {m for m in imports(path, known) if m != name} for name, path in found.items()}


def test_every_import_follows_the_table_of_layers():
    wrong = sorted(f"{m} imports {d}" for m, deps in graph().items() for d in deps
                   if d.split(".")[0] not in ALLOWED[m.split(".")[0]])
    assert wrong == []


def test_the_module_graph_has_no_cycle():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_a_planted_upward_import_is_caught(tmp_path):
    """The check itself can fail: a core module importing the crawler is reported."""
    path = tmp_path / "bad.py"
    path.write_text("from crawler.layout import Scan\nimport rules\n", encoding="utf-8")
    found = imports(path, set(modules()))
    assert {d.split(".")[0] for d in found} - ALLOWED["core"] == {"crawler", "rules"}


def test_rules_and_reports_load_without_scrapy():
    code = ("import sys, rules, reports; from rules import RULES; "
            "sys.exit('scrapy' in sys.modules or 'twisted' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_toml_is_read_through_core_toml():
    """Python 3.10 has no tomllib: every module reads TOML through core.toml (tomli there)."""
    paths = [*modules().values(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").glob("*.py")]
    direct = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) else []
            if "tomllib" in names and path != ROOT / "core" / "toml.py":
                direct.append(str(path.relative_to(ROOT)))
    assert direct == []
