"""Data flows one way: portal → crawler → store → rules → findings → reports."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(folder: str) -> set[str]:
    names = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_the_crawler_imports_neither_rules_nor_reports():
    assert not imported_packages("crawler") & {"rules", "reports"}


def test_rules_import_no_reports_and_load_no_scrapy():
    assert "reports" not in imported_packages("rules")
    code = "import sys, rules; from rules import RULES; sys.exit('scrapy' in sys.modules or 'twisted' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
