"""Fitting for `make calibrate` (bot/calibrate.py): the labelled questions taken along the
engine's road up to the decision, the folds, and the fits of the topic, rank and confidence
models and the triage thresholds. scikit-learn is needed here only (the `calibrate` extra).

The topic model (bot/topics.py) is fitted first and its signals are cross-fitted: each
question gets them from a topic model fitted on the other folds (the same folds as the
cross-validation), so the rank and confidence models learn how far to trust the topic
model on questions it has not seen, as it will be at run time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.engine import Decision, Engine
from bot.errors import LeafletbotError
from bot.evaluation import SPECIAL, Item, load_items
from bot.faq import Faq
from bot.neighbours import NeighbourBank, bank_of
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
from bot.retrieval import Evidence, Query, TopicRetriever, Words, merge, near_evidence
from bot.topics import TopicModel, topic_features
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
# Regularisation of the topic model's two regressions: chosen on the labelled sets, the
# held-out sets unseen, when they had about 1,000 weights a class (the vectors alone); kept
# with the words: leaving one set out, regularising the words' weights less (their
# features 2 or 4 instead of 1) did worse.
TOPIC_C = 3.0
# A word, or two words that follow each other, is one of the topic model's terms when at
# least this many of the questions and phrasings it is fitted on hold it. Leaving one set
# out at a time over the triage and training sets: with no terms the likeliest section was
# right for 92.1 % of the answerable questions, and with 90 % of the near misses seen as
# outside, 64 % of the answerable ones were seen as inside; with the words 94.7 % and 88 %,
# with the pairs too 94.8 % and 90 %. Once (1) or three times (3) did as well as twice.
TERM_MIN_COUNT = 2


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled question, taken as far as the engine goes before the policy."""

    item: Item
    source: str
    lang: str
    screened: Decision | None  # rules, smalltalk, nothing readable: decided already
    signals: Signals
    evidence: Evidence  # without the topic signals until with_topics adds them
    referral: str | None
    query: Query
    sure: bool = False  # screened as urgent by a rule that is never vetoed


def blank(model: str) -> Calibration:
    """A calibration that answers nothing and never triages semantically: for fitting."""
    zero = LinearModel(RANK_FEATURES, (0.0,) * len(RANK_FEATURES), 0.0)
    conf = LinearModel(CONFIDENCE_FEATURES, (0.0,) * len(CONFIDENCE_FEATURES), 0.0)
    return Calibration(model, zero, conf, 2.0, 2.0, OPTION_MIN, NEVER)


def cases(engine: Engine, files: Sequence[Path]) -> list[Case]:
    """Every labelled question, taken along the road (the engine built with learned=False,
    so the evidence has no topic signals yet)."""
    out = []
    sure = {r.name for r in engine.lexicon.urgent if r.sure}
    for path in files:
        items = load_items(path)
        for item, query in zip(items, engine.queries([i.text for i in items]), strict=True):
            lang = engine.language(query, None)
            screened = engine.screen(query, lang)
            out.append(
                Case(
                    item,
                    path.name,
                    lang,
                    screened,
                    engine.triage.signals(query.vectors),
                    engine.evidence(query),
                    engine.lexicon.referral(query.cleaned),
                    query,
                    screened is not None and screened.kind == "urgent" and screened.reason in sure,
                )
            )
    return out


# A topic example: a section id (or OUTSIDE) and the question.
Example = tuple[str, Query]
OUTSIDE = "out_of_scope"


def phrasings(engine: Engine) -> list[Example]:
    """The FAQ's example phrasings as (section, query): the topic model learns from them
    as well as from the labelled questions."""
    pairs = [(e.section, p) for e in engine.faq.entries for p in e.phrasings]
    queries = engine.queries([p for _, p in pairs])
    return [(section, q) for (section, _), q in zip(pairs, queries, strict=True)]


def answerable(cases_: Sequence[Case]) -> list[Example]:
    """The questions that reach the policy, as topic examples: a section, or OUTSIDE."""
    return [example for _, example in _reaching(cases_)]


def _reaching(cases_: Sequence[Case]) -> list[tuple[Case, Example]]:
    out = []
    for c in cases_:
        if c.screened is None and c.item.expect not in ("urgent", "smalltalk"):
            label = OUTSIDE if c.item.expect == "out_of_scope" else c.item.expect
            out.append((c, (label, c.query)))
    return out


