"""Every error leafletbot raises on purpose.

    LeafletbotError            anything this package raises on purpose; its text is one line
    ├── ConfigError            a setting is missing or malformed (token, paths, numbers)
    ├── FaqError               a FAQ file cannot be used: holds one Problem per defect found
    ├── ModelError             the sentence model is missing or its files are damaged
    ├── StoreError             the store was written by a newer version of the bot
    └── LexiconError           a packaged data file (lexicon, triage bank, calibration) is
                               broken: a developer's mistake

Start-up catches LeafletbotError, prints its text and exits 1: never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class LeafletbotError(Exception):
    """Base class: the message is meant for the person running the bot."""


class ConfigError(LeafletbotError):
    """A setting from the environment or .env is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect in a FAQ file: where it is and what to do about it."""

    path: str
    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{place}: {self.where}: {self.message}"


class FaqError(LeafletbotError):
    """A FAQ file failed to load or validate."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        first = str(problems[0]) if problems else "unknown FAQ problem"
        more = len(problems) - 1
        suffix = f" (and {more} more: run `leafletbot check`)" if more > 0 else ""
        super().__init__(first + suffix)


class LexiconError(LeafletbotError):
    """The packaged lexicon (bot/lexicon.yaml) is broken."""


class ModelError(LeafletbotError):
    """The sentence-embedding model cannot be loaded: not installed, wrong version, damaged."""


class StoreError(LeafletbotError):
    """The store cannot be used safely (written by a newer version of the bot)."""
