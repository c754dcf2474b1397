"""One entry point for every counting method: ``count(profile, rules) -> Result``.

Callers (the bot, the CLI, tests) should not need to know which module implements which
method; ``rules.method`` decides. Method modules are imported lazily so that each stays
independent and importing the engine stays cheap.
"""

from __future__ import annotations

from counting.ballots import Profile
from counting.result import Result
from counting.rules import Method, Rules


def count(profile: Profile, rules: Rules) -> Result:
    """Count ``profile`` under ``rules`` and return the round-by-round result."""
    if rules.method is Method.STV:
        from counting import stv  # noqa: PLC0415 - lazy: keeps methods independent

        return stv.count(profile, rules)
    if rules.method is Method.COLLEGE:
        from counting import college  # noqa: PLC0415 - lazy, as above

        return college.count(profile, rules)
    if rules.method is Method.MULTI_PASS_IRV:
        from counting import multipass  # noqa: PLC0415 - lazy, as above

        return multipass.count(profile, rules)
    if rules.method is Method.BOTTOMS_UP:
        from counting import bottoms_up  # noqa: PLC0415 - lazy, as above

        return bottoms_up.count(profile, rules)
    from counting import irv  # noqa: PLC0415 - lazy, as above

    return irv.count(profile, rules)
