"""Button data: the one codec that builds and parses every button's callback data.

    faq:<entry id>          show that entry
    sec:<section id>        show that section's questions
    menu                    the topic menu
    other                   "something else": ask to type the question again
    v:<+|->:<lang>:<entry>  👍 or 👎 under an answer in <lang> (its keyboard is redrawn in
                            that language, whatever the patient writes now)

Callback data are untrusted: Telegram hands back whatever a client sends. `parse` accepts
exactly the forms above (ids as the FAQ allows them, a known language, one sign) and gives
None for anything else, truncated or forged; the caller then says politely that the button
no longer works. Telegram allows 64 bytes; the FAQ check keeps ids short enough.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.faq import LANGUAGES


@dataclass(frozen=True, slots=True)
class ShowEntry:
    entry_id: str


@dataclass(frozen=True, slots=True)
class ShowSection:
    section_id: str


@dataclass(frozen=True, slots=True)
class ShowMenu:
    pass


@dataclass(frozen=True, slots=True)
class AskAgain:
    pass


@dataclass(frozen=True, slots=True)
class Vote:
    entry_id: str
    useful: bool
    lang: str


Press = ShowEntry | ShowSection | ShowMenu | AskAgain | Vote

_ID = r"[a-z0-9][a-z0-9_-]{0,39}"
_LANG = "|".join(LANGUAGES)
_FORMS = re.compile(
    rf"faq:(?P<entry>{_ID})|sec:(?P<section>{_ID})|(?P<menu>menu)|(?P<other>other)"
    rf"|v:(?P<sign>[+-]):(?P<lang>{_LANG}):(?P<voted>{_ID})"
)


def build(press: Press) -> str:
    """The callback data of a button that does `press`."""
    match press:
        case ShowEntry(entry_id):
            return f"faq:{entry_id}"
        case ShowSection(section_id):
            return f"sec:{section_id}"
        case ShowMenu():
            return "menu"
        case AskAgain():
            return "other"
        case Vote(entry_id, useful, lang):
            return f"v:{'+' if useful else '-'}:{lang}:{entry_id}"


def parse(data: object) -> Press | None:
    """What a button's data asks for; None for anything this codec did not build."""
    found = _FORMS.fullmatch(data) if isinstance(data, str) else None
    if found is None:
        return None
    if found["entry"]:
        return ShowEntry(found["entry"])
    if found["section"]:
        return ShowSection(found["section"])
    if found["menu"]:
        return ShowMenu()
    if found["other"]:
        return AskAgain()
    return Vote(found["voted"], found["sign"] == "+", found["lang"])


def route(*kinds: type) -> Callable[[object], bool]:
    """A pattern for python-telegram-bot's CallbackQueryHandler: data that parse to one of
    `kinds`."""

    def matches(data: object) -> bool:
        return isinstance(parse(data), kinds)

    return matches
