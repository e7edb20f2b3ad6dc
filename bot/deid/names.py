"""Names of people in a message: by their context (kinship words, introductions,
greetings, titles, the start and the end of a message), then by Faker's lists; a name
grows over particles and capitalised surnames ("Jan van der Berg").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from wordfreq import zipf_frequency

from bot.deid.patterns import (
    AMBIGUOUS_PARTICLES,
    CAP_WORD,
    GREETING,
    HIER,
    INTRO,
    KIN,
    NEVER_NAME,
    NOT_LOWER_NAME,
    PARTICLE,
    RARE_ZIPF,
    SENTENCE_END,
    TITLE,
    UP,
    WORD,
)
from bot.deid.spans import Span
from bot.gazetteer import Gazetteer

# A first name opens a sentence as a name only when it is rarer than this as a Dutch word.
OPENING_ZIPF = 3.5


@dataclass(frozen=True, slots=True)
class NameFinder:
    """The name rules with the lists they need: Faker's names, the common words."""

    gazetteer: Gazetteer
    common: frozenset[str]

    def is_common(self, word: str) -> bool:
        """A stop word or greeting: never (the start of) a name."""
        return word.lower().strip(".") in self.common

    def _may_be_name(self, word: str, lower_ok: bool) -> bool:
        """A word that can be (part of) a name: capitalised or known, not a stop word."""
        bare = word.strip(".")
        if re.fullmatch(rf"{UP}\.", word):
            return True  # an initial
        if not bare or self.is_common(bare) or bare.lower() in NEVER_NAME:
            return False
        if bare[0].isupper():
            return True
        return lower_ok and self._lower_name(bare.lower())

    def _proper_noun(self, word: str) -> bool:
        """A capitalised word that is no acronym, medicine or common English word."""
        lower = word.lower()
        return (
            len(word) >= 3
            and not word.isupper()
            and word.isalpha()
            and lower not in NEVER_NAME
            and zipf_frequency(lower, "en", wordlist="small") < RARE_ZIPF
        )

    def _lower_name(self, word: str) -> bool:
        """A lower-case word after "mijn moeder" or "ik ben" that is a first name: a known
        one, or a rare word that is not a verb ("slikt": "slik" is a word) nor a number."""
        if word in self.gazetteer.first_names:
            return True
        if len(word) < 3 or not word.isalpha() or word in NOT_LOWER_NAME:
            return False
        rare = all(
            zipf_frequency(word, lang, wordlist="small") < RARE_ZIPF for lang in ("nl", "en")
        )
        stem = word[:-1]
        verb = word.endswith("t") and any(
            zipf_frequency(infinitive, "nl", wordlist="small") >= 2.5
            for infinitive in (stem + "en", stem + stem[-1] + "en", stem[:-2] + stem[-1] + "en")
        )
        english_past = word.endswith("ed") and any(
            zipf_frequency(stem, "en", wordlist="small") >= 3.0
            for stem in (word[:-1], word[:-2], word[:-3])
        )
        return rare and not verb and not english_past

    def _grow(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Widen a name over particles, initials and capitalised surnames on either side."""
        tail = re.compile(
            rf"(?:\s+{PARTICLE})*\s+({CAP_WORD})|-({CAP_WORD}|{PARTICLE})|(?<=\.)\s?({UP}\.)"
        )
        while True:
            match = tail.match(text, end)
            if not match:
                break
            word = match.group(1) or match.group(2) or match.group(3)
            initial = re.fullmatch(rf"{UP}\.", word) is not None
            if self.is_common(word) and not initial and not re.fullmatch(PARTICLE, word):
                break
            if word.lower() in NEVER_NAME:
                break
            end = match.end()
        # Initials and particles just before: "P. Smit", "van Leeuwen", "A. Meijer".
        head = re.compile(rf"(?:\b(?:{UP}\.\s?)+|\b(?i:{PARTICLE})\s+)$")
        while (match := head.search(text, 0, start)) and match.end() == start:
            before = text[: match.start()]
            # "dokter van Leeuwen" yes; "in Houten" no: such particles only after a title.
            if match.group(0).strip().lower() in AMBIGUOUS_PARTICLES and not re.search(
                rf"(?:{TITLE})\s*$", before, re.I
            ):
                break
            start = match.start()
        return start, end

    def spans(self, text: str, found: list[Span]) -> Iterator[Span]:
        """Every name, by its context, by the lists, or as a signature; `found` holds the
        details already found by other detectors."""
        # A town may turn out to be a name ("oma Lies"): only other kinds block a name.
        taken = [(span.start, span.end) for span in found if span.kind != "town"]

        def free(start: int, end: int) -> bool:
            return all(end <= a or start >= b for a, b in taken)

        word = re.compile(WORD + r"\.?")

        particles = re.compile(rf"(?:{PARTICLE}\s+)+(?={CAP_WORD})", re.I)

        def first_word(at: int, lower_ok: bool) -> tuple[int, int] | None:
            match = re.compile(r"[\s,:(]*").match(text, at)
            at = match.end() if match else at
            lead = particles.match(text, at)  # "mevrouw De Wit", "dokter van Leeuwen"
            hit = word.match(text, lead.end() if lead else at)
            if hit and self._may_be_name(hit.group(0), lower_ok) and free(*hit.span()):
                initial = re.fullmatch(rf"{UP}\.", hit.group(0)) is not None
                end = hit.end() - (1 if hit.group(0).endswith(".") and not initial else 0)
                return (lead.start() if lead else hit.start()), end
            return None

        contexts = (
            (
                re.compile(
                    rf"\b(?:mijn|mn|m'n|onze|ons|my|our|haar|zijn|his|her)\s+(?:{KIN})\b,?", re.I
                ),
                True,
            ),
            (re.compile(rf"\b(?:{KIN})\s+van\b", re.I), False),
            (re.compile(rf"\b(?:{KIN})\b,?", re.I), False),  # "oma Lies", "Opa Kees"
            (re.compile(rf"(?:^|[\s(,])(?:{TITLE})(?=[\s,])", re.I), True),
            (re.compile(rf"\b(?:{INTRO})(?!\w)", re.I | re.M), True),
            (re.compile(rf"(?:^|[.!?\n,;-]\s*)(?:{GREETING})[,:!]?(?=\s)", re.I | re.M), True),
        )
        for pattern, lower_ok in contexts:
            for match in pattern.finditer(text):
                span = first_word(match.end(), lower_ok)
                if span:
                    start, end = self._grow(text, *span)
                    taken.append((start, end))
                    yield Span(start, end, "name")
        for match in HIER.finditer(text):
            if self._may_be_name(match.group(1).split()[0], False):
                yield Span(*self._grow(text, *match.span(1)), "name")
        # Known first names and surnames, and pairs of capitalised words mid-sentence.
        towns = [(span.start, span.end) for span in found if span.kind == "town"]
        for hit in re.finditer(rf"\b{CAP_WORD}", text):
            token = hit.group(0).rstrip(".")
            lower = token.lower()
            in_town = any(a <= hit.start() < b for a, b in towns)
            if in_town or not free(*hit.span()) or self.is_common(token) or lower in NEVER_NAME:
                continue
            sentence_start = bool(SENTENCE_END.search(text, 0, hit.start()))
            known = lower in self.gazetteer.first_names or lower in self.gazetteer.surnames
            # A known first name that is no common word opens a sentence: "Fatima heeft ...".
            opening = (
                sentence_start
                and lower in self.gazetteer.first_names
                and zipf_frequency(lower, "nl", wordlist="small") < OPENING_ZIPF
            )
            grown = self._grow(text, hit.start(), hit.start() + len(token))
            several = grown[1] > hit.start() + len(token) + 1
            # Dutch capitalises no common nouns: a capital mid-sentence is a proper noun.
            proper = not sentence_start and self._proper_noun(token)
            if (known and (not sentence_start or several or opening)) or (
                (several or proper) and not sentence_start
            ):
                # A first name just before a known surname: "Wim Koster" after a full stop.
                before = re.search(rf"({CAP_WORD})\s+$", text[: grown[0]])
                if before and free(*before.span(1)) and not self.is_common(before.group(1)):
                    grown = (before.start(1), grown[1])
                taken.append(grown)
                yield Span(*grown, "name")
        # A signature: the last words after a comma, full stop or dash, capitalised.
        last = re.search(
            rf"(?:[.!?,\n–-]|^)\s*((?:{CAP_WORD})(?:\s+(?:{CAP_WORD}|{PARTICLE})){{0,4}})[\s.!]*$",
            text,
        )
        if last and free(*last.span(1)) and not any(a <= last.start(1) < b for a, b in towns):
            words = last.group(1).split()
            if all(not self.is_common(w) or re.fullmatch(PARTICLE, w) for w in words) and (
                not self.is_common(words[0]) and words[0].lower() not in NEVER_NAME
            ):
                yield Span(*last.span(1), "name")
