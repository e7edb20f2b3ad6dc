"""The learned topic signal: which section of the leaflet a message is about, and whether it
is about something the leaflet does not cover, read from its sentence vectors and its words.

    TopicModel  two logistic regressions on sentence_features (the whole message's vector
                and the maximum over its parts' vectors) and on which of the words, and
                pairs of following words, the labelled questions often use the message
                holds (as the normaliser reads them: "kalk" is calcium, "thee" is thee):
                  sections  P(section | message), one weight row per section (softmax)
                  outside   P(the leaflet does not answer it), out-of-scope questions
                            against answerable ones
                Both are fitted by `make calibrate` (bot/fitting.py) on the FAQ's example
                phrasings and the labelled sets' questions, and stored in bot/topics.json.

The retrievers find the entries whose words or phrasings are near the message; the topic
model has learned how many writers ask about each section, in words no phrasing has. The
policy weighs both: where they agree an answer is safer, where they differ it offers
choices. A section the model was not fitted on (the FAQ changed since `make calibrate`)
gets no topic signal, so its entries are answered only on the retrievers' evidence, less
often: run `make calibrate` after adding a section.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from bot.errors import ModelError
from bot.semantic import Vectors, logistic, sentence_features

TOPICS_FILE = "topics.json"


@dataclass(frozen=True, slots=True)
class TopicModel:
    """`model` names the sentence model the weights belong to; `terms` the words and word
    pairs whose presence the last len(terms) features say (1 when the message holds it)."""

    model: str
    sections: tuple[str, ...]
    coef: Vectors  # (sections, features)
    intercept: Vectors  # (sections,)
    outside_coef: Vectors  # (features,)
    outside_intercept: float
    terms: tuple[str, ...] = ()
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.terms)})

    def read(self, vectors: Vectors, words: Collection[str]) -> tuple[dict[str, float], float]:
        """section_probs and outside at once, the features built once."""
        features = topic_features(vectors, words, self._index)
        return self._section_probs(features), self._outside(features)

    def section_probs(self, vectors: Vectors, words: Collection[str]) -> dict[str, float]:
        """P(section) for each section the model knows; they sum to 1. `words`: the
        message's (Normaliser.topic_words)."""
        return self._section_probs(topic_features(vectors, words, self._index))

    def outside(self, vectors: Vectors, words: Collection[str]) -> float:
        """P(the leaflet does not answer the message)."""
        return self._outside(topic_features(vectors, words, self._index))

    def _section_probs(self, features: Vectors) -> dict[str, float]:
        z = self.coef @ features + self.intercept
        p = np.exp(z - z.max())
        return dict(zip(self.sections, (p / p.sum()).tolist(), strict=True))

    def _outside(self, features: Vectors) -> float:
        return logistic(float(self.outside_coef @ features) + self.outside_intercept)


def topic_features(vectors: Vectors, words: Collection[str], terms: Mapping[str, int]) -> Vectors:
    """What the topic model reads: sentence_features, then for each of its terms (here with
    their places) a 1 when the message's `words` hold it."""
    bag = np.zeros(len(terms), dtype=np.float32)
    for word in words:
        place = terms.get(word)
        if place is not None:
            bag[place] = 1.0
    return np.concatenate([sentence_features(vectors), bag])


def load_topics(model: str) -> TopicModel:
    """Read bot/topics.json (written by `make calibrate`) for the sentence model `model`;
    ModelError with what to do when it is missing, broken or fitted for another model."""
    fix = "run `make calibrate`"
    try:
        topics = parse_topics(_packaged())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"bot/{TOPICS_FILE} cannot be read ({exc!r}): {fix}") from None
    if topics.model != model:
        raise ModelError(f"bot/{TOPICS_FILE} was fitted for {topics.model}, not {model}: {fix}")
    return topics


def topic_sections() -> tuple[str, ...]:
    """The sections the packaged topic model was fitted on; () when it cannot be read."""
    try:
        return tuple(str(s) for s in _packaged()["sections"])
    except (OSError, ValueError, KeyError, TypeError):
        return ()


def _packaged() -> Any:
    return json.loads(resources.files("bot").joinpath(TOPICS_FILE).read_text(encoding="utf-8"))


def parse_topics(data: Any) -> TopicModel:
    sections = tuple(str(s) for s in data["sections"])
    coef = np.array(data["coef"], dtype=np.float32)
    intercept = np.array(data["intercept"], dtype=np.float32)
    outside = np.array(data["outside_coef"], dtype=np.float32)
    if coef.ndim != 2 or coef.shape[0] != len(sections) or intercept.shape != (len(sections),):
        raise ValueError(f"coef {coef.shape} and intercept {intercept.shape} do not fit")
    if outside.shape != (coef.shape[1],):
        raise ValueError(f"outside_coef {outside.shape} does not fit coef {coef.shape}")
    terms = tuple(str(t) for t in data["terms"])
    if coef.shape[1] <= len(terms) or (coef.shape[1] - len(terms)) % 2:
        raise ValueError(f"{len(terms)} terms do not fit coef {coef.shape}")
    return TopicModel(
        str(data["model"]),
        sections,
        coef,
        intercept,
        outside,
        float(data["outside_intercept"]),
        terms,
    )


def dump_topics(topics: TopicModel) -> dict[str, Any]:
    """What bot/topics.json holds."""
    return {
        "about": "Written by `make calibrate` (bot/fitting.py); do not edit by hand.",
        "model": topics.model,
        "sections": list(topics.sections),
        "intercept": [round(float(c), 6) for c in topics.intercept],
        "coef": [[round(float(c), 6) for c in row] for row in topics.coef],
        "outside_intercept": round(topics.outside_intercept, 6),
        "outside_coef": [round(float(c), 6) for c in topics.outside_coef],
        "terms": list(topics.terms),
    }
