"""Elections: what moderators create, open, close, count and export.

Every method opens one short transaction, checks permission and state first (guard clauses),
writes an audit row for each moderator action in the same transaction, and returns frozen
views. The count is split so no lock is held while counting: close (write), read the grouped
ballots (read), count off the event loop, store the result (write; a UNIQUE constraint on
``results.election_id`` makes a racing second count a recount).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.domain import Actor, BallotExport, CountOutcome, ElectionView, ExportFormat, Place
from bot.errors import (
    Conflict,
    ElectionClosed,
    InvalidInput,
    RecountMismatchError,
)
from bot.ranking import parse_ranking
from bot.ranking.typeable import alias_clash, name_problem, refused
from bot.services import audit, counts, roll_turnout
from bot.services.closing import close_election
from bot.services.common import (
    CANCEL,
    CLOSE,
    COUNT,
    EXPORT,
    OPEN,
    STATUS,
    ServiceContext,
    ballot_candidates,
    election_view,
    find_election,
    find_for,
    moderates,
    require_home,
    require_moderator,
    view,
)
from bot.services.election_share import cancel_draft_quietly, refuse_if_shared
from bot.services.paced import still_declaring
from bot.services.roll_rules import Electorate, check_electorate, require_roll
from bot.services.roll_rules_edit import (
    ElectorateEdit,
    college_needs_sections,
    edited_electorate,
    fixed_once_open,
    refuse_ambiguous_clear,
)
from bot.services.secrecy import VotingSuspended
from bot.services.validation import ElectionSpec, check_spec
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Alias, Ballot, CountResult, Election
from counting.names import fold, visible
from counting.result import Result

log = logging.getLogger(__name__)

_KEEP: Any = object()
MAX_ALIAS = 64


class ElectionService:
    """Moderators manage elections; members may list and look at non-draft ones."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- creating and editing ---------------------------------------------------------------

    async def create(
        self,
        actor: Actor,
        place: Place,
        title: str,
        candidates: Sequence[str],
        *,
        seats: int = 1,
        method: str = "irv",
        closes_at: datetime | None = None,
        eligible_roles: Sequence[str] = (),
        sections: Mapping[str, str] | None = None,
        section_weights: Mapping[str, int] | None = None,
        ron: bool = False,
        electorate: Electorate | None = None,
    ) -> ElectionView:
        """A new draft election in this channel, numbered after the ones already here.

        ``electorate`` (``bot.services.roll_rules.Electorate``): who may vote, when not the
        default (everyone, or holders of ``eligible_roles``)."""
        require_moderator(self._ctx, actor, "create elections")
        raw = ElectionSpec(
            title, tuple(candidates), seats, method, closes_at, tuple(eligible_roles),
            dict(sections or {}), dict(section_weights or {}), ron,
        )  # fmt: skip
        spec = check_spec(raw, self._ctx.clock())
        chosen, rules = check_electorate(electorate, spec.eligible_roles)
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)  # refs are numbered per channel
            if rules is not None:
                await require_roll(session)
            election = Election(
                platform=place.platform, workspace=place.workspace, channel=place.channel,
                ref=await queries.next_ref(session, place), created_by=actor.user_id,
                aliases=[], electorate=chosen, roll_rules=rules and rules.to_json(),
                **_spec_columns(spec),
            )  # fmt: skip
            session.add(election)
            await session.flush()
            audit.record(session, actor, place, "election.create", _audit_of(election))
            created = election_view(election)
        if created.closes_at is not None:
            self._ctx.deadlines.changed()
        return created

    async def edit(
        self,
        actor: Actor,
        place: Place,
        ref: str,
        *,
        title: str | None = None,
        candidates: Sequence[str] | None = None,
        seats: int | None = None,
        method: str | None = None,
        closes_at: datetime | None = _KEEP,
        eligible_roles: Sequence[str] | None = None,
        ron: bool | None = None,
        sections: Mapping[str, str] | None = None,
        section_weights: Mapping[str, int] | None = None,
        electorate: ElectorateEdit | None = None,
    ) -> ElectionView:
        """Change a draft; ``closes_at=None`` removes the closing time (omit it to keep it).

        ``electorate``: who may vote (``bot.services.roll_rules_edit``), drafts only."""
        require_moderator(self._ctx, actor, "edit elections")
        voters = electorate or ElectorateEdit()
        async with transaction(self._ctx.sessions) as session:
            election = await find_election(session, place, ref, include_drafts=True, lock=True)
            if election.status != "draft" and voters.given:
                raise fixed_once_open(election.title, election.status)
            if election.status != "draft":
                raise Conflict(f"{election.title} is {election.status}; only drafts can be edited.")
            current = _spec_of(election)
            changes: dict[str, Any] = {
                "title": title, "candidates": None if candidates is None else tuple(candidates),
                "seats": seats, "method": method, "ron": ron,
                "eligible_roles": None if eligible_roles is None else tuple(eligible_roles),
                "sections": sections, "section_weights": section_weights,
            }  # fmt: skip
            if closes_at is not _KEEP:
                changes["closes_at"] = closes_at
            given = {k: v for k, v in changes.items() if v is not None or k == "closes_at"}
            if not given and not voters.given:
                raise InvalidInput("Nothing to change: give at least one new value.")
            spec = check_spec(replace(current, **given), self._ctx.clock())
            kind, rules = edited_electorate(
                election.electorate, election.roll_rules, voters, spec.eligible_roles
            )
            college_needs_sections(spec.method, election.electorate, kind, sections is not None)
            if kind != "roll" and election.electorate == "roll":
                await refuse_if_shared(session, election)
            if rules is not None and election.electorate != "roll":
                await require_roll(session)
            await refuse_ambiguous_clear(session, voters)
            for column, value in _spec_columns(spec).items():
                setattr(election, column, value)
            election.electorate = kind
            election.roll_rules = None if rules is None else rules.to_json()
            _drop_stale_aliases(election)
            typed = {"id": election.id, **given, **voters.audit()}
            audit.record(session, actor, place, "election.edit", typed)
            await session.flush()
            edited = await view(session, election)
        if "closes_at" in given:
            self._ctx.deadlines.changed()
        return edited

    async def set_alias(
        self, actor: Actor, place: Place, ref: str, alias: str, candidate: str
    ) -> ElectionView:
        """Let members type ``alias`` for ``candidate`` (drafts and open elections)."""
        require_moderator(self._ctx, actor, "set aliases")
        key = fold(alias)
        problem = name_problem(alias)
        if problem:
            raise InvalidInput(refused("The alias", alias, problem))
        if len(key) > MAX_ALIAS:
            raise InvalidInput(f"An alias must be 1 to {MAX_ALIAS} characters.")
        async with transaction(self._ctx.sessions) as session:
            election = await find_election(session, place, ref, include_drafts=True, lock=True)
            if election.status not in ("draft", "open"):
                raise ElectionClosed(f"{election.title} is {election.status}; aliases are fixed.")
            names = ballot_candidates(election)
            (target,) = _one_name(candidate, names)
            clash = alias_clash(alias, target, names)
            if clash is not None:
                raise Conflict(_clash_message(alias, clash, target))
            existing = next((a for a in election.aliases if a.alias == key), None)
            if existing is None:
                election.aliases.append(Alias(alias=key, candidate=target))
            elif existing.candidate != target and election.status == "open":
                raise Conflict(_repoint_message(alias, existing.candidate))
            else:
                existing.candidate = target  # a draft has no ballots that typed the old meaning
            details = {"id": election.id, "alias": key, "candidate": target}
            audit.record(session, actor, place, "election.alias", details)
            await session.flush()
            return await view(session, election)

    # -- lifecycle --------------------------------------------------------------------------

    async def open(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """Start voting in a draft (without ``ref``: the one draft in the channel)."""
        require_moderator(self._ctx, actor, "open elections")
        if not self._ctx.secrecy.usable:
            raise VotingSuspended()
        async with transaction(self._ctx.sessions) as session:
            election = await find_for(session, place, ref, OPEN, include_drafts=True, lock=True)
            if election.status != "draft":
                raise Conflict(f"{election.title} is already {election.status}.")
            now = self._ctx.clock()
            if election.closes_at is not None and election.closes_at <= now:
                raise InvalidInput("Its closing time has passed; edit the closing time first.")
            election.status, election.opened_at = "open", now
            audit.record(session, actor, place, "election.open", {"id": election.id})
            opened = await view(session, election)
        if opened.closes_at is not None:
            self._ctx.deadlines.changed()  # after the commit: the scheduler must see it
        return opened

    async def close(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """Stop voting now (without ``ref``: the one open election in the channel)."""
        require_moderator(self._ctx, actor, "close elections")
        async with transaction(self._ctx.sessions) as session:
            election = await find_for(session, place, ref, CLOSE, include_drafts=True, lock=True)
            if election.status != "open":
                raise ElectionClosed(f"{election.title} is {election.status}, not open.")
            close_election(session, election, actor, place, self._ctx.clock())
            return await view(session, election)

    async def cancel(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """Abandon an election that has not been counted (without ``ref``: the one such)."""
        require_moderator(self._ctx, actor, "cancel elections")
        async with transaction(self._ctx.sessions) as session:
            election = await find_for(session, place, ref, CANCEL, include_drafts=True, lock=True)
            if election.status in ("counted", "cancelled"):
                raise Conflict(f"{election.title} is {election.status}; it cannot be cancelled.")
            if election.status == "draft":  # never announced, here or where it is shared
                await cancel_draft_quietly(session, election, self._ctx.clock())
            election.status = "cancelled"
            election.closed_at = election.closed_at or self._ctx.clock()
            election.announced_at = election.announced_at or self._ctx.clock()  # by the reply
            audit.record(session, actor, place, "election.cancel", {"id": election.id})
            return await view(session, election)

    # -- counting and export ----------------------------------------------------------------

    async def count(self, actor: Actor, place: Place, ref: str | None = None) -> CountOutcome:
        """Close (if open), count and store; a second count recounts and must match.

        Without ``ref``: the one open, or closed and uncounted, election in the channel (a
        recount names its election).
        """
        require_moderator(self._ctx, actor, "count elections")
        async with transaction(self._ctx.sessions) as session:
            election = await find_for(session, place, ref, COUNT, include_drafts=True, lock=True)
            if election.status in ("draft", "cancelled"):
                raise ElectionClosed(f"{election.title} is {election.status}; nothing to count.")
            if election.turnout == 0:  # a lot among 0-0 ties would "elect" somebody
                raise InvalidInput(
                    f"No ballots have been cast in {election.title}, so there is nothing to "
                    "count and nobody can be elected. Cancel it, or count once members have voted."
                )
            if election.status == "open":
                close_election(session, election, actor, place, self._ctx.clock())
            # the count's announcement says it closed, even if the scheduler's has not yet
            election.announced_at = election.announced_at or self._ctx.clock()
            audit.record(session, actor, place, "election.count", {"id": election.id})
        async with transaction(self._ctx.sessions, write=False) as session:
            groups = await queries.aggregated_ballots(session, election.id)
            stored = await session.scalar(
                select(CountResult).where(CountResult.election_id == election.id)
            )
        if stored is not None and still_declaring(stored):
            # a recount would post every round, and the winners, before the declaration does
            raise Conflict(
                f"{election.title} is being declared round by round (round "
                f"{stored.declared_rounds} so far): its winners are not public yet. Declare the "
                f"next round with /election next {election.ref}; a recount can be asked for "
                "once the last round is declared."
            )
        seed = self._ctx.draw_seed() if stored is None else int(stored.rules["seed"])
        result = await asyncio.to_thread(counts.run_count, election, groups, seed)
        if stored is not None:
            return await self._recount(election, stored, result)
        try:
            async with transaction(self._ctx.sessions) as session:
                fresh = await session.get(Election, election.id, with_for_update=True)
                if fresh is None or fresh.status != "closed":
                    raise Conflict(f"{election.title} changed while it was being counted.")
                session.add(_result_row(election, result, seed, self._ctx.clock()))
                fresh.status = "counted"
                await session.flush()
                return CountOutcome(await view(session, fresh), result)
        except IntegrityError:  # another count stored first: this one is a recount
            return await self.count(actor, place, election.ref)

    async def _recount(
        self, election: Election, stored: CountResult, result: Result
    ) -> CountOutcome:
        if counts.as_json(result) != stored.result:
            log.error("recount of election %s differs from result %s", election.id, stored.id)
            raise RecountMismatchError(f"recount of election {election.id} differs")
        async with transaction(self._ctx.sessions, write=False) as session:
            fresh = await session.get(Election, election.id)
            assert fresh is not None
            return CountOutcome(await view(session, fresh), result, recount_of=stored.id)

    async def export(self, actor: Actor, place: Place, ref: str | None, fmt: ExportFormat) -> str:
        """The anonymised ballots (rankings and receipt codes) as BLT or JSON text."""
        return (await self.export_ballots(actor, place, ref, fmt)).content

    async def export_ballots(
        self, actor: Actor, place: Place, ref: str | None = None, fmt: ExportFormat = "blt"
    ) -> BallotExport:
        """``export`` with the election it is of (without ``ref``: the one closed or counted).

        Anonymised: rankings, sections and receipt codes only, listed in receipt order. Receipts
        are random, so the order says nothing about who voted when.
        """
        require_moderator(self._ctx, actor, "export ballots")
        if fmt not in ("blt", "json", "html", "summary", "csv"):
            raise InvalidInput(
                f"Unknown export format {fmt!r}; use blt, json, html, summary or csv."
            )
        async with transaction(self._ctx.sessions) as session:
            election = await find_for(session, place, ref, EXPORT, include_drafts=True)
            require_home(election, place)  # a shared channel's moderators do not run it
            if election.status not in ("closed", "counted"):
                raise ElectionClosed(f"{election.title} is {election.status}; export after close.")
            if fmt in ("html", "summary", "csv") and election.status != "counted":
                raise InvalidInput(
                    f"{election.title} has not been counted; {fmt} shows a result, so count first."
                )
            if fmt == "blt" and election.method == "college":
                raise InvalidInput("BLT cannot hold college sections; export json instead.")
            rows = await session.execute(
                select(Ballot.receipt, Ballot.ranking, Ballot.section)
                .where(Ballot.election_id == election.id)
                .order_by(Ballot.receipt)
            )
            ballots = [(receipt, ranking, section) for receipt, ranking, section in rows]
            stored = await session.scalar(
                select(CountResult.rules).where(CountResult.election_id == election.id)
            )
            seed = int(stored["seed"]) if stored else 0
            audit.record(session, actor, place, "election.export", {"id": election.id, "fmt": fmt})
            shown = await view(session, election)
        if fmt in ("html", "summary", "csv"):
            content = await asyncio.to_thread(counts.publish, election, ballots, seed, fmt)
            return BallotExport(shown, fmt, content)
        if fmt == "blt":
            return BallotExport(shown, fmt, counts.export_blt(election, ballots, seed))
        return BallotExport(shown, fmt, counts.export_json(election, ballots, seed))

    # -- looking ----------------------------------------------------------------------------

    async def list(self, actor: Actor, place: Place) -> list[ElectionView]:
        """Elections in this channel; drafts and cancelled ones only for moderators."""
        moderator = moderates(self._ctx, actor)
        async with transaction(self._ctx.sessions, write=False) as session:
            found = await queries.elections_in(session, place)
            shown = [e for e in found if moderator or e.status not in ("draft", "cancelled")]
            return [election_view(e) for e in shown]

    async def get(self, actor: Actor, place: Place, ref: str | None = None) -> ElectionView:
        """One election by number or title prefix (drafts only for moderators).

        Without ``ref``: the one election in progress here (or the channel's only election).
        """
        moderator = moderates(self._ctx, actor)
        async with transaction(self._ctx.sessions, write=False) as session:
            election = await find_for(session, place, ref, STATUS, include_drafts=moderator)
            shown = await view(session, election)
            if election.status == "counted":
                stored = await session.scalar(
                    select(CountResult).where(CountResult.election_id == election.id)
                )
                if stored is not None and not still_declaring(stored):
                    winners = tuple(str(w) for w in stored.result.get("winners", ()))
                    shown = replace(shown, winners=winners)
            if election.electorate == "roll":
                by_branch = await roll_turnout.breakdown(session, election.id, shown.turnout)
                by_section = await roll_turnout.breakdown(
                    session, election.id, shown.turnout, "section"
                )
                shown = replace(
                    shown, branch_turnout=by_branch.shown, branch_others=by_branch.others,
                    section_turnout=by_section.shown, section_others=by_section.others,
                )  # fmt: skip
        return replace(shown, warnings=self._warnings()) if moderator else shown

    def _warnings(self) -> tuple[str, ...]:
        """What moderators should know about voting now (see ``ElectionView.warnings``)."""
        found = [] if self._ctx.secrecy.usable else [VotingSuspended().message]
        stored = self._ctx.health.warning()
        return (*found, *([stored] if stored else []))


def _repoint_message(alias: str, meant: str) -> str:
    """Why an alias cannot change meaning during voting: members may already have typed it."""
    return (
        f'"{visible(alias)}" already stands for {meant}, and members may have typed it meaning'
        " that; it cannot stand for another candidate while voting is open. Choose another alias."
    )


def _clash_message(alias: str, clash: str, target: str) -> str:
    shown = visible(alias)
    if fold(alias) == fold(clash):
        return f'"{shown}" is {clash}\'s own name; it cannot mean {target}.'
    return (
        f'"{shown}" is the start of {clash}\'s name, so members typing it could mean {clash}; '
        f"it cannot mean {target}. Choose an alias that starts no other candidate's name."
    )


def _one_name(typed: str, names: Sequence[str]) -> tuple[str]:
    ranking = parse_ranking(typed, names)
    if len(ranking) != 1:
        raise InvalidInput(f"Name one candidate, not {len(ranking)}.")
    return (ranking[0],)


def _spec_of(election: Election) -> ElectionSpec:
    return ElectionSpec(
        election.title, tuple(election.candidates), election.seats, election.method,
        election.closes_at, tuple(election.eligible_roles), dict(election.sections),
        dict(election.section_weights), election.ron,
    )  # fmt: skip


def _spec_columns(spec: ElectionSpec) -> dict[str, Any]:
    return {
        "title": spec.title, "candidates": list(spec.candidates), "seats": spec.seats,
        "method": spec.method, "closes_at": spec.closes_at,
        "eligible_roles": list(spec.eligible_roles), "sections": dict(spec.sections),
        "section_weights": dict(spec.section_weights), "ron": spec.ron,
    }  # fmt: skip


def _drop_stale_aliases(election: Election) -> None:
    """After the candidate list changes, aliases for removed names go too."""
    names = set(ballot_candidates(election))
    election.aliases[:] = [a for a in election.aliases if a.candidate in names]


def _audit_of(election: Election) -> dict[str, Any]:
    return {"id": election.id, "ref": election.ref, "title": election.title,
            "candidates": list(election.candidates), "method": election.method,
            "seats": election.seats, "electorate": election.electorate,
            "roll_rules": election.roll_rules}  # fmt: skip


def _result_row(election: Election, result: Result, seed: int, now: datetime) -> CountResult:
    return CountResult(
        election_id=election.id, rules=counts.rules_for(election, seed).to_dict(),
        result=counts.as_json(result), ballots=result.ballots,
        counting_version=result.version, counted_at=now,
    )  # fmt: skip
