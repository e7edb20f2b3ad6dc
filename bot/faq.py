"""Load a leaflet's FAQ from YAML and validate it into frozen dataclasses.

Every defect is collected as a Problem naming the file, the entry and what to do, so that
`leafletbot check` can list them all and start-up can stop with the first one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import FaqError, Problem

LANGUAGES = ("nl", "en")
# Callback data is at most 64 bytes; the longest prefix we put before an id is
# "vote:up:" plus a message number, so ids stay well under that.
MAX_ID_BYTES = 40
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SPACES = re.compile(r"\s+")


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

    def entry(self, entry_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None

    def entries_in(self, section: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.section == section)

    def link(self, name: str) -> Link:
        return self.leaflet.links[name]


def load_faq(path: str | Path) -> Faq:
    """Read and validate one FAQ file; raise FaqError listing every defect."""
    return _valid(*read_faq(path))


def parse_faq(text: str, path: str = "<faq>") -> Faq:
    """Validate FAQ YAML text; raise FaqError listing every defect."""
    return _valid(*read_faq_text(text, path))


def _valid(faq: Faq | None, problems: list[Problem]) -> Faq:
    if faq is None or problems:
        raise FaqError(problems)
    return faq


def read_faq(path: str | Path) -> tuple[Faq | None, list[Problem]]:
    """Every defect in one FAQ file, and the FAQ as far as it could be read (None when the
    file cannot be read as a YAML mapping): `leafletbot check` lints what was read too."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(str(path), "file", "not found: check FAQ_PATH or the path given")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), "file", f"cannot be read: {exc}")]
    return read_faq_text(text, str(path))


