"""Every threshold and weight of the engine, in one place, each with its reason.

Scores run from 0 to 100. Change a figure here only with an evaluation run on both
question sets (`make eval`): the dev set alone overstates how well a change generalises.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tuning:
    # --- normalising (bot/text.py) ---
    # Words shorter than this are never spelling-corrected: too many real short words
    # sit one letter apart ("kost", "kast").
    spell_min_length: int = 5
    # Up to this length one insertion or deletion is allowed, a substitution is not
    # (fuzz.ratio counts a substitution as two edits).
    spell_short_length: int = 6
    spell_cutoff_short: float = 85.0
    # Longer words may have one substitution or two small slips ("osteopinie", "kalcium").
    spell_cutoff_long: float = 80.0
    # A word at least this common in Dutch or English (wordfreq's Zipf scale: 3 is about
    # once per million words) is a real word, probably not a typo: it is "corrected" into a
    # FAQ word only when a single letter is missing or extra ("boten" -> "botten").
    # "spinazie" or "kopen" stay themselves and count as unknown.
    # An unknown word below it in both languages is "rare" (bot/retrieval.py): often the
    # name of something the leaflet does not cover ("alendroninezuur"), a near-miss signal.
    real_word_zipf: float = 3.0
    spell_cutoff_real_word: float = 90.0
    # A word more common than this is never corrected at all ("kopen" is not "koppen").
    never_correct_zipf: float = 4.5
    # Parts of a compound word are at least this long ("bot" + "dichtheid").
    compound_min_part: int = 3

    # --- ranking (bot/matching.py) ---
    # An entry's score mixes how much of the question's weight it knows (coverage) with
    # how close the question is to its best example phrasing (similarity).
    coverage_weight: float = 0.7
    # Up to this many content words, similarity keeps its full share (see matching.py).
    similar_length: int = 5
    # token_sort_ratio of two unrelated Dutch sentences is seldom below this: similarity
    # counts from here (0) to 100 (1), so one shared long word does not look like a match.
    similarity_floor: float = 0.4
    # A word found only in an entry's answer text counts for this share of a hit.
    answer_word_hit: float = 0.5
    # A word no entry knows weighs this many times the rarest known word: a question
    # about "spinazie" or "alendronaat" is mostly about that word.
    unknown_weight: float = 1.2
    # n unknown words weigh n ** unknown_growth times one: the third unknown word in a long
    # message adds less than the first in a short question.
    unknown_growth: float = 0.35

    # At most this many entries, the best by coverage, get the costly similarity score.
    # Far more than one leaflet has (so its answers are exact); it bounds the time a
    # question takes when a hospital loads hundreds of leaflets (see BENCHMARKS.md).
    max_candidates: int = 200

    # The ranking walk scores entries only while one could still come within this many
    # points of the best (see Matcher.rank). Deciding is no longer done here: the
    # calibrated policy (bot/policy.py, bot/calibration.json) decides.
    rank_reach: float = 10.0


TUNING = Tuning()
