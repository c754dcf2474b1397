"""Slack OAuth installations with their tokens encrypted at rest.

slack_sdk's SQLAlchemy store keeps bot and user tokens (and refresh tokens, and the incoming
webhook URL, which is a credential too) as plain text in ``slack_bots`` and
``slack_installations``: anyone with a copy of the database could post as the bot in every
workspace. This store encrypts those fields with Fernet (AES-128-CBC + HMAC-SHA256, from the
``cryptography`` package) under a key derived from the voter-key secret (``bot.keys.token_key``),
which on a real platform lives outside ``DATA_DIR``. Everything else (team, scopes, install
time) stays readable so the store can still look rows up.

Stored values are Fernet tokens (they always begin ``gAAAAA``, which no Slack token does), so
rows written before encryption are still read as they are. A value that does not decrypt
under the current key (the secret was rotated) reads as no token: that workspace must
reinstall, and the fact is logged once per team, without the value.

A Fernet token is about 4/3 of the value plus 76 characters, so a value of 80 characters or
more (a webhook URL, a rotating ``xoxe.`` token) no longer fits slack_sdk's ``String(200)``
columns. SQLite never enforces the length; PostgreSQL refuses the row. The credential columns
are therefore ``TEXT`` here: new tables are made so, and ``create_tables`` widens existing
PostgreSQL ones (``ALTER … TYPE text``: a change of catalogue only, no rewrite).
"""

from __future__ import annotations

import copy
import logging
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import MetaData, Table, Text, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

SECRET_FIELDS = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)
"""The credential fields of ``Installation`` and ``Bot`` (a ``Bot`` has the first two)."""
FERNET_PREFIX = "gAAAAA"
"""Every Fernet token starts so (version byte 0x80, then a timestamp's zero high bytes)."""

Entity = TypeVar("Entity", Bot, Installation)


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's async SQLAlchemy installation store, tokens encrypted (module docstring)."""

    def __init__(self, key: bytes, *, client_id: str, engine: AsyncEngine) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._fernet = Fernet(key)
        self._warned: set[str | None] = set()

    @classmethod
    def build_installations_table(cls, metadata: MetaData, table_name: str) -> Table:
        return _widened(super().build_installations_table(metadata, table_name))

    @classmethod
    def build_bots_table(cls, metadata: MetaData, table_name: str) -> Table:
        return _widened(super().build_bots_table(metadata, table_name))

    async def create_tables(self) -> None:
        """slack_sdk's tables if missing; on PostgreSQL, credential columns widened to TEXT."""
        await super().create_tables()  # type: ignore[no-untyped-call]
        if self.engine.dialect.name != "postgresql":
            return
        async with self.engine.begin() as connection:
            for table in (self.bots, self.installations):
                narrow = await connection.run_sync(_narrow_secret_columns, table.name)
                for column in narrow:
                    await connection.exec_driver_sql(
                        f'ALTER TABLE "{table.name}" ALTER COLUMN "{column}" TYPE text'
                    )

    async def async_save(self, installation: Installation) -> None:
        await super().async_save(self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await super().async_save_bot(self._sealed(bot))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await super().async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else self._opened(found)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await super().async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else self._opened(found)

    def _sealed(self, entity: Entity) -> Entity:
        sealed = copy.copy(entity)
        for name in SECRET_FIELDS:
            value = getattr(sealed, name, None)
            if isinstance(value, str) and value and not value.startswith(FERNET_PREFIX):
                setattr(sealed, name, self._fernet.encrypt(value.encode()).decode("ascii"))
        return sealed

    def _opened(self, entity: Entity) -> Entity:
        opened = copy.copy(entity)
        for name in SECRET_FIELDS:
            value: Any = getattr(opened, name, None)
            if isinstance(value, str) and value.startswith(FERNET_PREFIX):
                setattr(opened, name, self._decrypt(value, getattr(opened, "team_id", None)))
        return opened

    def _decrypt(self, value: str, team_id: str | None) -> str | None:
        try:
            return self._fernet.decrypt(value.encode("ascii")).decode()
        except (InvalidToken, ValueError):
            if team_id not in self._warned:
                self._warned.add(team_id)
                log.warning(
                    "a stored Slack token for team %s does not decrypt under the current "
                    "secret (rotated?): that workspace must reinstall the app",
                    team_id,
                )
            return None


def _narrow_secret_columns(connection: Connection, table: str) -> list[str]:
    """The credential columns of ``table`` that still have a length limit."""
    return [
        str(column["name"])
        for column in inspect(connection).get_columns(table)
        if column["name"] in SECRET_FIELDS and getattr(column["type"], "length", None)
    ]


def _widened(table: Table) -> Table:
    """``table`` with its credential columns as TEXT (see the module docstring)."""
    for name in SECRET_FIELDS:
        if name in table.c:
            table.c[name].type = Text()
    return table
