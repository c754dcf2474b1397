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
"""

from __future__ import annotations

import copy
import logging
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
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
