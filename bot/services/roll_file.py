"""Reading a membership roll file (CSV), every row checked before anything is stored.

The file is the organisation's export, typically from a spreadsheet: UTF-8 (a byte-order mark
is allowed and dropped), comma-separated, any line endings (CRLF included), a header row
naming the columns in any order and case. Columns:

* required: ``member_id``, ``name``, ``branch``, ``section``, ``joined``;
* optional: ``email``, ``status``;
* anything else is refused (a misspelt ``staus`` must not silently drop every status).

Each data row is checked: ``member_id`` not empty, at most 64 characters, unique in the file;
``branch`` and ``section`` not empty; ``joined`` an ISO date ``YYYY-MM-DD``; ``email``, when
given, one ``@`` with text either side; ``status`` at most 32 characters (empty: none).
Rows whose cells are all empty (spreadsheets append them) are skipped. Rows are numbered as a
spreadsheet shows them: the header is row 1.

``read_roll`` returns every member or raises ``RollFileError`` listing every problem, so the
import stores nothing from a file with any bad row. ``name`` and ``email`` are checked (a row
without a name is likely a shifted column) but never returned: nothing stores them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

REQUIRED = ("member_id", "name", "branch", "section", "joined")
OPTIONAL = ("email", "status")
MAX_ID = 64
MAX_TEXT = 100
MAX_STATUS = 32
MAX_SHOWN = 30
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@dataclass(frozen=True)
class RollEntry:
    """One member as eligibility needs them (no name, no email)."""

    member_id: str
    branch: str
    section: str
    joined: date
    status: str | None


class RollFileError(ValueError):
    """The file cannot be imported; ``problems`` are lines like ``row 4, joined: …``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_SHOWN]
        more = len(problems) - len(shown)
        tail = [f"… and {more} more problem(s)"] if more else []
        super().__init__("\n".join([*shown, *tail]))


def decode(data: bytes) -> str:
    """The file's text: UTF-8 with or without a byte-order mark, else ``RollFileError``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RollFileError(
            [f"line {line}: the file is not UTF-8 (byte {exc.start + 1}); save it as CSV UTF-8"]
        ) from None


def read_roll(text: str) -> list[RollEntry]:
    """Every member in ``text`` (see the module docstring), or ``RollFileError``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise RollFileError([f"line {reader.line_num}: not valid CSV ({exc})"]) from None
    if not rows:
        raise RollFileError(["the file is empty: expected a header row " + ",".join(REQUIRED)])
    columns = _header(rows[0])
    problems: list[str] = []
    entries: list[RollEntry] = []
    first_row: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.append(
                f"row {number}: expected {len(columns)} cells (one per column), found {len(cells)}"
            )
            continue
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        member_id = values["member_id"]
        if member_id in first_row:
            problems.append(
                f"row {number}, member_id: {member_id!r} is already on row "
                f"{first_row[member_id]}; each member once"
            )
        elif member_id:
            first_row[member_id] = number
        found = _check_row(number, values, problems)
        if found is not None:
            entries.append(found)
    if problems:
        raise RollFileError(problems)
    if not entries:
        raise RollFileError(["the file has a header but no members"])
    return entries


def _header(cells: list[str]) -> list[str]:
    names = [cell.strip().casefold() for cell in cells]
    problems = []
    unknown = [n for n in names if n not in REQUIRED and n not in OPTIONAL]
    if unknown:
        known = ", ".join((*REQUIRED, *OPTIONAL))
        problems.append(
            f"row 1 (header): unknown column(s) {', '.join(map(repr, unknown))}; "
            f"the columns are {known}"
        )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"row 1 (header): column(s) named twice: {', '.join(twice)}")
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        problems.append(f"row 1 (header): missing column(s) {', '.join(missing)}")
    if problems:
        raise RollFileError(problems)
    return names


def _check_row(number: int, values: dict[str, str], problems: list[str]) -> RollEntry | None:
    before = len(problems)

    def bad(column: str, expected: str) -> None:
        problems.append(f"row {number}, {column}: expected {expected}, found {values[column]!r}")

    member_id = values["member_id"]
    if not member_id:
        bad("member_id", "a member id")
    elif len(member_id) > MAX_ID:
        bad("member_id", f"at most {MAX_ID} characters")
    if not values["name"]:
        bad("name", "the member's name (it is checked, never stored)")
    for column in ("branch", "section"):
        if not values[column]:
            bad(column, f"a {column}")
        elif len(values[column]) > MAX_TEXT:
            bad(column, f"at most {MAX_TEXT} characters")
    joined = _iso_date(values["joined"])
    if joined is None:
        bad("joined", "a date as YYYY-MM-DD (e.g. 2024-03-15)")
    email = values.get("email", "")
    if email and not _EMAIL.match(email):
        bad("email", "an address like name@example.org (or nothing)")
    status = values.get("status", "")
    if len(status) > MAX_STATUS:
        bad("status", f"at most {MAX_STATUS} characters")
    if len(problems) > before or joined is None:
        return None
    shown_status = status.casefold() or None
    return RollEntry(member_id, values["branch"], values["section"], joined, shown_status)


def _iso_date(text: str) -> date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
