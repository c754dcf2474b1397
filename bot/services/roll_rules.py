"""Who may vote in an election whose electorate is the roll, and why someone may not.

An election created with ``--electorate roll`` takes its voters from the imported roll
(``roll_members``): a member votes through any account they have linked (``/link``), and their
voter key is derived from their member id (``Secrecy.member_key``), so every linked account
casts the same one ballot. Optional rules narrow it, all of them must hold:

* ``--branch A, B``: the member's branch is one of these (compared ignoring case);
* ``--section S``: the member's section is one of these;
* ``--status active``: the member's roll status is one of these;
* ``--joined-before 2026-06-08``: the member joined strictly before that date (the rulebook's
  freeze date: "members who joined before 8 June").

A roll election counted by the college takes each member's section from the roll:
``--sections members=Members, affiliates=Affiliates`` maps roll sections (not roles) to the
college's sections (``roll_voters.college_section``).

A refusal names the one rule that fails, privately: "not on the roll", "joined after …",
"not in branch …". Rules are stored on the election as JSON (``Election.roll_rules``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import Conflict, InvalidInput
from bot.storage.tables import RollMember

ELECTORATES = ("roles", "roll")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_ON_ROLL = (
    "You are not on the roll for this election: link your account with /link CODE, using the "
    "code your organisation sent you. Nothing was recorded."
)


def long_date(day: date) -> str:
    """``8 June 2026``."""
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class RollRules:
    """The narrowing rules of a roll election (empty: every member on the roll)."""

    branches: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    joined_before: date | None = None

    def to_json(self) -> dict[str, Any]:
        joined = None if self.joined_before is None else self.joined_before.isoformat()
        return {
            "branches": list(self.branches), "sections": list(self.sections),
            "statuses": list(self.statuses), "joined_before": joined,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> RollRules:
        if not data:
            return cls()
        joined = data.get("joined_before")
        return cls(
            tuple(data.get("branches") or ()), tuple(data.get("sections") or ()),
            tuple(data.get("statuses") or ()),
            None if joined is None else date.fromisoformat(joined),
        )  # fmt: skip

    def describe(self) -> str:
        """``members on the roll in branch North, who joined before 8 June 2026``."""
        parts = ["members on the roll"]
        if self.branches:
            parts.append(f"in branch {' or '.join(self.branches)}")
        if self.sections:
            parts.append(f"in section {' or '.join(self.sections)}")
        if self.statuses:
            parts.append(f"with status {' or '.join(self.statuses)}")
        if self.joined_before is not None:
            parts.append(f"who joined before {long_date(self.joined_before)}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Electorate:
    """What a moderator typed: ``--electorate`` and the roll's narrowing options."""

    kind: str | None = None
    branches: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    joined_before: str | None = None


def check_electorate(
    typed: Electorate | None, eligible_roles: Sequence[str] = ()
) -> tuple[str, RollRules | None]:
    """The electorate and its rules, or ``InvalidInput`` saying what does not fit together."""
    typed = typed or Electorate()
    chosen = (typed.kind or "roles").strip().casefold()
    if chosen not in ELECTORATES:
        raise InvalidInput(f"Unknown electorate {typed.kind!r}; use roles or roll.")
    given = [
        flag for flag, value in (
            ("--branch", typed.branches), ("--section", typed.sections),
            ("--status", typed.statuses), ("--joined-before", typed.joined_before),
        ) if value
    ]  # fmt: skip
    if chosen == "roles":
        if given:
            raise InvalidInput(f"{', '.join(given)} need --electorate roll (they read the roll).")
        return chosen, None
    if eligible_roles:
        raise InvalidInput(
            "--roles and --electorate roll are two different electorates; choose one."
        )
    rules = RollRules(
        _cleaned(typed.branches), _cleaned(typed.sections),
        tuple(s.casefold() for s in _cleaned(typed.statuses)), _freeze_date(typed.joined_before),
    )  # fmt: skip
    return chosen, rules


async def require_roll(session: AsyncSession) -> None:
    """A roll election needs a roll: ``Conflict`` when nobody is on it."""
    on_roll = await session.scalar(
        select(func.count()).select_from(RollMember).where(RollMember.departed_at.is_(None))
    )
    if not on_roll:
        raise Conflict(
            "Nobody is on the roll yet: the operator imports it first with "
            "hustings roll import FILE.csv. Nothing was created."
        )


def _cleaned(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(v.split()) for v in values if v.strip()))


def _freeze_date(text: str | None) -> date | None:
    if text is None:
        return None
    text = text.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidInput(
        f"--joined-before takes a date as YYYY-MM-DD (e.g. 2026-06-08), not {text!r}."
    )


def refusal(member: RollMember | None, rules: RollRules) -> str | None:
    """Why ``member`` may not vote under ``rules`` (``None``: they may), for them alone."""
    if member is None:
        return NOT_ON_ROLL
    if member.departed_at is not None:
        return (
            "You are not on the roll: your membership is no longer on the current roll. "
            "Ask your organisation if this is a mistake. Nothing was recorded."
        )
    if rules.joined_before is not None and member.joined >= rules.joined_before:
        return (
            f"This election is for members who joined before {long_date(rules.joined_before)}; "
            f"the roll says you joined on {long_date(member.joined)}. Nothing was recorded."
        )
    for what, allowed, value in (
        ("branch", rules.branches, member.branch),
        ("section", rules.sections, member.section),
        ("status", rules.statuses, member.status or ""),
    ):
        if allowed and value.casefold() not in {a.casefold() for a in allowed}:
            wanted = " or ".join(allowed)
            shown = f"your {what} is {value}" if value else f"the roll has no {what} for you"
            return (
                f"This election is for members in {what} {wanted}; {shown}. Nothing was recorded."
            )
    return None
