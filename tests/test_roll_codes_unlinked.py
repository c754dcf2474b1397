"""``hustings roll codes --unlinked`` as a real subprocess: codes of members who linked are
never replaced; members with no link get new ones (their old ones stop working)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.roll_cli_helpers import ROLL, codes_by_member, database, hustings


def _code_hashes(tmp_path: Path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "roll.db") as db:
        rows = db.execute("SELECT member_id, code_hash FROM roll_members ORDER BY member_id")
        return {member: str(code) for member, code in rows}


def test_unlinked_reissues_only_members_with_no_link(tmp_path: Path) -> None:
    url = database(tmp_path)
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    assert hustings(tmp_path, "roll", "import", "roll.csv", "--database", url).returncode == 0
    first = hustings(tmp_path, "roll", "codes", "--out", "codes.csv", "--database", url)
    assert first.returncode == 0, first.stderr
    codes = codes_by_member(tmp_path / "codes.csv")
    script = tmp_path / "link.txt"
    script.write_text(f"@alice/discord: /link {codes['M001']}\n", encoding="utf-8")
    linked = hustings(tmp_path, "fake", "--database", url, "--script", "link.txt")
    assert "Linked: this Discord account stands for member M001" in linked.stdout, linked.stderr
    before = _code_hashes(tmp_path)

    again = hustings(tmp_path, "roll", "codes", "--unlinked", "--out", "new.csv", "--database", url)

    assert again.returncode == 0, again.stderr
    assert "4 code(s) written to new.csv" in again.stdout
    fresh = codes_by_member(tmp_path / "new.csv")
    assert sorted(fresh) == ["M002", "M003", "M004", "M005"]  # M001 has linked: kept
    after = _code_hashes(tmp_path)
    assert after["M001"] == before["M001"]
    assert all(after[m] != before[m] for m in fresh)
    # alice's code still links her Slack account; bob's old code no longer works, his new one does
    script.write_text(
        f"@alice/slack: /link {codes['M001']}\n"
        f"@bob/slack: /link {codes['M002']}\n"
        f"@bob/slack: /link {fresh['M002']}\n",
        encoding="utf-8",
    )
    played = hustings(tmp_path, "fake", "--database", url, "--script", "link.txt")
    assert "Linked: this Slack account stands for member M001" in played.stdout, played.stderr
    assert "That code is not one we issued" in played.stdout
    assert "Linked: this Slack account stands for member M002" in played.stdout


def test_unlinked_with_everyone_linked_issues_nothing(tmp_path: Path) -> None:
    url = database(tmp_path)
    (tmp_path / "roll.csv").write_text(ROLL.splitlines()[0] + "\n" + ROLL.splitlines()[1] + "\n")
    hustings(tmp_path, "roll", "import", "roll.csv", "--database", url)
    hustings(tmp_path, "roll", "codes", "--out", "codes.csv", "--database", url)
    code = codes_by_member(tmp_path / "codes.csv")["M001"]
    (tmp_path / "link.txt").write_text(f"@alice/slack: /link {code}\n", encoding="utf-8")
    hustings(tmp_path, "fake", "--database", url, "--script", "link.txt")

    done = hustings(tmp_path, "roll", "codes", "--unlinked", "--database", url)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "member_id,code,expires"
