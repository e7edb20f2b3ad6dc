"""`make calibrate`: fit the policy and the triage thresholds on labelled questions.

    1. Every labelled question goes the engine's road up to the decision: its rule-based
       screening (urgent rules, smalltalk, nothing readable), its triage similarities and
       the merged evidence of both retrievers.
    2. k-fold cross-validation (stratified by label): in each fold the rank and confidence
       models (bot/policy.py) and the triage thresholds are fitted on the other folds and
       predict this one. The confidence model learns from rank probabilities of an inner
       cross-validation, so it never sees a rank model's answers on its own questions.
    3. The thresholds (answer, clarify) are chosen on the cross-validated predictions:
       the most answers with at most WRONG_BUDGET wrong answers.
    4. The final models are fitted on all questions and written to bot/calibration.json
       with the cross-validated figures per file: the only figures to report for the
       questions it was fitted on.

scikit-learn is needed here only (the `calibrate` extra); the bot reads the coefficients.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bot.engine import Decision, Engine, settle
from bot.evaluation import Item, Score, load_items, record, score_replies
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
from bot.replies import Replies, render_plain
from bot.retrieval import Evidence
from bot.triage import CRISIS, Signals, TriageLimits, semantic_reason, vetoed

# At most this share of all questions may get a wrong answer (the target is 2 %: the
# margin is for questions unlike the ones it was fitted on).
WRONG_BUDGET = 0.015
# At most this share of non-urgent questions may be taken for an emergency.
FALSE_ALARM_BUDGET = 0.0025
# "Bedoelt u ...?" only as far down as this share of out-of-scope questions still gets the
# honest fallback (per cent; the target is 90).
OOS_FALLBACK = 92.0
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


def _good(item: Item) -> set[str]:
    return {item.expect, *item.alt}


def _fit(features: tuple[str, ...], x: list[list[float]], y: list[bool]) -> LinearModel:
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
                y.append(entry.section in _good(case.item))
    return _fit(RANK_FEATURES, x, y)


def _top(case: Case, policy: Policy) -> tuple[list[Option], dict[str, float]]:
    """The case's entries one per section, best first, and the confidence features."""
    ranked = policy.rank(case.evidence)
    options = one_per_section(ranked)
    if not ranked:
        return options, {}
    return options, confidence_features(case.evidence, ranked, options, policy.faq)


def fit_confidence(train: Sequence[Case], faq: Faq, model: str) -> LinearModel:
    """Fitted on rank probabilities from an inner cross-validation."""
    x, y = [], []
    for inner_train, inner_test in _folds(train):
        rank = fit_rank(inner_train, faq)
        policy = Policy(faq, replace(blank(model), rank=rank))
        for case in inner_test:
            options, values = _top(case, policy)
            if options:
                x.append([values[f] for f in CONFIDENCE_FEATURES])
                y.append(options[0].entry.section in _good(case.item))
    return _fit(CONFIDENCE_FEATURES, x, y)


def _folds(items: Sequence[Case], k: int = FOLDS) -> list[tuple[list[Case], list[Case]]]:
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
            alarms = sum(_semantic(c, limits) for c in calm)
            if alarms > FALSE_ALARM_BUDGET * len(calm):
                continue
            caught = sum(_semantic(c, limits) for c in urgent)
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


def _semantic(case: Case, limits: TriageLimits) -> bool:
    return semantic_reason(case.signals, limits) is not None


@dataclass(frozen=True, slots=True)
class Prediction:
    case: Case
    urgent: bool  # semantic triage fired
    options: list[Option]
    confidence: float
    veto: bool = False  # an urgent rule's hit was set aside


