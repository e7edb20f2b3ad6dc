"""Language knowledge shared by every leaflet: urgent rules, smalltalk, stop and context words.

The patterns live in bot/lexicon.yaml (data, not code); stop words come from the
stopwordsiso package. Nothing here knows about one leaflet's topics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import stopwordsiso
import yaml

from bot.errors import LexiconError


@dataclass(frozen=True, slots=True)
class UrgentRule:
    """Fires when every pattern matches the normalised question. A `sure` rule is never set
    aside by the calm look-alikes (see bot/triage.py)."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    sure: bool = False
    within: int | None = None  # every pattern within this many words of each other

    def matches(self, text: str) -> bool:
        if not all(p.search(text) for p in self.patterns):
            return False
        if self.within is None:
            return True
        # Words that belong together must stand together: "bloed" and "veel" in "veel melk,
        # moet ik bloed laten prikken?" are not heavy bleeding.
        words = text.split()
        size = min(self.within, len(words))
        return any(
            all(p.search(window) for p in self.patterns)
            for window in (
                f" {' '.join(words[i : i + size])} " for i in range(len(words) - size + 1)
            )
        )


@dataclass(frozen=True, slots=True)
class Lexicon:
    urgent: tuple[UrgentRule, ...]
    crisis: tuple[re.Pattern[str], ...]
    crisis_signs: tuple[re.Pattern[str], ...]  # two together are a crisis
    referrals: tuple[tuple[str, re.Pattern[str]], ...]
    smalltalk: tuple[tuple[str, re.Pattern[str]], ...]
    context_words: frozenset[str]
    question_words: frozenset[str]
    abbreviations: Mapping[str, str]
    triage_spellings: Mapping[str, str]
    # Every word the urgent and crisis patterns spell out, for the forms for_triage derives.
    triage_words: frozenset[str]
    # A message that dates its story long ago and says nothing of now (see told_long_ago).
    long_ago: re.Pattern[str]
    happening_now: re.Pattern[str]
    stopwords_nl: frozenset[str]
    stopwords_en: frozenset[str]
    stopwords: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Both languages' stop words, joined once: asked for every word of every message.
        object.__setattr__(self, "stopwords", self.stopwords_nl | self.stopwords_en)

    def urgent_match(self, text: str) -> UrgentRule | None:
        """The urgent rule the normalised text matches, if any: the first sure one, else the
        first one. A story told long ago fires no sure rule (told_long_ago)."""
        text = self.for_triage(text)
        long_ago = self.told_long_ago(text)
        matched = [r for r in self.urgent if not (r.sure and long_ago) and r.matches(text)]
        return next((r for r in matched if r.sure), matched[0] if matched else None)

    def urgent_rule(self, text: str) -> str | None:
        """The name of the urgent rule the normalised text matches (see urgent_match)."""
        rule = self.urgent_match(text)
        return rule.name if rule else None

    def crisis_rule(self, text: str) -> bool:
        """Whether the normalised text speaks of suicide or of not wanting to live."""
        text = self.for_triage(text)
        if any(p.search(text) for p in self.crisis):
            return True
        return sum(1 for p in self.crisis_signs if p.search(text)) >= 2

    def told_long_ago(self, text: str) -> bool:
        """Whether the normalised text dates what it tells long ago ("vorig jaar", "toen ik
        jong was") and says nothing of now ("net", "vandaag", "suddenly")."""
        return bool(self.long_ago.search(text)) and not self.happening_now.search(text)

    def for_triage(self, text: str) -> str:
        """The normalised text with regional and typed forms written out, so that each rule
        needs only the standard word: triage_spellings ("nie" is "niet"), a dropped final n
        ("gevalle", "bewege") and a left or right limb ("linkerbeen" is "been")."""
        words = text.split()
        spelled = [self.triage_form(w) for w in words]
        return text if spelled == words else f" {' '.join(spelled)} "

    def triage_form(self, word: str) -> str:
        if word in self.triage_spellings:
            return self.triage_spellings[word]
        if word in self.triage_words:
            return word
        if word.endswith("e") and word + "n" in self.triage_words:
            return word + "n"
        for side in ("linker", "rechter"):
            if word.startswith(side) and word[len(side) :] in self.triage_words:
                return word[len(side) :]
        return word

    def referral(self, text: str) -> str | None:
        """Who a question the leaflet does not answer belongs to: "costs", "medicine", None."""
        return next((name for name, p in self.referrals if p.search(text)), None)

    def smalltalk_intent(self, text: str) -> tuple[str | None, str]:
        """The first smalltalk intent found, and the text with every smalltalk phrase removed."""
        intent = None
        for name, pattern in self.smalltalk:
            # Patterns eat the spaces around a phrase, so a phrase right beside another is
            # found only once that one is gone: remove, re-pad, until none is left.
            while pattern.search(text):
                intent = intent or name
                shorter = f" {' '.join(pattern.sub(' ', text).split())} "
                if shorter == text:
                    break
                text = shorter
        return intent, text

    def without_greeting(self, text: str) -> str:
        """The text with an opening greeting removed, for matching."""
        for name, pattern in self.smalltalk:
            if name == "greeting":
                text = pattern.sub(" ", text, count=1)
        return text

    def is_closing(self, intent: str | None, question: str, rest: str) -> bool:
        """A thanks or goodbye that asks nothing: no "?" and no question word left."""
        return (
            intent in ("thanks", "bye")
            and "?" not in question
            and not any(w in self.question_words for w in rest.split())
        )


