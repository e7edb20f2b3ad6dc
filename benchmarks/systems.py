"""The engine and its baselines, behind one interface for the benchmark.

Every system answers a question with a record in the `ask --json` shape, so that
bot.evaluation.score() counts their figures exactly as score.py does.

- dense: the engine's sentence model alone: the nearest example phrasing to the whole
  message (cosine); below a cut-off chosen on the dev set, a fallback.
- rapidfuzz: `process.extractOne` over every example phrasing, WRatio, the default
  processor, cut-off 60; below it a fallback.
- bm25: the bm25s package, one document per entry (its phrasings and answers), Dutch and
  English stop words removed; below a cut-off chosen on the dev set, a fallback.

The lexical engine before the semantic stage runs from its own commit: benchmarks/legacy.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from rapidfuzz import fuzz, process, utils

from bot.faq import Entry, Faq

# Each system imports what it needs when it is built, so that a worker process's peak
# memory is that system's own (benchmarks/worker.py).

RAPIDFUZZ_CUTOFF = 60.0


class System(Protocol):
    name: str

    def answer(self, question: str) -> dict[str, Any]: ...


def _record(question: str, entry: Entry | None, score: float) -> dict[str, Any]:
    if entry is None:
        return {
            "question": question,
            "kind": "fallback",
            "entry": None,
            "section": None,
            "score": score,
            "options": [],
            "text": "Dit staat niet in de folder.",
        }
    return {
        "question": question,
        "kind": "answer",
        "entry": entry.id,
        "section": entry.section,
        "score": score,
        "options": [],
        "text": entry.answer.nl,
    }


class EngineSystem:
    name = "engine"

    def __init__(self, faq: Faq, cache_dir: Path | None = None) -> None:
        from bot.engine import Engine
        from bot.replies import Replies

        self.engine = Engine.build(faq, cache_dir=cache_dir)
        self.replies = Replies(faq)

    def answer(self, question: str) -> dict[str, Any]:
        from bot.evaluation import record
        from bot.reply import render_plain

        decision = self.engine.ask(question)
        return record(question, decision, render_plain(self.replies.for_decision(decision)))


class CutoffSystem:
    """A system that answers with its top entry when its score is above a cut-off."""

    name = "cutoff"
    cutoff = 0.0

    def top(self, question: str) -> tuple[Entry, float] | None:
        raise NotImplementedError

    def answer(self, question: str) -> dict[str, Any]:
        found = self.top(question)
        if found is None or found[1] <= self.cutoff:
            return _record(question, None, found[1] if found else 0.0)
        return _record(question, found[0], found[1])


class DenseSystem(CutoffSystem):
    name = "dense"

    def __init__(self, faq: Faq, cutoff: float = 0.0, cache_dir: Path | None = None) -> None:
        from bot.semantic import EmbeddingIndex, UseEmbedder

        self.embedder = UseEmbedder.load()
        self.entries = {e.id: e for e in faq.entries}
        self.cutoff = cutoff
        phrasings = [(e.id, p) for e in faq.entries for p in e.phrasings]
        self.index = EmbeddingIndex.build(self.embedder, phrasings, cache_dir)

    def top(self, question: str) -> tuple[Entry, float] | None:
        best = self.index.best(self.embedder.embed([question]))
        if not best:
            return None
        entry, similarity = max(best.items(), key=lambda pair: pair[1])
        return self.entries[entry], similarity


class RapidfuzzSystem:
    name = "rapidfuzz"

    def __init__(self, faq: Faq) -> None:
        self.owners = [e for e in faq.entries for _ in e.phrasings]
        self.choices = [p for e in faq.entries for p in e.phrasings]

    def answer(self, question: str) -> dict[str, Any]:
        best = process.extractOne(
            question,
            self.choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=RAPIDFUZZ_CUTOFF,
        )
        if best is None:
            return _record(question, None, 0.0)
        return _record(question, self.owners[best[2]], float(best[1]))


class Bm25System(CutoffSystem):
    name = "bm25"

    def __init__(self, faq: Faq, cutoff: float = 0.0) -> None:
        import bm25s  # type: ignore[import-untyped]
        import stopwordsiso  # type: ignore[import-untyped]

        self.bm25s = bm25s
        self.entries = faq.entries
        self.cutoff = cutoff
        self.stopwords = sorted(
            set(stopwordsiso.stopwords("nl")) | set(stopwordsiso.stopwords("en"))
        )
        documents = [" ".join((*e.phrasings, e.answer.nl, e.answer.en)) for e in faq.entries]
        self.retriever = bm25s.BM25()
        self.retriever.index(self._tokens(documents), show_progress=False)

    def _tokens(self, texts: list[str]) -> Any:
        return self.bm25s.tokenize(texts, stopwords=self.stopwords, show_progress=False)

    def top(self, question: str) -> tuple[Entry, float] | None:
        query = self.bm25s.tokenize(
            [question], stopwords=self.stopwords, show_progress=False, return_ids=False
        )
        known = [[t for t in query[0] if t in self.retriever.vocab_dict]]
        if not known[0]:
            return None
        documents, scores = self.retriever.retrieve(known, k=1, show_progress=False)
        return self.entries[int(documents[0][0])], float(scores[0][0])


def choose_cutoff(system: CutoffSystem, items: list[Any], max_wrong: float = 1.0) -> float:
    """The cut-off that gets most dev items right (in-scope answered right plus out-of-scope
    falling back) while wrong answers stay at or below `max_wrong` of all items."""
    tops = [(item, system.top(item.text)) for item in items]
    candidates = sorted({round(t[1], 3) for _, t in tops if t is not None} | {-1.0})
    best, best_right = max(candidates), -1
    for cutoff in candidates:
        right = wrong = 0
        for item, top in tops:
            answered = top is not None and top[1] > cutoff
            good = {item.expect, *item.alt}
            if item.expect == "out_of_scope":
                right += not answered
                wrong += answered and not (top is not None and top[0].section in good)
            elif answered and top is not None:
                hit = item.expect not in ("urgent", "smalltalk") and top[0].section in good
                right += hit
                wrong += not hit and item.expect not in ("urgent", "smalltalk")
        if wrong <= max_wrong * len(items) and right > best_right:
            best, best_right = cutoff, right
    return best