def predict(cases_: Sequence[Case], faq: Faq, model: str) -> list[Prediction]:
    """Cross-validated predictions for every case."""
    out = []
    for train, test in _folds(cases_):
        rank = fit_rank(train, faq)
        conf = fit_confidence(train, faq, model)
        limits = fit_triage(train)
        policy = Policy(faq, replace(blank(model), rank=rank, confidence=conf))
        for case in test:
            options, values = _top(case, policy)
            confidence = conf.prob(values) if options else 0.0
            veto = vetoed(case.signals, limits)
            out.append(Prediction(case, _semantic(case, limits), options, confidence, veto))
    return out


def decision(p: Prediction, policy: Policy) -> Decision:
    """What the engine would decide, from a cross-validated prediction, at the policy's
    thresholds."""
    case = p.case
    screened = case.screened
    if screened is not None and screened.kind == "urgent":
        if screened.reason == CRISIS or not p.veto:
            return screened
        screened = None  # vetoed: the message goes on as the engine would take it
    if p.urgent:
        return Decision("urgent", case.lang, reason="semantic")
    if screened is not None:
        return screened
    return settle(case.evidence, policy.choose(p.confidence, p.options), case.lang, case.referral)


def _figures(
    preds: Sequence[Prediction], replies: Replies, answer_min: float, clarify_min: float
) -> Score:
    thresholds = replace(blank(""), answer_min=answer_min, clarify_min=clarify_min)
    policy = Policy(replies.faq, thresholds)

    def reply(p: Prediction) -> dict[str, Any]:
        d = decision(p, policy)
        return record(p.case.item.text, d, render_plain(replies.for_decision(d)))

    return score_replies((p.case.item, reply(p)) for p in preds)


def choose_thresholds(preds: Sequence[Prediction], replies: Replies) -> tuple[float, float]:
    """answer_min: the most right answers with wrong answers within WRONG_BUDGET;
    clarify_min: the lowest at which out-of-scope questions still fall back (OOS_FALLBACK)."""
    n = len(preds)
    best = (0, 0.99)
    for tau in GRID:
        s = _figures(preds, replies, tau, 2.0)
        if s.wrong <= WRONG_BUDGET * n and s.top1 > best[0]:
            best = (s.top1, tau)
    answer_min = best[1]
    clarify_min = answer_min
    for tau in reversed([t for t in GRID if t < answer_min]):
        if _figures(preds, replies, answer_min, tau).summary()["oos_fallback"] < OOS_FALLBACK:
            break
        clarify_min = tau
    return answer_min, clarify_min


def calibrate(engine: Engine, files: Sequence[Path]) -> dict[str, Any]:
    """Fit everything and return what bot/calibration.json holds."""
    model = engine.embedder.name
    all_cases = cases(engine, files)
    preds = predict(all_cases, engine.faq, model)
    replies = Replies(engine.faq)
    answer_min, clarify_min = choose_thresholds(preds, replies)
    figures = {
        path.name: _figures(
            [p for p in preds if p.case.source == path.name], replies, answer_min, clarify_min
        ).summary()
        for path in files
    }
    limits = fit_triage(all_cases)
    rank = fit_rank(all_cases, engine.faq)
    conf = fit_confidence(all_cases, engine.faq, model)

    def dump(m: LinearModel) -> dict[str, Any]:
        return {
            "features": list(m.features),
            "coef": [round(c, 5) for c in m.coef],
            "intercept": round(m.intercept, 5),
        }

    return {
        "about": "Written by `make calibrate` (bot/calibrate.py); do not edit by hand.",
        "model": model,
        "fitted_on": [p.name for p in files],
        "date": date.today().isoformat(),
        "questions": len(all_cases),
        "rank": dump(rank),
        "confidence": dump(conf),
        "answer_min": answer_min,
        "clarify_min": clarify_min,
        "option_min": OPTION_MIN,
        "triage": {
            "urgent_min": limits.urgent_min,
            "crisis_min": limits.crisis_min,
            "calm_margin": limits.calm_margin,
            "rule_veto": limits.rule_veto,
        },
        "cross_validated": figures,
    }


def write(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
