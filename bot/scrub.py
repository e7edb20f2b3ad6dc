"""Remove personal details from a question before its text is kept.

    scrub("Ik ben Jan de Vries, bel 06-12345678")  ->  "Ik ben [naam], bel [telefoon]"

Kept texts help the FAQ writers see what the leaflet does not answer; they need the
question, never who asked it. Each detector (bot/deid/) finds spans of one kind; overlapping
spans merge and every span becomes its placeholder:

    e-mail, link            regular expressions
    phone                   Google's phonenumbers (PhoneNumberMatcher, region NL)
    date, postcode, number  regular expressions (BSN, patient numbers, any run of 6+ digits)
    street                  a Dutch street word (…straat, …laan, Brink) with a house number
    town                    Faker's list of Dutch places; a capitalised word after "woon in",
                            "uit", "from", or after a postcode
    name                    context: kinship words, introductions, greetings, titles, the
                            start and the end of a message; then Faker's name lists; a name
                            grows over particles and capitalised surnames ("Jan van der Berg")
    age                     a number next to a name ("Willem (81)", "Henk van 79") or said
                            of a person ("mijn vader van 84", "ik ben 78", "91 jaar oud")

What must stay (doses, T-scores, durations, "ik ben bang") is guarded in
tests/test_scrub.py; recall per kind and over-scrubbing are measured by benchmarks/deid.py
on the labelled messages in tests/data/pii-*.jsonl.

scrub() never returns a text it could not de-identify: on any error it logs one warning
and returns "", and the store keeps nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from bot.deid.names import NameFinder
from bot.deid.patterns import COMMON_EXTRA
from bot.deid.spans import (
    PLACEHOLDERS,
    Span,
    age_spans,
    merge,
    person_age_spans,
    phone_spans,
    regex_spans,
)
from bot.deid.towns import town_spans
from bot.gazetteer import Gazetteer, load_gazetteer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Deidentifier:
    """The rules with the lists they need; build it once with `load()`."""

    gazetteer: Gazetteer
    common: frozenset[str]

    @classmethod
    def load(cls) -> Deidentifier:
        """Read the lists (Faker's, stopwords-iso's): about 0.2 s once per process."""
        import stopwordsiso

        words: set[str] = set()
        for lang in ("nl", "en"):
            words |= {word.lower() for word in stopwordsiso.stopwords(lang)}
        return cls(gazetteer=load_gazetteer(), common=frozenset(words | COMMON_EXTRA))

    def spans(self, text: str) -> list[Span]:
        """Every personal detail found, merged: no two spans overlap."""
        finder = NameFinder(self.gazetteer, self.common)
        found = [
            *regex_spans(text),
            *phone_spans(text),
            *town_spans(text, self.gazetteer, finder.is_common),
        ]
        names = list(finder.spans(text, found))
        found += names
        found += age_spans(text, names)
        found += person_age_spans(text)
        return merge(found)

    def scrub(self, text: str) -> str:
        """The text with every detail replaced by its placeholder."""
        out: list[str] = []
        at = 0
        for span in self.spans(text):
            out.append(text[at : span.start])
            out.append(PLACEHOLDERS[span.kind])
            at = span.end
        out.append(text[at:])
        return "".join(out)


@cache
def _default() -> Deidentifier:
    return Deidentifier.load()


def scrub(text: str) -> str:
    """The text with names, addresses, towns, postcodes, numbers, dates, phone numbers,
    e-mail addresses, links and ages of people replaced by [placeholders]; "" when
    the text cannot be de-identified, so that a failure drops the text, never keeps it."""
    try:
        return _default().scrub(text)
    except Exception:  # any failure at all must drop the text rather than keep it raw
        log.warning("de-identification failed: the text is dropped", exc_info=False)
        return ""
