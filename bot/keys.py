"""The voter-key secret: where it may come from, how strong it must be, and its fingerprint.

The secret keys the hash that stands for a member in the ballots table (``services.secrecy``)
and, through HKDF, the key that encrypts Slack tokens at rest (``token_key``). Whoever holds
the database *and* the secret can link ballots to members, so on a real platform
(``strict=True``: Discord, Slack) the bot refuses to start unless the secret

* comes from ``HUSTINGS_SECRET`` or from ``HUSTINGS_SECRET_FILE``, a regular file outside
  ``DATA_DIR`` and outside the database's folder, owned by us and readable by its owner only
  (no group/other bits: ``chmod 600``);
* carries at least 128 bits by a conservative estimate (``estimated_bits``), with known
  placeholder words, repeated patterns, runs like ``abcd``/``1234`` and low variety refused
  (``weakness``).
  ``python -c "import secrets; print(secrets.token_urlsafe(32))"`` makes a good one.

The fake console (``strict=False``) may keep generating a throw-away secret into
``DATA_DIR/secret.key`` (0600), as before.

``fingerprint`` is an HMAC of a fixed label under the secret: stored in the database
(``key_checks``), it tells a later start whether the secret is the same one without storing
anything that helps recover it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import math
import os
import secrets
import stat
from collections import Counter
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.errors import StartupProblem

SECRET_FILE = "secret.key"
MIN_BITS = 128
MIN_LENGTH = 16
MIN_DISTINCT = 10
RANDOM_LOOKING = 0.85
WEAK_WORDS = (
    "changeme", "password", "passw0rd", "secret", "hustings", "example", "default",
    "letmein", "qwerty", "123456", "abcdef", "replace", "insert", "your",
)  # fmt: skip
"""Placeholders people paste into settings; a secret containing one is refused."""
HOW_TO_MAKE = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
_FINGERPRINT_LABEL = b"hustings voter-key fingerprint v1"
_TOKEN_KEY_INFO = b"hustings slack token key v1"
_ADDRESS_KEY_INFO = b"hustings linked account address key v1"


def load_voter_secret(settings: Settings, *, strict: bool) -> bytes:
    """The voter-key secret as bytes, or ``StartupProblem`` naming the setting to fix."""
    value, setting = _configured(settings, strict=strict)
    if value is None:
        if strict:
            raise StartupProblem(
                "HUSTINGS_SECRET",
                "not set. Discord and Slack need the voter-key secret in HUSTINGS_SECRET or "
                f"HUSTINGS_SECRET_FILE (outside DATA_DIR, chmod 600); {HOW_TO_MAKE}",
            )
        return _throwaway(settings.data_dir / SECRET_FILE)
    if strict:
        problem = weakness(value)
        if problem is not None:
            raise StartupProblem(setting, f"too weak: {problem}; {HOW_TO_MAKE}")
    elif len(value.encode()) < MIN_LENGTH:
        raise StartupProblem(setting, f"shorter than {MIN_LENGTH} characters")
    return value.encode()


def _configured(settings: Settings, *, strict: bool) -> tuple[str | None, str]:
    if settings.hustings_secret is not None and settings.hustings_secret_file is not None:
        raise StartupProblem("HUSTINGS_SECRET", "set it or HUSTINGS_SECRET_FILE, not both")
    if settings.hustings_secret is not None:
        return settings.hustings_secret.get_secret_value(), "HUSTINGS_SECRET"
    if settings.hustings_secret_file is not None:
        path = settings.hustings_secret_file
        if strict:
            _check_key_file(path, settings)
        try:
            return path.read_text(encoding="utf-8").strip(), "HUSTINGS_SECRET_FILE"
        except (OSError, UnicodeDecodeError) as exc:
            raise StartupProblem("HUSTINGS_SECRET_FILE", f"cannot read {path}: {exc}") from exc
    return None, "HUSTINGS_SECRET"


def _check_key_file(path: Path, settings: Settings) -> None:
    """A key file a real platform may use: ours, owner-only, away from the ballots."""
    setting = "HUSTINGS_SECRET_FILE"
    try:
        info = path.stat()
    except OSError as exc:
        raise StartupProblem(setting, f"cannot read {path}: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise StartupProblem(setting, f"{path} is not a regular file")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise StartupProblem(setting, f"{path} belongs to another user")
    if info.st_mode & 0o077:
        mode = oct(stat.S_IMODE(info.st_mode))
        raise StartupProblem(setting, f"{path} is readable by others (mode {mode}); chmod 600")
    real = path.resolve()
    for folder, what in _ballot_folders(settings):
        if real.parent == folder or folder in real.parents:
            raise StartupProblem(
                setting, f"{path} is inside {what} ({folder}); keep the key apart from the ballots"
            )


def _ballot_folders(settings: Settings) -> list[tuple[Path, str]]:
    folders = [(settings.data_dir.resolve(), "DATA_DIR")]
    try:
        url = make_url(settings.database_url)
    except Exception:
        return folders
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        folders.append((Path(url.database).resolve().parent, "the database's folder"))
    return folders


def weakness(value: str) -> str | None:
    """Why ``value`` is too weak to be the voter-key secret (``None``: it is strong enough)."""
    if len(value) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    for word in WEAK_WORDS:
        # as people write them (your, YOUR, Your), not any mix of cases: one random key in
        # about 10,000 holds a "yOuR"
        if any(form in value for form in (word, word.upper(), word.capitalize())):
            return f"it contains the placeholder {word!r}"
    if _repeats(value):
        return "it repeats a shorter pattern"
    distinct = len(set(value))
    if distinct < MIN_DISTINCT:
        return f"only {distinct} different characters"
    if _runs(value) * 4 > len(value):
        return "too many runs of neighbouring characters (like 'abcd' or '1234')"
    bits = estimated_bits(value)
    if bits < MIN_BITS:
        return f"about {bits} bits of entropy, at least {MIN_BITS} are needed"
    return None


def estimated_bits(value: str) -> int:
    """A conservative entropy estimate in bits, rounded down.

    A string whose characters are spread like random draws (bias-corrected Shannon entropy per
    character at least ``RANDOM_LOOKING`` of the most its length and character pool allow)
    counts log2(pool) bits a character; anything else only its Shannon entropy per character.
    """
    counts = Counter(value)
    shannon = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    # A short sample's Shannon entropy understates its source's; the Miller–Madow correction
    # (G. Miller, "Note on the bias of information estimates", 1955) adds (K - 1) / (2 n ln 2)
    # for K distinct characters in n, so a random 32-digit hex key (128 bits) looks random.
    corrected = shannon + (len(counts) - 1) / (2 * len(value) * math.log(2))
    per_char = math.log2(_pool(value))
    if corrected >= RANDOM_LOOKING * min(per_char, math.log2(len(value))):
        return int(len(value) * per_char)
    return int(len(value) * min(per_char, shannon))


def _pool(value: str) -> int:
    if all(c in "0123456789abcdef" for c in value) or all(c in "0123456789ABCDEF" for c in value):
        return 16
    pool = 0
    pool += 26 if any(c.islower() for c in value) else 0
    pool += 26 if any(c.isupper() for c in value) else 0
    pool += 10 if any(c.isdigit() for c in value) else 0
    pool += 33 if any(not c.isalnum() for c in value) else 0
    return max(pool, 2)


def _repeats(value: str) -> bool:
    return value in (value + value)[1:-1]


def _runs(value: str) -> int:
    """Characters inside a run of three like ``abc``, ``cba`` or ``aaa``."""
    steps = [ord(b) - ord(a) for a, b in itertools.pairwise(value)]
    return sum(s == t and abs(s) <= 1 for s, t in itertools.pairwise(steps))


def _throwaway(path: Path) -> bytes:
    """The fake console's secret: read, or generated once (0600) into ``path``."""
    if path.exists():
        return path.read_text(encoding="ascii").strip().encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StartupProblem("DATA_DIR", f"cannot create {path.parent}: {exc.strerror}") from exc
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return path.read_text(encoding="ascii").strip().encode()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value.encode()


def fingerprint(secret: bytes) -> str:
    """A keyed hash of a fixed label under ``secret`` (hex): same secret, same fingerprint."""
    return hmac.new(secret, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def token_key(secret: bytes, info: bytes = _TOKEN_KEY_INFO) -> bytes:
    """The Fernet key for tokens at rest: HKDF-SHA256 of the secret, urlsafe base64 (44 bytes).

    ``info`` derives an independent key for another use (sealed question askers,
    ``address_key``)."""
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415 - Slack OAuth only
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: PLC0415

    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info)
    return base64.urlsafe_b64encode(derived.derive(secret))


def address_key(secret: bytes) -> bytes:
    """The Fernet key for linked accounts' addresses at rest (``roll_addresses``): derived
    like ``token_key`` under its own label, so neither key opens the other's values."""
    return token_key(secret, _ADDRESS_KEY_INFO)
