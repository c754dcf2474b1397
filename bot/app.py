"""The composition root of the core: settings in, database and services out.

``build_app`` brings the database to the head migration, opens the engine and wires the
three services over one ``ServiceContext``. Adapters (Discord, Slack, the fake console) hold
an ``App`` and call its services; ``aclose`` disposes of the engine on the way out.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.services import keycheck
from bot.services.ballots import BallotService
from bot.services.closing import ClosingService
from bot.services.common import Clock, ServiceContext, normalise_roles, random_seed, utc_now
from bot.services.election_share import ShareService
from bot.services.elections import ElectionService
from bot.services.hustings_events import HustingsService
from bot.services.minutes import MinutesService
from bot.services.paced import PacedDeclarations
from bot.services.question_askers import seal_earlier_askers
from bot.services.question_cards import QuestionCards
from bot.services.question_moderation import QuestionModeration
from bot.services.question_stats import QuestionStatsService
from bot.services.questions import QuestionService
from bot.services.scheduler import Announcer, Scheduler
from bot.services.secrecy import Secrecy, load_secret, new_receipt
from bot.services.share_delivery import ShareDeliveries
from bot.startup_checks import database_problems
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class App:
    """The running core: services plus what they share."""

    settings: Settings
    engine: AsyncEngine
    context: ServiceContext
    elections: ElectionService
    ballots: BallotService
    questions: QuestionService
    closing: ClosingService
    """The scheduler's side of elections: due closes, unannounced closes, deadlines."""

    @property
    def paced(self) -> PacedDeclarations:
        """Paced declarations (state in the results table; nothing held in memory)."""
        return PacedDeclarations(self.context)

    @property
    def shares(self) -> ShareService:
        """Sharing elections with a channel on the other platform (``/election share``)."""
        return ShareService(self.context)

    @property
    def hustings(self) -> HustingsService:
        """Hustings as events (``/hustings start|end``; state in the hustings table)."""
        return HustingsService(self.context, self.elections)

    @property
    def minutes(self) -> MinutesService:
        """The minutes of a channel's hustings (``/questions export``)."""
        return MinutesService(self.context)

    @property
    def moderation(self) -> QuestionModeration:
        """Merging questions and consented rewording (state in the questions table)."""
        return QuestionModeration(self.context, self.questions)

    @property
    def question_cards(self) -> QuestionCards:
        """Where each question's card was posted (state in the questions table)."""
        return QuestionCards(self.context, self.questions)

    @property
    def question_stats(self) -> QuestionStatsService:
        """The published figures of each channel's questions."""
        return QuestionStatsService(self.context)

    def scheduler(
        self, announcer: Announcer, *, max_sleep: float = 30.0, platform: str | None = None
    ) -> Scheduler:
        """A scheduler for timed closes and paced rounds on this app's clock (the caller
        starts and stops it).

        ``platform``: close and announce only that platform's elections (the adapter's own).
        """
        return Scheduler(
            self.closing,
            announcer,
            clock=self.context.clock,
            max_sleep=max_sleep,
            platform=platform,
            paced=self.paced,
            shares=ShareDeliveries(self.context),
        )

    async def aclose(self) -> None:
        """Finish queued ballots, then close the database."""
        await self.ballots.aclose()
        await self.engine.dispose()


async def build_app(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    freeze_gc: bool = False,
    receipts: Callable[[], str] = new_receipt,
    strict_secret: bool = False,
) -> App:
    """Migrate the database to head, then build the engine and services.

    ``receipts`` makes a new ballot's receipt code: random, except for ``hustings fake``'s
    throwaway database, whose demo transcript must be the same every run.

    ``strict_secret`` (Discord, Slack) requires a strong voter-key secret kept apart from the
    ballots (``bot.keys``); a database used with another secret starts with voting suspended
    (``services.keycheck``). Bad settings or database files raise ``StartupProblem``.

    ``freeze_gc=True`` (for the long-running bot, once per process) moves everything built at
    start-up into the collector's permanent generation: full collections then scan only
    per-request garbage, which took the benchmark's p99 ballot latency from ~70 to ~30 ms.
    """
    secret = load_secret(settings, strict=strict_secret)
    with database_problems(settings.database_url):
        await upgrade(settings.database_url)
        engine = create_engine(settings.database_url, clock=clock)
        sessions = session_factory(engine)
        usable = await keycheck.check(sessions, secret)
        await seal_earlier_askers(sessions, Secrecy(secret, usable=usable))
    if not usable:
        log.error(
            "the voter-key secret is not the one this database was used with: opening elections "
            "and taking ballots are refused until it is restored (or `hustings db accept-key`)"
        )
    context = ServiceContext(
        sessions=sessions,
        moderator_roles=normalise_roles(settings.moderator_roles),
        moderator_ids=settings.moderator_ids,
        slack_group_moderators=settings.slack_usergroup_moderators,
        secrecy=Secrecy(secret, usable=usable),
        clock=clock,
        draw_seed=random_seed if settings.count_seed is None else partial(int, settings.count_seed),
        receipts=receipts,
    )
    if freeze_gc:
        gc.collect()
        gc.freeze()
    return App(
        settings=settings,
        engine=engine,
        context=context,
        elections=ElectionService(context),
        ballots=BallotService(context),
        questions=QuestionService(context),
        closing=ClosingService(context),
    )
