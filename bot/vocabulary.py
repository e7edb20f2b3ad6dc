"""The words one FAQ uses, by language, and the terms a question is made of as the
matcher sees them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.cleaning import WORD, clean
from bot.faq import Faq
from bot.lexicon import Lexicon


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a question as the matcher sees it."""

    word: str  # the word after synonyms and corrections
    key: str  # its stem: what the matcher compares
    known: bool  # the FAQ's vocabulary holds it


@dataclass(frozen=True, slots=True)
class Analysis:
    """A question as the matcher sees it."""

    terms: tuple[Term, ...]  # content words, resolved and stemmed, each once
    shape: str  # every word in order, stop words too, for whole-sentence similarity


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words one FAQ uses, by language, as surface words and as stems."""

    words: frozenset[str]
    keywords: frozenset[str]
    nl_words: frozenset[str]
    en_words: frozenset[str]

    @classmethod
    def of(cls, faq: Faq, lexicon: Lexicon) -> Vocabulary:
        """Every word the FAQ's phrasings, keywords, labels, answers and synonyms use."""
        nl = words_of(t for e in faq.entries for t in (*e.phrasings_nl, e.answer.nl, e.label.nl))
        en = words_of(t for e in faq.entries for t in (*e.phrasings_en, e.answer.en, e.label.en))
        keywords = frozenset(words_of(k for e in faq.entries for k in e.keywords))
        targets = words_of(faq.synonyms.values())
        content = {
            w
            for w in (*nl, *en, *targets)
            if w not in lexicon.stopwords and w not in lexicon.context_words
        }
        return cls(frozenset(content) | keywords, keywords, frozenset(nl), frozenset(en))


def words_of(texts: Iterable[str]) -> list[str]:
    return [w for t in texts for w in WORD.findall(clean(t))]
