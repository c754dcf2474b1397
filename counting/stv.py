"""Multi-seat single transferable vote: one entry point, three ways of moving a surplus.

``rules.stv_variant`` picks the count:

* ``wigm`` – the weighted inclusive Gregory method exactly as RCTab counts it
  (``counting.wigm``): threshold from round 1, per-ballot transfer values truncated to
  ``decimal_places``, residual surplus and final-round surplus reported;
* ``scottish`` – the Scottish Local Government Elections Order 2007, schedule 1 rules 45–52
  (``counting.scottish``): one surplus or one exclusion per stage, transfer values truncated to
  5 decimal places;
* ``meek`` – Meek's method (``counting.meek``): keep factors iterated in fixed point until every
  elected candidate holds the quota.

One rulebook for ties: when the last two continuing candidates are tied for the last seat
(nobody at the quota, no surplus waiting), it is a winner tie-break, as in IRV and RCTab
(``irv_piles.last_seat_tie``). So with one seat every variant elects the IRV winner under
every tie-break mode and seed (a property test checks it, lots included).
"""

from __future__ import annotations

from counting.ballots import Profile
from counting.irv_piles import check_names
from counting.result import Result
from counting.rules import Rules, StvVariant


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` by STV under ``rules`` (``rules.seats`` seats)."""
    check_names(profile, rules)
    if rules.stv_variant is StvVariant.WIGM:
        from counting import wigm  # noqa: PLC0415 - lazy: each variant stays independent

        return wigm.count(profile, rules)
    if rules.stv_variant is StvVariant.MEEK:
        from counting import meek  # noqa: PLC0415 - lazy, as above

        return meek.count(profile, rules)
    from counting import scottish  # noqa: PLC0415 - lazy, as above

    return scottish.count(profile, rules)
