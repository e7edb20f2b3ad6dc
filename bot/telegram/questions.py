"""Typed questions, and messages the bot cannot read (photos, voice, stickers, ...)."""

from __future__ import annotations

import logging

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.delivery import send
from bot.telegram.guard import addressed_text

log = logging.getLogger(__name__)


async def question(update: Update, context: BotContext) -> None:
    """Answer a typed question in its language (an edited one again, as a reply to it)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = addressed_text(message, context.bot.username, context.bot.id)
    if text is None:
        return
    decision = context.service.engine.ask(text, context.lang)
    context.follow(decision.lang)
    log.info(
        "decided kind=%s entry=%s score=%.1f",
        decision.kind,
        decision.entry.id if decision.entry else "-",
        decision.score,
    )
    reply = context.service.replies.for_decision(decision)
    await send(update, context, reply, quote=update.edited_message is not None, question=text)


async def not_text(update: Update, context: BotContext) -> None:
    """Say kindly that only typed questions can be read."""
    reply = context.service.replies.notice("not_text", context.lang, menu=True)
    await send(update, context, reply)
