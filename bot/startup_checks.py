"""Start-up checks: every bad setting, URL, folder, database file or secret becomes one
``StartupProblem`` naming the setting, which the CLI prints in a line or two (exit 2, no
traceback unless ``--debug``).

The checks run before anything is created (``preflight``), in this order: the data folder,
the database URL, the SQLite file, the voter-key secret (strict on a real platform, see
``bot.keys``). Whatever still goes wrong while the database is opened and migrated is turned
into a ``StartupProblem`` by ``database_problems`` (a locked or unreadable file, a driver that
is not installed), so start-up never ends in a raw traceback.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from alembic.util.exc import CommandError
from pydantic import ValidationError
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from bot.config import Settings
from bot.errors import StartupProblem
from bot.keys import load_voter_secret

SQLITE_HEADER = b"SQLite format 3\x00"
EXAMPLE_URL = "sqlite+aiosqlite:///./data/hustings.db"


def load_settings(build: Callable[[], Settings] = Settings) -> Settings:
    """``Settings()`` with a validation error turned into a ``StartupProblem``."""
    try:
        return build()
    except UnicodeDecodeError as exc:
        raise StartupProblem(
            ".env", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        setting = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        if first.get("type") != "value_error" and "input" in first:
            message += f" (not {first['input']!r})"
        raise StartupProblem(setting, message) from exc


def preflight(settings: Settings, *, real_platform: bool) -> None:
    """Every check that needs no database connection; raises the first ``StartupProblem``.

    ``DATA_DIR`` is checked when something will live in it: the fake console's throw-away
    secret, or the SQLite file (by default ``DATA_DIR/hustings.db``).
    """
    url = check_database_url(settings.database_url)
    configured = settings.hustings_secret is not None or settings.hustings_secret_file is not None
    generated_secret = not real_platform and not configured
    if generated_secret or _inside(url, settings.data_dir):
        check_folder(settings.data_dir, "DATA_DIR")
    check_sqlite_file(url)
    load_voter_secret(settings, strict=real_platform)


def _inside(url: URL, folder: Path) -> bool:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return False
    database, where = Path(url.database).absolute(), folder.absolute()
    return database.parent == where or where in database.parents


def check_folder(folder: Path, setting: str) -> None:
    """``folder`` is a folder, or can be made one: its nearest existing ancestor is a folder."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "" if existing == folder else f" (so {folder} cannot be created)"
        raise StartupProblem(setting, f"{existing} is a file, not a folder{where}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise StartupProblem(setting, f"cannot write in {existing}")


def check_database_url(text: str) -> URL:
    """A URL SQLAlchemy can load with an asyncio driver."""
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise StartupProblem("DATABASE_URL", f"not a database URL; e.g. {EXAMPLE_URL}") from exc
    try:
        dialect = url.get_dialect()
    except (NoSuchModuleError, ImportError) as exc:
        raise StartupProblem(
            "DATABASE_URL", f"unknown database kind {url.drivername!r}; e.g. {EXAMPLE_URL}"
        ) from exc
    if not getattr(dialect, "is_async", False):
        raise StartupProblem(
            "DATABASE_URL",
            f"{url.drivername!r} is not an asyncio driver; use sqlite+aiosqlite:// "
            "or postgresql+asyncpg://",
        )
    return url


def check_sqlite_file(url: URL) -> None:
    """A SQLite database path names a SQLite file (or nothing yet) in a usable folder."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    check_folder(path.parent, "DATABASE_URL")
    if not path.exists():
        return
    if not path.is_file():
        raise StartupProblem("DATABASE_URL", f"{path} is not a file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StartupProblem("DATABASE_URL", f"cannot read {path}: {exc.strerror}") from exc
    if head and head != SQLITE_HEADER:
        raise StartupProblem(
            "DATABASE_URL", f"{path} is not a SQLite database; move it away or choose another file"
        )


@contextlib.contextmanager
def database_problems(url: str) -> Iterator[None]:
    """Turn a failure to open or migrate the database into a ``StartupProblem``."""
    try:
        yield
    except StartupProblem:
        raise
    except CommandError as exc:  # alembic: e.g. a revision this version does not know
        raise StartupProblem(
            "DATABASE_URL",
            f"{_shown(url)} has a schema this version of Hustings does not know "
            f"({_one_line(exc)}); use the Hustings that wrote it, or another database",
        ) from exc
    except (SQLAlchemyError, OSError, ImportError) as exc:
        cause = getattr(exc, "orig", None) or exc
        shown = _shown(url)
        raise StartupProblem("DATABASE_URL", f"cannot open {shown}: {_one_line(cause)}") from exc


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the database"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
