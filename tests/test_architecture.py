"""The rooms of the house import only what docs/architecture.md says they may."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT = set(settings.PROJECT_APPS)
# What each package may import of the project's own (newsroom, the wiring, is not held).
MAY_IMPORT = {
    "common": set(),
    "history": {"common"},
    "caching": {"common"},
    "jobs": {"common"},
    "pictures": {"common", "history", "caching", "jobs"},
    "people": {"common", "history", "caching", "pictures"},
    "articles": {"common", "history", "caching", "jobs", "pictures", "people"},
    "opendata": {"common", "caching", "jobs", "people", "articles"},
}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & PROJECT


def test_every_app_of_the_project_has_its_rule():
    assert set(MAY_IMPORT) == PROJECT - {"newsroom"}


def test_each_package_imports_only_what_it_may():
    wrong = []
    for package, allowed in MAY_IMPORT.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in imported_packages(path) - allowed - {package}:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)
