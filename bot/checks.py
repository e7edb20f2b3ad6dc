"""Content rules for FAQ answers, beyond what the loader validates: B1 level, phone size."""

from __future__ import annotations

import re
from pathlib import Path

from bot.errors import Problem
from bot.faq import LANGUAGES, Faq
from bot.loading import read_faq

MAX_SENTENCE_WORDS = 25  # B1: no sentence over 25 words
MAX_AVERAGE_WORDS = 15.0  # B1: on average at most 15 words a sentence
MAX_ANSWER_CHARS = 500  # readable on a phone without scrolling

# A sentence ends at . ? ! followed by a space and a capital, digit or quote, or at the end.
# "'s avonds" and "St. Antonius" do not end one: a lower-case word or a short
# abbreviation follows.
_SENTENCE_END = re.compile(r"(?<!\bSt\.)(?<=[.?!])\s+(?=[A-Z0-9(\"])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def word_count(sentence: str) -> int:
    return len(re.findall(r"[\w'/-]+", sentence))


def lint(faq: Faq) -> list[Problem]:
    """Every answer that breaks a B1 or phone-size rule."""
    problems = []
    for entry in faq.entries:
        for lang in LANGUAGES:
            text = entry.answer.get(lang)
            where = f"entry '{entry.id}', answer {lang}"
            counts = [word_count(s) for s in sentences(text)]
            for s, n in zip(sentences(text), counts, strict=True):
                if n > MAX_SENTENCE_WORDS:
                    problems.append(
                        Problem(
                            faq.path,
                            where,
                            f"sentence of {n} words "
                            f"(at most {MAX_SENTENCE_WORDS}): split {s[:40]!r}",
                        )
                    )
            if counts and sum(counts) / len(counts) > MAX_AVERAGE_WORDS:
                problems.append(
                    Problem(
                        faq.path,
                        where,
                        "sentences average over "
                        f"{MAX_AVERAGE_WORDS:.0f} words: write shorter ones",
                    )
                )
            if len(text) > MAX_ANSWER_CHARS:
                problems.append(
                    Problem(
                        faq.path,
                        where,
                        f"{len(text)} characters (at most "
                        f"{MAX_ANSWER_CHARS}): split it into two entries",
                    )
                )
    return problems


def coverage(faq: Faq) -> dict[str, int]:
    """How many entries each section has, in the FAQ's section order."""
    return {sid: len(faq.entries_in(sid)) for sid in faq.sections}


def check_faq(path: str | Path) -> tuple[Faq | None, list[str]]:
    """Load and lint a FAQ file: the FAQ as far as it could be read (None when it is not a
    YAML mapping) and every problem of every kind, one line each. It is fit for service only
    when there are no problems. `leafletbot check` and the bot's /reload report the same
    lines."""
    faq, problems = read_faq(path)
    if faq is not None:
        problems += lint(faq)  # also on a FAQ with other defects: every problem in one run
    return faq, [str(p) for p in problems]
