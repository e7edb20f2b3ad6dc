"""`make calibrate-triage`: fit the learned triage signal (bot/triage.py, UrgencyModel).

Every labelled question of every set is embedded as the engine embeds it; a logistic
regression learns "emergency or not" from urgency_features. Its threshold is the
probability above which only FA_TARGET of the training sets' non-urgent questions lie.

Honest figures: leave one set out. Each set is predicted by a model fitted on all the
others, so its figure is that of a writer the model never saw. They are written with the
model to bot/urgency.json. scikit-learn is needed only here (the `calibrate` extra).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.engine import Engine
from bot.evaluation import load_items
from bot.semantic import Vectors
from bot.triage import UrgencyModel, urgency_features

# Share of the training sets' calm questions allowed above the threshold.
FA_TARGET = 0.005
# Regularisation: strong, for about 1,000 weights and 2,000 questions.
C = 0.1


@dataclass(frozen=True, slots=True)
class Sample:
    group: str  # the set (file name) it comes from
    urgent: bool
    features: Vectors
    rules: bool  # the rules and the bank alone call it urgent


def samples(engine: Engine, files: Sequence[Path]) -> list[Sample]:
    """Every question of every file, with its features and what triage without the learned
    signal decides (the engine must be built with learned=False)."""
    out = []
    for path in files:
        items = load_items(path)
        for item, query in zip(items, engine.queries([i.text for i in items]), strict=True):
            signals = engine.triage.signals(query.vectors)
            urgent = engine.triage.check(query.cleaned, query.vectors) is not None
            features = urgency_features(query.vectors, signals)
            out.append(Sample(path.name, item.expect == "urgent", features, urgent))
    return out


def fit(train: Sequence[Sample], model: str) -> UrgencyModel:
    """The model fitted on `train`."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    x = np.stack([s.features for s in train])
    y = np.array([s.urgent for s in train])
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)
    calm = clf.predict_proba(x[~y])[:, 1]
    threshold = float(np.quantile(calm, 1 - FA_TARGET))
    return UrgencyModel(
        model, clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), threshold
    )


def calibrate_triage(engine: Engine, files: Sequence[Path]) -> dict[str, Any]:
    """The model fitted on all files, with each file's leave-one-out figures (per cent)."""
    data = samples(engine, files)
    name = engine.embedder.name
    figures = {}
    for group in dict.fromkeys(s.group for s in data):
        left_out = fit([s for s in data if s.group != group], name)
        test = [s for s in data if s.group == group]
        learned = [left_out.prob_of(s.features) >= left_out.threshold for s in test]
        figures[group] = {
            "learned_urgent": _share(learned, test, urgent=True),
            "learned_false_alarms": _share(learned, test, urgent=False),
            "with_rules_urgent": _share(
                [fired or s.rules for fired, s in zip(learned, test, strict=True)], test, True
            ),
            "with_rules_false_alarms": _share(
                [fired or s.rules for fired, s in zip(learned, test, strict=True)], test, False
            ),
        }
    final = fit(data, name)
    return {
        "model": name,
        "fa_target": FA_TARGET,
        "threshold": round(final.threshold, 6),
        "intercept": round(final.intercept, 6),
        "coef": [round(float(c), 6) for c in final.coef],
        "leave_one_set_out": figures,
    }


def _share(fired: Sequence[bool], test: Sequence[Sample], urgent: bool) -> float:
    """Per cent of the test's urgent (or non-urgent) questions that fired."""
    picked = [f for f, s in zip(fired, test, strict=True) if s.urgent is urgent]
    return round(100 * sum(picked) / len(picked), 1) if picked else 0.0


def write(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
