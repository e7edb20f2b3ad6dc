"""The nearest labelled questions (bot/neighbours.py): what they say, how they are kept,
and that in fitting each question hears only other writers."""

from __future__ import annotations

import zipfile
from dataclasses import replace

import numpy as np
import pytest

from bot import fitting
from bot.calibrate import blank, cases
from bot.engine import Engine
from bot.errors import ModelError
from bot.neighbours import (
    NEAREST,
    OUTSIDE,
    bank_of,
    dump_bank,
    load_bank,
    parse_bank,
)
from tests.conftest import ROOT

TRIAGE_9 = ROOT / "tests" / "data" / "triage-9-questions.jsonl"


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_the_nearest_say_what_share_was_outside_and_about_each_section() -> None:
    near_a = [("calcium", unit(1, 0.1 * i, 0)) for i in range(6)]
    near_b = [(OUTSIDE, unit(1, 0, 0.1 * i)) for i in range(4)]
    far = [("beweging", unit(-1, 0, 0)) for _ in range(NEAREST)]
    bank = bank_of("m", [*near_a, *near_b, *far])
    near = bank.near(unit(1, 0, 0))
    assert near.outside == pytest.approx(0.4)
    assert near.sections == {"calcium": pytest.approx(0.6)}
    assert near.similarity == pytest.approx(1.0, abs=0.01)
    # Rows left out are never neighbours: here only the far ones remain.
    keep = np.array([False] * 10 + [True] * NEAREST)
    assert bank.near(unit(1, 0, 0), keep).sections == {"beweging": pytest.approx(1.0)}


def test_the_bank_is_kept_as_int8_and_read_back_the_same() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(30, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bank = bank_of("m/1", [(f"s{i % 3}", v) for i, v in enumerate(vectors)])
    again = parse_bank(dump_bank(bank))
    assert (again.model, again.labels) == (bank.model, bank.labels)
    np.testing.assert_allclose(again.vectors, bank.vectors, atol=1e-6)
    # Stored as int8, the order of the nearest is kept.
    q = vectors[0]
    assert np.argsort(-(again.vectors @ q))[:5].tolist() == np.argsort(-(vectors @ q))[:5].tolist()


@pytest.mark.parametrize("cut", [0, 10, 200])
def test_a_broken_bank_file_is_never_trusted(cut: int) -> None:
    whole = dump_bank(bank_of("m", [("calcium", unit(1, 0))] * 50))
    with pytest.raises((ValueError, EOFError, zipfile.BadZipFile)):
        parse_bank(b"not a bank" if cut == 0 else whole[:cut])


def test_the_packaged_bank_belongs_to_its_sentence_model(engine: Engine) -> None:
    bank = load_bank(engine.embedder.name)
    assert len(bank.labels) == bank.vectors.shape[0] > 1000
    assert OUTSIDE in bank.labels
    with pytest.raises(ModelError, match="make calibrate"):
        load_bank("another-model/1")


def test_in_fitting_each_question_hears_only_other_writers(engine: Engine) -> None:
    unfitted = Engine.build(
        engine.faq, engine.embedder, calibration=blank(engine.embedder.name), learned=False
    )
    own = cases(unfitted, [TRIAGE_9])
    bank, sources = fitting.neighbour_bank(own, engine.embedder.name)
    assert set(sources) == {TRIAGE_9.name}
    # Every neighbour is from the question's own set: none may be heard.
    (first, *_) = fitting.with_neighbours(own, bank, sources, engine.faq)
    assert first.evidence.question["near_sim"] < -1
    # From another set's point of view the same bank is heard, itself included.
    other = [replace(c, source="x") for c in own]
    heard = fitting.with_neighbours(other, bank, sources, engine.faq)
    reaching = [c for c in heard if c.screened is None and c.item.expect != "urgent"]
    assert max(c.evidence.question["near_sim"] for c in reaching) > 0.99
