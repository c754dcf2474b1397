"""Suite-wide test settings.

Hypothesis runs derandomised under CI (``CI=true``) so a green run is reproducible and
coverage does not depend on which examples happened to be drawn; locally it explores freely.
No deadline anywhere: the machines are shared, and speed is measured by ``benchmarks/``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
