"""Request signing exactly as Slack does it, plus the ways a forger gets it wrong.

``X-Slack-Signature: v0=hex(HMAC-SHA256(signing_secret, "v0:{timestamp}:{body}"))`` with
``X-Slack-Request-Timestamp``. slack_sdk's ``SignatureVerifier`` rejects a timestamp more
than five minutes from its clock, so STALE signs correctly but ten minutes in the past:
only the replay window can reject it.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import time

STALE_BY_SECONDS = 600


class Signing(enum.Enum):
    """How the driver signs one HTTP delivery."""

    VALID = "valid"
    FORGED = "forged"  # right format, wrong secret
    STALE = "stale"  # right secret, timestamp 10 minutes old
    MISSING = "missing"  # no signature headers at all


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: str, how: Signing, now: float | None = None
) -> dict[str, str]:
    """The two signature headers for ``body`` (real wall-clock time: the app checks it)."""
    if how is Signing.MISSING:
        return {}
    moment = time.time() if now is None else now
    if how is Signing.STALE:
        moment -= STALE_BY_SECONDS
    timestamp = str(int(moment))
    key = secret if how is not Signing.FORGED else "forged-" + secret
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(key, timestamp, body),
    }
