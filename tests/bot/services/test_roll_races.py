"""The roll under concurrency: two bot processes (two ``App``s, two connection pools) on one
database, on SQLite and on PostgreSQL. On PostgreSQL nothing serialises writers but the
locks the roll services take (READ COMMITTED: each transaction reads before the other
commits), so each race below is run several times and must come out the same every time:

* two accounts typing the same code at once link at most one account per platform, and the
  other is told why (not a crash on the unique constraint);
* one account typing two members' codes at once is linked to one of them;
* guesses sent all at once are counted one by one: never more than ``MAX_WRONG`` an hour;
* two imports of the roll at once (an operator's re-run) both finish, and the roll is the
  file's; codes issued while a member is linking either link with the old code or not.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.config import Settings
from bot.domain import Actor
from bot.errors import Conflict, NotAllowed, NotFound
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_file import read_roll
from bot.services.roll_links import MAX_WRONG, LinkService, LinkStatus
from bot.storage.database import transaction
from bot.storage.tables import RollLink, RollMember
from tests.bot.adapters.roll_scenario import CODES
from tests.bot.services.conftest import FakeClock
from tests.roll_cli_helpers import ROLL

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL (tests/stores.py)

ROUNDS = 5


@pytest.fixture
async def apps(settings: Settings, clock: FakeClock) -> AsyncIterator[tuple[App, App]]:
    first = await build_app(settings, clock=clock)
    second = await build_app(settings, clock=clock)
    try:
        yield first, second
    finally:
        await first.aclose()
        await second.aclose()


async def seed(app: App, clock: FakeClock) -> None:
    await import_roll(app.context.sessions, read_roll(ROLL), clock())
    codes: Iterator[str] = iter(CODES.values())
    await issue_codes(app.context.sessions, app.context.secrecy, clock(), draw=lambda: next(codes))


def account(name: str, platform: str = "discord") -> Actor:
    return Actor(platform, "guild-1", name, name)


async def links_of(app: App, member_id: str) -> int:
    async with transaction(app.context.sessions, write=False) as session:
        found = await session.scalar(
            select(func.count()).select_from(RollLink).where(RollLink.member_id == member_id)
        )
    return int(found or 0)


async def attempt(service: LinkService, actor: Actor, code: str) -> LinkStatus | Exception:
    try:
        return await service.link(actor, code)
    except (Conflict, NotFound, NotAllowed) as refused:
        return refused


async def test_two_accounts_racing_one_code_link_one(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    await seed(apps[0], clock)
    first, second = (LinkService(app.context) for app in apps)
    for n, (member_id, code) in enumerate(CODES.items()):
        if n == ROUNDS:
            break
        outcomes = await asyncio.gather(
            attempt(first, account(f"a{n}"), code), attempt(second, account(f"b{n}"), code)
        )
        linked = [o for o in outcomes if isinstance(o, LinkStatus)]
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(linked) == 1 and len(refused) == 1, outcomes
        assert "already linked a Discord account" in str(refused[0])
        assert await links_of(apps[0], member_id) == 1


async def test_one_account_racing_two_codes_is_linked_once(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    await seed(apps[0], clock)
    first, second = (LinkService(app.context) for app in apps)
    codes = list(CODES.values())
    for n in range(2):  # M001/M002, then M003/M004
        me = account(f"both-{n}")
        outcomes = await asyncio.gather(
            attempt(first, me, codes[2 * n]), attempt(second, me, codes[2 * n + 1])
        )
        linked = [o for o in outcomes if isinstance(o, LinkStatus)]
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(linked) == 1 and len(refused) == 1, outcomes
        assert "linked to another membership" in str(refused[0])
    async with transaction(apps[0].context.sessions, write=False) as session:
        assert await session.scalar(select(func.count()).select_from(RollLink)) == 2


async def test_guesses_sent_at_once_are_counted_one_by_one(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    await seed(apps[0], clock)
    services = [LinkService(app.context) for app in apps]
    guesser = account("guesser")
    wrong = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"
    outcomes = await asyncio.gather(
        *(attempt(services[n % 2], guesser, wrong) for n in range(MAX_WRONG + 3))
    )
    counted = [o for o in outcomes if isinstance(o, NotFound)]
    stopped = [o for o in outcomes if isinstance(o, NotAllowed)]
    assert len(counted) == MAX_WRONG and len(stopped) == 3, outcomes
    assert "no more tries this hour" in "".join(str(o) for o in counted)


async def test_two_imports_at_once_both_finish_with_the_file_s_roll(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    entries = read_roll(ROLL)
    for _ in range(ROUNDS):
        reports = await asyncio.gather(
            *(import_roll(app.context.sessions, entries, clock()) for app in apps)
        )
        assert sorted(r.added for r in reports)[0] == 0  # the second saw the first's roll
        async with transaction(apps[0].context.sessions, write=False) as session:
            on_roll = await session.scalar(select(func.count()).select_from(RollMember))
        assert on_roll == len(entries)


async def test_codes_issued_while_members_link_leave_one_link_each(
    apps: tuple[App, App], clock: FakeClock
) -> None:
    await seed(apps[0], clock)
    service = LinkService(apps[1].context)
    old = list(CODES.values())
    outcomes = await asyncio.gather(
        issue_codes(apps[0].context.sessions, apps[0].context.secrecy, clock()),
        *(attempt(service, account(f"m{n}"), code) for n, code in enumerate(old)),
    )
    for outcome in outcomes[1:]:  # linked with the old code, or told it is no longer one
        assert isinstance(outcome, LinkStatus | NotFound), outcome
    for member_id in CODES:
        assert await links_of(apps[0], member_id) <= 1
