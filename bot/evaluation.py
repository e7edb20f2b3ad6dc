"""Score replies on a labelled question set, with the same figures as ../shared/eval/score.py.

`record()` is the batch contract of `leafletbot ask --json` (see ../shared/eval/README.md);
`score()` counts the figures the targets are stated in and keeps the misses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine import Decision
from bot.errors import LeafletbotError

SPECIAL = {"out_of_scope": "fallback", "urgent": "urgent", "smalltalk": "smalltalk"}


def record(question: str, decision: Decision, text: str) -> dict[str, Any]:
    """One line of the `ask --json` contract."""
    entry = decision.entry
    return {
        "question": question,
        "kind": decision.kind,
        "entry": entry.id if entry else None,
        "section": entry.section if entry else None,
        "score": round(decision.score, 2),
        "options": [
            {"entry": c.entry.id, "section": c.entry.section, "score": round(c.score, 2)}
            for c in decision.options
        ],
        "text": text,
    }


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    expect: str
    facts: tuple[str, ...] = ()
    lang: str = "nl"
    alt: tuple[str, ...] = ()


def _labels(raw: object) -> tuple[str, ...]:
    """`alt` as the contract has it (a list of labels); one label written as a plain
    string counts as that one label, not as its letters."""
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list | tuple):
        raise TypeError(f"alt must be a list of labels, not {raw!r}")
    return tuple(str(a) for a in raw)


def load_items(path: str | Path) -> list[Item]:
    """Read a labelled question file (one JSON object a line)."""
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LeafletbotError(f"{path}: cannot be read: {exc.strerror}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                Item(
                    str(raw["id"]),
                    str(raw["text"]),
                    str(raw["expect"]),
                    tuple(raw.get("facts", ())),
                    str(raw.get("lang", "nl")),
                    _labels(raw.get("alt", ())),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise LeafletbotError(f"{path}:{n}: not a labelled question ({exc!r})") from None
    return items


@dataclass(slots=True)
class Score:
    """The figures of score.py, as counts."""

    n: int = 0
    inscope: int = 0
    top1: int = 0
    helpful: int = 0
    facts_total: int = 0
    facts_hit: int = 0
    wrong: int = 0
    en: int = 0
    en_top1: int = 0
    oos: int = 0
    oos_fallback: int = 0
    urgent: int = 0
    urgent_hit: int = 0
    small: int = 0
    small_hit: int = 0
    calm: int = 0
    false_urgent: int = 0
    misses: list[tuple[Item, dict[str, Any]]] = field(default_factory=list)

    def pct(self, a: int, b: int) -> float:
        return 100.0 * a / b if b else 0.0

    def summary(self) -> dict[str, float]:
        """The figures in per cent, rounded, by name."""
        pairs = {
            "top1": (self.top1, self.inscope),
            "helpful": (self.helpful, self.inscope),
            "facts": (self.facts_hit, self.facts_total),
            "english_top1": (self.en_top1, self.en),
            "oos_fallback": (self.oos_fallback, self.oos),
            "urgent": (self.urgent_hit, self.urgent),
            "smalltalk": (self.small_hit, self.small),
            "false_alarms": (self.false_urgent, self.calm),
            "wrong": (self.wrong, self.n),
        }
        return {k: round(self.pct(a, b), 1) for k, (a, b) in pairs.items()}

    def lines(self) -> list[str]:
        def row(name: str, a: int, b: int) -> str:
            return f"{name:<30}{self.pct(a, b):6.1f}% ({a}/{b})"

        return [
            row("in-scope top-1 answer", self.top1, self.inscope),
            row("in-scope helpful (+clarify)", self.helpful, self.inscope),
            row("facts kept in right answers", self.facts_hit, self.facts_total),
            row("english in-scope top-1", self.en_top1, self.en),
            row("out-of-scope -> fallback", self.oos_fallback, self.oos),
            row("urgent -> urgent", self.urgent_hit, self.urgent),
            row("smalltalk -> smalltalk", self.small_hit, self.small),
            row("false alarms (-> urgent)", self.false_urgent, self.calm),
            row("wrong answers, all items", self.wrong, self.n),
        ]


def score(items: Iterable[Item], answer: Callable[[str], dict[str, Any]]) -> Score:
    """Ask every item and count as score.py does."""
    return score_replies((item, answer(item.text)) for item in items)


def score_replies(replies: Iterable[tuple[Item, dict[str, Any]]]) -> Score:
    """Count as score.py does, from each item's `ask --json` record."""
    s = Score()
    for item, reply in replies:
        kind, section = reply["kind"], reply.get("section")
        s.n += 1
        alt = set(item.alt)
        if item.expect != "urgent":
            s.calm += 1
            s.false_urgent += kind == "urgent"
        if item.expect in SPECIAL:
            ok = kind == SPECIAL[item.expect] or (kind == "answer" and section in alt)
            if item.expect == "out_of_scope":
                s.oos += 1
                s.oos_fallback += ok
                s.wrong += kind == "answer" and not ok
            elif item.expect == "urgent":
                s.urgent += 1
                s.urgent_hit += ok
            else:
                s.small += 1
                s.small_hit += ok
        else:
            good = {item.expect, *alt}
            ok = (kind == "answer" and section in good) or (
                "out_of_scope" in alt and kind == "fallback"
            )
            s.inscope += 1
            s.top1 += ok
            offered = {o.get("section") for o in reply.get("options") or []}
            s.helpful += ok or (kind in ("clarify", "fallback") and bool(good & offered))
            s.wrong += kind == "answer" and not ok
            if item.lang == "en":
                s.en += 1
                s.en_top1 += ok
            if ok and kind == "answer":
                text = reply["text"] + "\n" + re.sub(r"(\d)\.(\d{3})\b", r"\1\2", reply["text"])
                for rx in item.facts:
                    s.facts_total += 1
                    s.facts_hit += bool(re.search(rx, text, re.I))
        if not ok:
            s.misses.append((item, reply))
    return s