def fit_topics(
    train: Sequence[Case], examples: Sequence[Example], model: str, words: Words
) -> TopicModel:
    """The topic model from `examples` (the phrasings, and any more) and the training
    questions that reach the policy: their sections, and out-of-scope against answerable,
    read from their sentence vectors and from which of the words they often use they hold
    (`words`: Normaliser.topic_words)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    labelled = [*examples, *answerable(train)]
    held = [words(q.cleaned) for _, q in labelled]
    counts = Counter(w for ws in held for w in ws)
    terms = tuple(sorted(w for w, n in counts.items() if n >= TERM_MIN_COUNT))
    places = {t: i for i, t in enumerate(terms)}
    x = np.stack(
        [topic_features(q.vectors, ws, places) for (_, q), ws in zip(labelled, held, strict=True)]
    )
    outside = np.array([label == OUTSIDE for label, _ in labelled])
    if not outside.any():
        raise LeafletbotError(
            "the labelled sets hold no out-of-scope question that reaches the policy: the "
            "topic model needs some to learn what the leaflet does not cover; add them"
        )
    sections = LogisticRegression(C=TOPIC_C, solver="newton-cg", max_iter=5000)
    sections.fit(x[~outside], [label for label, _ in labelled if label != OUTSIDE])
    gate = LogisticRegression(
        C=TOPIC_C, solver="newton-cg", max_iter=5000, class_weight="balanced"
    )
    gate.fit(x, outside)
    return TopicModel(
        model,
        tuple(str(c) for c in sections.classes_),
        sections.coef_.astype(np.float32),
        sections.intercept_.astype(np.float32),
        gate.coef_[0].astype(np.float32),
        float(gate.intercept_[0]),
        terms,
    )


def with_topics(cases_: Sequence[Case], topics: TopicModel, faq: Faq, words: Words) -> list[Case]:
    """The cases with the topic model's signals merged into their evidence."""
    retriever = TopicRetriever(faq, topics, words)
    return [replace(c, evidence=merge(c.evidence, retriever.evidence(c.query))) for c in cases_]


def neighbour_bank(cases_: Sequence[Case], model: str) -> tuple[NeighbourBank, list[str]]:
    """The bank of the questions that reach the policy (a section, or OUTSIDE), and the
    set each row comes from."""
    rows = [(c.source, label, q.vectors[0]) for c, (label, q) in _reaching(cases_)]
    bank = bank_of(model, [(label, vector) for _, label, vector in rows])
    return bank, [source for source, _, _ in rows]


def with_neighbours(
    cases_: Sequence[Case], bank: NeighbourBank, sources: Sequence[str], faq: Faq
) -> list[Case]:
    """The cases with the signals of their nearest labelled questions merged in, each from
    the other writers' sets only (its own set is left out, as a new writer's would be)."""
    of = np.array(sources)
    others = {source: of != source for source in {c.source for c in cases_}}
    return [
        replace(
            c,
            evidence=merge(
                c.evidence, near_evidence(faq, bank.near(c.query.vectors[0], others[c.source]))
            ),
        )
        for c in cases_
    ]


def cross_fit_topics(
    cases_: Sequence[Case], examples: Sequence[Example], faq: Faq, model: str, words: Words
) -> list[Case]:
    """Every case with topic signals from a model fitted on the other folds, in the order
    given."""
    done: dict[int, Case] = {}
    for train, test in folds(cases_):
        topics = fit_topics(train, examples, model, words)
        tested = with_topics(test, topics, faq, words)
        done.update(zip((id(c) for c in test), tested, strict=True))
    return [done[id(c)] for c in cases_]


def good(item: Item) -> set[str]:
    return {item.expect, *item.alt}


def fit(features: tuple[str, ...], x: list[list[float]], y: list[bool]) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=1.0, max_iter=5000).fit(np.array(x), np.array(y))
    coef = tuple(float(c) for c in clf.coef_[0])
    return LinearModel(features, coef, float(clf.intercept_[0]))


def fit_rank(train: Sequence[Case], faq: Faq) -> LinearModel:
    """Fitted on the answerable questions that reach the policy."""
    x, y = [], []
    for case in train:
        if case.item.expect in SPECIAL or case.screened is not None:
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
    """Fitted on rank probabilities from an inner cross-validation, on the questions that
    reach the policy (an emergency the rules caught never does)."""
    x, y = [], []
    for inner_train, inner_test in folds(train):
        rank = fit_rank(inner_train, faq)
        policy = Policy(faq, replace(blank(model), rank=rank))
        for case in inner_test:
            if case.screened is not None:
                continue
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
    beyond the calmest-looking emergency that a rule which can be vetoed caught (crisis and
    sure rules never are)."""
    caught = [
        c.signals.calm - c.signals.urgent
        for c in urgent
        if c.screened is not None
        and c.screened.kind == "urgent"
        and c.screened.reason != CRISIS
        and not c.sure
    ]
    return round(max(caught) + VETO_SAFETY, 3) if caught else 2.0


def semantic_fires(case: Case, limits: TriageLimits) -> bool:
    return semantic_reason(case.signals, limits) is not None
