"""`make calibrate` on a small fixture: it fits, cross-validates and writes a calibration the
engine can load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.calibrate import FOLDS, Case, blank, calibrate, cases, folds, write
from bot.engine import Engine
from bot.policy import CONFIDENCE_FEATURES, RANK_FEATURES, parse_calibration
from tests.conftest import FIXTURES

SMALL = FIXTURES / "calibration-questions.jsonl"


@pytest.fixture(scope="module")
def fitted(engine: Engine) -> dict[str, object]:
    unfitted = Engine.build(engine.faq, engine.embedder, calibration=blank(engine.embedder.name))
    return calibrate(unfitted, [SMALL])


def test_calibration_writes_every_model_and_threshold(fitted: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
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


def test_the_fitted_policy_ranks_what_it_learned(fitted: dict, engine: Engine) -> None:  # type: ignore[type-arg]
    calibration = parse_calibration(fitted)
    tuned = Engine.build(engine.faq, engine.embedder, calibration=calibration)
    decision = tuned.ask("hoeveel calcium heb ik per dag nodig")
    options = decision.options
    assert options and options[0].entry.section == "calcium"


def test_folds_keep_every_question_out_of_its_own_fit(engine: Engine) -> None:
    unfitted = Engine.build(engine.faq, engine.embedder, calibration=blank(engine.embedder.name))
    all_cases: list[Case] = cases(unfitted, [SMALL])
    split = folds(all_cases)
    assert len(split) == FOLDS
    tested = [id(c) for _, test in split for c in test]
    assert sorted(tested) == sorted(id(c) for c in all_cases)  # each tested exactly once
    for train, test in split:
        assert not {id(c) for c in train} & {id(c) for c in test}
