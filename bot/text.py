"""Turn a patient's message into terms the matcher can compare.

    clean("Hoevéél KALK per dag?? 🙂")  ->  " hoeveel kalk per dag "
    Normaliser.terms(...)               ->  hoeveel, calcium (synonym), dag

Each word goes through, in order: stop words (dropped), the FAQ's synonyms, the FAQ's own
vocabulary (compared by Dutch stem, so "tabletten" meets "tablet"), compound splitting
("calciumtabletten" -> calcium + tablet), and spelling correction against the vocabulary
("osteopinie" -> osteopenie). A real Dutch or English word the FAQ does not know is not
"corrected" into one it does: it stays unknown, which tells the engine the question asks
about something the leaflet does not cover.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import snowballstemmer  # type: ignore[import-untyped]

from bot.cleaning import MAX_QUESTION_CHARS, WORD, clean, has_letters, question_parts
from bot.lexicon import Lexicon
from bot.spelling import Speller
from bot.tuning import TUNING, Tuning
from bot.vocabulary import Analysis, Term, Vocabulary

# What the road's other stops import from here (engine.py, retrieval.py).
__all__ = [
    "MAX_QUESTION_CHARS",
    "Analysis",
    "Normaliser",
    "Term",
    "Vocabulary",
    "clean",
    "has_letters",
    "question_parts",
]

# A run of letters, in any alphabet, as typed.
_LETTERS = re.compile(r"[^\W\d_]+")
# Words resolved and stemmed are remembered, up to this many of each, then forgotten at once.
CACHE_LIMIT = 50_000


def inflection_bases(token: str) -> list[str]:
    """Forms the Dutch stemmer leaves alone: behandeld -> behandel, verlaagde -> verlaagd,
    gemeten -> meten."""
    bases = []
    if len(token) >= 6:
        bases += [token[:-1], token[:-2]]
    if token.startswith("ge") and len(token) >= 6:
        bases.append(token[2:])
    return bases


def diminutive_bases(token: str) -> list[str]:
    """What a Dutch diminutive may be made from: wijntje -> wijn, pilletje -> pil."""
    word = token[:-1] if token.endswith("jes") else token
    bases = []
    for suffix in ("etje", "tje", "pje", "je"):
        base = word.removesuffix(suffix)
        if base != word and len(base) >= 3:
            bases.append(base)
            if len(base) > 3 and base[-1] == base[-2]:
                bases.append(base[:-1])
    return bases


@dataclass(frozen=True, slots=True)
class Normaliser:
    """Cleans, splits and resolves words against one FAQ's vocabulary (see module doc)."""

    lexicon: Lexicon
    vocabulary: Vocabulary
    synonyms: Mapping[str, str]
    tuning: Tuning = TUNING
    _stemmer: object = field(default_factory=lambda: snowballstemmer.stemmer("dutch"))
    _stems: dict[str, str] = field(default_factory=dict)
    _resolved: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _respelt: dict[str, str] = field(default_factory=dict)  # token -> the speller's word
    _phrase_synonyms: tuple[tuple[re.Pattern[str], str], ...] = ()
    _known_stems: frozenset[str] = frozenset()
    _speller: Speller | None = None

    @classmethod
    def build(
        cls,
        lexicon: Lexicon,
        vocabulary: Vocabulary,
        synonyms: Mapping[str, str],
        tuning: Tuning = TUNING,
    ) -> Normaliser:
        cleaned = {clean(k).strip(): clean(v).strip() for k, v in synonyms.items()}
        # Longest first, so "vitamin d" wins over "vitamin".
        phrases = tuple(
            (re.compile(f" {re.escape(k)} "), f" {v} ")
            for k, v in sorted(cleaned.items(), key=lambda kv: -len(kv[0]))
        )
        stemmer = snowballstemmer.stemmer("dutch")
        return cls(
            lexicon,
            vocabulary,
            cleaned,
            tuning,
            _stemmer=stemmer,
            _phrase_synonyms=phrases,
            _known_stems=frozenset(str(stemmer.stemWord(w)) for w in vocabulary.words),
            _speller=Speller.build(lexicon, vocabulary, cleaned, tuning),
        )

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= CACHE_LIMIT:
                self._stems.clear()  # bounded: a long-running bot sees endless new words
            stem = self._stems[word] = str(self._stemmer.stemWord(word))  # type: ignore[attr-defined]
        return stem

    def apply_synonyms(self, text: str) -> str:
        for pattern, replacement in self._phrase_synonyms:
            # Twice: a pattern's surrounding spaces keep it from matching two words in a row.
            text = pattern.sub(replacement, pattern.sub(replacement, text))
        return text

    def analyse(self, cleaned: str) -> Analysis:
        """Resolve every word of an already cleaned text (see Analysis)."""
        seen: dict[str, Term] = {}
        stems: list[str] = []
        tokens = WORD.findall(self.apply_synonyms(cleaned))
        i = 0
        while i < len(tokens):
            words, used = self._resolve_at(tokens, i)
            if not words:
                stems.append(tokens[i])  # a stop word: kept for the shape of the sentence
            for word in words:
                key = self.stem(word)
                stems.append(key)
                if key not in seen:
                    seen[key] = Term(word, key, key in self._known_stems)
            i += used
        return Analysis(tuple(seen.values()), " ".join(stems))

    def terms(self, cleaned: str) -> tuple[Term, ...]:
        """The content terms of an already cleaned text; duplicates removed, order kept."""
        return self.analyse(cleaned).terms

    def topic_words(self, cleaned: str) -> frozenset[str]:
        """The content words of an already cleaned text, known to the FAQ or not, and each
        two that follow each other ("calcium yoghurt"), as the topic model reads them
        (bot/topics.py)."""
        words = [t.word for t in self.terms(cleaned)]
        return frozenset((*words, *(f"{a} {b}" for a, b in pairwise(words))))

    def _known(self, words: tuple[str, ...]) -> bool:
        return bool(words) and all(self.stem(w) in self._known_stems for w in words)

    def _resolve_at(self, tokens: list[str], i: int) -> tuple[tuple[str, ...], int]:
        """Resolve tokens[i]; when it or its neighbour is unknown, first try the two as one
        word ("osteo peni", "trap lopen"). Returns the words and how many tokens were used."""
        words = self.resolve(tokens[i])
        if i + 1 < len(tokens):
            nxt = self.resolve(tokens[i + 1])
            unknown = (words and not self._known(words)) or (nxt and not self._known(nxt))
            if unknown:
                joined = self.resolve(tokens[i] + tokens[i + 1])
                if self._known(joined):
                    return joined, 2
        return words, 1

    def respell(self, text: str) -> str:
        """The message with each misspelt word as the word the speller takes it for
        ("hoevel kalcium per dag" -> "hoeveel calcium per dag"), for the sentence model,
        which reads a misspelt word as a foreign one; every other word as typed. Like
        `clean`, it reads at most MAX_QUESTION_CHARS: the rest is left as it is."""

        def mend(word: re.Match[str]) -> str:
            token = clean(word[0]).strip()
            if not token or " " in token:
                return word[0]
            self.resolve(token)
            return self._respelt.get(token, word[0])

        head, tail = text[:MAX_QUESTION_CHARS], text[MAX_QUESTION_CHARS:]
        return _LETTERS.sub(mend, head) + tail

    def is_stopword(self, word: str) -> bool:
        """Stop words and context words ("moeder", "gehoord") carry no topic, unless the
        FAQ names them as a keyword."""
        if word in self.vocabulary.keywords:
            return False
        return word in self.lexicon.stopwords or word in self.lexicon.context_words

    def resolve(self, token: str) -> tuple[str, ...]:
        """The word or words a token stands for; () for a stop word."""
        cached = self._resolved.get(token)
        if cached is None:
            if len(self._resolved) >= CACHE_LIMIT:
                self._resolved.clear()
                self._respelt.clear()
            cached = self._resolved[token] = self._resolve(token, depth=0)
        return cached

    def _resolve(self, token: str, depth: int) -> tuple[str, ...]:
        if self.is_stopword(token):
            return ()
        if token in self.synonyms:
            return tuple(self.synonyms[token].split())
        if token in self.lexicon.abbreviations:
            return self._resolve(self.lexicon.abbreviations[token], depth + 1)
        if self.stem(token) in self._known_stems:
            return (token,)
        if token.isdigit():
            return ()  # an age or an amount the FAQ does not name says nothing of the topic
        parts = self._split(token)
        if parts:
            return tuple(w for p in parts for w in self._resolve(p, depth + 1))
        # Two letters swapped is the likeliest slip: mended before endings are cut ("waarmo").
        swapped = self._speller.unswapped(token) if depth == 0 and self._speller else None
        if swapped is not None:
            self._respelt[token] = swapped
            return self._resolve(swapped, depth + 1)
        for base in inflection_bases(token):
            if base in self.synonyms:
                return tuple(self.synonyms[base].split())
            if self.stem(base) in self._known_stems:
                return (base,)
        for base in diminutive_bases(token):
            if self._known(self._resolve(base, depth + 1)):
                return self._resolve(base, depth + 1)
        if depth == 0 and self._speller is not None:
            fixed = self._speller.fix(token)
            if fixed is not None:
                self._respelt[token] = fixed
                return self._resolve(fixed, depth + 1)
        return (token,)

    def _split(self, token: str) -> list[str] | None:
        """Split a compound into two known parts, longest known head first."""
        shortest = self.tuning.compound_min_part
        if len(token) < 2 * shortest:
            return None
        for cut in range(len(token) - shortest, shortest - 1, -1):
            head, tail = token[:cut], token[cut:]
            # The head must be a whole FAQ word: a stem alone ("ver") splits too much.
            if head not in self.vocabulary.words and head not in self.synonyms:
                continue
            for link in ("", "s", "e", "en"):  # Dutch linking sounds: botdichtheid-s-meting
                rest = tail[len(link) :]
                if tail.startswith(link) and len(rest) >= shortest and self._is_part(rest):
                    return [head, rest]
        return None

    def _is_part(self, word: str) -> bool:
        return word in self.synonyms or (
            not self.is_stopword(word) and self.stem(word) in self._known_stems
        )

    def language(self, cleaned: str, default: str = "nl") -> str:
        """'en' when the words are more English than Dutch, else `default`."""
        nl = self.lexicon.stopwords_nl | self.vocabulary.nl_words
        en = self.lexicon.stopwords_en | self.vocabulary.en_words
        tokens = WORD.findall(cleaned)
        en_votes = sum(1 for t in tokens if t in en and t not in nl)
        nl_votes = sum(1 for t in tokens if t in nl and t not in en)
        if en_votes > nl_votes:
            return "en"
        if nl_votes > en_votes:
            return "nl"
        return default
