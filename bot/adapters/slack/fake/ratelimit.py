"""Per-channel posting limit: Slack allows about one message a second, with short bursts.

A token bucket per (team, channel): ``burst`` messages may go at once, then one more every
``1 / per_second`` seconds. Over the limit Slack answers HTTP 429 with ``Retry-After`` in whole
seconds; slack_sdk only retries that if the app installed ``AsyncRateLimitErrorRetryHandler``.
Tests shrink the window (``per_second=50``) so a retry costs about a second, not minutes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RateLimit:
    """``per_second`` refill rate and ``burst`` capacity of each channel's bucket."""

    per_second: float = 1.0
    burst: int = 3
    clock: Callable[[], float] = time.monotonic


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class ChannelLimiter:
    """Answers "may this channel take one more message now?" and, if not, how long to wait."""

    limit: RateLimit | None
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)

    def take(self, team_id: str, channel: str) -> float:
        """0.0 if a message may be posted now (and counts it); otherwise seconds to wait."""
        if self.limit is None:
            return 0.0
        now = self.limit.clock()
        bucket = self._buckets.setdefault((team_id, channel), _Bucket(self.limit.burst, now))
        refill = (now - bucket.updated) * self.limit.per_second
        bucket.tokens = min(float(self.limit.burst), bucket.tokens + refill)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.limit.per_second


def retry_after_header(wait: float) -> str:
    """``Retry-After`` is whole seconds (RFC 9110); never 0, or clients would spin."""
    return str(max(1, math.ceil(wait)))
