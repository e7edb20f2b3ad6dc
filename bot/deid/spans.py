"""Spans of personal details that need no lists of names: the regular expressions'
finds, phone numbers, ages beside a name; and how overlapping spans merge into one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from bot.deid.patterns import (
    ADDRESS,
    AGE_AFTER,
    AGE_OF_PERSON,
    DATES,
    DIGITS,
    EMAIL,
    IBAN,
    ID,
    POSTCODE,
    STREET,
    UNITS,
    UPPER_UNITS,
    URL,
)

PLACEHOLDERS: dict[str, str] = {
    "email": "[e-mail]",
    "url": "[link]",
    "phone": "[telefoon]",
    "date": "[datum]",
    "postcode": "[postcode]",
    "id": "[nummer]",
    "number": "[nummer]",
    "street": "[adres]",
    "town": "[plaats]",
    "name": "[naam]",
    "age": "[leeftijd]",
}


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) of the text hold a personal detail of one kind."""

    start: int
    end: int
    kind: str


def regex_spans(text: str) -> Iterator[Span]:
    """E-mail addresses, links, dates, postcodes, identifiers, long numbers, addresses."""
    for match in EMAIL.finditer(text):
        yield Span(*match.span(), "email")
    for match in URL.finditer(text):
        yield Span(
            match.start(),
            match.end() - len(match.group(0)) + len(match.group(0).rstrip(".,;:!?)")),
            "url",
        )
    for pattern in DATES:
        for match in pattern.finditer(text):
            yield Span(*match.span(match.lastindex or 0), "date")
    for match in POSTCODE.finditer(text):
        letters = match.group(1)
        units = UPPER_UNITS if letters.isupper() else UNITS
        if letters.lower() not in units and (letters.isupper() or letters.islower()):
            yield Span(*match.span(), "postcode")
    for match in ID.finditer(text):
        yield Span(*match.span(1), "id")
    for match in IBAN.finditer(text):
        yield Span(*match.span(), "id")
    for match in DIGITS.finditer(text):
        if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", match.group(0)) or len(match.group(0)) > 7:
            yield Span(*match.span(), "number")
    for match in STREET.finditer(text):
        yield Span(*match.span(), "street")
    for match in ADDRESS.finditer(text):
        yield Span(*match.span(), "street")


def phone_spans(text: str) -> Iterator[Span]:
    """Phone numbers, Dutch or international, as Google's phonenumbers finds them."""
    for match in phonenumbers.PhoneNumberMatcher(
        text, "NL", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        yield Span(match.start, match.end, "phone")


def age_spans(text: str, names: list[Span]) -> Iterator[Span]:
    """An age right after a name: "Willem (81)", "Henk van 79", "Ria, 84". An age before a
    name ("67-jarige Jan") is an age of a person: see person_age_spans."""
    for name in names:
        after = AGE_AFTER.match(text, name.end)
        if after:
            group = 1 if after.group(1) else 2
            yield Span(*after.span(group), "age")


def person_age_spans(text: str) -> Iterator[Span]:
    """An age said of a person, with or without a name: "mijn vader van 84", "ik ben 78"."""
    for match in AGE_OF_PERSON.finditer(text):
        group = next(g for g in range(1, 5) if match.group(g))
        if 0 < int(match.group(group)) <= 120:
            yield Span(*match.span(group), "age")


_PRIORITY = (
    *("email", "url", "date", "id", "phone", "postcode", "number", "street", "age"),
    *("name", "town"),
)


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, of the kind that ranks first in _PRIORITY."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= span.end:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            kind = min(last.kind, span.kind, key=_PRIORITY.index)
            merged[-1] = Span(last.start, max(last.end, span.end), kind)
        else:
            merged.append(span)
    return merged
