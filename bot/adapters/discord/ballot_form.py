"""The state of a ``/ballot`` form, carried whole in each component's ``custom_id``.

A form is one member's ranking in progress for one election. Nothing of it is kept in any
process: every button and menu on the form carries the whole state, so whichever bot
process (or shard, or the same process after a restart) receives the next click rebuilds the
form from the click alone and the election from the database. The state is::

    hustings:ballot:<ref>:<fingerprint>:<page>:<ranking>:<action>

- ``ref``: the election's per-channel number (the channel is the interaction's own);
- ``fingerprint``: 8 hex digits of a hash of the election's id and candidate list, so a form
  opened before the candidates changed is refused instead of read against the new list;
- ``page``: which page of unranked candidates the menus list (0-based, one digit);
- ``ranking``: the preferences so far, one character per candidate index (``ALPHABET``);
- ``action``: ``pick:<position>`` for a menu, else ``confirm`` (show the ballot to cast),
  ``cast``, ``back`` (from that review to the form), ``reset``, ``prev``, ``next``.

At most 50 candidates (``bot.services.validation.MAX_CANDIDATES``) keeps the longest id at 95
characters, under Discord's 100. The ranking in an id is only ever the member's own: a form is
ephemeral, and a forged id can only make the presser cast a ranking they could type with
``/rank`` (the actor is always the interaction's user). Nothing here touches the database or
Discord; ``ballot_view`` does.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, replace

from bot.domain import ElectionView

PREFIX = "hustings:ballot:"
ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
PER_PAGE = 24
"""Candidates listed per menu (Discord allows 25; one is kept for the filled choice)."""
MENUS = 4
"""Preference menus shown at once (a message holds five rows; the fifth holds buttons)."""
MAX_ID = 100

_STATE = (
    r"(?P<ref>[0-9]{1,9}):(?P<fingerprint>[0-9a-f]{8}):(?P<page>[0-9]):"
    r"(?P<ranking>[0-9A-Za-z]{0,50}):"
)
PICK_TEMPLATE = re.compile(re.escape(PREFIX) + _STATE + r"pick:(?P<position>[0-9]{1,2})")
BUTTON_TEMPLATE = re.compile(
    re.escape(PREFIX) + _STATE + r"(?P<action>confirm|cast|back|reset|prev|next)"
)

CLOSED = (
    "Election {ref} is no longer open for voting, so this ballot form cannot be used; "
    "nothing was recorded."
)
CHANGED = (
    "The candidates of election {ref} changed after this ballot form was opened; nothing "
    "was recorded. Run /ballot again for the current list."
)
DAMAGED = "This ballot form is damaged; nothing was recorded. Run /ballot again to rank."


def fingerprint(election: ElectionView) -> str:
    """8 hex digits naming the election's id and candidates, in order."""
    text = "\x1f".join([str(election.id), *election.candidates])
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def is_old_form(custom_id: str) -> bool:
    """A ballot-form component in no shape this version reads (a form from an older bot)."""
    if not custom_id.startswith(PREFIX):
        return False
    return not (PICK_TEMPLATE.fullmatch(custom_id) or BUTTON_TEMPLATE.fullmatch(custom_id))


@dataclass(frozen=True)
class FormState:
    """A form between clicks: ``ranking`` holds candidate indexes, first preference first."""

    ref: str
    fingerprint: str
    page: int = 0
    ranking: tuple[int, ...] = ()

    @classmethod
    def opened(cls, election: ElectionView) -> FormState:
        return cls(election.ref, fingerprint(election))

    @classmethod
    def parse(cls, match: re.Match[str]) -> FormState:
        ranking = tuple(ALPHABET.index(c) for c in match["ranking"])
        return cls(match["ref"], match["fingerprint"], int(match["page"]), ranking)

    def custom_id(self, action: str) -> str:
        ranking = "".join(ALPHABET[i] for i in self.ranking)
        made = f"{PREFIX}{self.ref}:{self.fingerprint}:{self.page}:{ranking}:{action}"
        if len(made) > MAX_ID:
            raise ValueError(f"a ballot form id of {len(made)} characters is over {MAX_ID}")
        return made

    # -- against the election ------------------------------------------------------------------

    def problem(self, election: ElectionView) -> str | None:
        """Why this form cannot be used for ``election`` now, or None (it can)."""
        if election.status != "open":
            return CLOSED.format(ref=election.ref)
        if self.fingerprint != fingerprint(election):
            return CHANGED.format(ref=election.ref)
        size = len(election.candidates)
        if len(set(self.ranking)) != len(self.ranking) or any(i >= size for i in self.ranking):
            return DAMAGED
        if self.page >= pages(size - len(self.ranking)):
            return DAMAGED
        return None

    def names(self, election: ElectionView) -> list[str]:
        return [election.candidates[i] for i in self.ranking]

    def remaining(self, election: ElectionView) -> list[int]:
        return [i for i in range(len(election.candidates)) if i not in self.ranking]

    def positions(self, election: ElectionView) -> range:
        """The preferences shown as menus: the last filled ones and the next one."""
        shown_next = len(self.ranking) < len(election.candidates)
        end = len(self.ranking) + (1 if shown_next else 0)
        return range(max(0, end - MENUS), end)

    def page_of_remaining(self, election: ElectionView) -> list[int]:
        return self.remaining(election)[self.page * PER_PAGE : (self.page + 1) * PER_PAGE]

    # -- changes (each returns the next state) -----------------------------------------------

    def choose(self, election: ElectionView, position: int, index: int) -> FormState:
        """``index`` as preference ``position`` (replacing that preference, or the next one);
        unchanged if the candidate is already ranked or the position is past the next."""
        ranking = list(self.ranking)
        if index in ranking or position > len(ranking):
            return self
        if position < len(ranking):
            ranking[position] = index
        else:
            ranking.append(index)
        left = len(election.candidates) - len(ranking)
        return replace(self, ranking=tuple(ranking), page=min(self.page, pages(left) - 1))

    def reset(self) -> FormState:
        return replace(self, ranking=(), page=0)

    def turn(self, election: ElectionView, step: int) -> FormState:
        left = len(election.candidates) - len(self.ranking)
        return replace(self, page=max(0, min(pages(left) - 1, self.page + step)))


def pages(unranked: int) -> int:
    """Menu pages needed to list ``unranked`` candidates (at least one)."""
    return max(1, -(-unranked // PER_PAGE))


def candidate_index(value: str, candidates: int) -> int | None:
    """The candidate a menu value names (its index as ASCII digits), or None if it names none.

    Menus offer ``str(index)`` for each candidate; anything else (text, ``-1``, ``99``,
    ``01``, a sign, spaces or non-ASCII digits) was not offered and is refused.
    """
    offered = {str(i): i for i in range(candidates)}
    return offered.get(value)
