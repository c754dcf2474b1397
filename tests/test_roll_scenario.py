"""Issue 14's "How we will know", on one database: the roll CLI as subprocesses, then the
fake console (``hustings fake --database``) speaking as alice's Discord and Slack accounts."""

from __future__ import annotations

from pathlib import Path

from tests.roll_cli_helpers import ROLL, codes_by_member, database, hustings


def _blocks(transcript: str) -> dict[str, str]:
    """Each typed line → everything printed after it, up to the next typed line."""
    blocks: dict[str, str] = {}
    current = ""
    for line in transcript.splitlines():
        if line.startswith("@"):
            current = line
            blocks[current] = ""
        elif current:
            blocks[current] += line + "\n"
    return blocks


def test_one_member_one_ballot_across_discord_and_slack(tmp_path: Path) -> None:
    url = database(tmp_path)
    (tmp_path / "roll.csv").write_text(ROLL, encoding="utf-8")
    bad = ROLL + "M006,Fay Fox,North,members,8 June 2026,,active\n"
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")

    refused = hustings(tmp_path, "roll", "import", "bad.csv", "--database", url)
    assert refused.returncode == 1
    assert "row 7, joined: expected a date as YYYY-MM-DD" in refused.stderr
    assert hustings(tmp_path, "roll", "codes", "--database", url).stdout.strip() == (
        "member_id,code,expires"  # the bad file imported nobody
    )
    imported = hustings(tmp_path, "roll", "import", "roll.csv", "--database", url)
    assert "5 member(s) on the roll: 5 added" in imported.stdout, imported.stderr
    issued = hustings(tmp_path, "roll", "codes", "--out", "codes.csv", "--database", url)
    assert issued.returncode == 0, issued.stderr
    codes = codes_by_member(tmp_path / "codes.csv")

    lines = [
        f"@alice/discord: /link {codes['M001']}",
        f"@alice/slack: /link {codes['M001'].lower().replace('-', ' ')}",
        f"@dev/slack: /link {codes['M004']}",
        '@mod +moderator: /election create "Leader" Kendall, Burnham, Cooper --electorate roll '
        "--joined-before 2026-06-08",
        "@mod +moderator: /election open",
        "@alice/discord: /rank Kendall Burnham",
        "@alice/slack: /rank Cooper Kendall",
        "@zoe: /rank Burnham",
        "@dev/slack: /rank Burnham",
        "@mod +moderator: /election status",
        "@mod +moderator: /election count",
    ]
    (tmp_path / "script.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    played = hustings(tmp_path, "fake", "--database", url, "--script", "script.txt")
    assert played.returncode == 0, played.stderr
    seen = _blocks(played.stdout)

    assert "[private to alice/slack] Linked" in seen[lines[1]]
    assert "Discord, Slack" in seen[lines[1]]
    assert "is recorded" in seen[lines[5]]
    assert "replaces your earlier one (one ballot per member" in seen[lines[6]]
    assert "You are not on the roll" in seen[lines[7]] and "/link CODE" in seen[lines[7]]
    assert "joined before 8 June 2026; the roll says you joined on 10 June 2026" in seen[lines[8]]
    assert "Ballots cast: 1" in seen[lines[9]]
    count = seen[lines[10]]
    assert "1 ballot," in count and "Winner: Cooper" in count  # alice's Slack ranking
    assert codes["M001"] not in played.stdout.replace(lines[0], "")  # never echoed back
