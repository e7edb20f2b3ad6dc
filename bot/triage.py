"""Triage: is this an emergency? Checked before anything else is done with a message.

Three signals, any one enough:

    rules     bot/lexicon.yaml's urgent and crisis patterns on the cleaned text
    semantic  similarity to a bank of short descriptions of emergencies (bot/triage.yaml),
              held against a bank of calm look-alikes: urgent when the message is near an
              emergency (at least `urgent_min`) and nearer to it than to any calm question
              by at least `calm_margin`. Thresholds come from bot/calibration.json.
    learned   a logistic regression on the message's sentence vectors and its three bank
              similarities (UrgencyModel, bot/urgency.json), fitted by `make
              calibrate-triage` on every labelled set but the held-out ones, with a
              threshold that keeps false alarms on their calm questions at about 1 in 200.
              It generalises to words no rule has: on sets by writers it never saw it
              catches 80-91 % of emergencies.

A rule is vetoed when the message is much nearer to the calm look-alikes than to any
emergency (by `rule_veto`, calibrated so that no emergency in the labelled sets is lost,
with a safety margin): a story about the past ("zij kon op het laatst niet meer lopen") or
a question about a condition ("could that be collapsed vertebrae?") is not an emergency.
Crisis rules are never vetoed, nor are the rules bot/lexicon.yaml marks `sure`: signs where
a false alarm costs a call and a miss can cost a life. A sure rule does not fire at all on a story
told long ago that says nothing of now ("ik heb ooit te veel paracetamol genomen toen ik
jong was": bot/lexicon.py, told_long_ago).

Crisis (thoughts of suicide) is its own kind of urgent: its reply names 113 as well as 112.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.errors import LexiconError, ModelError
from bot.lexicon import Lexicon
from bot.semantic import Embedder, EmbeddingIndex, Vectors, logistic, sentence_features

CLASSES = ("urgent", "crisis", "calm")
CRISIS = "crisis"
LEARNED = "learned"


@dataclass(frozen=True, slots=True)
class TriageLimits:
    """The calibrated thresholds (bot/calibration.json, `triage`)."""

    urgent_min: float
    crisis_min: float
    calm_margin: float
    rule_veto: float = 2.0  # calm minus urgent similarity at which a rule is set aside


@dataclass(frozen=True, slots=True)
class Signals:
    """How near a message is to each class of the bank: the best cosine similarity."""

    urgent: float
    crisis: float
    calm: float


@dataclass(frozen=True, slots=True)
class UrgencyModel:
    """P(emergency) from urgency_features, a fitted logistic regression; fires at
    `threshold`. `model` names the sentence model the weights belong to."""

    model: str
    coef: Vectors
    intercept: float
    threshold: float

    def prob(self, vectors: Vectors, signals: Signals) -> float:
        return self.prob_of(urgency_features(vectors, signals))

    def prob_of(self, features: Vectors) -> float:
        return logistic(float(features @ self.coef) + self.intercept)

    def fires(self, vectors: Vectors, signals: Signals) -> bool:
        return self.prob(vectors, signals) >= self.threshold


def urgency_features(vectors: Vectors, signals: Signals) -> Vectors:
    """The whole message's vector, the maximum over its parts' vectors, and the three bank
    similarities: what UrgencyModel weighs, at fitting and at run time alike."""
    extra = np.array([signals.urgent, signals.crisis, signals.calm], dtype=np.float32)
    return np.concatenate([sentence_features(vectors), extra])


@dataclass(frozen=True, slots=True)
class Triage:
    lexicon: Lexicon
    bank: EmbeddingIndex
    limits: TriageLimits
    urgency: UrgencyModel | None = None

    @classmethod
    def build(
        cls,
        lexicon: Lexicon,
        embedder: Embedder,
        limits: TriageLimits,
        cache_dir: Path | None = None,
        urgency: UrgencyModel | None = None,
    ) -> Triage:
        bank = EmbeddingIndex.build(embedder, load_bank(), cache_dir)
        return cls(lexicon, bank, limits, urgency)

    def signals(self, vectors: Vectors) -> Signals:
        best = self.bank.best(vectors)
        return Signals(*(best.get(c, -1.0) for c in CLASSES))

    def check(self, cleaned: str, vectors: Vectors, learned: bool = True) -> str | None:
        """The reason a message is an emergency ("crisis", a rule's name, "semantic"), or None.
        `learned=False` leaves out the learned signal (for a message that only greets)."""
        if self.lexicon.crisis_rule(cleaned):
            return CRISIS
        signals = self.signals(vectors)
        rule = self.lexicon.urgent_match(cleaned)
        if rule is not None and (rule.sure or not vetoed(signals, self.limits)):
            return rule.name
        reason = self.semantic(signals)
        if reason is None and learned and self.urgency and self.urgency.fires(vectors, signals):
            # Which reply: 113 when the message is nearer to thoughts of suicide.
            return CRISIS if signals.crisis > signals.urgent else LEARNED
        return reason

    def semantic(self, s: Signals) -> str | None:
        return semantic_reason(s, self.limits)


def vetoed(s: Signals, lim: TriageLimits) -> bool:
    """True when an urgent rule's hit is set aside: the message is far nearer to calm."""
    return s.calm - s.urgent >= lim.rule_veto


def semantic_reason(s: Signals, lim: TriageLimits) -> str | None:
    """CRISIS or "semantic" when the message is near enough to the bank's crisis or urgent
    descriptions, and nearer than to any calm look-alike by the margin; else None."""
    if s.crisis >= lim.crisis_min and s.crisis - s.calm >= lim.calm_margin:
        return CRISIS
    if s.urgent >= lim.urgent_min and s.urgent - s.calm >= lim.calm_margin:
        return "semantic"
    return None


def load_bank() -> list[tuple[str, str]]:
    """The packaged bank as (class, description) pairs, both languages."""
    source = resources.files("bot").joinpath("triage.yaml").read_text(encoding="utf-8")
    return parse_bank(yaml.safe_load(source))


def parse_bank(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, Mapping) or set(data) != set(CLASSES):
        raise LexiconError(f"bot/triage.yaml: needs exactly the classes {', '.join(CLASSES)}")
    pairs = []
    for name in CLASSES:
        by_lang = data[name]
        if not isinstance(by_lang, Mapping) or not all(
            isinstance(by_lang.get(lang), list) and by_lang[lang] for lang in ("nl", "en")
        ):
            raise LexiconError(f"bot/triage.yaml: {name} needs non-empty nl and en lists")
        pairs += [(name, str(text)) for lang in ("nl", "en") for text in by_lang[lang]]
    return pairs


def load_urgency(model: str) -> UrgencyModel:
    """Read bot/urgency.json (written by `make calibrate-triage`) for the sentence model
    `model`; ModelError with what to do when it is missing, broken or for another model."""
    fix = "run `make calibrate-triage`"
    try:
        source = resources.files("bot").joinpath("urgency.json").read_text(encoding="utf-8")
        data = json.loads(source)
        urgency = UrgencyModel(
            str(data["model"]),
            np.array(data["coef"], dtype=np.float32),
            float(data["intercept"]),
            float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"bot/urgency.json cannot be read ({exc!r}): {fix}") from None
    if urgency.model != model:
        raise ModelError(f"bot/urgency.json was fitted for {urgency.model}, not {model}: {fix}")
    return urgency
