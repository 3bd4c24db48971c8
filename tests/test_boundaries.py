"""The core stays Qt-free, the GUI runs no SQL, and the CLI starts without the
heavy libraries."""

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "ocop_desktop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_outside_gui_imports_qt():
    offenders = [
        str(p.relative_to(PKG.parent))
        for p in PKG.rglob("*.py")
        if "gui" not in p.relative_to(PKG).parts[:1]
        and _imports(p) & {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
    ]
    assert offenders == []


def _sql_in(path: Path) -> list[str]:
    """Calls that run a statement (``.execute(…)``, ``.executemany(…)``) and string
    literals that read as SQL."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr.startswith("execute") or node.func.attr == "set_progress_handler":
                found.append(f"{path.name}:{node.lineno} .{node.func.attr}()")
        elif isinstance(node, ast.JoinedStr | ast.Constant):
            parts = node.values if isinstance(node, ast.JoinedStr) else [node]
            strings = [p.value for p in parts if isinstance(p, ast.Constant)]
            if not all(isinstance(v, str) for v in strings):
                continue
            text = " x ".join(strings)
            words = text.upper().split()
            statement = words[:1] == ["PRAGMA"] and len(words) > 1
            statement |= bool({"SELECT", "UPDATE", "INSERT", "DELETE"} & set(words)) and bool(
                {"FROM", "SET", "INTO", "WHERE"} & set(words)
            )
            if statement:
                found.append(f"{path.name}:{node.lineno} {text[:40]!r}")
    return found


def test_the_gui_runs_no_sql():
    """Rows, counts, labels and history come from core functions (``listing``,
    ``records``, the services); the GUI only calls them."""
    offenders = [hit for p in (PKG / "gui").rglob("*.py") for hit in _sql_in(p)]
    assert offenders == []


def test_cli_start_up_loads_no_qt_pandas_or_reportlab():
    code = (
        "import sys, ocop_desktop.cli;"
        "print(sorted(m for m in ('PySide6','pandas','reportlab','openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
