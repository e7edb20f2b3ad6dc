"""The end-to-end road for each test module, or a skip with the reason (a failure in CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import Road, Unavailable, road


@contextmanager
def road_or_skip(workdir: Path, **kwargs: Any) -> Iterator[Road]:
    """The road; where node or the emulator is missing, a skip (under CI=true, a failure)."""
    try:
        with road(workdir, **kwargs) as the_road:
            yield the_road
    except Unavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"end-to-end tests must run in CI: {exc}")
        pytest.skip(f"end-to-end tests need node and the emulator: {exc}")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Road]:
    with road_or_skip(tmp_path_factory.mktemp("bot")) as the_road:
        yield the_road
