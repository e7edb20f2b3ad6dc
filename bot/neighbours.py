"""The nearest labelled questions: what other writers who asked something like this meant.

    NeighbourBank  the sentence vectors of the labelled questions that reach the policy
                   (answerable ones with their section, near misses as OUTSIDE), from the
                   training and triage sets that `make calibrate` fits on, and their labels.
                   For a message, its NEAREST most similar questions say how many of them
                   were about something the leaflet does not cover (`near_out`), how many
                   were about each section, and how near the nearest is (`near_sim`).

The topic model (bot/topics.py) draws one straight line between sections; the neighbours
keep every question, so a near miss that many writers asked in their own way ("is
sojamelk ook goed?", "hoeveel calcium zit er in spinazie?") still looks like one. The
policy (bot/policy.py) weighs both. Written by `make calibrate` to bot/neighbours.npz
(vectors as int8: cosine order is kept to about 1 %; about 2 MB) with the model's name;
the shared dev sets are never put in it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from bot.errors import ModelError
from bot.semantic import Vectors

NEIGHBOURS_FILE = "neighbours.npz"
OUTSIDE = "out_of_scope"
NEAREST = 10
# The similarity reported when there is no question to hear (below any cosine).
UNHEARD = -2.0
_SCALE = 127.0


@dataclass(frozen=True, slots=True)
class Near:
    """What a message's nearest labelled questions say."""

    outside: float  # share of them the leaflet does not answer
    sections: dict[str, float]  # share of them about each section
    similarity: float  # cosine similarity of the nearest


@dataclass(frozen=True, slots=True, repr=False)
class NeighbourBank:
    """`model` names the sentence model the vectors belong to."""

    model: str
    vectors: Vectors  # (questions, dimensions), L2-normalised
    labels: tuple[str, ...]  # a section id or OUTSIDE, one a row

    def near(self, vector: Vectors, keep: np.ndarray | None = None) -> Near:
        """The NEAREST labelled questions to `vector` (a message's whole vector), among the
        rows `keep` marks (all when None)."""
        rows = np.arange(len(self.labels)) if keep is None else np.flatnonzero(keep)
        k = min(NEAREST, len(rows))
        if k == 0:
            return Near(0.0, {}, UNHEARD)
        sims = self.vectors[rows] @ vector
        nearest = np.argpartition(-sims, k - 1)[:k]
        shares: dict[str, float] = {}
        for label in (self.labels[rows[i]] for i in nearest):
            shares[label] = shares.get(label, 0.0) + 1.0 / k
        return Near(shares.pop(OUTSIDE, 0.0), shares, float(sims[nearest].max()))


def bank_of(model: str, examples: Sequence[tuple[str, Vectors]]) -> NeighbourBank:
    """A bank from (label, whole-message vector) pairs, stored as int8 would keep them."""
    if not examples:
        return NeighbourBank(model, np.zeros((0, 0), dtype=np.float32), ())
    vectors = np.stack([v for _, v in examples]).astype(np.float32)
    stored = np.clip(np.round(vectors * _SCALE), -127, 127) / _SCALE
    return NeighbourBank(model, stored.astype(np.float32), tuple(label for label, _ in examples))


def dump_bank(bank: NeighbourBank) -> bytes:
    """What bot/neighbours.npz holds."""
    out = io.BytesIO()
    np.savez_compressed(
        out,
        model=np.array(bank.model),
        labels=np.array(bank.labels),
        vectors=np.round(bank.vectors * _SCALE).astype(np.int8),
    )
    return out.getvalue()


def parse_bank(raw: bytes) -> NeighbourBank:
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        labels = tuple(str(s) for s in data["labels"])
        vectors = data["vectors"].astype(np.float32) / _SCALE
        if vectors.ndim != 2 or vectors.shape[0] != len(labels):
            raise ValueError(f"vectors {vectors.shape} do not fit {len(labels)} labels")
        return NeighbourBank(str(data["model"]), vectors, labels)


def load_bank(model: str) -> NeighbourBank:
    """Read bot/neighbours.npz (written by `make calibrate`) for the sentence model `model`;
    ModelError with what to do when it is missing, broken or made with another model."""
    fix = "run `make calibrate`"
    try:
        bank = parse_bank(resources.files("bot").joinpath(NEIGHBOURS_FILE).read_bytes())
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(f"bot/{NEIGHBOURS_FILE} cannot be read ({exc!r}): {fix}") from None
    if bank.model != model:
        raise ModelError(f"bot/{NEIGHBOURS_FILE} was made for {bank.model}, not {model}: {fix}")
    return bank
