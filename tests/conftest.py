"""Suite-wide test settings.

Hypothesis runs derandomised under CI (``CI=true``) so a green run is reproducible and
coverage does not depend on which examples happened to be drawn; locally it explores freely.
No deadline anywhere: the machines are shared, and speed is measured by ``benchmarks/``.

Tests write only to temp dirs. Each test's own settings name its ``tmp_path``; as a net under
that, ``DATA_DIR`` (where the voter-key secret and the default database go) points at a
session temp dir for every test and every subprocess a test starts, so a test that forgets
cannot write ``data/secret.key`` into the work tree. ``.ci/run`` checks the tree afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ("tests.stores",)

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True, scope="session")
def _data_dir_outside_the_work_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``DATA_DIR`` in a temp dir for the whole session (restored afterwards)."""
    folder = tmp_path_factory.mktemp("data_dir")
    before = os.environ.get("DATA_DIR")
    os.environ["DATA_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("DATA_DIR", None)
        else:
            os.environ["DATA_DIR"] = before
