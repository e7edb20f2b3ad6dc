"""The whole road over real HTTP: a patient, the Bot API emulator, the real bot process.

Skipped with a reason where node or the emulator is missing; under CI=true they must run.
"""

from __future__ import annotations

import re
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.compat import BadRequest, check_html, check_limits
from tests.e2e.conftest import road_or_skip
from tests.e2e.harness import TOKEN, Road, wait_for


def buttons(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def test_start_question_button(live: Road) -> None:
    patient = live.patient(101)
    welcome = patient.ask("/start")
    assert welcome["text"].startswith("Welkom!")
    assert "sec:calcium" in buttons(welcome)
    answer = patient.ask("hoevel kalk moet ik per dag?")
    assert "1000 tot 1200 mg" in answer["text"]
    assert "Bron: folder Osteopenie" in answer["text"]
    assert answer["parse_mode"] == "HTML"
    assert "faq:calcium-voeding" in buttons(answer)
    patient.press("faq:calcium-voeding")
    (followed,) = patient.wait_replies(1)
    assert followed["text"].startswith("Calcium zit vooral in zuivel")


def test_deep_link_and_commands(live: Road) -> None:
    patient = live.patient(102)
    assert patient.ask("/start vitamine-d-tablet")["text"].startswith("Bij osteopenie is")
    assert patient.ask("/privacy")["text"].startswith("Wat deze bot bewaart")
    assert "osteoporosevereniging.nl" in patient.ask("/bron")["text"]
    assert patient.ask("/onderwerpen")["text"].startswith("Kies een onderwerp")


def test_forged_button_gets_a_polite_reply(live: Road) -> None:
    patient = live.patient(103)
    patient.press("faq:../../etc/passwd")
    (reply,) = patient.wait_replies(1)
    assert reply["text"].startswith("Deze knop werkt niet meer")
    assert live.compat.methods().count("answerCallbackQuery") >= 1


def test_urgent_fallback_and_english(live: Road) -> None:
    patient = live.patient(104)
    assert patient.ask("ik ben gevallen en kan niet meer opstaan")["text"].startswith(
        "Dit klinkt dringend"
    )
    assert "niet in de folder" in patient.ask("wat kost een dexa scan?")["text"]
    english = live.patient(105, lang="en")
    assert english.ask("/start")["text"].startswith("Welcome!")
    assert "1000 to 1200 mg" in english.ask("how much calcium do I need?")["text"]


def test_hostile_text_is_escaped_and_accepted(live: Road) -> None:
    patient = live.patient(106)
    reply = patient.ask("<b>calcium</b> & <script>alert(1)</script>")
    assert "<script>" not in reply["text"]
    assert live.compat.rejected == []


def test_burst_of_500_from_50_chats(live: Road) -> None:
    """Nothing lost, every reply in the right chat."""
    questions = {
        "hoeveel calcium per dag": "1000 tot 1200 mg",
        "mag ik roken": "Door roken",
        "hoeveel vitamine d": "800",
    }
    patients = [live.patient(2000 + n) for n in range(50)]
    asked = list(questions)

    def send_all(patient_index: int) -> None:
        patient = patients[patient_index]
        for k in range(10):
            patient.say(asked[(patient_index + k) % 3])

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(send_all, range(50)))
    for n, patient in enumerate(patients):
        replies = patient.wait_replies(10, timeout=60)
        assert len(replies) == 10, n
        assert all(r["chat_id"] == patient.chat_id for r in replies)
        expected = sorted(questions[asked[(n + k) % 3]] for k in range(10))
        got = sorted(
            next((v for v in questions.values() if v in r["text"]), r["text"]) for r in replies
        )
        assert got == expected
    assert live.compat.rejected == []


