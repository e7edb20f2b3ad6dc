from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import Decision, Engine
from bot.faq import Faq
from bot.policy import Option
from bot.replies import Replies
from bot.reply import render_plain
from bot.telegram.render import render_html


def test_answer_names_its_source_and_links(engine: Engine, replies: Replies) -> None:
    reply = replies.for_decision(engine.ask("hoeveel calcium per dag"))
    text = render_plain(reply)
    assert "1000 tot 1200 mg" in text
    assert "Bron: folder Osteopenie – Voldoende calcium" in text
    assert "https://www.voedingscentrum.nl" in text
    assert reply.options[-1].data == "menu"
    assert any(b.data == "faq:calcium-voeding" for b in reply.options)


def test_english_answer_is_english(engine: Engine, replies: Replies) -> None:
    text = render_plain(replies.for_decision(engine.ask("how much calcium per day")))
    assert "1000 to 1200 mg" in text
    assert text.count("Source: leaflet Osteopenie") == 1


def test_urgent_is_safety_advice_alone(engine: Engine, replies: Replies) -> None:
    reply = replies.for_decision(engine.ask("ik ben gevallen en heb heel veel pijn"))
    text = render_plain(reply)
    assert text.startswith("Dit klinkt dringend.")
    assert "112" in text and "huisarts" in text and "huisartsenpost" in text
    assert reply.links == () and reply.buttons == () and reply.source is None


def test_fallback_is_honest_and_points_on(engine: Engine, replies: Replies) -> None:
    reply = replies.for_decision(engine.ask("hoeveel calcium zit er in spinazie"))
    text = render_plain(reply)
    assert "geen duidelijk antwoord" in text and "huisarts" in text
    assert text.index("Misschien bedoelt u") < text.index("Staat uw vraag er niet bij")
    assert "https://www.voedingscentrum.nl" in text  # the nearest topic's link
    assert reply.options[0].data.startswith("faq:")


@pytest.mark.parametrize(
    ("referral", "lang", "place"),
    [
        pytest.param("costs", "nl", "zorgverzekeraar", id="costs-nl"),
        pytest.param("medicine", "nl", "apotheek", id="medicine-nl"),
        pytest.param(None, "nl", "huisarts", id="huisarts-nl"),
        pytest.param("costs", "en", "health insurer", id="costs-en"),
        pytest.param("medicine", "en", "pharmacy", id="medicine-en"),
    ],
)
def test_a_fallback_names_the_right_place(
    replies: Replies, referral: str | None, lang: str, place: str
) -> None:
    decision = Decision("fallback", lang, reason="unknown", referral=referral)
    assert place in render_plain(replies.for_decision(decision))


@pytest.mark.parametrize(
    ("lang", "nothing_near", "unsure"),
    [
        pytest.param("nl", "staat niet in de folder", "geen duidelijk antwoord", id="nl"),
        pytest.param("en", "not in the leaflet", "cannot find a clear answer", id="en"),
    ],
)
def test_a_fallback_with_topics_near_is_unsure_rather_than_sure_it_is_not_there(
    engine: Engine, replies: Replies, lang: str, nothing_near: str, unsure: str
) -> None:
    near = engine.ask("hoeveel calcium zit er in spinazie")
    assert near.options
    with_topics = render_plain(replies.for_decision(replace(near, lang=lang)))
    without = render_plain(replies.for_decision(replace(near, lang=lang, options=())))
    assert unsure in with_topics and nothing_near not in with_topics
    assert nothing_near in without and unsure not in without


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_urgent_reply_says_what_to_do_now_and_nothing_else(
    replies: Replies, lang: str
) -> None:
    reply = replies.for_decision(Decision("urgent", lang, reason="chest-pain"))
    text = render_plain(reply)
    assert "112" in text and "huisarts" in text and "huisartsenpost" in text
    assert reply.buttons == () and reply.source is None and reply.links == ()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_crisis_reply_names_113_and_112(replies: Replies, lang: str) -> None:
    reply = replies.for_decision(Decision("urgent", lang, reason="crisis"))
    text = render_plain(reply)
    assert "113" in text and "0800-0113" in text and "112" in text
    assert reply.buttons == ()


