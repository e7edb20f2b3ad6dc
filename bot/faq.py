"""One leaflet's FAQ as frozen dataclasses: the leaflet, its links, sections and entries,
each text in every supported language. bot/loading.py reads a file into them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

LANGUAGES = ("nl", "en")
# Callback data is at most 64 bytes; the longest prefix we put before an id is
# "vote:up:" plus a message number, so ids stay well under that.
MAX_ID_BYTES = 40
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Localised:
    """One text in every supported language."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    label: Localised
    url: str

    @property
    def display(self) -> str:
        """The address as a patient reads it (no mailto: in front)."""
        return self.url.removeprefix("mailto:")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    section: str
    label: Localised
    phrasings_nl: tuple[str, ...]
    phrasings_en: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: Localised
    links: tuple[str, ...]
    related: tuple[str, ...]

    @property
    def phrasings(self) -> tuple[str, ...]:
        return self.phrasings_nl + self.phrasings_en


@dataclass(frozen=True, slots=True)
class Leaflet:
    id: str
    title: str
    department: str
    hospital: str
    language: str
    source: str
    links: Mapping[str, Link]
    fallback_link: str


@dataclass(frozen=True, slots=True)
class Faq:
    path: str
    leaflet: Leaflet
    sections: Mapping[str, Localised]
    synonyms: Mapping[str, str]
    entries: tuple[Entry, ...]
    _by_id: Mapping[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # An index, so that looking an entry up stays cheap in a library of thousands.
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def entries_in(self, section: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.section == section)

    def link(self, name: str) -> Link:
        return self.leaflet.links[name]
