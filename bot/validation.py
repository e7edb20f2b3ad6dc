"""Validate parsed FAQ YAML into a Faq: every field checked, the entries checked against
each other (unique ids, known sections, links and related entries, no phrasing twice).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.errors import Problem
from bot.faq import (
    ID_PATTERN,
    LANGUAGES,
    MAX_ID_BYTES,
    Entry,
    Faq,
    Leaflet,
    Link,
    Localised,
)

_SPACES = re.compile(r"\s+")


def normalise_phrase(text: str) -> str:
    """The form in which two phrasings count as the same."""
    return _SPACES.sub(" ", re.sub(r"[^\w]+", " ", text.casefold())).strip()


class Validator:
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
