"""``hustings roll import`` and ``hustings roll codes`` as real subprocesses."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from tests.roll_cli_helpers import ROLL, codes_by_member, database, hustings


def _stored(tmp_path: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(tmp_path / "roll.db") as db:
        rows = db.execute(
            "SELECT member_id, branch, section, joined, status, departed_at IS NOT NULL "
            "FROM roll_members ORDER BY member_id"
        )
        return [tuple(str(v) for v in row) for row in rows]


def test_import_keeps_only_what_eligibility_needs(tmp_path: Path) -> None:
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    done = hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "5 member(s) on the roll: 5 added, 0 updated" in done.stdout
    assert _stored(tmp_path)[0] == ("M001", "North", "members", "2019-03-01", "active", "0")
    raw = (tmp_path / "roll.db").read_bytes()
    assert b"Alice" not in raw and b"alice@example.org" not in raw


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + ROLL.replace("\n", "\r\n").encode()
    (tmp_path / "roll.csv").write_bytes(data)
    done = hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [row[0] for row in _stored(tmp_path)] == ["M001", "M002", "M003", "M004", "M005"]


def test_a_bad_row_imports_nothing_and_names_every_problem(tmp_path: Path) -> None:
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    bad = ROLL.replace("2021-11-20", "20/11/2021") + "M001,Again,North,members,2020-01-01,,\n"
    bad += ",No Id,North,members,2020-01-01,,\n"
    (tmp_path / "bad.csv").write_text(bad.replace("M003", "M009"), encoding="utf-8")
    done = hustings(tmp_path, "roll", "import", "bad.csv", "--database", database(tmp_path))
    assert done.returncode == 1
    assert "nothing changed" in done.stderr
    assert "row 3, joined: expected a date as YYYY-MM-DD (e.g. 2024-03-15), found '20/11/2021'" in (
        done.stderr
    )
    assert "row 7, member_id: 'M001' is already on row 2" in done.stderr
    assert "row 8, member_id: expected a member id, found ''" in done.stderr
    assert "M009" not in {row[0] for row in _stored(tmp_path)}  # nothing of it was stored
    assert all(row[5] == "0" for row in _stored(tmp_path))


def test_unknown_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "roll.csv").write_text(ROLL.replace("status", "staus"), encoding="utf-8")
    done = hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    assert done.returncode == 1
    assert "row 1 (header): unknown column(s) 'staus'" in done.stderr


def test_reimport_updates_and_records_departures(tmp_path: Path) -> None:
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    lines = ROLL.splitlines(keepends=True)
    changed = [lines[0], lines[1].replace("North", "East"), *lines[2:4], lines[5]]  # M004 gone
    changed.append("M006,Fay,South,members,2022-02-02,,active\n")
    (tmp_path / "again.csv").write_text("".join(changed), encoding="utf-8")
    done = hustings(tmp_path, "roll", "import", "again.csv", "--database", database(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "1 added, 1 updated, 3 unchanged, 0 returned, 1 departed" in done.stdout
    stored = {row[0]: row for row in _stored(tmp_path)}
    assert stored["M001"][1] == "East" and stored["M004"][5] == "1"


def test_codes_are_written_owner_only_and_stored_hashed(tmp_path: Path) -> None:
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    done = hustings(
        tmp_path, "roll", "codes", "--out", "codes.csv", "--database", database(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    codes = codes_by_member(tmp_path / "codes.csv")
    assert sorted(codes) == ["M001", "M002", "M003", "M004", "M005"]
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes.values())
    assert stat.S_IMODE((tmp_path / "codes.csv").stat().st_mode) == 0o600
    raw = (tmp_path / "roll.db").read_bytes()
    assert not any(
        code.encode() in raw or code.replace("-", "").encode() in raw for code in codes.values()
    )
    again = hustings(
        tmp_path, "roll", "codes", "--out", "codes.csv", "--database", database(tmp_path)
    )
    assert again.returncode == 1 and "exists" in again.stderr


def _code_hashes(tmp_path: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(tmp_path / "roll.db") as db:
        rows = db.execute("SELECT member_id, code_hash FROM roll_members ORDER BY member_id")
        return [tuple(str(v) for v in row) for row in rows]


def test_an_unwritable_out_file_changes_no_code(tmp_path: Path) -> None:
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    hustings(tmp_path, "roll", "import", "roll.csv", "--database", database(tmp_path))
    first = hustings(tmp_path, "roll", "codes", "--out", "c.csv", "--database", database(tmp_path))
    assert first.returncode == 0, first.stderr
    before = _code_hashes(tmp_path)
    missing = str(tmp_path / "nonexistent" / "dir" / "c.csv")
    done = hustings(tmp_path, "roll", "codes", "--out", missing, "--database", database(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"hustings roll codes: cannot write {missing}: No such file or directory; nothing changed"
    ]
    assert _code_hashes(tmp_path) == before  # the codes already mailed still link
