"""House rules that no linter checks for us (docs/architecture.md, issue "The house")."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_function_is_annotated_to_return_none() -> None:
    unannotated = [
        f"{path.relative_to(TESTS.parent)}:{node.lineno} {node.name}"
        for path in sorted(TESTS.rglob("test_*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
        and not (isinstance(node.returns, ast.Constant) and node.returns.value is None)
        and not (isinstance(node.returns, ast.Name) and node.returns.id == "None")
    ]
    assert unannotated == [], "annotate these tests with -> None"
