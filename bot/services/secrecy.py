"""Ballot secrecy: keyed voter hashes and receipt codes.

The ballots table never holds a platform user id. Instead it holds
``HMAC-SHA256(secret, platform | workspace | user | election)``: stable, so the database can
enforce one ballot per member per election, yet useless to anyone holding only the database.
The secret comes from ``HUSTINGS_SECRET`` or is generated once into ``DATA_DIR/secret.key``
(mode 0600) and must stay stable while elections are open.

A receipt is a fresh random code per ballot (50 bits, Crockford base32, ``ABCDE-FGHJK``),
shown only to the voter and printed beside their ranking in the anonymised export.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import secrets
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings

SECRET_FILE = "secret.key"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_SEP = "\x1f"  # unit separator: cannot appear in platform ids, so fields cannot run together


def load_secret(settings: Settings) -> bytes:
    """The voter-key secret: from settings, else from (or newly into) ``DATA_DIR/secret.key``."""
    if settings.hustings_secret is not None:
        return settings.hustings_secret.get_secret_value().encode()
    return _file_secret(settings.data_dir / SECRET_FILE)


def _file_secret(path: Path) -> bytes:
    if path.exists():
        return path.read_text(encoding="ascii").strip().encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return path.read_text(encoding="ascii").strip().encode()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value.encode()


class Secrecy:
    """Keyed hashes for voters and upvoters, and receipt codes."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the voter-key secret must be at least 16 bytes")
        self._secret = secret

    def voter_key(self, platform: str, workspace: str, user_id: str, election_id: int) -> bytes:
        """32-byte key for one member in one election; the same inputs give the same key."""
        message = _SEP.join((platform, workspace, user_id, str(election_id)))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).digest()

    def upvoter_key(self, platform: str, workspace: str, user_id: str) -> str:
        """Hex key for one member's upvotes (domain-separated from voter keys)."""
        message = _SEP.join(("upvote", platform, workspace, user_id))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()

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
