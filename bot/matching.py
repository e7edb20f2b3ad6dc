"""Rank a FAQ's entries for a question. Pure: no I/O, no decisions.

Each entry is indexed once as two bags of stems: strong (its example phrasings, keywords
and label) and weak (its answer text), plus its phrasings as stem strings. A question's
terms are weighted by rarity across entries (inverse document frequency); a term no entry
knows weighs as much as the rarest one, so an unknown topic word drags every entry down.

    score = 100 * (coverage_weight * coverage + (1 - coverage_weight) * similarity)
    coverage   = the share of the question's weight the entry knows
    similarity = rapidfuzz token_sort_ratio against the entry's closest phrasing
                 (computed as ratio() of tokens sorted once, at build time)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.cleaning import clean
from bot.faq import Entry, Faq
from bot.text import Normaliser
from bot.tuning import Tuning
from bot.vocabulary import Analysis


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
    # term key -> (entry position, hit factor: 1 for strong, answer_word_hit for weak)
    postings: dict[str, tuple[tuple[int, float], ...]]

    @classmethod
    def build(cls, faq: Faq, normaliser: Normaliser) -> Matcher:
        def keys(texts: tuple[str, ...]) -> frozenset[str]:
            return frozenset(t.key for text in texts for t in normaliser.terms(clean(text)))

        indexed = []
        for e in faq.entries:
            strong = keys(e.phrasings + e.keywords + (e.label.nl, e.label.en))
            weak = keys((e.answer.nl, e.answer.en)) - strong
            # Tokens sorted once here: token_sort_ratio is ratio() of the sorted tokens.
            phrasings = tuple(
                _sorted_tokens(normaliser.analyse(clean(p)).shape) for p in e.phrasings
            )
            indexed.append(IndexedEntry(e, strong, weak, tuple(p for p in phrasings if p)))
        df = Counter(k for ie in indexed for k in ie.strong | ie.weak)
        n = len(indexed)
        idf = {k: math.log(1 + n / d) for k, d in df.items()}
        unknown = normaliser.tuning.unknown_weight * math.log(1 + n)
        postings: dict[str, list[tuple[int, float]]] = {}
        weak_hit = normaliser.tuning.answer_word_hit
        for i, ie in enumerate(indexed):
            for k in ie.strong:
                postings.setdefault(k, []).append((i, 1.0))
            for k in ie.weak:
                postings.setdefault(k, []).append((i, weak_hit))
        frozen = {k: tuple(v) for k, v in postings.items()}
        return cls(normaliser.tuning, tuple(indexed), idf, unknown, frozen)

    def stretch(self, ratio: float) -> float:
        """Map token_sort_ratio to 0-1 from its floor: any two sentences share letters."""
        floor = self.tuning.similarity_floor
        return max(0.0, (ratio - floor) / (1 - floor))

    def weights(self, analysis: Analysis) -> tuple[list[tuple[str, float]], float]:
        """The known terms with their weights, and the weight of the question as a whole."""
        known = [(t.key, self.idf[t.key]) for t in analysis.terms if t.key in self.idf]
        unknown = len(analysis.terms) - len(known)
        # Many unknown words together are more likely chatter than the topic: their weight
        # grows slower than their number.
        total = sum(w for _, w in known) + self.unknown_idf * unknown**self.tuning.unknown_growth
        return known, total

    def unknown_share(self, analysis: Analysis) -> float:
        """The share of the question's weight in words no entry knows: the near-miss signal
        ("hoeveel calcium zit er in spinazie?" is mostly about spinazie)."""
        known, total = self.weights(analysis)
        return 1.0 - sum(w for _, w in known) / total if total else 1.0

    def rank(self, analysis: Analysis) -> list[Candidate]:
        """The entries that share a word with the question and may matter, best first.

        Coverage comes from the inverted index, for every entry that knows a word of the
        question. Similarity (the costly part) is computed in order of coverage, and the
        walk stops once even a perfect similarity could not bring an entry within reach of
        the best: within `rank_reach`. What is left out
        cannot change a decision. At most `max_candidates` entries are scored: more than a
        one-leaflet FAQ has, so there it changes nothing; in a library of hundreds of
        leaflets it bounds the time a question takes. [] when no entry knows a word of the
        question."""
        if not analysis.terms:
            return []
        known, total = self.weights(analysis)
        hits: dict[int, float] = {}
        for key, weight in known:
            for position, factor in self.postings[key]:
                hits[position] = hits.get(position, 0.0) + weight * factor
        # Likeness to a short example phrasing means less for a long message: its share of
        # the score shrinks as the question grows past `similar_length` words.
        sw = (1 - self.tuning.coverage_weight) * min(
            1.0, self.tuning.similar_length / len(analysis.terms)
        )
        reach = self.tuning.rank_reach
        shape = _sorted_tokens(analysis.shape)
        ranked: list[Candidate] = []
        best_score = -1.0
        by_coverage = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
        for position, hit in by_coverage[: self.tuning.max_candidates]:
            coverage = hit / total
            if 100 * ((1 - sw) * coverage + sw) < best_score - reach:
                break  # sorted by coverage: no later entry can come within reach either
            ie = self.indexed[position]
            best = process.extractOne(shape, ie.phrasings, scorer=fuzz.ratio)
            similarity = self.stretch(best[1] / 100 if best else 0.0)
            score = round(100 * ((1 - sw) * coverage + sw * similarity), 2)
            best_score = max(best_score, score)
            ranked.append(Candidate(ie.entry, score, coverage, similarity))
        ranked.sort(key=lambda c: -c.score)
        return ranked


def _sorted_tokens(text: str) -> str:
    return " ".join(sorted(text.split()))
