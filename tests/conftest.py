"""Suite-wide test settings.

Tests write only to temp dirs: ``DATA_DIR`` defaults to the test's own temp folder (settings
read it from the environment even with ``_env_file=None``), so a test that forgets to pass
``data_dir`` cannot generate a secret or a database under the work tree's ``./data``.

Hypothesis runs derandomised under CI (``CI=true``) so a green run is reproducible and
coverage does not depend on which examples happened to be drawn; locally it explores freely.
No deadline anywhere: the machines are shared, and speed is measured by ``benchmarks/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _data_dir_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    yield
