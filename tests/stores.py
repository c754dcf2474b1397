"""The two stores the storage, service, race and durability tests run on: SQLite and PostgreSQL.

A test (or module) marked ``both_stores`` that uses the ``store`` (or ``empty_store``) fixture
runs twice: on a SQLite file in its temp dir, and on a fresh PostgreSQL database (marked
``postgres``). The server is the one ``HUSTINGS_TEST_POSTGRES_URL`` names (``.ci/run`` starts
one with ``scripts/postgres_for_tests.sh``); each test gets its own database, dropped
afterwards: ``store`` a copy of one migrated once per session (``CREATE DATABASE … TEMPLATE``:
the app's own upgrade at start then finds it at head), ``empty_store`` an empty one, for the
migration tests. The SQLite file is always new and empty (the app migrates it at start).

Without the variable, ``postgres`` tests skip, saying how to run them; under
``CI=true`` they fail instead, so a CI run can never pass with the PostgreSQL tests unrun.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ENV = "HUSTINGS_TEST_POSTGRES_URL"
HOW = (
    f"{ENV} is not set: run them with a throw-away server, e.g. "
    "`bash scripts/postgres_for_tests.sh .venv/bin/python -m pytest -m postgres` "
    "(.ci/run does this)"
)

BOTH = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))
"""``store`` parameters for a test that must hold on both stores."""


@dataclass(frozen=True)
class Store:
    """Where one test keeps its data: ``name`` is ``sqlite`` or ``postgres``."""

    name: str
    url: str

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"


def postgres_server_url() -> str | None:
    return os.environ.get(ENV) or None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if not metafunc.definition.get_closest_marker("both_stores"):
        return
    for name in ("store", "empty_store"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, BOTH, indirect=True)


@pytest.hookimpl(tryfirst=True)  # before fixtures: no database is made for a skipped test
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") is None or postgres_server_url():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests must run under CI=true, but {HOW}", pytrace=False)
    pytest.skip(HOW)


async def _admin(server: str, sql: str) -> None:
    import asyncpg  # noqa: PLC0415 - only PostgreSQL tests need it

    url = make_url(server).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


_migrated: list[str] = []
"""The session's migrated template database (its URL), made on first use."""


async def new_postgres_database(*, migrated: bool = False) -> str:
    """A new database on the test server, empty or at the head revision; its URL."""
    server = postgres_server_url()
    assert server, HOW
    template = ""
    if migrated:
        if not _migrated:
            from bot.storage.migrate import upgrade  # noqa: PLC0415

            url = await new_postgres_database()
            await upgrade(url)
            _migrated.append(url)
        template = f' TEMPLATE "{make_url(_migrated[0]).database}"'
    name = f"t_{secrets.token_hex(6)}"
    await _admin(server, f'CREATE DATABASE "{name}"{template}')
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def pytest_sessionfinish(session: pytest.Session) -> None:
    while _migrated:
        asyncio.run(drop_postgres_database(_migrated.pop()))


async def drop_postgres_database(url: str) -> None:
    server = postgres_server_url()
    assert server, HOW
    name = make_url(url).database
    await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _store(
    request: pytest.FixtureRequest, tmp_path: Path, migrated: bool
) -> AsyncIterator[Store]:
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        yield Store(name, f"sqlite+aiosqlite:///{tmp_path / 'hustings.db'}")
        return
    url = await new_postgres_database(migrated=migrated)
    try:
        yield Store(name, url)
    finally:
        await drop_postgres_database(url)


@pytest.fixture
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """SQLite unless the test is parametrised (``both_stores``) with ``postgres``; there a
    database already at head."""
    async for made in _store(request, tmp_path, migrated=True):
        yield made


@pytest.fixture
async def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """As ``store``, but never migrated (for the migration tests)."""
    async for made in _store(request, tmp_path, migrated=False):
        yield made
