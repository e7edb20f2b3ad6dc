"""A message as plain text, before any FAQ: cleaned for comparing, cut into the parts
that may hold its question, checked for letters.

    clean("Hoevéél KALK per dag?? 🙂")  ->  " hoeveel kalk per dag "
"""

from __future__ import annotations

import re
import unicodedata

# Longer messages are cut here: nobody types more on a phone, and it bounds the work.
MAX_QUESTION_CHARS = 1000
_NON_WORD = re.compile(r"[^a-z0-9]+")
# A word of a cleaned text.
WORD = re.compile(r"[a-z0-9]+")


# Voice typing writes some punctuation as the word it hears ("hoe werkt dit vraagteken"):
# those words are the mark they name. A comma between figures ("2 komma 4") stays.
_SPOKEN_MARKS = re.compile(
    r"\s*\b(?:(vraagteken|question mark)|(uitroepteken|exclamation mark)"
    r"|(?<![0-9] )(komma|comma)(?! [0-9]))\b",
    re.IGNORECASE,
)


def spoken_punctuation(text: str) -> str:
    """Dictated punctuation written as words turned into the marks:
    "hallo komma hoe werkt dit vraagteken" -> "hallo, hoe werkt dit?"."""
    return _SPOKEN_MARKS.sub(lambda m: "?" if m[1] else "!" if m[2] else ",", text)


def clean(text: str) -> str:
    """Lower case, accents off, every run of other characters one space; padded with spaces."""
    text = unicodedata.normalize("NFKD", text[:MAX_QUESTION_CHARS])
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return f" {_NON_WORD.sub(' ', text).strip()} ".replace("  ", " ")


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")


def question_parts(text: str) -> list[str]:
    """The parts of a message that may hold its question, whole message not included.

    A relative often sets the scene first and asks last: "Mijn moeder is 78. Ze lust geen
    melk. Wat moet ze eten?" Each sentence with a "?" (every sentence, when none has one)
    is a part, alone and together with the sentence before it."""
    sentences = [s for s in _SENTENCE_END.split(text[:MAX_QUESTION_CHARS]) if s.strip()]
    if len(sentences) < 2:
        return []
    asking = [i for i, s in enumerate(sentences) if "?" in s] or range(len(sentences))
    parts = []
    for i in asking:
        parts.append(sentences[i])
        if i > 0:
            parts.append(f"{sentences[i - 1]} {sentences[i]}")
    return parts


def has_letters(text: str) -> bool:
    """Whether the message holds any letter at all, in any alphabet."""
    return any(c.isalpha() for c in text[:MAX_QUESTION_CHARS])
