"""Care records live in residents, the lowest app: their code reads the visits that carry
the care out through related names, never by importing the higher apps."""

import ast
from pathlib import Path

from meetings.models import Purpose
from residents.care import CARE_VISIT_PURPOSE

CARE = Path(__file__).resolve().parents[2] / "residents" / "care"
HIGHER = ("committees", "meetings")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_care_code_imports_no_higher_app():
    modules = sorted(CARE.glob("*.py"))
    assert {p.name for p in modules} >= {"selectors.py", "services.py", "forms.py", "views.py"}
    for path in modules:
        higher = {m for m in imported_modules(path) if m.split(".")[0] in HIGHER}
        assert not higher, f"{path.name} imports {sorted(higher)}"


def test_visits_name_the_care_purpose_the_care_records_read():
    assert Purpose.CARE == CARE_VISIT_PURPOSE
