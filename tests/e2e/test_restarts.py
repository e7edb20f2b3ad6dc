"""The bot stops, gently (SIGTERM) or hard (SIGKILL), while questions wait; started again,
it answers every question exactly once."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.compat import Fault
from tests.e2e.conftest import road_or_skip
from tests.e2e.harness import Patient, Road, wait_for

QUESTIONS = {
    "hoeveel calcium per dag": "1000 tot 1200 mg",
    "mag ik roken": "roken",
    "hoeveel vitamine d": "800",
}


@pytest.fixture
def road(tmp_path: Path) -> Iterator[Road]:
    with road_or_skip(tmp_path, log_level="INFO") as the_road:
        yield the_road


def ask_all(patients: list[Patient]) -> None:
    for patient in patients:
        for question in QUESTIONS:
            patient.say(question)


def answered_once_each(patients: list[Patient]) -> None:
    """Three questions a patient, three answers, each to a different question."""
    for patient in patients:
        replies = patient.wait_replies(len(QUESTIONS), timeout=30)
        time.sleep(0.5)
        replies += patient.fetch()
        assert len(replies) == len(QUESTIONS), f"chat {patient.chat_id}: {len(replies)} replies"
        for expected in QUESTIONS.values():
            assert sum(expected in str(r["text"]) for r in replies) == 1, expected


def test_already_answered_questions_are_not_answered_again(road: Road) -> None:
    early = road.patient(4001)
    ask_all([early])
    answered_once_each([early])
    road.bot.stop()
    road.start()
    later = road.patient(4002)
    ask_all([later])
    answered_once_each([later])
    assert early.fetch() == []


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_questions_waiting_at_a_stop_are_answered_once_after_it(road: Road, how: str) -> None:
    # Telegram refuses every send, so the questions wait in the bot (being retried)...
    fault = road.compat.fail(Fault("sendMessage", 500))
    waiting = [road.patient(4100 + n) for n in range(4)]
    ask_all(waiting)
    wait_for(lambda: fault.hits >= 12, 10, "every question to be tried once")
    # ... when the bot stops.
    if how == "sigterm":
        road.bot.process.send_signal(signal.SIGTERM)
        assert road.bot.process.wait(timeout=20) == 0
        assert "left for the next start" in road.bot.log()
    else:
        assert road.kill() == -signal.SIGKILL
    # More questions come in while it is down; then Telegram is well again and the bot starts.
    while_down = [road.patient(4200 + n) for n in range(2)]
    ask_all(while_down)
    road.compat.clear()
    road.start()
    answered_once_each(waiting + while_down)


def confirmed_offset(workdir: Path) -> int:
    with sqlite3.connect(workdir / "data" / "leafletbot.sqlite3") as db:
        return int(db.execute("SELECT next_update FROM confirmed").fetchone()[0])


def test_a_bot_api_server_that_numbers_from_1_again_loses_no_question(tmp_path: Path) -> None:
    """One store, two runs against two Bot API servers whose update ids both start low:
    every question of the second run is answered (issue 11: no silent drop)."""
    with road_or_skip(tmp_path, log_level="INFO") as first:
        patients = [first.patient(4300 + n) for n in range(2)]
        ask_all(patients)
        answered_once_each(patients)
        assert first.bot.stop() == 0
    after_first = confirmed_offset(tmp_path)
    with road_or_skip(tmp_path, log_level="INFO") as second:
        # One patient, half the first run's questions: the first run's confirmed offset
        # comes out 7 or 8 with timing, so the second run's must stay clearly below it.
        patients = [second.patient(4400)]
        ask_all(patients)
        answered_once_each(patients)
        assert second.bot.stop() == 0
        assert "answered before a restart" not in second.bot.log()
    # The second server's numbering did start again: its ids overlap the first run's.
    assert confirmed_offset(tmp_path) < after_first