def test_clarify_offers_options_and_something_else(faq: Faq, replies: Replies) -> None:
    options = tuple(Option(e, 50.0) for e in faq.entries[:2])
    reply = replies.for_decision(Decision("clarify", "nl", options=options))
    assert render_plain(reply).startswith("Ik weet niet zeker wat u bedoelt.")
    assert reply.options[-1].data == "other"
    assert all(b.data.startswith("faq:") for b in reply.options[:-1])


def test_html_escapes_every_text(faq: Faq, replies: Replies) -> None:
    reply = replies.for_decision(Decision("fallback", "nl", reason="vague"))
    reply = type(reply)(reply.kind, "nl", ("<b>1 & 2</b>",), source="a<b")
    html = render_html(reply)
    assert "&lt;b&gt;1 &amp; 2&lt;/b&gt;" in html
    assert "<i>a&lt;b</i>" in html


@pytest.mark.parametrize(
    ("data", "kind", "first_words"),
    [
        pytest.param("menu", "smalltalk", "Kies een onderwerp", id="menu"),
        pytest.param("other", "smalltalk", "Typ uw vraag", id="other"),
        pytest.param("sec:" + "calcium", "smalltalk", "Voldoende calcium", id="section"),
        pytest.param("sec:" + "controle", "answer", "U hoeft niet", id="one-entry"),
        pytest.param("faq:" + "roken", "answer", "Door roken", id="entry"),
        pytest.param("faq:" + "nope", "fallback", "Deze knop", id="unknown-entry"),
        pytest.param("sec:" + "nope", "fallback", "Deze knop", id="unknown-section"),
        pytest.param("x" * 500, "fallback", "Deze knop", id="forged"),
        pytest.param("", "fallback", "Deze knop", id="empty"),
    ],
)
def test_callbacks(replies: Replies, data: str, kind: str, first_words: str) -> None:
    reply = replies.for_callback(data, "nl")
    assert reply.kind == kind
    assert render_plain(reply).startswith(first_words)


def test_topic_menu_has_a_button_per_section(faq: Faq, replies: Replies) -> None:
    reply = replies.topics("nl")
    assert [b.data for b in reply.options] == ["sec:" + s for s in faq.sections]


def test_every_button_fits_telegram(faq: Faq, replies: Replies) -> None:
    for entry in faq.entries:
        for lang in ("nl", "en"):
            for button in replies.answer(entry, lang).options:
                assert len(button.data.encode()) <= 64
                assert button.label


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_source_line_is_short_and_clean(replies: Replies, faq: Faq, lang: str) -> None:
    for entry in faq.entries:
        line = replies.answer(entry, lang).source or ""
        assert line.startswith(("Bron: folder Osteopenie", "Source: leaflet Osteopenie"))
        assert len(line) <= 60 and "?." not in line, line


def test_a_long_part_is_cut_at_a_word(replies: Replies, faq: Faq) -> None:
    (entry,) = [e for e in faq.entries if e.id == "roken"]
    line = replies.source(entry, "en")
    assert line == "Source: leaflet Osteopenie – Alcohol, coffee, cola, salt…"


def test_an_answer_has_votes_one_related_question_and_the_menu(replies: Replies, faq: Faq) -> None:
    (entry,) = [e for e in faq.entries if e.id == "calcium-per-dag"]
    reply = replies.with_votes(replies.answer(entry, "nl"), chosen=False)
    assert [[b.label for b in row] for row in reply.buttons] == [
        ["👍 Nuttig", "✅ 👎 Niet nuttig"],
        ["Waar zit calcium in?"],
        ["Onderwerpen"],
    ]
