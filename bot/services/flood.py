"""Holding back one member's flood of questions in a channel.

The rule, per member per channel (a channel is a hustings): at most ``limit`` questions
waiting or open at once, and at most ``limit`` asked in any ``window`` of time. The defaults
(3 questions, 10 minutes) let a member ask three quick questions; the fourth is refused
privately, saying when they may ask again: at a time (the window) or once a moderator answers
or dismisses one (the open limit). Moderators set the limits per channel with
``/question limits``; ``limit`` 0 turns them off. Moderators are never held back.

The published figures (``/questions stats``) post to the whole channel, so anyone could
flood it with them: they are posted at most once per ``STATS_COOLDOWN`` per channel
(``stats_cooldown``; ``ChannelSettings.stats_posted_at``, in the database so every process
sees it), and a member asking sooner is told privately when they were posted and when they
may be posted again. Moderators' requests post at once (and restart the wait).

The check reads the member's own questions by the predicate ``Askers.asked_by`` gives (a
keyed hash for anonymous questions: ``question_askers``); nothing new is stored about
members. The caller runs it inside the transaction that inserts the question, so two quick
questions cannot both pass one check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import FloodLimits, Place
from bot.errors import Flooded, InvalidInput
from bot.services.question_rows import short_id
from bot.storage.tables import ChannelSettings, Question

DEFAULT_LIMIT = 3
DEFAULT_WINDOW_MINUTES = 10
MAX_LIMIT = 100
MAX_WINDOW_MINUTES = 7 * 24 * 60
STATS_COOLDOWN = timedelta(seconds=60)


async def limits_for(session: AsyncSession, place: Place) -> FloodLimits:
    """The channel's limits, or the defaults where it has not set its own."""
    settings = await _settings(session, place)
    limit = settings.question_limit if settings else None
    window = settings.question_window if settings else None
    return FloodLimits(
        DEFAULT_LIMIT if limit is None else limit,
        DEFAULT_WINDOW_MINUTES if window is None else window,
        default=limit is None and window is None,
    )


async def set_limits(
    session: AsyncSession, place: Place, limit: int | None, window_minutes: int | None
) -> FloodLimits:
    """Change the channel's limits (``None`` keeps a setting); returns the new limits."""
    if limit is not None and not 0 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"--open must be between 0 (no limit) and {MAX_LIMIT}.")
    if window_minutes is not None and not 1 <= window_minutes <= MAX_WINDOW_MINUTES:
        raise InvalidInput(f"--window must be between 1 and {MAX_WINDOW_MINUTES} minutes.")
    settings = await _settings_row(session, place)
    if limit is not None:
        settings.question_limit = limit
    if window_minutes is not None:
        settings.question_window = window_minutes
    await session.flush()
    return await limits_for(session, place)


async def check(
    session: AsyncSession, place: Place, asked_by: ColumnElement[bool], now: datetime
) -> None:
    """Raise ``Flooded`` (saying when to try again) if the member whose questions ``asked_by``
    selects (``Askers.asked_by``) may not ask now."""
    limits = await limits_for(session, place)
    if limits.limit == 0:
        return
    mine = and_(
        Question.platform == place.platform,
        Question.workspace == place.workspace,
        Question.channel == place.channel,
        asked_by,
    )
    waiting = [
        short_id(q)
        for q in await session.scalars(
            select(Question)
            .where(mine, Question.status.in_(("pending", "open")))
            .order_by(Question.created_at, Question.id)
        )
    ]
    window = timedelta(minutes=limits.window_minutes)
    recent = list(
        await session.scalars(
            select(Question.created_at)
            .where(mine, Question.created_at > now - window)
            .order_by(Question.created_at.desc())
            .limit(limits.limit)
        )
    )
    again = recent[-1] + window if len(recent) >= limits.limit else None
    if len(waiting) >= limits.limit:
        raise Flooded(_too_many_open(waiting, again, now))
    if again is not None:
        raise Flooded(
            f"You have asked {limits.limit} questions here in the last "
            f"{_minutes(limits.window_minutes)}, the most one member may. You may ask again "
            f"at {_at(again, now)}."
        )


async def stats_cooldown(
    session: AsyncSession, place: Place, now: datetime, *, moderator: bool
) -> None:
    """Record that the figures are posted in ``place`` now, or raise ``Flooded`` (saying when
    they were and when they may be again) if a member asks within ``STATS_COOLDOWN`` of the
    last post. The caller holds the channel lock, so two quick requests cannot both post."""
    settings = await _settings_row(session, place)
    last = settings.stats_posted_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)  # SQLite hands back naive UTC
    if not moderator and last is not None and now - last < STATS_COOLDOWN:
        seconds = int(STATS_COOLDOWN.total_seconds())
        raise Flooded(
            f"The figures were posted in this channel at {last.strftime('%H:%M:%S')} UTC, "
            f"less than {seconds} s ago: scroll up to see them. To keep the channel readable "
            f"they are posted at most once every {seconds} s; /questions stats can post them "
            f"again at {_at(last + STATS_COOLDOWN, now)}."
        )
    settings.stats_posted_at = now


def _too_many_open(waiting: list[str], again: datetime | None, now: datetime) -> str:
    ids = ", ".join(waiting)
    message = (
        f"You already have {len(waiting)} questions waiting or open here ({ids}), the most one "
        "member may have at once. You may ask again when a moderator answers or dismisses one"
    )
    return message + (f", and not before {_at(again, now)}." if again else ".")


def _at(when: datetime, now: datetime) -> str:
    """``16:52:10 UTC (in 9 min 58 s)`` (with the date when it is not today)."""
    seconds = max(1, int((when - now).total_seconds() + 0.999))
    minutes, rest = divmod(seconds, 60)
    wait = f"{minutes} min {rest} s" if minutes else f"{rest} s"
    shown = when.strftime("%H:%M:%S" if when.date() == now.date() else "%Y-%m-%d %H:%M:%S")
    return f"{shown} UTC (in {wait})"


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


async def _settings(session: AsyncSession, place: Place) -> ChannelSettings | None:
    return await session.get(ChannelSettings, (place.platform, place.workspace, place.channel))


async def _settings_row(session: AsyncSession, place: Place) -> ChannelSettings:
    """The channel's settings row, added (with the defaults) if it has none yet."""
    settings = await _settings(session, place)
    if settings is None:
        settings = ChannelSettings(
            platform=place.platform, workspace=place.workspace, channel=place.channel
        )
        session.add(settings)
    return settings
