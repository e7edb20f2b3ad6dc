from __future__ import annotations

import pytest

from bot.cleaning import MAX_QUESTION_CHARS, clean, question_parts, spoken_punctuation
from bot.engine import Engine


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        pytest.param("Hoevéél KALK?", " hoeveel kalk ", id="case-accents-punctuation"),
        pytest.param("coördinatie", " coordinatie ", id="diaeresis"),
        pytest.param("calcium 🙂👍", " calcium ", id="emoji"),
        pytest.param("<b>melk</b> & *kaas*", " b melk b kaas ", id="markup"),
        pytest.param("a\x00b\x1bc", " a b c ", id="control-characters"),
        pytest.param("", " ", id="empty"),
    ],
)
def test_clean(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    ("dictated", "written"),
    [
        pytest.param(
            "hallo komma hoe werkt dit vraagteken", "hallo, hoe werkt dit?", id="comma-question"
        ),
        pytest.param("is that bad question mark", "is that bad?", id="english"),
        pytest.param("au uitroepteken", "au!", id="exclamation"),
        pytest.param("T-score min 2 komma 4", "T-score min 2 komma 4", id="decimal-comma-stays"),
        pytest.param("vraagtekens bij de uitslag", "vraagtekens bij de uitslag", id="whole-words"),
    ],
)
def test_dictated_punctuation_becomes_the_mark(dictated: str, written: str) -> None:
    assert spoken_punctuation(dictated) == written


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        pytest.param("hoevel kalcium per dag?", "hoeveel calcium per dag?", id="typos-mended"),
        pytest.param("Wat is osteopinie?", "Wat is osteopenie?", id="case-and-marks-kept"),
        pytest.param("is spinazie goed?", "is spinazie goed?", id="real-words-left-alone"),
        pytest.param("kalk per dag", "kalk per dag", id="synonyms-left-as-typed"),
        pytest.param("wat is dat eigelijk", "wat is dat eigenlijk", id="slip-in-a-stop-word"),
    ],
)
def test_the_sentence_model_reads_misspellings_mended(
    engine: Engine, typed: str, read: str
) -> None:
    assert engine.normaliser.respell(typed) == read


def test_the_road_embeds_the_mended_message_and_keeps_what_was_typed(engine: Engine) -> None:
    query = engine.query("hoevel kalcium per dag vraagteken")
    assert query.text == "hoevel kalcium per dag?"
    assert query.cleaned == " hoevel kalcium per dag "
    (mended,) = engine.embedder.embed(["hoeveel calcium per dag?"])
    (typed,) = engine.embedder.embed(["hoevel kalcium per dag?"])
    assert float(query.vectors[0] @ mended) > 0.999
    assert float(query.vectors[0] @ typed) < 0.99


def test_respelling_reads_no_more_than_clean_does(engine: Engine) -> None:
    text = "kalcium " * 1000
    mended = engine.normaliser.respell(text)
    assert mended[:MAX_QUESTION_CHARS].count("calcium") > 100
    assert mended[MAX_QUESTION_CHARS + 8 :] == text[MAX_QUESTION_CHARS + 8 :]


def test_clean_cuts_very_long_text() -> None:
    assert len(clean("a " * 10_000)) <= MAX_QUESTION_CHARS + 2


@pytest.mark.parametrize(
    ("question", "words"),
    [
        pytest.param("osteopinie", ["osteopenie"], id="typo-osteopenie"),
        pytest.param("kalcium", ["calcium"], id="typo-calcium"),
        pytest.param("kalk", ["calcium"], id="synonym-kalk"),
        pytest.param("botontkalking", ["osteoporose"], id="synonym-botontkalking"),
        pytest.param("pillen", ["tablet"], id="synonym-pillen"),
        pytest.param("calciumtabletten", ["calcium", "tabletten"], id="compound-calcium"),
        pytest.param("zuivelproducten", ["zuivel"], id="synonym-zuivelproducten"),
        pytest.param("botdichtheidsmeting", ["dexa", "scan"], id="synonym-botmeting"),
        pytest.param("osteo peni", ["osteopenie"], id="split-word-joined"),
        pytest.param("hvl", ["hoeveel"], id="abbreviation"),
        pytest.param("savonds", ["avonds"], id="s-avonds-typed-as-one-word"),
        pytest.param("mijn moeder van 78", [], id="context-and-numbers-dropped"),
        pytest.param("vitamin d", ["vitamine"], id="english-to-dutch"),
        pytest.param("clacium", ["calcium"], id="swapped-letters"),
        pytest.param("per dya", ["day"], id="swapped-letters-short-word"),
        pytest.param("waarmo", ["waarom"], id="swapped-letters-question-word"),
        pytest.param("osteopenie eigelijk", ["osteopenie"], id="slip-in-a-stop-word-no-topic"),
    ],
)
def test_words_resolve(engine: Engine, question: str, words: list[str]) -> None:
    terms = engine.normaliser.terms(clean(question))
    assert [t.word for t in terms] == words
    assert all(t.known for t in terms)


def test_the_topic_model_reads_the_words_and_each_two_that_follow(engine: Engine) -> None:
    words = engine.normaliser.topic_words(clean("Hoeveel kalk zit er in spinazie?"))
    assert words == {
        *("hoeveel", "calcium", "zit", "spinazie"),
        *("hoeveel calcium", "calcium zit", "zit spinazie"),
    }


@pytest.mark.parametrize("word", ["spinazie", "alendronaat", "parkeren"])
def test_real_words_outside_the_faq_stay_unknown(engine: Engine, word: str) -> None:
    (term,) = engine.normaliser.terms(clean(word))
    assert term.word == word
    assert not term.known


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        pytest.param("how much calcium do I need", "en", id="english"),
        pytest.param("hoeveel calcium heb ik nodig", "nl", id="dutch"),
        pytest.param("calcium", "nl", id="undecided-defaults-to-dutch"),
    ],
)
def test_language(engine: Engine, question: str, lang: str) -> None:
    assert engine.normaliser.language(clean(question)) == lang


def test_question_parts_prefer_sentences_that_ask() -> None:
    text = "Mijn moeder is 78. Ze drinkt geen melk. Wat moet ze eten?"
    assert question_parts(text) == ["Wat moet ze eten?", "Ze drinkt geen melk. Wat moet ze eten?"]
    assert question_parts("een. twee") == ["een.", "twee", "een. twee"]
    assert question_parts("alleen een zin?") == []
