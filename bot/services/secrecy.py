"""Ballot secrecy: keyed voter hashes and receipt codes.

The ballots table never holds a platform user id. Instead it holds
``HMAC-SHA256(secret, platform | workspace | user | election)``: stable, so the database can
enforce one ballot per member per election, yet useless to anyone holding only the database.
The secret comes from ``bot.keys`` (``HUSTINGS_SECRET`` or a key file; on the fake console a
throw-away ``DATA_DIR/secret.key``) and must stay stable while elections are open: the
database keeps its fingerprint and refuses voting under another one (``keycheck``).

A receipt is a fresh random code per ballot (50 bits, Crockford base32, ``ABCDE-FGHJK``),
shown only to the voter and printed beside their ranking in the anonymised export.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.errors import Conflict
from bot.keys import SECRET_FILE, address_key, load_voter_secret, token_key

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

__all__ = [
    "SECRET_FILE",
    "Secrecy",
    "VotingSuspended",
    "load_secret",
    "new_receipt",
    "seeded_receipts",
]
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_SEAL_INFO = b"hustings question asker seal v1"
_SEP = "\x1f"  # unit separator: cannot appear in platform ids, so fields cannot run together


def load_secret(settings: Settings, *, strict: bool = False) -> bytes:
    """The voter-key secret (see ``bot.keys``: strict on real platforms)."""
    return load_voter_secret(settings, strict=strict)


class VotingSuspended(Conflict):
    """The voter-key secret is not the one the database was used with (``keycheck``)."""

    def __init__(self) -> None:
        super().__init__(
            "Voting is suspended: the bot was restarted with a different voter-key secret, "
            "so it cannot tell who has already voted. Nothing was recorded. Ask the operator "
            "to restore the secret (moderators: /election status shows this too)."
        )


class Secrecy:
    """Keyed hashes for voters and upvoters, and receipt codes.

    ``usable=False`` (the secret does not match the database's fingerprint) makes every voter
    key a ``VotingSuspended`` refusal, so no ballot is cast, shown or withdrawn under it.
    """

    def __init__(self, secret: bytes, *, usable: bool = True) -> None:
        if len(secret) < 16:
            raise ValueError("the voter-key secret must be at least 16 bytes")
        self._secret = secret
        self.usable = usable
        self._fernet: Fernet | None = None

    def voter_key(self, platform: str, workspace: str, user_id: str, election_id: int) -> bytes:
        """32-byte key for one member in one election; the same inputs give the same key."""
        if not self.usable:
            raise VotingSuspended()
        message = _SEP.join((platform, workspace, user_id, str(election_id)))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).digest()

    def upvoter_key(self, platform: str, workspace: str, user_id: str) -> str:
        """Hex key for one member's upvotes (domain-separated from voter keys)."""
        message = _SEP.join(("upvote", platform, workspace, user_id))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()

    def member_key(self, member_id: str, election_id: int) -> bytes:
        """32-byte voter key for a roll member in a roll election (``electorate == "roll"``):
        the same for every account the member has linked, so a ballot from Slack replaces
        one from Discord. Domain-separated from ``voter_key`` by its label."""
        if not self.usable:
            raise VotingSuspended()
        message = _SEP.join(("roll-member", member_id, str(election_id)))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).digest()

    def labelled(self, label: str, *parts: str) -> str:
        """Hex HMAC of ``label`` and ``parts`` (link codes, linked accounts: ``roll_links``)."""
        message = _SEP.join((label, *parts))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()

    def asker_key(self, platform: str, workspace: str, channel: str, user_id: str) -> str:
        """Hex key for the asker of an anonymous question in one channel: the same member
        gets the same key in that channel (their own questions, the flood limits), another
        in every other channel, and one never equal to their upvoter key, so the database
        does not link their anonymous questions to their upvotes or to other channels."""
        return self.labelled("asker", platform, workspace, channel, user_id)

    def seal(self, text: str) -> str:
        """``text`` encrypted (Fernet, under a key derived from the secret for this use alone):
        readable again only with the secret (``unseal``)."""
        return self._sealer().encrypt(text.encode()).decode()

    def unseal(self, sealed: str) -> str | None:
        """What ``seal`` sealed, or ``None`` if it was sealed under another secret."""
        from cryptography.fernet import InvalidToken  # noqa: PLC0415 - with the sealer

        try:
            return self._sealer().decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None

    def _sealer(self) -> Fernet:
        if self._fernet is None:
            from cryptography.fernet import Fernet  # noqa: PLC0415 - only questions need it

            self._fernet = Fernet(token_key(self._secret, _SEAL_INFO))
        return self._fernet

    def token_key(self) -> bytes:
        """The Fernet key for platform tokens at rest, derived from the secret (``bot.keys``)."""
        return token_key(self._secret)

    def address_key(self) -> bytes:
        """The Fernet key for linked accounts' addresses at rest (``bot.keys``)."""
        return address_key(self._secret)

    def __repr__(self) -> str:
        return "Secrecy(<secret hidden>)"


def new_receipt() -> str:
    """A short unguessable receipt code, e.g. ``7Q2KM-XB9RT`` (50 random bits)."""
    return _receipt(secrets.randbits(50))


def seeded_receipts(seed: int) -> Callable[[], str]:
    """Receipt codes from a seeded generator: the same sequence for the same seed.

    Only for the throwaway database of ``hustings fake`` (a demo must print the same
    transcript every run); anywhere a receipt must be unguessable, use ``new_receipt``.
    """
    draw = random.Random(seed)
    return lambda: _receipt(draw.getrandbits(50))


def _receipt(bits: int) -> str:
    chars = "".join(_ALPHABET[(bits >> shift) & 31] for shift in range(0, 50, 5))
    return f"{chars[:5]}-{chars[5:]}"
