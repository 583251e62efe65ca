"""The shape of the code (issue 9): modules of one concept, no private names across modules.

import-linter (`make lint`) keeps the arrows between apps pointing down; ruff bounds function length
(PLR0915) and private imports across packages (PLC2701). These tests cover what neither tool sees:
the length of a module, and private names imported from a sibling module of the same package.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["platform/bianxue", "courses", "credits", "community", "search", "frontend"]
MAX_LINES = 500
# Modules allowed past MAX_LINES, each with its reason.
LONG_MODULES: dict[str, str] = {}


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and "node_modules" not in path.parts:
                yield path


def private_imports(source: str) -> list[tuple[int, str, str]]:
    """(line, module, name) for each `from module import _name` (dunder names are not private)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found += [(node.lineno, module, alias.name) for alias in node.names
                      if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def test_no_module_is_longer_than_the_bound_without_a_reason():
    too_long = {}
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        rel = str(path.relative_to(ROOT))
        if lines > MAX_LINES and rel not in LONG_MODULES:
            too_long[rel] = lines
    assert not too_long, f"modules over {MAX_LINES} lines (split them, or give a reason in LONG_MODULES): {too_long}"


def test_no_private_name_is_imported_from_another_module():
    found = [f"{path.relative_to(ROOT)}:{line} imports {name} from {module}"
             for path in _modules() for line, module, name in private_imports(path.read_text(encoding="utf-8"))]
    assert not found, "private names used across modules (make them public where they belong):\n" + "\n".join(found)


def test_private_imports_are_seen_in_relative_and_absolute_form():
    source = "from .services import _HASH\nfrom credits.ledger import _link, public, __version__\nimport _thread\n"
    assert private_imports(source) == [(1, ".services", "_HASH"), (2, "credits.ledger", "_link")]
