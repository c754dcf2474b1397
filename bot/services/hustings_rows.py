"""Reading a channel's hustings rows inside a caller's transaction (each takes the open
``AsyncSession``): the open one, a numbered one, its view, and the hook that makes a new
question part of the open hustings. Shared by ``hustings_events``, ``minutes`` and
``questions`` (which calls ``attach`` in the transaction that adds a question).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Place
from bot.errors import NotFound
from bot.services.hustings_values import HustingsView
from bot.storage.tables import Election, Hustings, Question


def here(place: Place) -> ColumnElement[bool]:
    return and_(
        Hustings.platform == place.platform,
        Hustings.workspace == place.workspace,
        Hustings.channel == place.channel,
    )


async def open_in(session: AsyncSession, place: Place) -> Hustings | None:
    """The hustings open in this channel, if any."""
    return await session.scalar(select(Hustings).where(here(place), Hustings.ended_at.is_(None)))


async def ballot_id(session: AsyncSession, place: Place) -> int | None:
    """The election the open hustings here will open (``--ballot``), if any. Its candidates
    were announced by ``/hustings start``, so questions may be addressed to them though it
    is still a draft (the hook in ``question_rows.addressee``)."""
    current = await open_in(session, place)
    return None if current is None else current.ballot_election_id


async def attach(session: AsyncSession, place: Place, question: Question) -> None:
    """Make a new question part of the hustings open in its channel (the hook in ``ask``)."""
    current = await open_in(session, place)
    question.hustings_id = None if current is None else current.id


async def chosen(session: AsyncSession, place: Place, number: int | None) -> Hustings | None:
    """Hustings ``number`` of this channel, or without one the latest (``None``: never one).

    ``NotFound`` for a number this channel has not used."""
    if number is None:
        return await session.scalar(
            select(Hustings).where(here(place)).order_by(Hustings.number.desc()).limit(1)
        )
    found = await session.scalar(select(Hustings).where(here(place), Hustings.number == number))
    if found is None:
        raise NotFound(f"There is no hustings {number} in this channel.")
    return found


async def view_of(session: AsyncSession, hustings: Hustings) -> HustingsView:
    """The hustings with its question count and the election it opens."""
    asked = await session.scalar(
        select(func.count(Question.id)).where(Question.hustings_id == hustings.id)
    )
    election = None
    if hustings.ballot_election_id is not None:
        election = await session.get(Election, hustings.ballot_election_id)
    return HustingsView(
        number=hustings.number, title=hustings.title, started_at=hustings.started_at,
        ended_at=hustings.ended_at, ballot_ref=None if election is None else election.ref,
        ballot_title=None if election is None else election.title, questions=int(asked or 0),
        ballot_candidates=() if election is None else tuple(election.candidates),
    )  # fmt: skip
