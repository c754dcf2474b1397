"""The database remembers its voter-key secret's fingerprint: under another secret, voting is
suspended (no second ballot from a member who already voted), moderators are told, and the
operator rotates only once no election is open (``hustings db accept-key``)."""

from __future__ import annotations

import random
import secrets
import sqlite3
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.adapters.fake.run import run_lines
from bot.app import build_app
from bot.config import Settings
from bot.keys import estimated_bits, fingerprint, weakness
from bot.services import keycheck

OLD, NEW = "Zq8-vR2_kLw5Tn9yXb3MhC7pJd4sFg6A", "mP4_tY7-qWe2Rz9xLk3NbV6cHs8Dj5Fa"


def _settings(tmp_path: Path, secret: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'hustings.db'}",
        data_dir=tmp_path / "data",
        moderator_roles="moderator",
        hustings_secret=SecretStr(secret),
    )


async def _say(settings: Settings, *lines: str) -> str:
    app = await build_app(settings)
    out: list[str] = []
    try:
        await run_lines(app, list(lines), out.append)
    finally:
        await app.aclose()
    return "\n".join(out)


async def test_another_secret_suspends_voting_until_rotated(tmp_path: Path) -> None:
    await _say(
        _settings(tmp_path, OLD),
        '@mod +moderator: /election create "Chair" Kendall, Burnham',
        "@mod +moderator: /election open",
        "@alice: /rank Kendall",
    )
    with sqlite3.connect(tmp_path / "hustings.db") as conn:
        [(stored,)] = conn.execute("SELECT fingerprint FROM key_checks").fetchall()
    assert stored == fingerprint(OLD.encode()) and OLD not in stored

    changed = _settings(tmp_path, NEW)
    again = await _say(changed, "@alice: /rank Burnham", "@alice: /withdraw")
    assert again.count("Voting is suspended") == 2 and "Nothing was recorded" in again
    status = await _say(changed, "@mod +moderator: /election status")
    assert "Voting is suspended" in status and "Ballots cast: 1" in status

    app = await build_app(changed)
    try:
        with pytest.raises(keycheck.KeyRotationRefused, match="1 election"):
            await keycheck.accept(app.context.sessions, NEW.encode())
    finally:
        await app.aclose()
    await _say(changed, "@mod +moderator: /election close")
    app = await build_app(changed)
    try:
        await keycheck.accept(app.context.sessions, NEW.encode())
    finally:
        await app.aclose()

    after = await _say(
        changed,
        '@mod +moderator: /election create "Deputy" Cooper, Corbyn',
        "@mod +moderator: /election open 2",
        "@alice: /rank Cooper",
    )
    assert "Voting is open: Deputy" in after and "Voting is suspended" not in after


async def test_the_old_secret_restored_resumes_voting(tmp_path: Path) -> None:
    await _say(_settings(tmp_path, OLD), '@mod +moderator: /election create "C" A, B')
    refused = await _say(_settings(tmp_path, NEW), "@mod +moderator: /election open")
    assert "Voting is suspended" in refused
    opened = await _say(_settings(tmp_path, OLD), "@mod +moderator: /election open")
    assert "Voting is open: C" in opened


@pytest.mark.parametrize(
    "value",
    [
        "changemechangeme",
        " " * 15 + "x",
        "password1234567890",
        "abcdefghijklmnopqrstuvwxyz",
        "aB3$" * 8,
        "correct horse battery staple",
        "short",
        "1029384756102938475610",
    ],
)
def test_weak_secrets_are_refused(value: str) -> None:
    assert weakness(value) is not None


def test_generated_secrets_pass() -> None:
    for _ in range(200):
        value = secrets.token_urlsafe(32)
        assert weakness(value) is None, value
        assert estimated_bits(value) >= 128
    assert weakness(secrets.token_hex(32)) is None


def test_random_keys_at_the_bound_are_not_refused_by_chance() -> None:
    """A random 32-digit hex key carries 128 bits; the uncorrected estimate refused about 6%
    of them, and "any case" placeholder matching about 1 in 10,000 urlsafe keys."""
    rng = random.Random(2026)
    hex_keys = ["".join(rng.choice("0123456789abcdef") for _ in range(32)) for _ in range(2000)]
    assert sum(weakness(key) is not None for key in hex_keys) <= 10  # 0.5%; it was ~125
    assert weakness("Zq8-vR2_kLw5yOuR9yXb3MhC7pJd4sFg6A") is None
    assert weakness("Zq8-vR2_kLw5YOUR9yXb3MhC7pJd4sFg6A") is not None
