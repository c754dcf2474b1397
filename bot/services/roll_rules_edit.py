"""``/election edit`` of a draft's electorate: ``--electorate``, ``--branch``, ``--section``,
``--status``, ``--joined-before`` (``none`` removes that rule).

Only what is typed changes: ``/election edit 1 --branch South`` keeps the election's other
rules; ``--joined-before none`` drops the freeze date. ``--branch none`` (``--section``,
``--status`` alike) is refused as ambiguous when the roll has a branch called "none" or
"never" (``refuse_ambiguous_clear``). The result is checked exactly as ``/election create``
checks it (``roll_rules.check_electorate``): rules need the roll, the roll and ``--roles`` are
two electorates (``--roles none`` in the same edit clears the roles). Switching a college
between roles and the roll needs ``--sections`` again, since its sections map roles in one and
roll sections in the other.

Once voting has opened the electorate is fixed: ballots were cast, and members refused, under
it (``ElectionService.edit`` refuses with that reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import Conflict, InvalidInput
from bot.services.roll_rules import Electorate, RollRules, check_electorate
from bot.storage.tables import RollMember

RULE_FLAGS = ("branch", "section", "status", "joined-before")
CLEAR_WORDS = ("none", "never")
"""What ``none`` means on an edit (``command_types.CLEAR``): these, in any case."""


@dataclass(frozen=True)
class ElectorateEdit:
    """What a moderator typed on ``/election edit``: ``None`` keeps a rule; a rule named in
    ``cleared`` is removed."""

    kind: str | None = None
    branches: tuple[str, ...] | None = None
    sections: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    joined_before: str | None = None
    cleared: frozenset[str] = frozenset()

    @property
    def given(self) -> bool:
        typed = (self.kind, self.branches, self.sections, self.statuses, self.joined_before)
        return any(v is not None for v in typed) or bool(self.cleared)

    def audit(self) -> dict[str, Any]:
        """What was typed, for the audit log."""
        typed = {
            "electorate": self.kind, "branch": self.branches, "section": self.sections,
            "status": self.statuses, "joined-before": self.joined_before,
        }  # fmt: skip
        found: dict[str, Any] = {k: v for k, v in typed.items() if v is not None}
        return {**found, **({"cleared": sorted(self.cleared)} if self.cleared else {})}


def fixed_once_open(title: str, status: str) -> Conflict:
    """The refusal of an electorate edit after the draft stage."""
    return Conflict(
        f"{title} is {status}: its electorate cannot change once voting has opened, since "
        "members have voted (or been refused) under the current one. Nothing was changed."
    )


def edited_electorate(
    kind_now: str,
    rules_now: Mapping[str, Any] | None,
    edit: ElectorateEdit,
    eligible_roles: Sequence[str],
) -> tuple[str, RollRules | None]:
    """The draft's electorate after ``edit`` (see the module docstring), or ``InvalidInput``."""
    current = RollRules.from_json(rules_now) if kind_now == "roll" else RollRules()
    kind = edit.kind or kind_now
    if kind.strip().casefold() == "roles":
        typed = [f"--{flag}" for flag, value in _typed(edit) if value]
        if typed:
            raise InvalidInput(f"{', '.join(typed)} need --electorate roll (they read the roll).")
        return check_electorate(Electorate("roles"), eligible_roles)
    joined = current.joined_before.isoformat() if current.joined_before else None
    merged = Electorate(
        kind,
        _kept(edit.branches, "branch" in edit.cleared, current.branches),
        _kept(edit.sections, "section" in edit.cleared, current.sections),
        _kept(edit.statuses, "status" in edit.cleared, current.statuses),
        None if "joined-before" in edit.cleared else (edit.joined_before or joined),
    )
    if eligible_roles and kind.strip().casefold() == "roll":
        raise InvalidInput(
            "--roles and --electorate roll are two different electorates; choose one "
            "(--roles none removes the roles). Nothing was changed."
        )
    return check_electorate(merged, eligible_roles)


def college_needs_sections(method: str, kind_now: str, kind: str, sections_given: bool) -> None:
    """A college switching between roles and the roll must be given ``--sections`` again."""
    if method == "college" and kind != kind_now and not sections_given:
        raise InvalidInput(
            f"A college's --sections map {'roll sections' if kind == 'roll' else 'roles'} "
            f"in a {kind} election and {'roles' if kind == 'roll' else 'roll sections'} in a "
            f"{kind_now} one: give --sections again with --electorate {kind}. "
            "Nothing was changed."
        )


async def refuse_ambiguous_clear(session: AsyncSession, edit: ElectorateEdit) -> None:
    """``--branch none`` removes the branch rule, unless the roll has a branch called "none"
    (or "never"): then it could mean either, and the edit is refused, naming the way out."""
    columns = {"branch": RollMember.branch, "section": RollMember.section,
               "status": RollMember.status}  # fmt: skip
    for flag in sorted(edit.cleared & set(columns)):
        column = columns[flag]
        found = await session.scalar(
            select(column).where(func.lower(column).in_(CLEAR_WORDS)).limit(1)
        )
        if found is not None:
            raise InvalidInput(
                f'The roll has a {flag} called "{found}", so --{flag} {found} could mean that '
                f"{flag} or no {flag} rule. To name it, cancel this draft and create the "
                f"election again with --{flag} {found}. Nothing was changed."
            )


def _typed(edit: ElectorateEdit) -> list[tuple[str, object]]:
    values = (edit.branches, edit.sections, edit.statuses, edit.joined_before)
    return list(zip(RULE_FLAGS, values, strict=True))


def _kept(
    typed: tuple[str, ...] | None, cleared: bool, current: tuple[str, ...]
) -> tuple[str, ...]:
    if cleared:
        return ()
    return current if typed is None else typed
