"""Ballot secrecy: no user id in the ballots table or the database file; the secret file."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App, build_app
from bot.domain import Actor
from bot.services.secrecy import SECRET_FILE, Secrecy, load_secret, new_receipt, seeded_receipts
from bot.storage.database import transaction
from bot.storage.tables import Ballot
from tests.bot.services.conftest import PLACE, FakeClock, OpenElection, make_settings

VOTER = Actor("discord", "guild-1", "738201946512378880", "Jeremy Voter")


async def test_ballot_rows_hold_no_user_id(
    app: App, open_election: OpenElection, settings: object
) -> None:
    await open_election()
    await app.ballots.rank(VOTER, PLACE, "corbyn burnham")
    async with transaction(app.context.sessions, write=False) as session:
        [row] = (await session.scalars(select(Ballot))).all()
    cells = [str(getattr(row, c)) for c in ("voter_key", "ranking", "section", "receipt")]
    assert not any(VOTER.user_id in cell or VOTER.display_name in cell for cell in cells)
    assert len(row.voter_key) == 32


async def test_database_file_bytes_hold_no_user_id(tmp_path: Path, clock: FakeClock) -> None:
    settings = make_settings(tmp_path)
    app = await build_app(settings, clock=clock)
    mod = Actor("discord", "guild-1", "mod-1", "Mod", frozenset({"moderator"}))
    created = await app.elections.create(mod, PLACE, "Leader", ["Corbyn", "Burnham"])
    await app.elections.open(mod, PLACE, created.ref)
    await app.ballots.rank(VOTER, PLACE, "corbyn")
    await app.ballots.rank(VOTER, PLACE, "burnham corbyn")
    await app.aclose()
    contents = _database_bytes(tmp_path)
    assert contents
    for data in contents:
        assert VOTER.user_id.encode() not in data
        assert VOTER.display_name.encode() not in data
    assert any(b"Corbyn" in data for data in contents)  # the grep does see stored text


def _database_bytes(directory: Path) -> list[bytes]:
    """The database file and its WAL/SHM companions, as bytes."""
    return [file.read_bytes() for file in directory.glob("hustings.db*")]


def test_secret_is_generated_once_with_0600(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = load_secret(settings)
    second = load_secret(settings)
    path = settings.data_dir / SECRET_FILE
    assert first == second
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_from_settings_wins(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, hustings_secret=SecretStr("s" * 32))
    assert load_secret(settings) == b"s" * 32
    assert not (settings.data_dir / SECRET_FILE).exists()


def test_voter_keys_differ_by_election_and_secret() -> None:
    one, other = Secrecy(b"a" * 32), Secrecy(b"b" * 32)
    key = one.voter_key("discord", "g", "u", 1)
    assert key == one.voter_key("discord", "g", "u", 1)
    assert key != one.voter_key("discord", "g", "u", 2)
    assert key != one.voter_key("slack", "g", "u", 1)
    assert key != other.voter_key("discord", "g", "u", 1)
    assert "a" * 32 not in repr(one)
    with pytest.raises(ValueError):
        Secrecy(b"short")


def test_receipts_are_short_and_varied() -> None:
    receipts = {new_receipt() for _ in range(1000)}
    assert len(receipts) == 1000
    assert all(len(r) == 11 and r[5] == "-" for r in receipts)


def test_seeded_receipts_repeat_for_a_seed_and_differ_between_seeds() -> None:
    """Only ``hustings fake``'s throwaway core uses them: its demo must print the same."""
    first, again, other = seeded_receipts(2015), seeded_receipts(2015), seeded_receipts(2016)
    drawn = [first() for _ in range(200)]
    assert drawn == [again() for _ in range(200)]
    assert drawn != [other() for _ in range(200)]
    assert len(set(drawn)) == 200
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", r) for r in drawn)
