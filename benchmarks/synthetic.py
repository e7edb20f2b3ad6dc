"""Synthetic FAQs of a given number of example phrasings, grown from the real FAQ.

A hospital library is many leaflets that share everyday words (calcium, pijn, medicijnen)
and differ in their condition's name. So copy k of the real FAQ is the real FAQ with its
condition words (osteopenie, osteoporose, ...) replaced by a made-up condition name, and
every phrasing has one of its words swapped for another word of the FAQ's vocabulary, so
that no two copies are alike. Copy 0 is the real FAQ itself. Deterministic (seeded).
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from bot.faq import Entry, Faq, Localised

CONDITION = re.compile(r"osteop\w+|botontkalking", re.IGNORECASE)
SYLLABLES = [
    "ar",
    "bro",
    "ca",
    "der",
    "fi",
    "gal",
    "ho",
    "kan",
    "lu",
    "mor",
    "nef",
    "pa",
    "ri",
    "sto",
    "tel",
    "ur",
    "ve",
    "zon",
]


def condition_name(k: int) -> str:
    """A made-up, pronounceable condition name, different for every k."""
    parts = []
    n = k + 1
    while n:
        n, r = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[r])
    return "".join(parts) + "itis"


def grow(faq: Faq, phrasings: int, seed: int = 7) -> Faq:
    """A FAQ with exactly `phrasings` example phrasings (at least one entry)."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {w for e in faq.entries for p in e.phrasings for w in p.split() if len(w) > 3}
    )
    entries: list[Entry] = []
    remaining = phrasings
    copy = 0
    while remaining > 0:
        name = condition_name(copy)
        for entry in faq.entries:
            if remaining <= 0:
                break
            entries.append(_copy(entry, copy, name, rng, vocabulary, remaining))
            remaining -= len(entries[-1].phrasings)
        copy += 1
    ids = {e.id for e in entries}
    entries = [replace(e, related=tuple(r for r in e.related if r in ids)) for e in entries]
    return replace(faq, entries=tuple(entries))


def _copy(
    entry: Entry, copy: int, name: str, rng: random.Random, vocabulary: list[str], limit: int
) -> Entry:
    if copy == 0:
        nl, en = entry.phrasings_nl, entry.phrasings_en
    else:
        nl = tuple(_vary(CONDITION.sub(name, p), rng, vocabulary) for p in entry.phrasings_nl)
        en = tuple(_vary(CONDITION.sub(name, p), rng, vocabulary) for p in entry.phrasings_en)
    nl = nl[:limit]
    en = en[: max(0, limit - len(nl))]
    suffix = "" if copy == 0 else f"-{copy}"
    return replace(
        entry,
        id=entry.id + suffix,
        phrasings_nl=nl or entry.phrasings_nl[:1],
        phrasings_en=en,
        keywords=tuple(CONDITION.sub(name, k) for k in entry.keywords),
        answer=Localised(
            CONDITION.sub(name, entry.answer.nl), CONDITION.sub(name, entry.answer.en)
        ),
        related=tuple(r + suffix for r in entry.related),
    )


def _vary(phrasing: str, rng: random.Random, vocabulary: list[str]) -> str:
    words = phrasing.split()
    words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words)
