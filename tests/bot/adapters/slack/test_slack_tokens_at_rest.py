"""Slack tokens installed through OAuth are encrypted at rest; the database file and its folder
are owner-only. Read back with the ``sqlite3`` module, as anyone holding a copy would."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hustings_slack import CHANNEL, FAST_LIMIT, TEAM, oauth_served, workspace
from pydantic import SecretStr
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from bot.adapters.slack.fake import FakeSlack
from bot.adapters.slack.token_store import EncryptedInstallationStore
from bot.adapters.slack.transport import SlackAnnouncer
from bot.domain import Place
from bot.storage.database import create_engine
from tests.stores import Store

SECRET = "Zq8-vR2_kLw5Tn9yXb3MhC7pJd4sFg6A"


def _all_text(db: Path, table: str) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(f"SELECT * FROM {table}").fetchall()
    assert rows, f"{table} is empty"
    return "\n".join(str(value) for row in rows for value in row)


async def test_oauth_tokens_are_not_stored_in_plain_text(tmp_path: Path) -> None:
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake, installed=False)
        async with oauth_served(fake, tmp_path / "db", hustings_secret=SecretStr(SECRET)) as (
            settings,
            _core,
            oauth,
            bolt,
        ):
            assert (await fake.install(TEAM)).status == 200
            token = fake.bot_token(TEAM)
            db = tmp_path / "db" / "hustings.db"
            for table in ("slack_bots", "slack_installations"):
                stored = _all_text(db, table)
                assert TEAM in stored  # the row is there, readable where it need be
                assert token not in stored and "xoxb-" not in stored
            on_disk = b"".join(p.read_bytes() for p in db.parent.glob("hustings.db*"))
            assert token.encode() not in on_disk

            # the bot still uses it: an announcement goes out with the decrypted token
            assert isinstance(oauth.installation_store, EncryptedInstallationStore)
            announcer = SlackAnnouncer(settings, bolt, oauth.installation_store)
            await announcer.announce(Place("slack", TEAM, CHANNEL), "Voting has closed")
            [last] = fake.channel_messages(TEAM, CHANNEL)[-1:]
            assert last.text == "Voting has closed" and last.via == "chat.postMessage"

            assert stat.S_IMODE(db.stat().st_mode) == 0o600
            assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


async def test_a_token_under_another_secret_reads_as_no_installation(tmp_path: Path) -> None:
    """After a rotation the old ciphertext does not decrypt: the bot finds no token (the
    workspace must reinstall) rather than failing or using garbage."""
    async with FakeSlack(rate_limit=FAST_LIMIT, settle_quiet=0.05) as fake:
        workspace(fake, installed=False)
        async with oauth_served(fake, tmp_path, hustings_secret=SecretStr(SECRET)) as (
            _settings,
            core,
            _oauth,
            _bolt,
        ):
            assert (await fake.install(TEAM)).status == 200
            assert fake.client_id is not None
            other = EncryptedInstallationStore(
                b"A" * 43 + b"=", client_id=fake.client_id, engine=core.engine
            )
            bot = await other.async_find_bot(enterprise_id=None, team_id=TEAM)
            assert bot is not None and bot.bot_token is None


@pytest.mark.both_stores
async def test_long_credentials_fit_on_either_store(store: Store) -> None:
    """Sealed, a rotating token or a webhook URL outgrows slack_sdk's String(200): PostgreSQL
    enforces that length (SQLite never does), so the credential columns are TEXT, and tables
    slack_sdk made earlier are widened at start."""
    engine = create_engine(store.url)
    try:
        await AsyncSQLAlchemyInstallationStore(client_id="C1", engine=engine).create_tables()
        tokens = EncryptedInstallationStore(Fernet.generate_key(), client_id="C1", engine=engine)
        await tokens.create_tables()  # over slack_sdk's own narrow tables
        long = {
            "bot_token": "xoxe.xoxb-1-" + "b" * 140,
            "bot_refresh_token": "xoxe-1-" + "r" * 140,
            "user_token": "xoxe.xoxp-1-" + "u" * 140,
            "incoming_webhook_url": "https://hooks.slack.com/services/T0123456789/B0123456789/"
            + "w" * 24,
        }
        await tokens.async_save(
            Installation(
                app_id="A1", team_id="T1", user_id="U1", bot_id="B1", bot_user_id="UB", **long
            )
        )
        found = await tokens.async_find_installation(enterprise_id=None, team_id="T1")
        bot = await tokens.async_find_bot(enterprise_id=None, team_id="T1")
    finally:
        await engine.dispose()
    assert found is not None and bot is not None
    assert {name: getattr(found, name) for name in long} == long
    assert (bot.bot_token, bot.bot_refresh_token) == (long["bot_token"], long["bot_refresh_token"])
