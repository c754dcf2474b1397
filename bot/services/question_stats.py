"""``/questions stats``: what happened to a channel's questions, published for anyone.

The answer hustings audiences want to gatekeeping ("who decided which questions were
asked?") is the counts: how many were received, shown, answered, dismissed (by reason code)
and are still waiting, overall and for each candidate they were addressed to; plus the
equal-time figures: how many questions each candidate answered (``/question answer --by``)
and how many upvotes those questions held.

Counts only, never text or askers: a question never shown to the channel is counted (that is
the point) but nothing else about it is told. Figures come from one read of the channel's
rows, so they add up: ``received = answered + dismissed + pending + open``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select

from bot.domain import Actor, Place
from bot.services import flood
from bot.services import question_reasons as reasons
from bot.services import question_rows as rows
from bot.services.common import ServiceContext, moderates
from bot.services.question_values import EqualTime, Figures, QuestionStats
from bot.storage import queries
from bot.storage.database import transaction
from bot.storage.tables import Question

UNSPECIFIED = "unspecified"
"""The reason code counted for questions dismissed before reason codes existed."""


class _Row(NamedTuple):
    status: str
    published: bool
    code: str | None
    to: str | None
    by: str | None
    upvotes: int


class QuestionStatsService:
    """The published figures of each channel's questions."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def stats(self, actor: Actor, place: Place) -> QuestionStats:
        """Figures for ``place`` (anyone may ask: they are counts, published in the open).

        ``Flooded`` when a member asks within ``flood.STATS_COOLDOWN`` of the last post here
        (everyone sees the same figures, so one post serves the channel)."""
        columns = (Question.status, Question.published, Question.dismiss_code,
                   Question.to_candidate, Question.answered_by, Question.upvotes)  # fmt: skip
        async with transaction(self._ctx.sessions) as session:
            await queries.lock_channel(session, place)
            moderator = moderates(self._ctx, actor)
            await flood.stats_cooldown(session, place, self._ctx.clock(), moderator=moderator)
            found = [
                _Row(*r) for r in await session.execute(select(*columns).where(rows.here(place)))
            ]
            candidates: dict[str, None] = {}
            for election in await queries.elections_in(session, place):
                if election.status not in ("draft", "cancelled"):
                    candidates.update(dict.fromkeys(election.candidates))
        return QuestionStats(figures(found), _by_addressee(found), _equal_time(found, candidates))


def figures(found: Iterable[_Row]) -> Figures:
    """The counts of ``found`` rows (see ``Figures``)."""
    listed = list(found)
    states = Counter(r.status for r in listed)
    codes = Counter(r.code or UNSPECIFIED for r in listed if r.status == "dismissed")
    order = [*reasons.REASONS, UNSPECIFIED]
    return Figures(
        received=len(listed),
        shown=sum(1 for r in listed if r.published),
        answered=states["answered"],
        dismissed=states["dismissed"],
        pending=states["pending"],
        reasons=tuple((code, codes[code]) for code in order if codes[code]),
    )


def _by_addressee(found: list[_Row]) -> tuple[tuple[str | None, Figures], ...]:
    """Each candidate questions were addressed to (in first-asked order), then everyone."""
    names = list(dict.fromkeys(r.to for r in found if r.to is not None))
    out: list[tuple[str | None, Figures]] = [
        (name, figures(r for r in found if r.to == name)) for name in names
    ]
    if names and any(r.to is None for r in found):
        out.append((None, figures(r for r in found if r.to is None)))
    return tuple(out)


def _equal_time(found: list[_Row], candidates: dict[str, None]) -> tuple[EqualTime, ...]:
    """Every candidate of an opened ballot here (and anyone else who answered), in ballot
    order, with the answers they gave and the upvotes of those questions."""
    answered = [r for r in found if r.status == "answered" and r.by is not None]
    names = dict(candidates) | dict.fromkeys(r.by for r in answered if r.by is not None)
    return tuple(
        EqualTime(
            name,
            sum(1 for r in answered if r.by == name),
            sum(r.upvotes for r in answered if r.by == name),
        )
        for name in names
    )
