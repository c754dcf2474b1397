"""Handlers of ``/election share`` and ``/election unshare``, and their private replies.

``/election share [ELECTION]`` asks for a share code; ``/election share --code CODE`` accepts
one. The two are told apart by the flag, never by what the text looks like (a title prefix
can have a code's shape); a code typed where the election goes is refused with the hint.
``dispatch`` merges ``HANDLERS`` into its own table, as it does ``roll_handlers``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.adapters.outcome import Options, Outcome
from bot.adapters.outcome import maybe_text as _maybe_text
from bot.adapters.render.message import Reply, private
from bot.domain import Actor, Place
from bot.errors import InvalidInput, NotFound
from bot.services.common import place_platform
from bot.services.election_share import expires_text
from bot.services.roll_codes import normalise
from bot.services.share_values import ShareCodeIssued, ShareLink, Unshared

if TYPE_CHECKING:
    from bot.app import App

Handler = Callable[["App", Actor, Place, Options], Awaitable[Outcome]]
_OTHER = {"discord": "Slack", "slack": "Discord"}


def other_platform(platform: str) -> str:
    return _OTHER.get(platform, "the other platform")


def code_issued(issued: ShareCodeIssued) -> Reply:
    e = issued.election
    other = other_platform(issued.platform)
    lines = [
        f"A moderator of the channel on {other} that should share it types, in that channel:",
        f"/election share --code {issued.code}",
        f"The code works once, until {expires_text(issued.expires_at)}; keep it private.",
        "Members in both channels then vote in this one election (one ballot per member on the "
        "roll, whichever linked account they use); you open, close and count it here, and its "
        "announcements and result are posted in both channels.",
    ]
    if issued.replaced:
        lines.append("The code given out before for this election no longer works.")
    return private(f"Share code for {e.title} (election {e.ref}): {issued.code}", *lines)


def shared(link: ShareLink) -> Reply:
    e = link.election
    home = place_platform(link.home)
    now = (
        "Voting is open: its announcement is posted here."
        if e.status == "open"
        else "When its moderators there open voting, the announcement is posted here too."
    )
    return private(
        f"Shared: {e.title} (election {e.ref}), run from its channel on {home}, is now held in "
        "this channel too.",
        "Members here vote with /rank as members there do: one ballot per member on the roll, "
        "whichever linked account they use; /election status shows it here.",
        f"Its moderators on {home} open, close and count it; each announcement and the result "
        "are posted here as well.",
        now,
    )


def unshared(done: Unshared) -> Reply:
    e = done.election
    lines = []
    if done.guest is not None:
        lines.append(f"It is no longer shared with the channel on {place_platform(done.guest)}.")
    if done.code_withdrawn:
        lines.append("Its share code no longer works.")
    return private(f"{e.title} (election {e.ref}) is not shared now.", *lines)


def _looks_like_code(text: str) -> bool:
    try:
        normalise(text)
    except InvalidInput:
        return False
    return True


async def _share(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    code, ref = _maybe_text(o, "code"), _maybe_text(o, "election")
    if code is not None and ref is not None:
        raise InvalidInput(
            "Give either the election to share or --code CODE to accept a share code, not both."
        )
    if code is not None:
        link = await app.shares.accept(actor, place, code)
        return Outcome(shared(link), link)
    try:
        issued = await app.shares.issue(actor, place, ref)
    except NotFound:
        if ref is not None and _looks_like_code(ref):
            raise InvalidInput(
                f"There is no election {ref!r} here. To accept a share code, type "
                f"/election share --code {ref}"
            ) from None
        raise
    return Outcome(code_issued(issued), issued)


async def _unshare(app: App, actor: Actor, place: Place, o: Options) -> Outcome:
    done = await app.shares.unshare(actor, place, _maybe_text(o, "election"))
    return Outcome(unshared(done), done)


HANDLERS: dict[str, Handler] = {"election share": _share, "election unshare": _unshare}
