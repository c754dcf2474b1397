"""Settings, read from the environment (and ``.env``) once, in the composition root.

Nothing here runs at import time: ``Settings()`` is built by ``bot.cli`` / ``build_app`` and
passed down, so tests can build their own with a temp database and no environment leaks in.
Secrets are ``SecretStr`` so an accidental ``repr`` or log line never shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/hustings.db"
"""The URL when neither ``DATABASE_URL`` nor ``DATA_DIR`` is set (``hustings.db`` in DATA_DIR)."""
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


MODERATOR_PLATFORMS = ("discord", "slack", "fake")


class Settings(BaseSettings):
    """Every knob the bot has; see ``.env.example`` for the commented list."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path("./data")
    hustings_secret: SecretStr | None = None
    # A file holding the voter-key secret (instead of HUSTINGS_SECRET): on Discord/Slack it
    # must lie outside DATA_DIR and be readable by its owner only (see bot.keys).
    hustings_secret_file: Path | None = None
    moderator_roles: Annotated[frozenset[str], NoDecode] = Field(default=frozenset({"moderator"}))
    # Members who moderate whatever their roles: platform:user id, comma-separated
    # (MODERATOR_IDS=discord:80351110224678912, slack:U0ABCDEF). See bot.services.moderators.
    moderator_ids: Annotated[frozenset[str], NoDecode] = Field(default=frozenset())
    # Slack user groups count as MODERATOR_ROLES only when this is on: in many workspaces any
    # member may edit user groups. Off: Slack's moderators are its workspace admins and
    # owners, and MODERATOR_IDS.
    slack_usergroup_moderators: bool = False
    discord_token: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    # Unset: INFO when serving a real Discord or Slack, WARNING in the consoles (``hustings
    # fake``, and ``run`` without tokens), whose stdout is the chat transcript.
    log_level: str | None = None
    # Fix the seed of the tie-break lot (reproducible demos and tests). Unset: a random seed is
    # drawn when an election is first counted, so nobody can foresee how a tie would fall; it
    # is stored with the result and reused by recounts and exports.
    count_seed: int | None = None

    # Which chat platform ``hustings run`` serves: "auto" picks Discord when DISCORD_TOKEN is
    # set, Slack when SLACK_BOT_TOKEN (or OAuth client credentials) are set, else the fake console.
    platform: Literal["auto", "fake", "discord", "slack"] = "auto"
    # Discord: REST/gateway base URLs. Unset means the real Discord; tests and the local demo
    # point them at the fake Discord on loopback.
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    # Guild to sync commands to (faster than global sync while developing); empty = global.
    discord_guild_id: int | None = None
    # Sharding across processes (README "Running at scale"): DISCORD_SHARD_COUNT shards in
    # all, and the ones this process runs (DISCORD_SHARD_IDS=0,1; unset: all of them).
    # Neither set: one unsharded connection.
    discord_shard_count: int | None = None
    discord_shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    # Slack: Web API base URL (None = real Slack, e.g. the fake Slack's ".../api/" locally).
    slack_api_url: str | None = None
    # "socket" (Socket Mode, needs SLACK_APP_TOKEN; no public URL) or "http" (signed requests).
    slack_mode: Literal["socket", "http"] = "socket"
    slack_http_host: str = "127.0.0.1"
    slack_http_port: int = 3000
    # OAuth (multi-workspace installs); when set, installations are stored in the database.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_oauth_authorize_url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _database_in_data_dir(cls, values: object) -> object:
        """Without ``DATABASE_URL`` the database is ``DATA_DIR/hustings.db``."""
        if isinstance(values, dict) and not values.get("database_url"):
            folder = values.get("data_dir") or "./data"
            return {
                **values,
                "database_url": f"sqlite+aiosqlite:///{Path(str(folder))}/hustings.db",
            }
        return values

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: object) -> object:
        """``DISCORD_SHARD_IDS=0, 2`` → ``(0, 2)``; blank is unset; no duplicates."""
        if isinstance(value, str):
            if not value.strip():
                return None
            items = [i.strip() for i in value.split(",")]
            bad = [i for i in items if not (i.isascii() and i.isdigit())]
            if bad:
                raise ValueError(
                    f"{bad[0]!r} is not a shard id: give numbers from 0, comma-separated "
                    "(DISCORD_SHARD_IDS=0,1)"
                )
            value = [int(i) for i in items]
        if isinstance(value, list | tuple):
            repeated = sorted({i for i in value if list(value).count(i) > 1})
            if repeated:
                raise ValueError(f"shard {repeated[0]} is listed more than once")
            return tuple(value)
        return value

    @field_validator("discord_shard_count", mode="before")
    @classmethod
    def _blank_count_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("discord_shard_count")
    @classmethod
    def _count_positive(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise ValueError(f"must be 1 or more (not {value})")
        return value

    @field_validator("discord_shard_ids")
    @classmethod
    def _ids_within_count(
        cls, value: tuple[int, ...] | None, info: ValidationInfo
    ) -> tuple[int, ...] | None:
        """Shard ids need DISCORD_SHARD_COUNT, and each lies in ``0 … count - 1``."""
        if value is None:
            return None
        count = info.data.get("discord_shard_count")
        if count is None:
            raise ValueError("needs DISCORD_SHARD_COUNT too (how many shards in all)")
        if not value:
            raise ValueError("lists no shard")
        outside = [i for i in value if i >= count]
        if outside:
            raise ValueError(
                f"shard {outside[0]} is outside DISCORD_SHARD_COUNT={count} "
                f"(shard ids run from 0 to {count - 1})"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> object:
        """``LOG_LEVEL`` is one of the standard level names (any case); blank is unset."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and value.strip().upper() in LOG_LEVELS:
            return value.strip().upper()
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)} (not {value!r})")

    @field_validator("platform", mode="before")
    @classmethod
    def _platform_any_case(cls, value: object) -> object:
        """``PLATFORM=Slack`` means slack, as ``LOG_LEVEL=debug`` means DEBUG."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("moderator_roles", mode="before")
    @classmethod
    def _split_roles(cls, value: object) -> object:
        """``MODERATOR_ROLES=moderator, steward`` → ``{"moderator", "steward"}``."""
        if isinstance(value, str):
            return frozenset(r.strip().lower() for r in value.split(",") if r.strip())
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(r).strip().lower() for r in value if str(r).strip())
        return value

    @field_validator("moderator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """``MODERATOR_IDS=discord:123, slack:U0AB`` → ``{"discord:123", "slack:U0AB"}``."""
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            return value
        ids = set()
        for item in (str(i).strip() for i in items):
            platform, sep, user = item.partition(":")
            if not item:
                continue
            if not sep or platform.lower() not in MODERATOR_PLATFORMS or not user.strip():
                raise ValueError(
                    f"{item!r} is not platform:user id (platform one of "
                    f"{', '.join(MODERATOR_PLATFORMS)}, e.g. slack:U0ABCDEF)"
                )
            ids.add(f"{platform.lower()}:{user.strip()}")
        return frozenset(ids)

    @field_validator(
        "hustings_secret",
        "hustings_secret_file",
        "discord_token",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "slack_client_secret",
        "discord_guild_id",
        "discord_api_url",
        "discord_gateway_url",
        "slack_api_url",
        "slack_client_id",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """An empty ``HUSTINGS_SECRET=`` line in ``.env`` means "not set", not "empty secret"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value
