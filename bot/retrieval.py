"""Three retrievers behind one interface, and the step that merges their evidence.

Query       a message made ready once: cleaned text, the parts that may hold the
            question, and their sentence vectors
Retriever   evidence(query) -> Evidence: named signals per FAQ entry, and about the
            question as a whole
Lexical     today's matcher (bot/matching.py): coverage of the question's weighted
            words and likeness to the nearest example phrasing; and how much of the
            question is made of words the leaflet does not know, and whether it holds a
            word that is not an everyday one (the near-miss signals)
Semantic    cosine similarity of the message (and its parts) to each entry's example
            phrasings, label and answer sentences
Topic       the learned topic model (bot/topics.py): how likely the message is about each
            entry's section, and how likely it is about something the leaflet does not cover
merge       one Evidence from several: what the policy (bot/policy.py) decides on
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.cleaning import spoken_punctuation
from bot.faq import Faq
from bot.lexicon import Lexicon
from bot.matching import Matcher
from bot.neighbours import Near, NeighbourBank
from bot.semantic import Embedder, EmbeddingIndex, Vectors
from bot.spelling import word_zipf
from bot.text import Analysis, Normaliser, clean, question_parts
from bot.topics import TopicModel

# A message as the sentence model should read it (Normaliser.respell).
Respell = Callable[[str], str]
# The words of a cleaned message that the topic model reads (Normaliser.topic_words).
Words = Callable[[str], frozenset[str]]

_SENTENCE = re.compile(r"(?<=[.?!])\s+")
# Answer sentences shorter than this say too little to match on ("Ja.").
MIN_ANSWER_SENTENCE = 16


@dataclass(frozen=True, slots=True)
class Query:
    """A message made ready for the retrievers: `text` as typed, but with dictated marks
    written (cleaning.spoken_punctuation); `units` the whole cleaned message and the parts
    that may hold its question (see text.question_parts); `vectors` their embeddings (of
    the units with misspellings mended: Normaliser.respell), one row each, the whole
    message first."""

    text: str
    cleaned: str
    units: tuple[str, ...]
    vectors: Vectors


@dataclass(frozen=True, slots=True)
class Evidence:
    """Named signals: per entry id, and about the question as a whole."""

    entries: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    question: Mapping[str, float] = field(default_factory=dict)


class Retriever(Protocol):
    def evidence(self, query: Query) -> Evidence: ...


@dataclass(frozen=True, slots=True)
class LexicalRetriever:
    normaliser: Normaliser
    matcher: Matcher
    lexicon: Lexicon

    def analyses(self, query: Query) -> list[Analysis]:
        units = {self.lexicon.without_greeting(u) for u in query.units}
        return [a for a in (self.normaliser.analyse(u) for u in sorted(units)) if a.terms]

    def rare(self, word: str) -> bool:
        """Not an everyday word in Dutch or English (as bot/spelling.py judges a real word):
        often the name of a medicine, a product or a test."""
        return word_zipf(word) < self.normaliser.tuning.real_word_zipf

    def evidence(self, query: Query) -> Evidence:
        """Per entry its best score and coverage over the message's parts. `unknown` is the
        smallest share of a part's weight that the leaflet does not know at all; `rare` is
        1 when a part holds a word that neither the leaflet nor everyday language knows."""
        entries: dict[str, dict[str, float]] = {}
        unknown, terms, rare = 1.0, 0, 0.0
        for analysis in self.analyses(query):
            unknown = min(unknown, self.matcher.unknown_share(analysis))
            terms = max(terms, len(analysis.terms))
            rare = max(rare, float(any(self.rare(t.word) for t in analysis.terms if not t.known)))
            for c in self.matcher.rank(analysis):
                seen = entries.get(c.entry.id)
                if seen is None or c.score / 100 > seen["lex"]:
                    entries[c.entry.id] = {"lex": c.score / 100, "cov": c.coverage}
        return Evidence(entries, {"unknown": unknown, "terms": float(terms), "rare": rare})


@dataclass(frozen=True, slots=True)
class SemanticRetriever:
    index: EmbeddingIndex

    @classmethod
    def build(cls, faq: Faq, embedder: Embedder, cache_dir: Path | None) -> SemanticRetriever:
        texts = []
        for e in faq.entries:
            texts += [(e.id, p) for p in (*e.phrasings, e.label.nl, e.label.en)]
            texts += [
                (e.id, s)
                for answer in (e.answer.nl, e.answer.en)
                for s in _SENTENCE.split(answer)
                if len(s) >= MIN_ANSWER_SENTENCE
            ]
        return cls(EmbeddingIndex.build(embedder, texts, cache_dir))

    def evidence(self, query: Query) -> Evidence:
        best = self.index.best(query.vectors)
        return Evidence({entry: {"sem": sim} for entry, sim in best.items()})


@dataclass(frozen=True, slots=True)
class TopicRetriever:
    faq: Faq
    model: TopicModel | None  # None: no topic signal (while `make calibrate` fits one)
    words: Words  # the words of a cleaned message, as the topic model reads them

    def evidence(self, query: Query) -> Evidence:
        if self.model is None:
            return Evidence()
        probs, outside = self.model.read(query.vectors, self.words(query.cleaned))
        return Evidence(
            {e.id: {"topic": probs.get(e.section, 0.0)} for e in self.faq.entries},
            {"outside": outside},
        )


@dataclass(frozen=True, slots=True)
class NeighbourRetriever:
    faq: Faq
    bank: NeighbourBank | None  # None: no such signal (while `make calibrate` makes one)

    def evidence(self, query: Query) -> Evidence:
        if self.bank is None:
            return Evidence()
        return near_evidence(self.faq, self.bank.near(query.vectors[0]))


def near_evidence(faq: Faq, near: Near) -> Evidence:
    """Per entry the share of the nearest labelled questions about its section; for the
    question, the share about something the leaflet does not cover and the nearest's
    similarity."""
    return Evidence(
        {e.id: {"near": near.sections.get(e.section, 0.0)} for e in faq.entries},
        {"near_out": near.outside, "near_sim": near.similarity},
    )


def make_query(text: str, embedder: Embedder, respell: Respell = str, max_parts: int = 4) -> Query:
    """Clean a message, find its parts, and embed them (respelt) in one batch."""
    return make_queries([text], embedder, respell, max_parts)[0]


def make_queries(
    texts: Sequence[str], embedder: Embedder, respell: Respell = str, max_parts: int = 4
) -> list[Query]:
    """`make_query` for many messages, embedded in one batch (about three times faster
    than one message at a time); each Query is the same as `make_query` gives. The
    sentence model reads each unit `respell`ed: with its misspellings mended."""
    texts = [spoken_punctuation(text) for text in texts]
    split = [(text, question_parts(text)[:max_parts]) for text in texts]
    vectors = embedder.embed([respell(unit) for text, parts in split for unit in (text, *parts)])
    queries = []
    row = 0
    for text, parts in split:
        cleaned = clean(text)
        units = tuple(dict.fromkeys((cleaned, *(clean(p) for p in parts))))
        queries.append(Query(text, cleaned, units, vectors[row : row + 1 + len(parts)]))
        row += 1 + len(parts)
    return queries


def merge(*evidence: Evidence) -> Evidence:
    """One Evidence: every entry any retriever found, with all the signals found for it."""
    entries: dict[str, dict[str, float]] = {}
    question: dict[str, float] = {}
    for ev in evidence:
        question.update(ev.question)
        for entry, signals in ev.entries.items():
            entries.setdefault(entry, {}).update(signals)
    return Evidence(entries, question)
