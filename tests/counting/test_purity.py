"""``counting/`` is pure: standard library only, and no I/O, logging, clocks or unseeded chance.

Checked by parsing every module's imports and calls with ``ast`` (nothing is imported or run),
so a new module cannot slip past by being absent from some import graph.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "counting"
MODULES = sorted(PACKAGE.rglob("*.py"))

FORBIDDEN_STDLIB = {
    "asyncio", "http", "io", "logging", "os", "pathlib", "random", "secrets", "shutil",
    "socket", "sqlite3", "subprocess", "sys", "tempfile", "threading", "time", "urllib",
}  # fmt: skip
"""Standard-library modules that mean I/O, logging, the clock or unseeded randomness."""

FORBIDDEN_CALLS = {"open", "print", "input", "breakpoint", "exec", "eval", "__import__"}


def imported_roots(tree: ast.AST) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def called_names(tree: ast.AST) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def test_there_are_modules_to_check() -> None:
    names = {p.name for p in MODULES}
    assert {"engine.py", "irv.py", "reading.py", "tiebreak.py"} <= names


def test_counting_imports_only_the_standard_library() -> None:
    bad = {}
    for path in MODULES:
        roots = imported_roots(ast.parse(path.read_text(), str(path)))
        outside = {r for r in roots if r != "counting" and r not in sys.stdlib_module_names} | (
            roots & FORBIDDEN_STDLIB
        )
        if outside:
            bad[str(path.relative_to(PACKAGE))] = sorted(outside)
    assert bad == {}


def test_counting_does_no_io() -> None:
    bad = {}
    for path in MODULES:
        calls = called_names(ast.parse(path.read_text(), str(path))) & FORBIDDEN_CALLS
        if calls:
            bad[str(path.relative_to(PACKAGE))] = sorted(calls)
    assert bad == {}


def test_the_checks_catch_a_violation() -> None:
    tree = ast.parse("import logging\nfrom requests import get\nprint(open('x'))\n")
    assert imported_roots(tree) == {"logging", "requests"}
    assert called_names(tree) >= {"print", "open"}
