"""`make calibrate` on a small fixture: it fits, cross-validates and writes a calibration the
engine can load."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot import fitting
from bot.calibrate import (
    FOLDS,
    OOS_FALLBACK,
    WRONG_TARGET,
    Case,
    blank,
    calibrate,
    cases,
    choose_thresholds,
    folds,
    predict,
    score_at,
    too_many_wrong,
    write,
)
from bot.engine import Engine
from bot.errors import LeafletbotError
from bot.neighbours import parse_bank
from bot.policy import CONFIDENCE_FEATURES, RANK_FEATURES, parse_calibration
from bot.replies import Replies
from bot.topics import TopicModel, parse_topics
from bot.urgency_fit import calibrate_triage
from bot.urgency_fit import write as write_urgency
from tests.conftest import FIXTURES, ROOT

SMALL = FIXTURES / "calibration-questions.jsonl"
TRIAGE_9 = ROOT / "tests" / "data" / "triage-9-questions.jsonl"


@pytest.fixture(scope="module")
def unfitted(engine: Engine) -> Engine:
    """The engine as `make calibrate` builds it: nothing fitted, no learned triage."""
    return Engine.build(
        engine.faq, engine.embedder, calibration=blank(engine.embedder.name), learned=False
    )


@pytest.fixture(scope="module")
def fitted(unfitted: Engine) -> dict[str, object]:
    return calibrate(unfitted, [SMALL], [TRIAGE_9])


def test_calibration_writes_every_model_and_threshold(
    fitted: dict,  # type: ignore[type-arg]
    tmp_path: Path,
    engine: Engine,
    unfitted: Engine,
) -> None:
    assert fitted["rank"]["features"] == list(RANK_FEATURES)  # type: ignore[index]
    assert fitted["confidence"]["features"] == list(CONFIDENCE_FEATURES)  # type: ignore[index]
    assert 0 < fitted["answer_min"] <= 1  # type: ignore[operator]
    assert fitted["clarify_min"] <= fitted["answer_min"]  # type: ignore[operator]
    figures = fitted["cross_validated"][SMALL.name]  # type: ignore[index]
    assert set(figures) >= {"top1", "wrong", "urgent", "false_alarms", "helpful"}
    path = tmp_path / "calibration.json"
    write(fitted, path)  # type: ignore[arg-type]
    calibration = parse_calibration(__import__("json").loads(path.read_text()))
    assert calibration.model == fitted["model"]
    assert "topics" not in json.loads(path.read_text())
    topics = parse_topics(json.loads((tmp_path / "topics.json").read_text()))
    assert topics.model == fitted["model"]
    assert set(topics.sections) == {e.section for e in engine.faq.entries}
    assert "calcium" in topics.terms  # a word many of the questions hold
    assert topics.coef.shape[1] == 2 * 512 + len(topics.terms)
    # The topic model learns from the extra set; the policy does not, and predicts it to
    # guard the answer threshold: its figures are reported beside the fitted set's.
    assert fitted["topics_also_fitted_on"] == [TRIAGE_9.name]
    # The bank of nearest questions is made from the topic sets only, never the fitted one.
    bank = parse_bank((tmp_path / "neighbours.npz").read_bytes())
    assert bank.model == fitted["model"]
    reaching = [c for c in cases(unfitted, [TRIAGE_9]) if c.screened is None]
    assert len(bank.labels) == sum(c.item.expect not in ("urgent", "smalltalk") for c in reaching)
    assert set(fitted["cross_validated"]) == {SMALL.name, TRIAGE_9.name}  # type: ignore[arg-type]


def test_guard_sets_hold_the_answer_threshold_to_the_wrong_target(
    engine: Engine, unfitted: Engine
) -> None:
    model = engine.embedder.name
    plain = cases(unfitted, [SMALL])
    words = unfitted.normaliser.topic_words
    crossed = fitting.cross_fit_topics(
        plain, fitting.phrasings(unfitted), engine.faq, model, words
    )
    preds = predict(crossed, engine.faq, model)
    # The same questions, now all beyond the leaflet: every answer to them is wrong.
    beyond = [
        replace(p, case=replace(p.case, item=replace(p.case.item, expect="out_of_scope", alt=())))
        for p in preds
        if p.case.item.expect != "urgent"
    ]
    replies = Replies(engine.faq)
    free, _ = choose_thresholds(preds, replies)
    guarded, clarify = choose_thresholds(preds, replies, beyond)
    assert guarded > free
    assert score_at(beyond, replies, guarded, 2.0).wrong <= WRONG_TARGET * len(beyond)
    # ... and clarify stops where they would no longer fall back.
    assert score_at(beyond, replies, guarded, clarify).summary()["oos_fallback"] >= OOS_FALLBACK


def test_each_question_gets_its_topics_from_a_model_fitted_without_it(
    engine: Engine, unfitted: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = cases(unfitted, [SMALL])
    trained_on: list[set[int]] = []
    sections = tuple(sorted({e.section for e in engine.faq.entries}))
    flat = TopicModel(
        "m",
        sections,
        np.zeros((len(sections), 1024), np.float32),
        np.zeros(len(sections)),
        np.zeros(1024, np.float32),
        0.0,
    )

    def recording(train, examples, model, words):  # type: ignore[no-untyped-def]
        trained_on.append({id(c) for c in train})
        return flat

    monkeypatch.setattr(fitting, "fit_topics", recording)
    words = unfitted.normaliser.topic_words
    crossed = fitting.cross_fit_topics(plain, fitting.phrasings(unfitted), engine.faq, "m", words)
    assert len(trained_on) == FOLDS
    assert [c.item.id for c in crossed] == [c.item.id for c in plain]  # the order kept
    for (_, test), train_ids in zip(folds(plain), trained_on, strict=True):
        assert not {id(c) for c in test} & train_ids
    for case in crossed:
        assert all("topic" in signals for signals in case.evidence.entries.values())
        assert case.evidence.question["outside"] == 0.5  # the flat model's


def test_the_fitted_policy_ranks_what_it_learned(fitted: dict, engine: Engine) -> None:  # type: ignore[type-arg]
    calibration = parse_calibration(fitted)
    tuned = Engine.build(engine.faq, engine.embedder, calibration=calibration)
    decision = tuned.ask("hoeveel calcium heb ik per dag nodig")
    options = decision.options
    assert options and options[0].entry.section == "calcium"


def test_folds_keep_every_question_out_of_its_own_fit(engine: Engine, unfitted: Engine) -> None:
    all_cases: list[Case] = cases(unfitted, [SMALL])
    split = folds(all_cases)
    assert len(split) == FOLDS
    tested = [id(c) for _, test in split for c in test]
    assert sorted(tested) == sorted(id(c) for c in all_cases)  # each tested exactly once
    for train, test in split:
        assert not {id(c) for c in train} & {id(c) for c in test}


def test_calibrate_triage_fits_the_learned_signal_and_its_honest_figures(
    engine: Engine, tmp_path: Path
) -> None:
    sets = [SMALL, ROOT / "tests" / "data" / "triage-9-questions.jsonl"]
    plain = Engine.build(engine.faq, engine.embedder, learned=False)
    data = calibrate_triage(plain, sets)
    assert data["model"] == engine.embedder.name
    assert len(data["coef"]) == 2 * 512 + 3
    assert 0 < data["threshold"] < 1
    # Each set is scored by a model fitted on the other one only.
    assert set(data["leave_one_set_out"]) == {p.name for p in sets}
    for figures in data["leave_one_set_out"].values():
        assert 0 <= figures["learned_urgent"] <= figures["with_rules_urgent"] <= 100
        assert 0 <= figures["learned_false_alarms"] <= figures["with_rules_false_alarms"]
    write_urgency(data, tmp_path / "urgency.json")
    written = json.loads((tmp_path / "urgency.json").read_text())
    assert written["threshold"] == data["threshold"]


def test_the_topic_model_needs_out_of_scope_questions(engine: Engine, unfitted: Engine) -> None:
    answerable_only = [c for c in cases(unfitted, [SMALL]) if c.item.expect != "out_of_scope"]
    with pytest.raises(LeafletbotError, match="no out-of-scope question"):
        fitting.fit_topics(answerable_only, [], "m", unfitted.normaliser.topic_words)


@pytest.mark.parametrize(
    ("wrong", "questions", "too_many"),
    [(2, 122, False), (5, 122, False), (6, 122, True), (10, 300, False), (12, 300, True)],
)
def test_a_set_fails_only_when_significantly_above_the_wrong_target(
    wrong: int, questions: int, too_many: bool
) -> None:
    assert too_many_wrong(wrong, questions) is too_many
