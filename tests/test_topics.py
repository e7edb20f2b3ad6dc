"""The learned topic model (bot/topics.py): its arithmetic, its file, its retriever, and what
the packaged model does with questions in words no phrasing has."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from bot.engine import Engine
from bot.errors import ModelError
from bot.faq import Faq
from bot.retrieval import TopicRetriever
from bot.semantic import sentence_features
from bot.topics import TopicModel, dump_topics, load_topics, parse_topics


def _toy(model: str = "toy") -> TopicModel:
    """Two sections on 2-d vectors: "calcium" along the first axis, "vitamine_d" along
    the second; outside when the first feature is negative. The word "zon" speaks for
    vitamine_d, the word "parkeren" for outside."""
    coef = np.array([[4, 0, 4, 0, 0, 0], [0, 4, 0, 4, 8, 0]], dtype=np.float32)
    outside = np.array([-6, 0, -6, 0, 0, 12], dtype=np.float32)
    zero = np.zeros(2, np.float32)
    terms = ("zon", "parkeren")
    return TopicModel(model, ("calcium", "vitamine_d"), coef, zero, outside, 0.0, terms)


def _none(cleaned: str) -> frozenset[str]:
    return frozenset()


def _vectors(*rows: tuple[float, float]) -> np.ndarray:
    return np.array(rows, dtype=np.float32)


def test_section_probabilities_follow_the_weights_and_sum_to_one() -> None:
    probs = _toy().section_probs(_vectors((1.0, 0.0)), ())
    assert probs["calcium"] > 0.99 and probs["vitamine_d"] < 0.01
    assert sum(probs.values()) == pytest.approx(1.0)
    # A part of the message can carry the topic: the maximum over the parts counts.
    mixed = _toy().section_probs(_vectors((0.0, 0.0), (0.0, 1.0)), ())
    assert mixed["vitamine_d"] > mixed["calcium"]


def test_the_words_a_message_holds_weigh_with_its_vector() -> None:
    vectors = _vectors((0.5, 0.0))
    assert _toy().section_probs(vectors, ())["calcium"] > 0.9
    assert _toy().section_probs(vectors, {"zon", "onbekend"})["vitamine_d"] > 0.9
    assert _toy().outside(vectors, {"parkeren"}) > 0.99 > 0.01 > _toy().outside(vectors, ())


def test_outside_is_a_probability_that_follows_its_weights() -> None:
    assert _toy().outside(_vectors((-1.0, 0.0)), ()) > 0.99
    assert _toy().outside(_vectors((1.0, 0.0)), ()) < 0.01


def test_features_are_the_whole_and_the_maximum_over_the_parts() -> None:
    features = sentence_features(_vectors((1.0, 0.0), (0.0, 2.0)))
    assert features.tolist() == [1.0, 0.0, 1.0, 2.0]


def test_the_file_round_trips_and_rejects_weights_that_do_not_fit() -> None:
    data = dump_topics(_toy())
    again = parse_topics(json.loads(json.dumps(data)))
    assert again.sections == ("calcium", "vitamine_d")
    assert np.allclose(again.coef, _toy().coef)
    broken = {**data, "intercept": [0.0]}
    with pytest.raises(ValueError, match="do not fit"):
        parse_topics(broken)
    with pytest.raises(ValueError, match="outside_coef"):
        parse_topics({**data, "outside_coef": [0.0, 1.0]})
    with pytest.raises(ValueError, match="terms do not fit"):
        parse_topics({**data, "terms": ["zon"]})
    assert again.terms == ("zon", "parkeren")


def test_a_model_fitted_for_another_sentence_model_stops_start_up_with_what_to_do() -> None:
    with pytest.raises(ModelError, match=r"fitted for .* not other/1\.0: run `make calibrate`"):
        load_topics("other/1.0")


def test_the_packaged_model_knows_every_section_of_the_faq(faq: Faq, engine: Engine) -> None:
    topics = load_topics(engine.embedder.name)
    assert set(topics.sections) == {e.section for e in faq.entries}
    raw = json.loads(resources.files("bot").joinpath("topics.json").read_text(encoding="utf-8"))
    assert raw["model"] == engine.embedder.name


def test_the_retriever_gives_each_entry_its_sections_probability(faq: Faq) -> None:
    model = _toy()
    query_vectors = _vectors((1.0, 0.0))
    sunny = TopicRetriever(faq, model, lambda cleaned: frozenset(cleaned.split()))
    evidence = sunny.evidence(_query(query_vectors, "zon"))
    for entry in faq.entries:
        want = model.section_probs(query_vectors, {"zon"}).get(entry.section, 0.0)  # 0: unknown
        assert evidence.entries[entry.id]["topic"] == pytest.approx(want)
    assert 0.0 <= evidence.question["outside"] <= 1.0
    assert TopicRetriever(faq, None, _none).evidence(_query(query_vectors)).entries == {}


def _query(vectors: np.ndarray, cleaned: str = "x"):  # type: ignore[no-untyped-def]
    from bot.retrieval import Query

    return Query(cleaned, cleaned, (cleaned,), vectors)


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("ik lust geen melk en geen kaas, wat moet ik dan eten", "calcium"),
        ("I never get any sun, is that bad for my bones?", "vitamine_d"),
        ("mag ik nog wel tennissen met die zwakke botten", "beweging"),
        ("when do I need to have the scan done again?", "controle"),
    ],
)
def test_the_packaged_model_reads_the_topic_from_a_patients_words(
    engine: Engine, text: str, section: str
) -> None:
    """Examples; on the held-out sets its likeliest section is right for 90-96 % of the
    answerable questions ("I hardly ever go outside" it takes for botafbraak)."""
    query = engine.query(text)
    words = engine.normaliser.topic_words(query.cleaned)
    probs = load_topics(engine.embedder.name).section_probs(query.vectors, words)
    assert max(probs, key=lambda s: probs[s]) == section


def test_a_question_the_leaflet_does_not_answer_looks_outside(engine: Engine) -> None:
    topics = load_topics(engine.embedder.name)

    def outside(text: str) -> float:
        query = engine.query(text)
        return topics.outside(query.vectors, engine.normaliser.topic_words(query.cleaned))

    assert outside("what does the parking at the hospital cost?") > outside(
        "how much calcium do I need a day?"
    )
