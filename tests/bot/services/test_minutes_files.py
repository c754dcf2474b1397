"""The minutes' files treat member text as hostile: a CSV cell is never a formula, and
Markdown text never becomes a heading, link, image or HTML (``bot.services.minutes_files``)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.hustings_values import HustingsView, MinuteEntry, Minutes
from bot.services.minutes_files import md_escape, safe_cell, to_csv, to_markdown

AT = datetime(2026, 11, 30, 18, 5, tzinfo=UTC)


def _entry(text: str, **more: object) -> MinuteEntry:
    values: dict[str, object] = {
        "short_id": "Q1", "state": "open", "text": text, "to_candidate": None, "asker": None,
        "upvotes": 0, "reason_code": None, "reason": None, "answer": None,
        "answered_by": None, "asked_at": AT, "updated_at": AT,
    }  # fmt: skip
    values.update(more)
    return MinuteEntry(**values)  # type: ignore[arg-type]


def _minutes(*entries: MinuteEntry, title: str | None = "Hustings") -> Minutes:
    view = HustingsView(number=3, title=title, started_at=AT, ended_at=AT)
    return Minutes(view, entries, full=True)


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_is_prefixed(first: str) -> None:
    assert safe_cell(f"{first}1+1") == f"'{first}1+1"


@pytest.mark.parametrize("text", ["Rail?", "1+1", "a=b", " =not first", ""])
def test_other_cells_are_left_alone(text: str) -> None:
    assert safe_cell(text) == text


def test_csv_rows_read_back_exactly_with_injection_neutralised() -> None:
    awkward = 'Commas, "quotes"\nand a line break'
    minutes = _minutes(
        _entry(awkward, asker="=cmd|' /C calc'!A0", upvotes=4),
        _entry("@SUM(1)", short_id="Q2", state="answered", answer="-2+3", answered_by="+Corbyn"),
    )
    rows = list(csv.reader(io.StringIO(to_csv(minutes))))
    assert rows[0][:4] == ["question", "hustings", "state", "text"]
    assert rows[1][:7] == ["Q1", "3", "open", awkward, "", "'=cmd|' /C calc'!A0", "4"]
    assert rows[2][3] == "'@SUM(1)"
    assert rows[2][9:11] == ["'-2+3", "'+Corbyn"]
    assert rows[1][11:] == ["2026-11-30T18:05:00Z", "2026-11-30T18:05:00Z"]


def test_markdown_cannot_be_forged_by_a_question() -> None:
    forged = "x\n# Heading\n\n[click](http://evil) ![img](http://evil/i.png) <script>a</script>"
    page = to_markdown(_minutes(_entry(forged), title="**Bold** [t](u)"))
    assert page.startswith("# Minutes: Hustings 3 (\\*\\*Bold\\*\\* \\[t\\]\\(u\\))\n")
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert headings == [headings[0], "## Q1 · open · 0 upvotes"]
    question = page.split("- **Question:** ", 1)[1].split("\n- **To:**", 1)[0]
    assert re.search(r"(?<!\\)[\[\]()<>!*#]", question) is None  # every one escaped
    assert "- **Question:** x\\\n  \\# Heading\\\n  \\[click\\]" in page


@given(st.text())
def test_escaped_text_reads_back_as_typed(text: str) -> None:
    """Remove the escapes and the hard breaks: what is left is the text, line by line
    (stripped, blank lines dropped), so nothing was lost or added."""
    escaped = md_escape(text)
    assert "\n\n" not in escaped
    unescaped = re.sub(r"\\(.)", r"\1", escaped.replace("\\\n  ", "\n"))
    wanted = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    assert unescaped == wanted
