"""A shortened `make stress`: many chats at once, and a soak, through the emulator.

Figures (latency, CPU time) are for `make stress`, never asserted here; what must hold on any
machine is asserted: every reply correct, in the right chat, none lost or doubled, and memory
at the end of the soak within 10 % of memory after its warm-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.stress import STRESS_ENV, Question, ask, questions, soak
from tests.e2e.conftest import road_or_skip
from tests.e2e.harness import Road


@pytest.fixture(scope="module")
def pool() -> list[Question]:
    return questions()


@pytest.fixture
def fast(tmp_path: Path) -> Iterator[Road]:
    with road_or_skip(tmp_path, log_level="WARNING", env=STRESS_ENV) as the_road:
        the_road.patient(1).ask("hallo")
        yield the_road


def test_many_chats_at_once(fast: Road, pool: list[Question]) -> None:
    outcome = ask(fast, pool, range(20_000, 20_200), per_chat=5, rate=200)
    assert outcome.asked == 1000 and len(outcome.latencies_ms) == 1000
    assert (outcome.lost, outcome.extra, outcome.wrong, outcome.rejected) == (0, 0, 0, 0)


def test_soak_memory_stays_flat(fast: Road, pool: list[Question]) -> None:
    run = soak(fast, pool, messages=3000, chats=300, rate=250)
    assert run.warm.ok and run.rest.ok
    assert run.growth < 0.10, f"{run.rss_after_warm_up} -> {run.rss_at_end} bytes"
