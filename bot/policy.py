"""Decide from merged evidence: answer, clarify or fall back, with calibrated models.

Two small logistic regressions, fitted by `make calibrate` (bot/calibrate.py) on labelled
questions and stored with their cross-validated figures in bot/calibration.json:

    rank        per entry: how likely it answers the question, from its semantic
                similarity, lexical score and coverage, and the topic model's probability
                of its section, each also as the gap to the best
    confidence  per question: how likely the best-ranked entry is right, from the rank
                probability and its margin over the best entry of another section, the
                semantic and lexical evidence for it, whether both retrievers agree, the
                share of the question in words the leaflet does not know (so a question
                about spinazie, alendronaat or a price falls back: the near miss), and the
                learned topic model's view (bot/topics.py): how likely the entry's section
                is, whether it is the likeliest, and how likely the question is outside
                the leaflet; and what the nearest labelled questions of other writers
                were about (bot/neighbours.py): how many were outside the leaflet, how
                many about the entry's section, how near the nearest is

    confidence >= answer_min   answer
    confidence >= clarify_min  clarify: "Bedoelt u ...?" with the nearest entries
    otherwise                  fallback, offering the nearest entries ("Misschien ...?")

Every figure is read from the calibration file; none is set by hand here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from bot.errors import LexiconError
from bot.faq import Entry, Faq
from bot.retrieval import Evidence
from bot.semantic import logistic
from bot.triage import TriageLimits

RANK_FEATURES = ("sem", "sem_gap", "lex", "lex_gap", "cov", "topic", "topic_gap")
CONFIDENCE_FEATURES = (
    "rank_logit",
    "rank_margin",
    "sem",
    "sem_margin",
    "lex",
    "lex_margin",
    "cov",
    "unknown",
    "sem_agrees",
    "lex_agrees",
    "log_terms",
    "topic",
    "topic_max",
    "topic_agrees",
    "outside",
    "rare",
    "near_out",
    "near_agree",
    "near_sim",
)
MAX_OPTIONS = 3


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A fitted logistic regression: P(yes) = sigmoid(intercept + coef . features)."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float

    def prob(self, values: Mapping[str, float]) -> float:
        z = self.intercept + sum(
            c * values[f] for f, c in zip(self.features, self.coef, strict=True)
        )
        return logistic(z)


@dataclass(frozen=True, slots=True)
class Calibration:
    """What bot/calibration.json holds: the models, the thresholds, and for whom."""

    model: str
    rank: LinearModel
    confidence: LinearModel
    answer_min: float
    clarify_min: float
    option_min: float
    triage: TriageLimits


@dataclass(frozen=True, slots=True)
class Option:
    entry: Entry
    score: float  # 0-100: the rank probability


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: Literal["answer", "clarify", "fallback"]
    confidence: float  # 0-1
    options: tuple[Option, ...]  # best first, one per section, at most MAX_OPTIONS


@dataclass(frozen=True, slots=True)
class Policy:
    faq: Faq
    calibration: Calibration

    def decide(self, evidence: Evidence) -> Verdict:
        ranked = self.rank(evidence)
        if not ranked:
            return Verdict("fallback", 0.0, ())
        options = one_per_section(ranked)
        values = confidence_features(evidence, ranked, options, self.faq)
        return self.choose(self.calibration.confidence.prob(values), options)

    def choose(self, confidence: float, options: Sequence[Option]) -> Verdict:
        """The thresholds: answer, clarify or fall back, at a confidence, with these options
        (one per section, best first)."""
        c = self.calibration
        shown = tuple(o for o in options[:MAX_OPTIONS] if o.score / 100 >= c.option_min)
        if options and confidence >= c.answer_min:
            return Verdict("answer", confidence, tuple(options[:1]))
        if confidence >= c.clarify_min and len(shown) > 1:
            return Verdict("clarify", confidence, shown)
        return Verdict("fallback", confidence, shown)

    def rank(self, evidence: Evidence) -> list[Option]:
        """Every entry with evidence, by rank probability, best first."""
        model = self.calibration.rank
        out = []
        for entry_id, values in rank_features(evidence).items():
            entry = self.faq.entry(entry_id)
            if entry is not None:
                out.append(Option(entry, 100 * model.prob(values)))
        out.sort(key=lambda o: (-o.score, o.entry.id))
        return out


def rank_features(evidence: Evidence) -> dict[str, dict[str, float]]:
    """RANK_FEATURES for every entry in the evidence."""
    signals = evidence.entries
    top_sem = max((s.get("sem", 0.0) for s in signals.values()), default=0.0)
    top_lex = max((s.get("lex", 0.0) for s in signals.values()), default=0.0)
    top_topic = max((s.get("topic", 0.0) for s in signals.values()), default=0.0)
    out = {}
    for entry_id, s in signals.items():
        sem, lex = s.get("sem", 0.0), s.get("lex", 0.0)
        out[entry_id] = {
            "sem": sem,
            "sem_gap": sem - top_sem,
            "lex": lex,
            "lex_gap": lex - top_lex,
            "cov": s.get("cov", 0.0),
            "topic": s.get("topic", 0.0),
            "topic_gap": s.get("topic", 0.0) - top_topic,
        }
    return out


def confidence_features(
    evidence: Evidence, ranked: Sequence[Option], options: Sequence[Option], faq: Faq
) -> dict[str, float]:
    """CONFIDENCE_FEATURES for the best-ranked entry."""
    top = ranked[0].entry
    signals = evidence.entries

    def best_of(key: str, same: bool) -> tuple[str | None, float]:
        pool = [
            (e, s.get(key, 0.0))
            for e, s in signals.items()
            if (_section(faq, e) == top.section) == same
        ]
        return max(pool, key=lambda p: p[1], default=(None, 0.0))

    def leader(key: str) -> str | None:
        having = [e for e in signals if key in signals[e]]
        return max(having, key=lambda e: signals[e][key], default=None)

    p = min(max(ranked[0].score / 100, 1e-6), 1 - 1e-6)
    rival = options[1].score / 100 if len(options) > 1 else 0.0
    own = signals.get(top.id, {})
    q = evidence.question
    return {
        "rank_logit": math.log(p / (1 - p)),
        "rank_margin": p - rival,
        "sem": own.get("sem", 0.0),
        "sem_margin": own.get("sem", 0.0) - best_of("sem", same=False)[1],
        "lex": own.get("lex", 0.0),
        "lex_margin": own.get("lex", 0.0) - best_of("lex", same=False)[1],
        "cov": own.get("cov", 0.0),
        "unknown": q.get("unknown", 1.0),
        "sem_agrees": float(_section(faq, leader("sem")) == top.section),
        "lex_agrees": float(_section(faq, leader("lex")) == top.section),
        "log_terms": math.log1p(q.get("terms", 0.0)),
        "topic": own.get("topic", 0.0),
        "topic_max": max((s.get("topic", 0.0) for s in signals.values()), default=0.0),
        "topic_agrees": float(_section(faq, leader("topic")) == top.section),
        "outside": q.get("outside", 0.0),
        "rare": q.get("rare", 0.0),
        "near_out": q.get("near_out", 0.0),
        "near_agree": own.get("near", 0.0),
        "near_sim": q.get("near_sim", 0.0),
    }


def _section(faq: Faq, entry_id: str | None) -> str | None:
    entry = faq.entry(entry_id) if entry_id else None
    return entry.section if entry else None


def one_per_section(ranked: Sequence[Option]) -> list[Option]:
    """The best-ranked entry of each section, best first."""
    seen: set[str] = set()
    out = []
    for o in ranked:
        if o.entry.section not in seen:
            seen.add(o.entry.section)
            out.append(o)
    return out


def load_calibration() -> Calibration:
    """Read bot/calibration.json (written by `make calibrate`)."""
    source = resources.files("bot").joinpath("calibration.json").read_text(encoding="utf-8")
    return parse_calibration(json.loads(source))


def parse_calibration(data: Any) -> Calibration:
    def model(raw: Any, names: tuple[str, ...]) -> LinearModel:
        features = tuple(str(f) for f in raw["features"])
        if features != names:
            raise LexiconError(
                f"bot/calibration.json: features {features} are not {names}: run make calibrate"
            )
        return LinearModel(features, tuple(float(c) for c in raw["coef"]), float(raw["intercept"]))

    try:
        t = data["triage"]
        return Calibration(
            model=str(data["model"]),
            rank=model(data["rank"], RANK_FEATURES),
            confidence=model(data["confidence"], CONFIDENCE_FEATURES),
            answer_min=float(data["answer_min"]),
            clarify_min=float(data["clarify_min"]),
            option_min=float(data["option_min"]),
            triage=TriageLimits(
                float(t["urgent_min"]),
                float(t["crisis_min"]),
                float(t["calm_margin"]),
                float(t["rule_veto"]),
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LexiconError(f"bot/calibration.json: {exc!r}: run make calibrate") from None
