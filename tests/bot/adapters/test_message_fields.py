"""Each field of ``Reply`` is documented by the string right under it (attribute docstrings,
as Sphinx and editors read them), so a misplaced one describes the wrong field."""

from __future__ import annotations

import ast
import inspect

from bot.adapters.render import message


def _field_docs() -> dict[str, str]:
    tree = ast.parse(inspect.getsource(message.Reply))
    body = tree.body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for field, after in zip(body.body, [*body.body[1:], None], strict=True):
        named = isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
        documented = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
        if named and documented:
            assert isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
            assert isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
            docs[field.target.id] = str(after.value.value)
    return docs


def test_followups_docstring_sits_under_followups() -> None:
    docs = _field_docs()
    assert docs["followups"].startswith("Further replies to deliver")
    assert "charts" in docs["charts_of"]
    assert "Further replies" not in docs["charts_of"]
