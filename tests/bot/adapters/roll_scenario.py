"""The roll, played through a platform: ``/link`` a code, its status, its refusals, a roll
election's refusals, and ``/roll`` counts for moderators.

The roll and its codes are put in place through the same services ``hustings roll import``
and ``hustings roll codes`` call (in-process here, with the app's own secret and codes drawn
from a fixed list, so the steps can type them); the subprocess CLI has its own tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from bot.app import App
from bot.services.roll import import_roll, issue_codes
from bot.services.roll_file import read_roll
from tests.bot.adapters.scenarios import MODERATOR, Step
from tests.roll_cli_helpers import ROLL

CODES = {
    "M001": "ABCD-EFGH-JKMN-PQRS",
    "M002": "BCDE-FGHJ-KMNP-QRST",
    "M003": "CDEF-GHJK-MNPQ-RSTV",
    "M004": "DEFG-HJKM-NPQR-STVW",
    "M005": "EFGH-JKMN-PQRS-TVWX",
}


async def seed_roll(app: App) -> None:
    """The 5-member roll of ``tests.roll_cli_helpers.ROLL`` with the codes in ``CODES``."""
    now = datetime.now(UTC)
    await import_roll(app.context.sessions, read_roll(ROLL), now)
    codes: Iterator[str] = iter(CODES.values())
    await issue_codes(app.context.sessions, app.context.secrecy, now, draw=lambda: next(codes))


def link_steps() -> list[Step]:
    alice = CODES["M001"]
    phone = alice.lower().replace("-", " ")
    return [
        Step("alice", "/link", private=("is not linked to a membership", "/link CODE"), quiet=True),
        Step("alice", f"/link {phone}", private=("Linked", "member M001", "branch North"),
             quiet=True, hidden=(alice,)),
        Step("alice", "/link", private=("Your link", "member M001"), quiet=True),
        Step("bob", f"/link {alice}", private=("already linked a",), quiet=True),
        Step("bob", "/link ABCD-EFGH-JKMN-PQRT", private=("not one we issued", "4 more tries"),
             quiet=True),
        Step("bob", "/link ABCD-EFGH", private=("16 letters and digits",), quiet=True),
        Step("dev", f"/link {CODES['M004']}", private=("Linked", "member M004"), quiet=True),
        Step("mod", "/roll", MODERATOR, private=("5 member(s)", "linked account:"), quiet=True,
             hidden=(alice,)),
        Step("bob", "/roll", private=("Only moderators",), quiet=True),
    ]  # fmt: skip


def election_steps() -> list[Step]:
    create = (
        '/election create "Leader" Kendall, Burnham --electorate roll --joined-before 2026-06-08'
    )
    return [
        Step("mod", create, MODERATOR, private=("Who may vote: members on the roll",)),
        Step("mod", "/election open", MODERATOR, public=("Voting is open", "/link CODE")),
        Step("alice", "/rank Burnham", private=("is recorded",), quiet=True),
        Step("alice", "/rank Kendall",
             private=("replaces your earlier one", "one ballot per member"), quiet=True),
        Step("bob", "/rank Kendall", private=("not on the roll", "/link CODE"), quiet=True),
        Step("dev", "/rank Kendall", private=("joined before 8 June 2026", "10 June 2026"),
             quiet=True),
        Step("alice", "/unlink", private=("no longer linked",), quiet=True),
        Step("alice", "/rank Burnham", private=("not on the roll",), quiet=True),
        Step("mod", "/election status", MODERATOR, private=("Ballots cast: 1",)),
    ]  # fmt: skip
