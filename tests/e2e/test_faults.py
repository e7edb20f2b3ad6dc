"""Telegram misbehaves; the bot logs, retries where the Bot API's rules say so, keeps serving
the other chats and never exits. Once the fault clears, every question has one answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.compat import Fault
from tests.e2e.harness import TOKEN, Patient, Road, start_bot, wait_for

CALCIUM = ("hoeveel calcium per dag", "1000 tot 1200 mg")
SMOKING = ("mag ik roken", "roken")


@pytest.fixture
def road(live: Road) -> Iterator[Road]:
    yield live
    live.compat.clear()
    live.listener.resume()
    assert live.bot.process.poll() is None, "the bot exited"


def one_answer(patient: Patient, expected: str, timeout: float = 20) -> dict[str, object]:
    """The one reply to the one question asked, and no second one after it."""
    (reply,) = patient.wait_replies(1, timeout=timeout)
    time.sleep(0.5)
    assert patient.fetch() == [], "answered twice"
    assert expected in str(reply["text"])
    return reply


def test_server_errors_are_retried_until_they_pass(road: Road) -> None:
    fault = road.compat.fail(Fault("sendMessage", 500))
    first, second = road.patient(3001), road.patient(3002)
    first.say(CALCIUM[0])
    second.say(SMOKING[0])
    wait_for(lambda: fault.hits >= 4, 10, "the bot to try a few times")
    assert first.fetch() == [] and second.fetch() == []
    road.compat.clear()
    one_answer(first, CALCIUM[1])
    one_answer(second, SMOKING[1])
    assert "sending failed (NetworkError), trying again" in road.bot.log()


def test_one_failing_chat_does_not_hold_up_the_others(road: Road) -> None:
    stuck, other = road.patient(3011), road.patient(3012)
    road.compat.fail(Fault("sendMessage", 502, chat_id=stuck.chat_id))
    stuck.say(CALCIUM[0])
    time.sleep(0.3)
    started = time.monotonic()
    other.say(SMOKING[0])
    one_answer(other, SMOKING[1])
    assert time.monotonic() - started < 3  # answered while the first chat still fails
    assert stuck.fetch() == []
    road.compat.clear()
    one_answer(stuck, CALCIUM[1])


def test_too_many_requests_waits_retry_after(road: Road) -> None:
    patient = road.patient(3021)
    fault = road.compat.fail(
        Fault("sendMessage", 429, chat_id=patient.chat_id, times=1, retry_after=2)
    )
    started = time.monotonic()
    patient.say(CALCIUM[0])
    one_answer(patient, CALCIUM[1])
    assert time.monotonic() - started >= 2.0  # not before Telegram said it may
    assert fault.hits == 1


def test_a_blocked_bot_is_not_retried_and_others_go_on(road: Road) -> None:
    blocked, other = road.patient(3031), road.patient(3032)
    fault = road.compat.fail(Fault("sendMessage", 403, chat_id=blocked.chat_id))
    blocked.say(CALCIUM[0])
    wait_for(lambda: "blocked the bot" in road.bot.log(), 10, "the bot to log the block")
    other.say(SMOKING[0])
    one_answer(other, SMOKING[1])
    assert fault.hits == 1  # one try: no retry, no apology to a chat that blocked the bot


def test_a_refused_send_gets_an_apology(road: Road) -> None:
    patient = road.patient(3041)
    fault = road.compat.fail(Fault("sendMessage", 400, chat_id=patient.chat_id, times=1))
    patient.say(CALCIUM[0])
    one_answer(patient, "Sorry, er ging iets mis")
    assert fault.hits == 1  # a 400 is the bot's own mistake: sending it again cannot help
    assert "handling an update failed: BadRequest" in road.bot.log()


def test_a_send_that_times_out_is_tried_again(road: Road) -> None:
    patient = road.patient(3051)
    road.compat.fail(Fault("sendMessage", "hold", chat_id=patient.chat_id, times=1, hold=6))
    patient.say(CALCIUM[0])
    one_answer(patient, CALCIUM[1], timeout=20)
    assert "sending failed (TimedOut), trying again" in road.bot.log()


def test_no_connection_for_a_while(road: Road) -> None:
    road.listener.refuse()
    patients = [road.patient(3061 + n) for n in range(3)]
    for patient in patients:
        patient.say(CALCIUM[0])
    wait_for(lambda: "fetching updates failed" in road.bot.log(), 10, "the bot to notice")
    time.sleep(2)
    assert road.bot.process.poll() is None  # still running
    road.listener.resume()
    for patient in patients:
        one_answer(patient, CALCIUM[1], timeout=40)
    assert "fetching updates works again" in road.bot.log()


def test_a_rejected_token_stops_the_bot_with_a_clear_line(road: Road, tmp_path: Path) -> None:
    road.compat.fail(Fault("getMe", 401))
    other = start_bot(road.api_url, tmp_path, log_level="DEBUG")
    assert other.process.wait(timeout=30) == 1
    log = other.log()
    assert "Telegram rejected TELEGRAM_BOT_TOKEN: copy it again from BotFather" in log
    assert TOKEN not in log and TOKEN.partition(":")[2] not in log
    assert "Traceback" not in log
