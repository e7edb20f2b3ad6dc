"""Spelling correction of a word the FAQ does not know: two swapped letters put back
("clacium" -> calcium), else the nearest FAQ word or synonym ("osteopinie" -> osteopenie),
more strictly for a real word and never for a common one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from bot.lexicon import Lexicon
from bot.tuning import Tuning
from bot.vocabulary import Vocabulary


def word_zipf(token: str) -> float:
    """How common a word is in Dutch or English, the higher (wordfreq's Zipf scale). The
    "small" lists hold every word down to Zipf 3, all the thresholds need."""
    return max(
        zipf_frequency(token, "nl", wordlist="small"),
        zipf_frequency(token, "en", wordlist="small"),
    )


@dataclass(frozen=True, slots=True)
class Speller:
    """Corrects against one FAQ's words and (cleaned) synonyms."""

    lexicon: Lexicon
    vocabulary: Vocabulary
    synonyms: Mapping[str, str]
    tuning: Tuning
    choices: tuple[str, ...]
    plain: tuple[str, ...]  # stop and context words: what a slip may also be meant as

    @classmethod
    def build(
        cls, lexicon: Lexicon, vocabulary: Vocabulary, synonyms: Mapping[str, str], tuning: Tuning
    ) -> Speller:
        choices = {w for w in vocabulary.words if len(w) >= tuning.spell_min_length}
        choices |= {k for k in synonyms if " " not in k}
        plain = {
            w
            for w in lexicon.stopwords | lexicon.context_words
            if len(w) >= tuning.spell_min_length and " " not in w and w not in choices
        }
        return cls(
            lexicon, vocabulary, synonyms, tuning, tuple(sorted(choices)), tuple(sorted(plain))
        )

    def fix(self, token: str) -> str | None:
        """The word a token was meant as; None when it is not to be corrected."""
        real = self._is_real_word(token)
        fixed = None if real else self._untransposed(token)
        if fixed is None and not self._is_common_word(token):
            fixed = self._correct(token, real=real)
        return fixed

    def unswapped(self, token: str) -> str | None:
        """The known word a token is with two neighbouring letters swapped back; None for a
        real word or when there is none."""
        return None if self._is_real_word(token) else self._untransposed(token)

    def _is_real_word(self, token: str) -> bool:
        return word_zipf(token) >= self.tuning.real_word_zipf

    def _is_common_word(self, token: str) -> bool:
        return word_zipf(token) >= self.tuning.never_correct_zipf

    def _untransposed(self, token: str) -> str | None:
        """The FAQ word or stop word a non-word is with two neighbouring letters swapped
        back: the commonest slip of fast typing, also in words too short for `_correct`
        ("dya" -> "day", "clacium" -> "calcium")."""
        if len(token) < 3:
            return None
        for i in range(len(token) - 1):
            if token[i] == token[i + 1]:
                continue
            swapped = token[:i] + token[i + 1] + token[i] + token[i + 2 :]
            if (
                swapped in self.vocabulary.words
                or swapped in self.synonyms
                or swapped in self.lexicon.stopwords
            ):
                return swapped
        return None

    def _correct(self, token: str, *, real: bool) -> str | None:
        if len(token) < self.tuning.spell_min_length:
            return None
        if real:
            cutoff = self.tuning.spell_cutoff_real_word
        elif len(token) <= self.tuning.spell_short_length:
            cutoff = self.tuning.spell_cutoff_short
        else:
            cutoff = self.tuning.spell_cutoff_long
        best = process.extractOne(token, self.choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        # A slip in a word that carries no topic is not a topic word: "eigelijk" is
        # "eigenlijk", not "eerlijk". Only a strictly nearer stop word wins.
        plain = process.extractOne(token, self.plain, scorer=fuzz.ratio, score_cutoff=best[1])
        return str(plain[0]) if plain is not None and plain[1] > best[1] else str(best[0])
