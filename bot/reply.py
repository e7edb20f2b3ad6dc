"""A reply as plain data (paragraphs, a source line, links, rows of buttons) and how a
patient reads it without markup: the terminal chat and `ask --json` print
`render_plain`; bot/telegram/render.py gives the same in Telegram's HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import Kind
from bot.faq import Entry, Link
from bot.texts import TEXTS


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Reply:
    kind: Kind
    lang: str
    paragraphs: tuple[str, ...]
    source: str | None = None
    links: tuple[Link, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry: Entry | None = None
    score: float = 0.0
    # What the store keeps of a fallback or clarify (no text): why, and the nearest topic.
    reason: str = ""
    nearest: str | None = None

    @property
    def options(self) -> tuple[Button, ...]:
        """Every button, in reading order (the terminal chat numbers them)."""
        return tuple(b for row in self.buttons for b in row)


def render_plain(reply: Reply) -> str:
    """The reply as a patient reads it, without markup."""
    parts = list(reply.paragraphs)
    if reply.source:
        parts.append(reply.source)
    if reply.links:
        more = TEXTS[reply.lang]["more"]
        parts.append(
            "\n".join(
                f"{more}: {link.label.get(reply.lang)}: {link.display}" for link in reply.links
            )
        )
    return "\n\n".join(parts)
