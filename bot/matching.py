"""Rank a FAQ's entries for a question. Pure: no I/O, no decisions.

Each entry is indexed once as two bags of stems: strong (its example phrasings, keywords
and label) and weak (its answer text), plus its phrasings as stem strings. A question's
terms are weighted by rarity across entries (inverse document frequency); a term no entry
knows weighs as much as the rarest one, so an unknown topic word drags every entry down.

    score = 100 * (coverage_weight * coverage + (1 - coverage_weight) * similarity)
    coverage   = the share of the question's weight the entry knows
    similarity = rapidfuzz token_sort_ratio against the entry's closest phrasing
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.faq import Entry, Faq
from bot.text import Analysis, Normaliser, clean
from bot.tuning import Tuning


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    entry: Entry
    strong: frozenset[str]
    weak: frozenset[str]
    phrasings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: Entry
    score: float
    coverage: float
    similarity: float


@dataclass(frozen=True, slots=True)
class Matcher:
    tuning: Tuning
    indexed: tuple[IndexedEntry, ...]
    idf: dict[str, float]
    unknown_idf: float

    @classmethod
    def build(cls, faq: Faq, normaliser: Normaliser) -> Matcher:
        def keys(texts: tuple[str, ...]) -> frozenset[str]:
            return frozenset(t.key for text in texts for t in normaliser.terms(clean(text)))

        indexed = []
        for e in faq.entries:
            strong = keys(e.phrasings + e.keywords + (e.label.nl, e.label.en))
            weak = keys((e.answer.nl, e.answer.en)) - strong
            phrasings = tuple(normaliser.analyse(clean(p)).shape for p in e.phrasings)
            indexed.append(IndexedEntry(e, strong, weak, tuple(p for p in phrasings if p)))
        df = Counter(k for ie in indexed for k in ie.strong | ie.weak)
        n = len(indexed)
        idf = {k: math.log(1 + n / d) for k, d in df.items()}
        unknown = normaliser.tuning.unknown_weight * math.log(1 + n)
        return cls(normaliser.tuning, tuple(indexed), idf, unknown)

    def stretch(self, ratio: float) -> float:
        """Map token_sort_ratio to 0-1 from its floor: any two sentences share letters."""
        floor = self.tuning.similarity_floor
        return max(0.0, (ratio - floor) / (1 - floor))

    def rank(self, analysis: Analysis) -> list[Candidate]:
        """Every entry with its score, best first; [] when the question has no terms."""
        if not analysis.terms:
            return []
        known = [(t.key, self.idf[t.key]) for t in analysis.terms if t.key in self.idf]
        unknown = len(analysis.terms) - len(known)
        # Many unknown words together are more likely chatter than the topic: their weight
        # grows slower than their number.
        total = sum(w for _, w in known) + self.unknown_idf * unknown**self.tuning.unknown_growth
        # Likeness to a short example phrasing means less for a long message: its share of
        # the score shrinks as the question grows past `similar_length` words.
        sw = (1 - self.tuning.coverage_weight) * min(
            1.0, self.tuning.similar_length / len(analysis.terms)
        )
        ranked = []
        for ie in self.indexed:
            hit = sum(
                w if k in ie.strong else w * self.tuning.answer_word_hit if k in ie.weak else 0.0
                for k, w in known
            )
            coverage = hit / total
            best = process.extractOne(analysis.shape, ie.phrasings, scorer=fuzz.token_sort_ratio)
            similarity = self.stretch(best[1] / 100 if best else 0.0)
            score = 100 * ((1 - sw) * coverage + sw * similarity)
            ranked.append(Candidate(ie.entry, round(score, 2), coverage, similarity))
        ranked.sort(key=lambda c: -c.score)
        return ranked
