"""One conversation in the patient's language, votes that show, phone-sized replies (in
process: real python-telegram-bot objects and a recording request)."""

from __future__ import annotations

import pytest

from bot.telegram.context import bot_data
from tests.helpers import ask, buttons, keyboard, press


async def test_an_english_phone_writing_dutch_gets_dutch_everywhere(app, request_log) -> None:
    (answer,) = await ask(app, request_log, text="hoeveel calcium per dag", lang="en")
    assert "1000 tot 1200 mg" in answer
    assert keyboard(request_log)[0] == ["👍 Nuttig", "👎 Niet nuttig"]
    assert keyboard(request_log)[-1] == ["Onderwerpen"]
    (followed,) = await press(app, request_log, "faq:calcium-voeding", lang="en")
    assert followed.startswith("Calcium zit vooral in zuivel")
    (menu,) = await ask(app, request_log, text="/onderwerpen", lang="en")
    assert menu.startswith("Kies een onderwerp")


async def test_a_dutch_phone_writing_english_gets_english_everywhere(app, request_log) -> None:
    (answer,) = await ask(app, request_log, text="how much calcium do I need a day?")
    assert "1000 to 1200 mg" in answer
    assert keyboard(request_log)[0] == ["👍 Useful", "👎 Not useful"]
    (followed,) = await press(app, request_log, "faq:calcium-voeding")
    assert followed.startswith("Calcium is mainly in dairy")
    (text,) = await ask(app, request_log, text="/help")
    assert text.startswith("Type your question")
    (text,) = await ask(app, request_log, text="/privacy")
    assert text.startswith("What this bot keeps")


async def test_before_the_patient_writes_the_phone_decides(app, request_log) -> None:
    (text,) = await ask(app, request_log, text="/start", lang="en-GB", chat_id=301)
    assert text.startswith("Welcome!")
    (text,) = await ask(app, request_log, text="/start", lang="", chat_id=302)
    assert text.startswith("Welkom!")  # unknown: Dutch


async def test_a_switch_of_language_is_followed_from_that_message_on(app, request_log) -> None:
    (first,) = await ask(app, request_log, text="how much vitamin d do I need?")
    assert "800 units" in first
    (second,) = await ask(app, request_log, text="mag ik roken?")
    assert second.startswith("Door roken")
    # A button from the old English message: answered, in the language of now.
    (old,) = await press(app, request_log, "faq:calcium-voeding")
    assert old.startswith("Calcium zit vooral in zuivel")


async def test_the_language_is_kept_per_chat_in_memory_and_forgotten(app, request_log) -> None:
    await ask(app, request_log, text="how much calcium do I need?", chat_id=303)
    (other,) = await ask(app, request_log, text="/help", chat_id=304)
    assert other.startswith("Typ uw vraag")  # another chat keeps its own language
    assert app.chat_data[303].lang == "en"
    await ask(app, request_log, text="/vergeet", chat_id=303)
    assert 303 not in app.chat_data
    assert app.persistence is None  # memory only: nothing is ever written


async def test_a_vote_shows_on_the_buttons_and_can_be_changed(app, request_log) -> None:
    await press(app, request_log, "v:+:nl:calcium-per-dag", message_id=7000)
    edit = [c for c in request_log.calls if c.method == "editMessageReplyMarkup"][-1]
    assert edit.params["message_id"] == 7000
    assert keyboard(request_log, "editMessageReplyMarkup")[0] == ["✅ 👍 Nuttig", "👎 Niet nuttig"]
    texts = await press(app, request_log, "v:-:nl:calcium-per-dag", message_id=7000)
    assert keyboard(request_log, "editMessageReplyMarkup")[0] == ["👍 Nuttig", "✅ 👎 Niet nuttig"]
    assert bot_data(app).service.store.query("SELECT vote FROM votes") == [(-1,)]
    # After 👎: a short offer to ask again or open the topics.
    assert texts == [
        "Jammer dat dit u niet hielp. Stel uw vraag op een andere manier, of kies een onderwerp."
    ]
    assert buttons(request_log) == ["other", "menu"]


async def test_a_vote_keeps_the_language_of_its_answer(app, request_log) -> None:
    await press(app, request_log, "v:+:en:calcium-per-dag", message_id=7001)
    assert keyboard(request_log, "editMessageReplyMarkup")[0] == ["✅ 👍 Useful", "👎 Not useful"]


async def test_a_vote_on_a_message_that_is_gone_gets_a_polite_reply(app, request_log) -> None:
    (text,) = await press(app, request_log, "v:+:nl:calcium-per-dag", gone=True)
    assert text.startswith("Deze knop werkt niet meer")
    assert "editMessageReplyMarkup" not in [c.method for c in request_log.calls]


async def test_a_vote_whose_message_cannot_be_edited_is_still_thanked(app, request_log) -> None:
    request_log.fail["editMessageReplyMarkup"] = [400]  # deleted, or already showing it
    assert await press(app, request_log, "v:+:nl:roken", message_id=7002) == []
    acks = [c for c in request_log.calls if c.method == "answerCallbackQuery"]
    assert acks[-1].params.get("text") == "Dank u voor uw reactie."


async def test_an_answer_has_at_most_three_rows_of_buttons(app, request_log, faq) -> None:
    for entry in faq.entries:
        await press(app, request_log, f"faq:{entry.id}")
        assert len(keyboard(request_log)) <= 3, entry.id


@pytest.mark.parametrize("command", ["/start", "/onderwerpen"])
async def test_topics_come_in_two_columns(app, request_log, faq, command: str) -> None:
    await ask(app, request_log, text=command)
    rows = keyboard(request_log)
    assert [len(row) for row in rows] == [2] * (len(faq.sections) // 2)