def test_token_stays_out_of_the_debug_log(live: Road) -> None:
    live.patient(107).ask("calcium")
    log = live.bot.log()
    assert "DEBUG" in log and "getUpdates" in log  # the bot really logged at DEBUG
    assert TOKEN not in log and TOKEN.partition(":")[2] not in log
    assert "[token]" in log


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_clean_shutdown(tmp_path: Path, sig: signal.Signals) -> None:
    with road_or_skip(tmp_path, log_level="INFO") as fresh:
        fresh.patient(108).ask("calcium")
        fresh.bot.process.send_signal(sig)
        assert fresh.bot.process.wait(timeout=15) == 0
        assert re.search(r"INFO bot\.telegram\.run: stopped", fresh.bot.log())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("<div>x</div>", "unsupported start tag", id="tag-outside-set"),
        pytest.param("<b>x</i>", "unmatched end tag", id="unbalanced"),
        pytest.param("<b>x", "unclosed tag", id="unclosed"),
        pytest.param("1 < 2", "unexpected '<'", id="bare-lt"),
        pytest.param("A & B", "unescaped '&'", id="bare-amp"),
    ],
)
def test_compat_rejects_invalid_html(text: str, problem: str) -> None:
    with pytest.raises(BadRequest, match=problem):
        check_html(text)


def test_compat_accepts_telegram_html() -> None:
    text = '<b>a</b> <i>b</i> <a href="https://x.nl">c</a> &lt;&amp;&gt; &#39;'
    assert check_html(text) == "a b c <&> '"


def test_compat_enforces_length_and_callback_data() -> None:
    with pytest.raises(BadRequest, match="too long"):
        check_limits({"text": "x" * 4097})
    check_limits({"text": "<b>" + "x" * 4096 + "</b>", "parse_mode": "HTML"})
    markup = {"inline_keyboard": [[{"text": "t", "callback_data": "x" * 65}]]}
    with pytest.raises(BadRequest, match="BUTTON_DATA_INVALID"):
        check_limits({"text": "ok", "reply_markup": markup})


def keyboard_labels(markup: object) -> list[list[str]]:
    assert isinstance(markup, dict)
    return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]


def test_the_conversation_follows_the_patients_language(live: Road) -> None:
    english_phone = live.patient(110, lang="en")
    answer = english_phone.ask("hoeveel calcium heb ik per dag nodig?")
    assert "1000 tot 1200 mg" in answer["text"]
    assert keyboard_labels(answer["reply_markup"])[-1] == ["Onderwerpen"]
    english_phone.press("faq:calcium-voeding")
    (followed,) = english_phone.wait_replies(1)
    assert followed["text"].startswith("Calcium zit vooral in zuivel")
    dutch_phone = live.patient(111)
    assert dutch_phone.ask("how much vitamin d do I need?")["text"].startswith("With osteopenia")
    assert dutch_phone.ask("/help")["text"].startswith("Type your question")


def test_a_vote_shows_on_its_answer_and_down_offers_a_way_on(live: Road) -> None:
    patient = live.patient(112)
    answer = patient.ask("mag ik roken?")
    assert len(answer["reply_markup"]["inline_keyboard"]) <= 3
    assert "Bron: folder Osteopenie" in answer["text"]
    patient.press("v:+:nl:roken", message_id=answer["message_id"])
    wait_for(lambda: live.compat.params_of("editMessageReplyMarkup"), 10, "the vote to show")
    edit = live.compat.params_of("editMessageReplyMarkup")[-1]
    assert str(edit["message_id"]) == str(answer["message_id"])
    assert keyboard_labels(edit["reply_markup"])[0] == ["✅ 👍 Nuttig", "👎 Niet nuttig"]
    patient.press("v:-:nl:roken", message_id=answer["message_id"])
    (offer,) = patient.wait_replies(1)
    assert offer["text"].startswith("Jammer dat dit u niet hielp")
    assert buttons(offer) == ["other", "menu"]
    edit = live.compat.params_of("editMessageReplyMarkup")[-1]
    assert keyboard_labels(edit["reply_markup"])[0] == ["👍 Nuttig", "✅ 👎 Niet nuttig"]


def test_topics_in_two_columns_and_forged_votes_refused(live: Road) -> None:
    patient = live.patient(113)
    menu = patient.ask("/onderwerpen")
    assert {len(row) for row in menu["reply_markup"]["inline_keyboard"]} == {2}
    patient.press("v:+-:nl:roken")
    (reply,) = patient.wait_replies(1)
    assert reply["text"].startswith("Deze knop werkt niet meer")
    assert live.compat.rejected == []
