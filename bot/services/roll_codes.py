"""Link codes: made to be typed on a phone, stored only as a keyed hash.

A code is 16 symbols of Crockford base32 (80 random bits), shown in four groups:
``7Q2K-MXB9-RT4H-C8DW``. The alphabet has no I, L, O or U, so nothing looks like anything
else; when typed, case does not matter, spaces, dashes (any of - – — ‐), dots and no-break
spaces between groups are ignored, and I/L read as 1 and O as 0 (Crockford's rule), since
that is what a member copying the code must have meant. Anything else is refused as not a
code at all (which is not counted as a guess: it could never have matched).

The database keeps ``HMAC(secret, "link-code" | code)`` (``Secrecy.labelled``), so a copy of
the database does not give anyone the codes.
"""

from __future__ import annotations

import secrets

from bot.errors import InvalidInput
from bot.services.secrecy import Secrecy

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
_READ_AS = {"I": "1", "L": "1", "O": "0"}
_IGNORED = frozenset(" -.\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u2007\t")
EXAMPLE = "ABCD-EFGH-JKMN-PQRS"


def new_code() -> str:
    """A fresh random code, grouped: ``7Q2K-MXB9-RT4H-C8DW``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return grouped(raw)


def grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(typed: str, what: str = "A link code") -> str:
    """The code a member typed, as issued (ungrouped), or ``InvalidInput`` saying why
    (``what``: the kind of code, for the message; share codes use the same form)."""
    kept = []
    for typed_char in typed.strip().upper():
        if typed_char in _IGNORED:
            continue
        char = _READ_AS.get(typed_char, typed_char)
        if char not in ALPHABET:
            raise InvalidInput(
                f"{what} has only letters and digits (like {EXAMPLE}); "
                f"{char!r} is not part of one. Nothing was changed."
            )
        kept.append(char)
    if len(kept) != LENGTH:
        raise InvalidInput(
            f"{what} has {LENGTH} letters and digits (like {EXAMPLE}); you typed "
            f"{len(kept)}. Nothing was changed."
        )
    return "".join(kept)


def code_hash(secrecy: Secrecy, code: str) -> str:
    """The stored form of ``code`` (grouped or not; it is normalised first)."""
    return secrecy.labelled("link-code", normalise(code))
