"""The scrubber as it was before issue 11 (bot/scrub.py at 5dc77b1): the baseline for
benchmarks/deid.py, never used by the bot."""

from __future__ import annotations

import re

_MONTHS = (
    r"jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun[i]?|jul[i]?|aug(?:ustus)?|"
    r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|january|february|"
    r"march|may|june|july|october"
)
# A first name, perhaps with Dutch name particles and a capitalised surname: "Jan de Vries".
_NAME = r"[\w'-]+(?:\s+(?:van|de|der|den|ter|te|von))*(?:\s+[A-Z][\w'-]+)?"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE), "[link]"),
    # Dates: 12-03-1950, 12/3/50, 1950-03-12, 12 maart 1950, 3 mrt.
    (re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b"), "[datum]"),
    (re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\.?(?:\s+\d{{2,4}})?\b", re.IGNORECASE), "[datum]"),
    # Phone numbers: 06-12345678, +31 6 1234 5678, (020) 123 4567, 0031612345678.
    (re.compile(r"(?:\+|00)\d{2}[\s-]?(?:\(0\))?[\s-]?\d(?:[\s-]?\d){7,9}"), "[telefoon]"),
    (re.compile(r"\(?\b0\d{1,3}\)?[\s-]?\d(?:[\s-]?\d){5,8}\b"), "[telefoon]"),
    # Dutch postcodes: 1234 AB, 1234AB, 1234ab; not amounts such as "1200 mg".
    (
        re.compile(r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|(?!mg|ml|kg|cm|mm|km|ie|iu|jr)[a-z]{2})\b"),
        "[postcode]",
    ),
    # BSN-like: nine digits, perhaps in groups (123456789, 1234.56.789, 123 456 789).
    (re.compile(r"\b\d{3,4}[\s.]?\d{2,3}[\s.]?\d{3}\b"), "[nummer]"),
    # Names after the phrases people introduce themselves with.
    (re.compile(rf"(?i:\b(ik heet|mijn naam is|my name is|i am called)\s+){_NAME}"), r"\1 [naam]"),
    # After "ik ben" / "I am" only a capitalised word: "ik ben bang" is not a name.
    (re.compile(rf"\b((?:[Ii]k ben|I am|I'm)\s+)(?=[A-Z]){_NAME}"), r"\1[naam]"),
    (
        re.compile(rf"(?i:\b(dit is|met)\s+(?:mevrouw|meneer|mevr\.?|dhr\.?|mw\.?)\s+){_NAME}"),
        r"\1 [naam]",
    ),
)


def scrub(text: str) -> str:
    """The text with e-mail addresses, links, dates, postcodes, phone numbers, BSN-like
    numbers and introduced names replaced by [placeholders]."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