def load_lexicon() -> Lexicon:
    """Read the lexicon packaged with the bot."""
    source = resources.files("bot").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    return parse_lexicon(yaml.safe_load(source))


def parse_lexicon(data: Any) -> Lexicon:
    if not isinstance(data, Mapping):
        raise LexiconError("bot/lexicon.yaml: not a mapping")
    try:
        urgent = tuple(
            UrgentRule(
                str(rule["name"]),
                tuple(re.compile(p) for p in rule["all"]),
                bool(rule.get("sure", False)),
                int(rule["within"]) if "within" in rule else None,
            )
            for rule in data["urgent"]
        )
        crisis = tuple(re.compile(p) for p in data["crisis"])
        crisis_signs = tuple(re.compile(p) for p in data["crisis_signs"])
        referrals = tuple((str(k), re.compile(v)) for k, v in data["referrals"].items())
        smalltalk = tuple(
            (str(intent), re.compile("|".join(f"(?:{p})" for p in patterns)))
            for intent, patterns in data["smalltalk"].items()
        )
        context = frozenset(str(w) for w in data["context_words"])
        questions = frozenset(str(w) for w in data["question_words"])
        abbreviations = {str(k): str(v) for k, v in data["abbreviations"].items()}
        spellings = {str(k): str(v) for k, v in data["triage_spellings"].items()}
        long_ago = re.compile(data["long_ago"])
        happening_now = re.compile(data["happening_now"])
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise LexiconError(f"bot/lexicon.yaml: {exc!r}: fix the lexicon") from None
    sources = [p.pattern for rule in urgent for p in rule.patterns]
    sources += [p.pattern for p in (*crisis, *crisis_signs)]
    return Lexicon(
        urgent=urgent,
        crisis=crisis,
        crisis_signs=crisis_signs,
        referrals=referrals,
        smalltalk=smalltalk,
        context_words=context,
        question_words=questions,
        abbreviations=abbreviations,
        triage_spellings=spellings,
        long_ago=long_ago,
        happening_now=happening_now,
        triage_words=frozenset(re.findall("[a-z]+", " ".join(sources))),
        stopwords_nl=frozenset(stopwordsiso.stopwords("nl")),
        stopwords_en=frozenset(stopwordsiso.stopwords("en")),
    )