def read_faq_text(text: str, path: str = "<faq>") -> tuple[Faq | None, list[Problem]]:
    """As read_faq, for YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(path, "YAML syntax", f"{problem}: fix the file", line)]
    if not isinstance(data, Mapping):
        hint = "give it `leaflet:`, `sections:` and `entries:` as faq/osteopenie.yaml does"
        return None, [Problem(path, "file", f"is not a YAML mapping: {hint}")]
    validator = _Validator(path)
    return validator.faq(data), validator.problems


def normalise_phrase(text: str) -> str:
    """The form in which two phrasings count as the same."""
    return _SPACES.sub(" ", re.sub(r"[^\w]+", " ", text.casefold())).strip()


class _Validator:
    """Walks the parsed YAML once, collecting problems instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, where, message))

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"`{key}` is missing or empty: give it a text")
            return ""
        return value.strip()

    def localised(self, data: Mapping[str, Any], key: str, where: str) -> Localised:
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.problem(where, f"`{key}` is missing: give it `nl:` and `en:` texts")
            return Localised("", "")
        nl, en = (self.text(value, lang, f"{where}, {key}") for lang in LANGUAGES)
        return Localised(_SPACES.sub(" ", nl), _SPACES.sub(" ", en))

    def strings(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not value:
            self.problem(where, f"`{key}` is missing or empty: give it a list")
            return ()
        items = [str(v).strip() for v in value if isinstance(v, (str, int, float))]
        if len(items) != len(value) or not all(items):
            self.problem(where, f"`{key}` holds an empty or non-text item: remove it")
        return tuple(i for i in items if i)

    def mapping(self, data: Any, key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key) if isinstance(data, Mapping) else None
        if not isinstance(value, Mapping) or not value:
            self.problem(where, f"`{key}` is missing or empty: give it a mapping")
            return {}
        return value

    def faq(self, data: Mapping[str, Any]) -> Faq:
        """The FAQ as far as it can be read; every defect goes to `problems`."""
        leaflet = self.leaflet(self.mapping(data, "leaflet", "leaflet"))
        sections = {
            str(sid): self.localised({"title": title}, "title", f"section '{sid}'")
            for sid, title in self.mapping(data, "sections", "sections").items()
        }
        synonyms = self.synonyms(data.get("synonyms") or {})
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            self.problem("entries", "`entries` is missing or empty: give it a list of entries")
            raw_entries = []
        entries = [self.entry(raw, n) for n, raw in enumerate(raw_entries, 1)]
        self.cross_check(entries, sections, leaflet)
        return Faq(self.path, leaflet, sections, synonyms, tuple(entries))

    def leaflet(self, data: Mapping[str, Any]) -> Leaflet:
        links = {}
        for name, raw in self.mapping(data, "links", "leaflet").items():
            where = f"leaflet link '{name}'"
            if not isinstance(raw, Mapping):
                self.problem(where, "give it `label:` (nl, en) and `url:`")
                continue
            url = self.text(raw, "url", where)
            if url and not url.startswith(("https://", "http://", "mailto:")):
                self.problem(where, f"url {url!r} must start with https://, http:// or mailto:")
            links[str(name)] = Link(str(name), self.localised(raw, "label", where), url)
        fallback = self.text(data, "fallback_link", "leaflet")
        if fallback and fallback not in links:
            self.problem("leaflet", f"fallback_link '{fallback}' is not in the links table")
        return Leaflet(
            id=self.text(data, "id", "leaflet"),
            title=self.text(data, "title", "leaflet"),
            department=self.text(data, "department", "leaflet"),
            hospital=self.text(data, "hospital", "leaflet"),
            language=self.text(data, "language", "leaflet"),
            source=self.text(data, "source", "leaflet"),
            links=links,
            fallback_link=fallback,
        )

    def synonyms(self, data: Any) -> dict[str, str]:
        if not isinstance(data, Mapping):
            self.problem("synonyms", "must be a mapping of patient word: FAQ word")
            return {}
        result = {}
        for key, value in data.items():
            if not isinstance(value, str) or not str(key).strip() or not value.strip():
                self.problem(f"synonym '{key}'", "needs a word on both sides")
                continue
            result[str(key).strip().lower()] = value.strip().lower()
        return result

    def entry(self, raw: Any, number: int) -> Entry:
        if not isinstance(raw, Mapping):
            self.problem(f"entry #{number}", "is not a mapping: give it id, section, ...")
            raw = {}
        entry_id = raw.get("id")
        where = f"entry '{entry_id}'" if isinstance(entry_id, str) else f"entry #{number}"
        entry_id = self.text(raw, "id", where)
        if entry_id and not ID_PATTERN.match(entry_id):
            self.problem(where, "id may hold only a-z, 0-9 and '-': rename it")
        if len(entry_id.encode()) > MAX_ID_BYTES:
            self.problem(
                where,
                f"id is over {MAX_ID_BYTES} bytes, too long for Telegram "
                "callback data: shorten it",
            )
        phrasings = raw.get("phrasings")
        if not isinstance(phrasings, Mapping):
            self.problem(where, "`phrasings` is missing: give it `nl:` and `en:` lists")
            phrasings = {}
        return Entry(
            id=entry_id,
            section=self.text(raw, "section", where),
            label=self.localised(raw, "label", where),
            phrasings_nl=self.strings(phrasings, "nl", f"{where}, phrasings", required=True),
            phrasings_en=self.strings(phrasings, "en", f"{where}, phrasings", required=True),
            keywords=self.strings(raw, "keywords", where, required=False),
            answer=self.localised(raw, "answer", where),
            links=self.strings(raw, "links", where, required=False),
            related=self.strings(raw, "related", where, required=False),
        )

    def cross_check(
        self, entries: list[Entry], sections: Mapping[str, Localised], leaflet: Leaflet
    ) -> None:
        ids = [e.id for e in entries if e.id]
        seen: set[str] = set()
        for entry_id in ids:
            if entry_id in seen:
                self.problem(f"entry '{entry_id}'", "this id is used twice: make it unique")
            seen.add(entry_id)
        owner: dict[str, str] = {}
        for entry in entries:
            where = f"entry '{entry.id}'"
            if entry.section and entry.section not in sections:
                self.problem(
                    where, f"unknown section '{entry.section}': use one of " + ", ".join(sections)
                )
            for name in entry.links:
                if name not in leaflet.links:
                    self.problem(where, f"unknown link '{name}': add it to leaflet.links")
            for other in entry.related:
                if other not in seen:
                    self.problem(where, f"unknown related entry '{other}'")
                elif other == entry.id:
                    self.problem(where, "an entry cannot be related to itself")
            for phrasing in dict.fromkeys(normalise_phrase(p) for p in entry.phrasings):
                if phrasing in owner and owner[phrasing] != entry.id:
                    self.problem(
                        where,
                        f"phrasing '{phrasing}' is also in entry "
                        f"'{owner[phrasing]}': keep it in one entry",
                    )
                owner.setdefault(phrasing, entry.id)
        covered = {e.section for e in entries}
        for section in sections:
            if section not in covered:
                self.problem(f"section '{section}'", "has no entry: write at least one")
