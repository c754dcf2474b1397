"""Where a linked account can be sent a private reminder, kept encrypted.

A link is looked up by ``account_key`` (an HMAC: ``roll_links``), which cannot be turned
back into a user id, so on its own the bot could never message a linked member. ``/link``
therefore also stores the account's address, ``platform | workspace | user id``, encrypted
with Fernet (AES-128-CBC + HMAC-SHA256, the ``cryptography`` package, as the Slack token
store does) under a key derived from the voter-key secret (``bot.keys.address_key``, its own
label). It is read for one thing only: sending ``/election remind``'s private message. It is
never used to find a link, never logged, never shown; ``/unlink`` deletes it with the link.

Without the secret a copy of the database still holds no user id. Under another secret (a
rotation) an address does not decrypt and reads as ``None``: that account is not reminded
(its link no longer matches either, since ``account_key`` is keyed by the same secret).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Actor
from bot.services.secrecy import Secrecy

_SEP = "\x1f"  # unit separator: in no platform, workspace or user id


@dataclass(frozen=True)
class Address:
    """One chat account: whom an adapter sends a private message to."""

    platform: str
    workspace: str
    user_id: str


def seal(secrecy: Secrecy, actor: Actor) -> str:
    """``actor``'s account as a Fernet token (ASCII text, about 140 characters)."""
    from cryptography.fernet import Fernet  # noqa: PLC0415 - keeps importing the core light

    plain = _SEP.join((actor.platform, actor.workspace, actor.user_id)).encode()
    return Fernet(secrecy.address_key()).encrypt(plain).decode("ascii")


def unseal(secrecy: Secrecy, token: str | None) -> Address | None:
    """The account ``token`` holds, or ``None`` (no token, or sealed under another secret)."""
    from cryptography.fernet import Fernet, InvalidToken  # noqa: PLC0415

    if not token:
        return None
    try:
        plain = Fernet(secrecy.address_key()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None
    parts = plain.split(_SEP)
    if len(parts) != 3:
        return None
    return Address(*parts)
