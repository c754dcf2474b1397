"""What every service shares: the context it runs in, permissions, and election look-ups.

Services are built once in ``bot.app`` with a ``ServiceContext`` (session factory, moderator
roles, secrecy, clock). The clock is injected so tests can move time; production uses the
server's UTC clock, which is the only clock that decides whether a ballot is on time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Actor, ElectionStatus, ElectionView, Method, Place
from bot.errors import ElectionClosed, InvalidInput, NotAllowed, NotFound
from bot.services.roll_rules import RollRules
from bot.services.secrecy import Secrecy, new_receipt
from bot.services.storage_health import StorageHealth
from bot.storage import queries
from bot.storage.database import Sessions
from bot.storage.tables import Election
from counting.names import fold
from counting.rules import RON

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


SEED_BITS = 62


def random_seed() -> int:
    """A fresh, unpredictable seed for the tie-break lot."""
    return secrets.randbits(SEED_BITS)


class Deadlines:
    """Tells running schedulers, after the commit, that a closing time was set or changed.

    ``ElectionService`` calls ``changed()`` after any create, edit or open that sets a closing
    time; each running ``Scheduler`` has subscribed its ``wake``. Within one process only:
    another process's scheduler still re-reads deadlines every ``max_sleep`` seconds.
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` on every change until the returned function is called."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def changed(self) -> None:
        for listener in list(self._listeners):
            listener()


@dataclass(frozen=True)
class ServiceContext:
    """Everything a service needs; built once in the composition root."""

    sessions: Sessions
    moderator_roles: frozenset[str]
    secrecy: Secrecy
    clock: Clock = utc_now
    draw_seed: Callable[[], int] = random_seed
    """Seed of the tie-break lot, drawn at an election's first count (random unless fixed)."""
    receipts: Callable[[], str] = new_receipt
    """A new ballot's receipt code (unguessable; seeded only for ``hustings fake``'s demo)."""
    health: StorageHealth = field(default_factory=StorageHealth)
    """Ballots the database refused since start (``/election status`` shows moderators)."""
    moderator_ids: frozenset[str] = frozenset()
    """``platform:user id`` of members who moderate whatever their roles (``MODERATOR_IDS``)."""
    slack_group_moderators: bool = True
    """Whether Slack user groups may grant a moderator role (``SLACK_USERGROUP_MODERATORS``;
    the settings default is off, see ``moderates``)."""
    deadlines: Deadlines = field(default_factory=Deadlines)
    """Closing times set or changed: running schedulers wake (``bot.services.scheduler``)."""


def normalise_roles(roles: Iterable[str]) -> frozenset[str]:
    """Role names compare case-insensitively and without surrounding blanks."""
    return frozenset(r.strip().casefold() for r in roles if r.strip())


def is_moderator(actor: Actor, moderator_roles: frozenset[str]) -> bool:
    """A platform admin, or anyone holding a configured moderator role."""
    return actor.is_admin or bool(normalise_roles(actor.roles) & normalise_roles(moderator_roles))


def moderates(ctx: ServiceContext, actor: Actor) -> bool:
    """Whether ``actor`` is a moderator here: named in ``MODERATOR_IDS``; a platform admin;
    or holding a moderator role, except a role that is a Slack user group when
    ``SLACK_USERGROUP_MODERATORS`` is off (any member may edit user groups in many
    workspaces, and so make themselves a moderator)."""
    if f"{actor.platform}:{actor.user_id}" in ctx.moderator_ids:
        return True
    if actor.platform == "slack" and not ctx.slack_group_moderators:
        return actor.is_admin
    return is_moderator(actor, ctx.moderator_roles)


def require_moderator(ctx: ServiceContext, actor: Actor, doing: str) -> None:
    if not moderates(ctx, actor):
        raise NotAllowed(moderator_refusal(ctx, actor, doing))


def moderator_refusal(ctx: ServiceContext, actor: Actor, doing: str) -> str:
    """``Only moderators can …``; a Slack member whose moderator role is a user group, not
    counted (``moderates``), is told why, so the operator can find the setting."""
    refusal = f"Only moderators can {doing}."
    if actor.platform == "slack" and is_moderator(actor, ctx.moderator_roles):
        refusal += (
            " On Slack a moderator role (a user group) counts only with "
            "SLACK_USERGROUP_MODERATORS=true; otherwise Slack's moderators are its workspace "
            "admins and owners and the members named in MODERATOR_IDS (slack:USER_ID)."
        )
    return refusal


class AliasLike(Protocol):
    @property
    def alias(self) -> str: ...
    @property
    def candidate(self) -> str: ...


class ElectionLike(Protocol):
    """What views and look-ups read: an ORM ``Election`` or a ``queries.BallotBox``."""

    @property
    def id(self) -> int: ...
    @property
    def ref(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def workspace(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def candidates(self) -> list[str]: ...
    @property
    def seats(self) -> int: ...
    @property
    def method(self) -> str: ...
    @property
    def closes_at(self) -> datetime | None: ...
    @property
    def eligible_roles(self) -> list[str]: ...
    @property
    def sections(self) -> dict[str, Any]: ...
    @property
    def section_weights(self) -> dict[str, Any]: ...
    @property
    def ron(self) -> bool: ...
    @property
    def turnout(self) -> int: ...
    @property
    def aliases(self) -> Sequence[AliasLike]: ...
    @property
    def electorate(self) -> str: ...
    @property
    def roll_rules(self) -> dict[str, Any] | None: ...
    @property
    def opened_at(self) -> datetime | None: ...


E = TypeVar("E", bound=ElectionLike)


def place_of(election: ElectionLike) -> Place:
    return Place(election.platform, election.workspace, election.channel)


PLATFORM_NAMES = {"discord": "Discord", "slack": "Slack", "fake": "the console"}


def platform_name(platform: str) -> str:
    """``discord`` → ``Discord``: a platform as members read it."""
    return PLATFORM_NAMES.get(platform, platform)


def account_name(platform: str) -> str:
    """The platform as an adjective of an account: ``This Discord account``, ``This console
    account`` (never "This the console account")."""
    return "console" if platform == "fake" else platform_name(platform)


def place_platform(place: Place) -> str:
    """Where a channel is, for "its channel on …": ``Discord``, ``Slack``, or on the fake
    console ``the console (#discord-members)``. The console's channels are all the console's,
    whichever ``@x/discord`` or ``@x/slack`` account speaks in them, so its sides are named
    by their channel, never by a platform they are not on."""
    if place.platform == "fake":
        return f"the console (#{place.channel})"
    return platform_name(place.platform)


def require_home(election: ElectionLike, place: Place) -> None:
    """Refuse to run ``election`` from ``place`` unless it is the election's own channel.

    An election shared with a channel on the other platform (``/election share``) is voted
    on and shown in both, but opened, edited, closed, counted and declared only from its own
    channel: one set of moderators runs one count, and each other channel gets a copy of
    every announcement (``bot.services.share_delivery``).
    """
    home = place_of(election)
    if home == place:
        return
    raise NotAllowed(
        f"{election.title} (election {election.ref}) is shared here from its own channel on "
        f"{place_platform(home)}, where its moderators open, close, count and declare "
        "it. Here members vote and see its status and result. Nothing was changed."
    )


def ballot_candidates(election: ElectionLike) -> tuple[str, ...]:
    """The names a ballot may rank: the candidates, then RON when the election offers it."""
    names = tuple(election.candidates)
    return (*names, RON) if election.ron else names


def ballot_aliases(election: ElectionLike) -> dict[str, str]:
    """Moderator-set aliases, plus ``ron`` for RON unless a moderator has used it."""
    aliases = {a.alias: a.candidate for a in election.aliases}
    if election.ron:
        aliases.setdefault("ron", RON)
    return aliases


def election_view(election: ElectionLike, turnout: int | None = None) -> ElectionView:
    """Freeze an election into the value adapters see (no tallies, ever)."""
    return ElectionView(
        id=election.id,
        ref=election.ref,
        title=election.title,
        candidates=ballot_candidates(election),
        seats=election.seats,
        method=cast(Method, election.method),
        status=cast(ElectionStatus, election.status),
        closes_at=election.closes_at,
        turnout=election.turnout if turnout is None else turnout,
        eligible_roles=tuple(election.eligible_roles),
        ron=election.ron,
        aliases=ballot_aliases(election),
        sections=dict(election.sections),
        section_weights={k: int(v) for k, v in election.section_weights.items()},
        place=place_of(election),
        electorate=election.electorate,
        roll_electorate=roll_electorate(election.electorate, election.roll_rules),
        opened=election.opened_at is not None,
    )


def hidden_from_members(election: ElectionLike) -> bool:
    """A draft, or a draft cancelled before voting opened: members never see its title or
    candidates (README, threat model), so look-ups for members skip it as if it never was."""
    return election.status == "draft" or (
        election.status == "cancelled" and election.opened_at is None
    )


def roll_electorate(electorate: str, rules: dict[str, Any] | None) -> str | None:
    """A roll election's voters in words (``RollRules.describe``); ``None`` otherwise."""
    if electorate != "roll":
        return None
    return RollRules.from_json(rules).describe()


async def view(session: AsyncSession, election: Election) -> ElectionView:
    """The view of an ORM election after pending changes are flushed."""
    await session.flush()
    return election_view(election)


def describe(elections: Iterable[ElectionLike]) -> str:
    return ", ".join(f"{e.ref} ({e.title})" for e in elections)


def pick(elections: Sequence[E], ref: str, *, include_drafts: bool) -> E:
    """The election named by ``ref``: its number, its whole title, or a unique title prefix."""
    wanted = ref.strip().lstrip("#")
    if not wanted:
        raise InvalidInput("Say which election: its number or the start of its title.")
    shown = [e for e in elections if include_drafts or not hidden_from_members(e)]
    for election in shown:
        if election.ref == wanted:
            return election
    prefix = fold(wanted)
    matches = [e for e in shown if fold(e.title).startswith(prefix)]
    exact = [e for e in matches if fold(e.title) == prefix]
    if len(exact) == 1:  # "Names" names Names, even beside "Names2"
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InvalidInput(
            f"{wanted!r} matches several elections here: {describe(matches)}. Use its number."
        )
    raise NotFound(f"There is no election {wanted!r} in this channel.")


def pick_for_voting(elections: Sequence[E], ref: str | None, command: str = "rank") -> E:
    """The election a member's ballot is for: the named one, or the one open here.

    ``command`` (``rank``, ``ballot``, ``withdraw``) is only for the example in the message
    when several are open.
    """
    if ref is not None and ref.strip():
        return pick(elections, ref, include_drafts=False)
    open_now = [e for e in elections if e.status == "open"]
    if len(open_now) == 1:
        return open_now[0]
    if open_now:
        first = open_now[0]
        ranking = " " + " ".join(first.candidates[:2]) if command == "rank" else ""
        raise InvalidInput(
            f"Several elections are open here: {describe(open_now)}. Say which one with "
            f"--election (its number or the start of its title), e.g. "
            f"/{command} --election {first.ref}{ranking}"
        )
    others = [e for e in elections if not hidden_from_members(e)]
    if others:
        latest = others[-1]
        raise ElectionClosed(
            f"No election is open in this channel; the latest, {latest.title}, is {latest.status}."
        )
    raise NotFound("There is no election in this channel.")


@dataclass(frozen=True)
class Action:
    """A moderator or member action on one election, for picking it when no ref is given."""

    verb: str
    """``open``, ``count``…: used in messages ("Several elections here could be counted")."""
    statuses: tuple[str, ...]
    """The statuses the action applies to."""
    needs: str
    """What the action needs, for the message when nothing fits ("a draft")."""
    past: str
    """The verb in messages: "opened", "counted"."""


OPEN = Action("open", ("draft",), "a draft", "opened")
CLOSE = Action("close", ("open",), "an open election", "closed")
CANCEL = Action("cancel", ("draft", "open", "closed"), "an election not yet counted", "cancelled")
COUNT = Action("count", ("open", "closed"), "an open or closed election not yet counted", "counted")
EXPORT = Action("export", ("closed", "counted"), "a closed or counted election", "exported")
NEXT = Action("next", ("counted",), "a counted election", "declared")
STATUS = Action("status", ("draft", "open", "closed"), "an election in progress", "shown")


def pick_for(elections: Sequence[E], ref: str | None, action: Action, *, include_drafts: bool) -> E:
    """The election ``ref`` names or, without a ref, the one election ``action`` applies to.

    Without a ref the caller means "the current one"; guessing among several would run a
    count or a close on the wrong election, so several (or none) is an error that lists the
    elections by ref and title for the caller to name one.
    """
    if ref is not None and ref.strip():
        return pick(elections, ref, include_drafts=include_drafts)
    shown = [e for e in elections if include_drafts or not hidden_from_members(e)]
    fitting = [e for e in shown if e.status in action.statuses]
    if action is STATUS and not fitting and len(shown) == 1:
        return shown[0]  # the channel's only election, finished: show it
    if len(fitting) == 1:
        return fitting[0]
    counted = [e for e in shown if e.status == "counted"]
    if action is COUNT and not fitting and counted:
        latest = counted[-1]
        raise NotFound(
            f"{latest.title} (election {latest.ref}) is already counted. To recount it (the "
            f"result must come out the same), name it: /election count {latest.ref}"
        )
    if fitting:
        raise InvalidInput(
            f"Several elections here could be {action.past}: {describe(fitting)}. "
            f"Name one, e.g. /election {action.verb} {fitting[0].ref}."
        )
    if not shown:
        raise NotFound("There is no election in this channel.")
    listed = ", ".join(f"{e.ref} ({e.title}, {e.status})" for e in shown)
    raise NotFound(
        f"No election here can be {action.past}: that needs {action.needs}. "
        f"Elections here: {listed}."
    )


async def find_election(
    session: AsyncSession, place: Place, ref: str, *, include_drafts: bool, lock: bool = False
) -> Election:
    """The ORM election in this channel named by ``ref`` (see ``pick``); ``lock`` when the
    caller changes it (``queries.elections_in``), and then only from its own channel
    (``require_home``)."""
    found = await queries.elections_in(session, place, lock=lock)
    election = pick(found, ref, include_drafts=include_drafts)
    if lock:
        require_home(election, place)
    return election


async def find_for(
    session: AsyncSession,
    place: Place,
    ref: str | None,
    action: Action,
    *,
    include_drafts: bool,
    lock: bool = False,
) -> Election:
    """The ORM election ``ref`` names, or the one ``action`` applies to (see ``pick_for``);
    ``lock`` when the caller changes it (``queries.elections_in``), and then only from its
    own channel (``require_home``)."""
    found = await queries.elections_in(session, place, lock=lock)
    election = pick_for(found, ref, action, include_drafts=include_drafts)
    if lock:
        require_home(election, place)
    return election


async def voting_election(session: AsyncSession, place: Place, ref: str | None) -> Election:
    """The ORM election a ballot in this channel is for (see ``pick_for_voting``)."""
    return pick_for_voting(await queries.elections_in(session, place), ref)
