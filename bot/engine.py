"""Decide what to do with a question: answer, clarify, fallback, urgent or smalltalk.

question -> clean -> empty?      -> fallback (ask them to type a question)
                  -> urgent rule -> urgent   (checked before any matching)
                  -> smalltalk   -> smalltalk (only when nothing else is asked)
                  -> terms -> rank -> decide by the thresholds in bot/tuning.py
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.faq import Entry, Faq
from bot.lexicon import Lexicon, load_lexicon
from bot.matching import Candidate, Matcher
from bot.text import Normaliser, Vocabulary, clean, has_letters, question_parts
from bot.tuning import TUNING, Tuning

Kind = Literal["answer", "clarify", "fallback", "urgent", "smalltalk"]
KINDS: tuple[Kind, ...] = ("answer", "clarify", "fallback", "urgent", "smalltalk")


@dataclass(frozen=True, slots=True)
class Decision:
    """What the engine decided, with everything a reply needs."""

    kind: Kind
    lang: str
    entry: Entry | None = None
    score: float = 0.0
    options: tuple[Candidate, ...] = ()
    # For smalltalk the intent, for urgent the rule, for fallback why:
    # "empty" (nothing typed), "alphabet" (letters we cannot read), "vague", "unknown".
    reason: str = ""
    nearest: Entry | None = None


@dataclass(frozen=True, slots=True)
class Engine:
    faq: Faq
    lexicon: Lexicon
    normaliser: Normaliser
    matcher: Matcher
    tuning: Tuning

    @classmethod
    def build(cls, faq: Faq, tuning: Tuning = TUNING, lexicon: Lexicon | None = None) -> Engine:
        lexicon = lexicon or load_lexicon()
        vocabulary = Vocabulary.of(faq, lexicon)
        normaliser = Normaliser.build(lexicon, vocabulary, faq.synonyms, tuning)
        return cls(faq, lexicon, normaliser, Matcher.build(faq, normaliser), tuning)

    def decide(self, question: str, lang: str | None = None) -> Decision:
        """Decide on one question; `lang` is the language to use when the text does not say."""
        cleaned = clean(question)
        lang = self.normaliser.language(cleaned, default=lang if lang == "en" else "nl")
        if not cleaned.strip():
            return Decision(
                "fallback", lang, reason="alphabet" if has_letters(question) else "empty"
            )
        rule = self.lexicon.urgent_rule(cleaned)
        if rule is not None:
            return Decision("urgent", lang, reason=rule)
        intent, rest = self.lexicon.smalltalk_intent(cleaned)
        closing = self.lexicon.is_closing(intent, question, rest)
        if intent is not None and (closing or not self.normaliser.terms(rest)):
            return Decision("smalltalk", lang, reason=intent)
        units = {
            self.lexicon.without_greeting(u)
            for u in (cleaned, *(clean(part) for part in question_parts(question)))
        }
        analyses = [a for a in (self.normaliser.analyse(u) for u in units) if a.terms]
        decisions = [self._choose(self.matcher.rank(a), lang) for a in analyses]
        if not decisions:
            return Decision("fallback", lang, reason="vague")
        # The part that answers most clearly wins; else the one that comes closest.
        return max(decisions, key=lambda d: (d.kind == "answer", d.score))

    def _choose(self, ranked: list[Candidate], lang: str) -> Decision:
        t = self.tuning
        if not ranked:  # words, but none the leaflet knows
            return Decision("fallback", lang, reason="unknown")
        best = ranked[0]
        nearest = best.entry if best.score >= t.suggest_min else None
        if best.coverage < t.coverage_min or best.score < t.clarify_min:
            return Decision("fallback", lang, score=best.score, reason="unknown", nearest=nearest)
        rival = next((c for c in ranked[1:] if c.entry.section != best.entry.section), None)
        clear = rival is None or best.score - rival.score >= t.margin
        if best.score >= t.answer_min and clear:
            return Decision("answer", lang, best.entry, best.score, options=(best,))
        options = tuple(c for c in ranked if c.score >= best.score - t.clarify_band)[
            : t.clarify_max_options
        ]
        return Decision("clarify", lang, score=best.score, options=options)
