"""The membership roll in the database: importing a checked roll file, issuing link codes.

Both run from the ``hustings roll`` command line (``bot.roll_cli``), by the operator, never
from chat. An import is one transaction: every member in the file is added or updated,
every member on the stored roll but not in the file is marked departed (kept, with their
links, so a member who returns is linked again and the change is reported), and nothing is
stored when the file has any bad row (``roll_file.read_roll`` refuses it first).

Link codes (``roll_codes``) are issued to every member on the roll, replacing any earlier
code; only their keyed hash is stored, so the codes exist once, in the file handed to the
organisation for its mail merge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.services.roll_codes import code_hash, new_code
from bot.services.roll_file import RollEntry
from bot.services.secrecy import Secrecy
from bot.storage import queries
from bot.storage.database import Sessions, transaction
from bot.storage.tables import RollLink, RollMember

CODE_DAYS = 30


@dataclass(frozen=True)
class ImportReport:
    """What an import changed, in members."""

    total: int
    added: int
    updated: int
    unchanged: int
    returned: int
    """Members marked departed by an earlier import who are in this file again."""
    departed: int

    def summary(self) -> str:
        return (
            f"{self.total} member(s) on the roll: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.returned} returned, {self.departed} departed"
        )


async def import_roll(
    sessions: Sessions, entries: Sequence[RollEntry], now: datetime, *, dry_run: bool = False
) -> ImportReport:
    """Make the stored roll the file's ``entries`` (see the module docstring); with
    ``dry_run`` the same report, with everything rolled back."""
    try:
        return await _import(sessions, entries, now, dry_run=dry_run)
    except _DryRun as done:
        return done.report


class _DryRun(Exception):  # noqa: N818 - control flow: roll the transaction back
    def __init__(self, report: ImportReport) -> None:
        self.report = report


async def _import(
    sessions: Sessions, entries: Sequence[RollEntry], now: datetime, *, dry_run: bool
) -> ImportReport:
    async with transaction(sessions) as session:
        await queries.lock_name(session, "roll")  # PostgreSQL: two imports run in turn
        stored = {m.member_id: m for m in await session.scalars(select(RollMember))}
        added = updated = unchanged = returned = 0
        for entry in entries:
            member = stored.pop(entry.member_id, None)
            if member is None:
                session.add(_new_member(entry, now))
                added += 1
                continue
            if member.departed_at is not None:
                member.departed_at = None
                returned += 1
            elif _same(member, entry):
                unchanged += 1
                continue
            else:
                updated += 1
            member.branch, member.section = entry.branch, entry.section
            member.joined, member.status = entry.joined, entry.status
        departed = 0
        for member in stored.values():
            if member.departed_at is None:
                member.departed_at = now
                member.code_hash = member.code_expires_at = None
                departed += 1
        report = ImportReport(len(entries), added, updated, unchanged, returned, departed)
        if dry_run:
            raise _DryRun(report)
        return report


def _new_member(entry: RollEntry, now: datetime) -> RollMember:
    return RollMember(
        member_id=entry.member_id, branch=entry.branch, section=entry.section,
        joined=entry.joined, status=entry.status, updated_at=now,
    )  # fmt: skip


def _same(member: RollMember, entry: RollEntry) -> bool:
    return (member.branch, member.section, member.joined, member.status) == (
        entry.branch, entry.section, entry.joined, entry.status,
    )  # fmt: skip


@dataclass(frozen=True)
class IssuedCode:
    """A member's new link code, for the organisation's mail merge (never stored)."""

    member_id: str
    code: str
    expires_at: datetime


async def issue_codes(
    sessions: Sessions,
    secrecy: Secrecy,
    now: datetime,
    *,
    days: int = CODE_DAYS,
    draw: Callable[[], str] = new_code,
    unlinked_only: bool = False,
    deliver: Callable[[Sequence[IssuedCode]], None] | None = None,
) -> list[IssuedCode]:
    """A fresh code for every member on the roll (not departed), replacing earlier codes.

    ``unlinked_only``: only members with no linked account on any platform (``roll codes
    --unlinked``: reissue lost or expired codes); a member who has linked one account keeps
    the code they have, which may still link their other platforms.

    ``deliver`` is called with the new codes inside the transaction, before it commits (the
    CLI writes and syncs the codes file there): if it raises, nothing is stored and every
    earlier code still works, so the stored hashes and the only copy of the codes cannot
    disagree. (If the commit itself fails, the caller removes what ``deliver`` wrote.)"""
    expires = now + timedelta(days=days)
    issued: list[IssuedCode] = []
    async with transaction(sessions) as session:
        await queries.lock_name(session, "roll")  # not beside an import (PostgreSQL)
        query = select(RollMember).where(RollMember.departed_at.is_(None))
        if unlinked_only:
            linked = select(RollLink.member_id).where(RollLink.member_id == RollMember.member_id)
            query = query.where(~linked.exists())
        members = await session.scalars(query.order_by(RollMember.member_id))
        for member in members:
            code = draw()
            member.code_hash = code_hash(secrecy, code)
            member.code_expires_at = expires
            issued.append(IssuedCode(member.member_id, code, expires))
        if deliver is not None:
            await session.flush()  # a failed write to the database surfaces before delivery
            deliver(issued)
    return issued
