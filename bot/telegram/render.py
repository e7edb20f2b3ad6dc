"""A Reply in Telegram's form: HTML with every text escaped, split below 4,096 characters
outside tags, and its buttons as an inline keyboard."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.reply import Reply


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's rows of buttons as Telegram's inline keyboard."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


def render_html(reply: Reply) -> str:
    """The reply in Telegram's HTML parse mode; every text is escaped."""
    parts = [html.escape(p, quote=False) for p in reply.paragraphs]
    if reply.source:
        parts.append(f"<i>{html.escape(reply.source, quote=False)}</i>")
    if reply.links:
        parts.append(
            "\n".join(
                f'<a href="{html.escape(link.url)}">{html.escape(link.label.get(reply.lang))}</a>'
                for link in reply.links
            )
        )
    return "\n\n".join(parts)


MAX_MESSAGE_LENGTH = 4096  # Telegram's limit, in UTF-16 code units after parsing


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split rendered HTML into messages of at most `limit`, never inside a tag or an entity.

    Paragraphs (blank-line separated) keep their tags balanced, so they are split first;
    a paragraph that is too long on its own is cut at spaces (it holds no tags: replies
    keep markup to the source line and the links)."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        pieces = [paragraph] if telegram_length(paragraph) <= limit else _cut(paragraph, limit)
        for piece in pieces:
            joined = f"{current}\n\n{piece}" if current else piece
            if telegram_length(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current or not chunks:
        chunks.append(current)
    return chunks


def _cut(text: str, limit: int) -> list[str]:
    pieces = []
    while telegram_length(text) > limit:
        cut = limit
        while telegram_length(text[:cut]) > limit:
            cut -= 1
        space = text.rfind(" ", 0, cut)
        if space > limit // 2:
            cut = space
        else:
            amp = text.rfind("&", 0, cut)
            if amp != -1 and ";" not in text[amp:cut]:
                cut = amp  # do not cut an entity such as &amp; in two
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces
