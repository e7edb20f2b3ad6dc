"""Fitting for `make calibrate` (bot/calibrate.py): the labelled questions taken along the
engine's road up to the decision, the folds, and the fits of the rank and confidence models
and the triage thresholds. scikit-learn is needed here only (the `calibrate` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.engine import Decision, Engine
from bot.evaluation import Item, load_items
from bot.faq import Faq
from bot.policy import (
    CONFIDENCE_FEATURES,
    RANK_FEATURES,
    Calibration,
    LinearModel,
    Option,
    Policy,
    confidence_features,
    one_per_section,
    rank_features,
)
from bot.retrieval import Evidence
from bot.triage import CRISIS, Signals, TriageLimits, semantic_reason

# At most this share of non-urgent questions may be taken for an emergency.
FALSE_ALARM_BUDGET = 0.0025
# A nearest topic is offered as a button when its rank probability is at least this.
OPTION_MIN = 0.05
FOLDS = 5
GRID = tuple(round(x, 3) for x in np.arange(0.05, 0.99, 0.01))
# A rule is vetoed only this far beyond the nearest-to-calm emergency of the labelled sets:
# wide, since short true emergencies ("opeens hevige rugpijn") can sit near the calm bank.
VETO_SAFETY = 0.15
MARGINS = (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25)  # triage: over calm
NEVER = TriageLimits(urgent_min=2.0, crisis_min=2.0, calm_margin=2.0)  # no semantic triage


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled question, taken as far as the engine goes before the policy."""

    item: Item
    source: str
    lang: str
    screened: Decision | None  # rules, smalltalk, nothing readable: decided already
    signals: Signals
    evidence: Evidence
    referral: str | None


def blank(model: str) -> Calibration:
    """A calibration that answers nothing and never triages semantically: for fitting."""
    zero = LinearModel(RANK_FEATURES, (0.0,) * len(RANK_FEATURES), 0.0)
    conf = LinearModel(CONFIDENCE_FEATURES, (0.0,) * len(CONFIDENCE_FEATURES), 0.0)
    return Calibration(model, zero, conf, 2.0, 2.0, OPTION_MIN, NEVER)


def cases(engine: Engine, files: Sequence[Path]) -> list[Case]:
    out = []
    for path in files:
        for item in load_items(path):
            query = engine.query(item.text)
            lang = engine.language(query, None)
            out.append(
                Case(
                    item,
                    path.name,
                    lang,
                    engine.screen(query, lang),
                    engine.triage.signals(query.vectors),
                    engine.evidence(query),
                    engine.lexicon.referral(query.cleaned),
                )
            )
    return out


def good(item: Item) -> set[str]:
    return {item.expect, *item.alt}


def fit(features: tuple[str, ...], x: list[list[float]], y: list[bool]) -> LinearModel:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    clf = LogisticRegression(C=1.0, max_iter=5000).fit(np.array(x), np.array(y))
    coef = tuple(float(c) for c in clf.coef_[0])
    return LinearModel(features, coef, float(clf.intercept_[0]))


def fit_rank(train: Sequence[Case], faq: Faq) -> LinearModel:
    x, y = [], []
    for case in train:
        if case.item.expect in ("out_of_scope", "urgent", "smalltalk"):
            continue
        for entry_id, values in rank_features(case.evidence).items():
            entry = faq.entry(entry_id)
            if entry is not None:
                x.append([values[f] for f in RANK_FEATURES])
                y.append(entry.section in good(case.item))
    return fit(RANK_FEATURES, x, y)


def top(case: Case, policy: Policy) -> tuple[list[Option], dict[str, float]]:
    """The case's entries one per section, best first, and the confidence features."""
    ranked = policy.rank(case.evidence)
    options = one_per_section(ranked)
    if not ranked:
        return options, {}
    return options, confidence_features(case.evidence, ranked, options, policy.faq)


def fit_confidence(train: Sequence[Case], faq: Faq, model: str) -> LinearModel:
    """Fitted on rank probabilities from an inner cross-validation."""
    x, y = [], []
    for inner_train, inner_test in folds(train):
        rank = fit_rank(inner_train, faq)
        policy = Policy(faq, replace(blank(model), rank=rank))
        for case in inner_test:
            options, values = top(case, policy)
            if options:
                x.append([values[f] for f in CONFIDENCE_FEATURES])
                y.append(options[0].entry.section in good(case.item))
    return fit(CONFIDENCE_FEATURES, x, y)


def folds(items: Sequence[Case], k: int = FOLDS) -> list[tuple[list[Case], list[Case]]]:
    """Stratified by label, the same split on every run (sorted by id, dealt in turn)."""
    by_label: dict[str, list[Case]] = {}
    for case in sorted(items, key=lambda c: (c.source, c.item.id)):
        by_label.setdefault(case.item.expect, []).append(case)
    fold_of: dict[int, int] = {}
    n = 0
    for group in by_label.values():
        for case in group:
            fold_of[id(case)] = n % k
            n += 1
    return [
        (
            [c for c in items if fold_of[id(c)] != f],
            [c for c in items if fold_of[id(c)] == f],
        )
        for f in range(k)
    ]


def fit_triage(train: Sequence[Case]) -> TriageLimits:
    """The lowest similarity to the urgent descriptions (and the smallest margin over the
    calm ones) that keeps false alarms among the non-urgent questions within
    FALSE_ALARM_BUDGET, catching the most; for crisis, the lowest similarity that raises
    no crisis alarm at all on them (a crisis reply to a calm question is never right)."""
    best: tuple[int, float, float] | None = None
    calm = [c for c in train if c.item.expect != "urgent"]
    urgent = [c for c in train if c.item.expect == "urgent"]
    for margin in MARGINS:
        for low in GRID:
            limits = TriageLimits(low, 2.0, margin)
            alarms = sum(semantic_fires(c, limits) for c in calm)
            if alarms > FALSE_ALARM_BUDGET * len(calm):
                continue
            caught = sum(semantic_fires(c, limits) for c in urgent)
            if best is None or caught > best[0]:
                best = (caught, low, margin)
            break  # higher thresholds catch no more at this margin
    if best is None:
        return NEVER
    _, low, margin = best
    crisis = [c.signals.crisis for c in calm if c.signals.crisis - c.signals.calm >= margin]
    crisis_min = min((g for g in GRID if g > max(crisis, default=0.0)), default=2.0)
    return TriageLimits(float(low), float(max(low, crisis_min)), float(margin), rule_veto(urgent))


def rule_veto(urgent: Sequence[Case]) -> float:
    """The calm-minus-urgent similarity at which a rule's hit is set aside: VETO_SAFETY
    beyond the calmest-looking emergency that a rule caught."""
    caught = [
        c.signals.calm - c.signals.urgent
        for c in urgent
        if c.screened is not None and c.screened.kind == "urgent" and c.screened.reason != CRISIS
    ]
    return round(max(caught) + VETO_SAFETY, 3) if caught else 2.0


def semantic_fires(case: Case, limits: TriageLimits) -> bool:
    return semantic_reason(case.signals, limits) is not None
