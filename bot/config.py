"""Settings, read from the environment (and ``.env``) once, in the composition root.

Nothing here runs at import time: ``Settings()`` is built by ``bot.cli`` / ``build_app`` and
passed down, so tests can build their own with a temp database and no environment leaks in.
Secrets are ``SecretStr`` so an accidental ``repr`` or log line never shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/hustings.db"


class Settings(BaseSettings):
    """Every knob the bot has; see ``.env.example`` for the commented list."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path("./data")
    hustings_secret: SecretStr | None = None
    moderator_roles: Annotated[frozenset[str], NoDecode] = Field(default=frozenset({"moderator"}))
    discord_token: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    log_level: str = "INFO"

    @field_validator("moderator_roles", mode="before")
    @classmethod
    def _split_roles(cls, value: object) -> object:
        """``MODERATOR_ROLES=moderator, steward`` → ``{"moderator", "steward"}``."""
        if isinstance(value, str):
            return frozenset(r.strip().lower() for r in value.split(",") if r.strip())
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(r).strip().lower() for r in value if str(r).strip())
        return value

    @field_validator("hustings_secret", "discord_token", "slack_bot_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """An empty ``HUSTINGS_SECRET=`` line in ``.env`` means "not set", not "empty secret"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value
