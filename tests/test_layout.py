"""The layout's rules that no import error would catch."""

import ast
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

import jinzang
from jinzang.permissions import access_of
from residents.access import Access

APPS = {"residents", "committees", "meetings"}
# Where the shared code composes the project: the root URLs, the demo and its commands.
COMPOSES = ("urls.py", "demo/", "management/")


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_shared_code_imports_no_app_except_where_it_composes_the_project():
    root = Path(jinzang.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root).as_posix()
        if where.startswith(COMPOSES):
            continue
        found += [
            f"{where}: {module}"
            for module in imported_modules(path)
            if module.split(".")[0] in APPS
        ]
    assert found == []


def test_the_shared_code_receives_the_access_rule_from_the_settings():
    assert settings.ACCESS_RULE == "residents.access.Access"
    access = access_of(AnonymousUser())
    assert isinstance(access, Access)
    assert not access.has_role


# The access rule's sets of places: read only in residents (residents.access says the rule
# once, as Q-builders and questions); every other module asks it.
ACCESS_SETS = {"staff_community_ids", "compound_ids", "courtyard_ids", "community_ids"}


def test_no_module_outside_residents_reads_the_access_rule_s_sets():
    root = Path(jinzang.__file__).parent.parent
    found = []
    for package in sorted((APPS - {"residents"}) | {"jinzang"}):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            found += [
                f"{path.relative_to(root).as_posix()}:{node.lineno}: .{node.attr}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr in ACCESS_SETS
            ]
    assert found == []
