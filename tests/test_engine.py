from __future__ import annotations

import pytest

from bot.engine import KINDS, Engine
from bot.tuning import Tuning


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        pytest.param("calcium", "calcium-per-dag", id="one-word-calcium"),
        pytest.param("dexa", "dexa-scan", id="one-word-dexa"),
        pytest.param("zuivel", "calcium-voeding", id="one-word-zuivel"),
        pytest.param("hoevel kalcium per dag", "calcium-per-dag", id="typos-calcium"),
        pytest.param("wat is osteopinie", "wat-is-osteopenie", id="typo-osteopenie"),
        pytest.param("hoeveel kalk heb ik nodig", "calcium-per-dag", id="synonym-kalk"),
        pytest.param("wanneer neem ik mijn kalktabletten", "supplementen", id="compound-kalk"),
        pytest.param("wat meet een botscan", "dexa-scan", id="synonym-botscan"),
        pytest.param("mag ik nog een wijntje", "alcohol-koffie-zout", id="diminutive-wine"),
        pytest.param("moet ik echt stoppen met sigaretten", "roken", id="smoking"),
        pytest.param("moet ik terug voor controle", "controle", id="check-up"),
        pytest.param("what is osteopenia", "wat-is-osteopenie", id="english-what"),
        pytest.param("how much vitamin d a day", "vitamine-d-tablet", id="english-dose"),
        pytest.param(
            "Goedemiddag. Mijn vader van 81 heeft osteopenie, zei de internist. "
            "Hij lust geen melk. Wat kan hij dan nemen voor zijn calcium?",
            "geen-melk",
            id="rambling-relative",
        ),
    ],
)
def test_answers(engine: Engine, question: str, entry: str) -> None:
    decision = engine.decide(question)
    assert decision.kind == "answer", decision
    assert decision.entry is not None and decision.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("hoeveel calcium zit er in spinazie?", id="near-miss-food"),
        pytest.param("mag ik alendronaat met melk innemen?", id="near-miss-medicine"),
        pytest.param("wat kost een dexa scan?", id="near-miss-cost"),
        pytest.param("waar kan ik parkeren", id="off-topic"),
        pytest.param("wat is de hoofdstad van peru", id="off-topic-geography"),
    ],
)
def test_near_misses_fall_back(engine: Engine, question: str) -> None:
    decision = engine.decide(question)
    assert decision.kind == "fallback", decision
    assert decision.reason == "unknown"


def test_near_miss_offers_the_nearest_topic(engine: Engine) -> None:
    decision = engine.decide("hoeveel calcium zit er in spinazie?")
    assert decision.nearest is not None
    assert decision.nearest.section == "calcium"


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("ik ben gevallen en heb heel veel pijn", id="fall-pain"),
        pytest.param("mijn moeder kan niet meer opstaan", id="cannot-stand"),
        pytest.param("zijn been staat scheef", id="limb-out-of-shape"),
        pytest.param("opeens hevige rugpijn", id="sudden-back-pain"),
        pytest.param("ik heb pijn op de borst", id="chest-pain"),
        pytest.param("I fell and I can't walk", id="english-fall"),
    ],
)
def test_urgent_comes_before_matching(engine: Engine, question: str) -> None:
    assert engine.decide(question).kind == "urgent"


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("hoe voorkom ik dat ik val", id="about-falls"),
        pytest.param("krijg ik medicijnen bij een gebroken heup", id="about-fractures"),
        pytest.param("doet osteopenie pijn", id="about-pain"),
    ],
)
def test_questions_about_falls_are_not_urgent(engine: Engine, question: str) -> None:
    assert engine.decide(question).kind == "answer"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        pytest.param("hallo", "greeting", id="hello"),
        pytest.param("dank je wel!", "thanks", id="thanks"),
        pytest.param("bedankt voor de uitleg over calcium", "thanks", id="thanks-naming-topic"),
        pytest.param("tot ziens", "bye", id="bye"),
        pytest.param("wie ben jij?", "who", id="who"),
        pytest.param("help", "help", id="help"),
        pytest.param("hello there", "greeting", id="english-hello"),
    ],
)
def test_smalltalk(engine: Engine, question: str, intent: str) -> None:
    decision = engine.decide(question)
    assert (decision.kind, decision.reason) == ("smalltalk", intent)


def test_greeting_with_a_question_answers_the_question(engine: Engine) -> None:
    decision = engine.decide("hallo, hoeveel calcium heb ik per dag nodig?")
    assert decision.kind == "answer"
    assert decision.entry is not None and decision.entry.id == "calcium-per-dag"


def test_close_entries_of_two_sections_clarify(engine: Engine) -> None:
    decision = engine.decide("tabletten")
    assert decision.kind == "clarify"
    assert 2 <= len(decision.options) <= 3
    assert len({c.entry.section for c in decision.options}) >= 2
    scores = [c.score for c in decision.options]
    assert scores == sorted(scores, reverse=True)


def test_thresholds_decide_between_answer_and_clarify(engine: Engine) -> None:
    strict = Engine.build(engine.faq, Tuning(answer_min=99.0, clarify_min=1.0))
    assert strict.decide("hoeveel mg calcium per dag").kind == "clarify"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   \n\t ", "empty", id="blank"),
        pytest.param("🙂🙂🦴", "empty", id="emoji-only"),
        pytest.param("\x00\x07\x1b", "empty", id="control-characters"),
        pytest.param("Сколько кальция нужно?", "alphabet", id="cyrillic"),
        pytest.param("骨质疏松症", "alphabet", id="chinese"),
        pytest.param("wat is dat?", "vague", id="only-stopwords"),
    ],
)
def test_bad_input_gets_a_gentle_fallback(engine: Engine, question: str, reason: str) -> None:
    decision = engine.decide(question)
    assert (decision.kind, decision.reason) == ("fallback", reason)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("calcium " * 2000, id="ten-thousand-characters"),
        pytest.param("<script>alert(1)</script> calcium", id="html"),
        pytest.param("**hoeveel** _calcium_ [link](http://x)", id="markdown"),
    ],
)
def test_odd_input_still_decides(engine: Engine, question: str) -> None:
    assert engine.decide(question).kind in KINDS


def test_english_question_gets_english(engine: Engine) -> None:
    assert engine.decide("how much calcium do I need?").lang == "en"
    assert engine.decide("hoeveel calcium heb ik nodig?").lang == "nl"
    assert engine.decide("calcium", lang="en").lang == "en"
