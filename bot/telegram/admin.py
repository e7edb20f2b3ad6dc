"""The admin chats' commands: /stats (the FAQ writers' summary) and /reload (the FAQ
again, without a restart). Everyone else gets the ordinary unknown-command reply."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Update

from bot.checks import check_faq
from bot.replies import Replies
from bot.reply import Reply
from bot.report import build_report, render_text
from bot.telegram.commands import unknown_command
from bot.telegram.context import BotContext, BotData
from bot.telegram.delivery import send

log = logging.getLogger(__name__)


def is_admin(update: Update, context: BotContext) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.id in context.service.admins


async def stats(update: Update, context: BotContext) -> None:
    """The FAQ writers' summary, for admin chats only."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    report = build_report(context.service.store)
    await send(update, context, Reply("smalltalk", context.lang, (render_text(report, limit=10),)))


async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the FAQ without a restart, for admin chats only."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    lang = context.lang
    problems = reload_faq(context.bot_data)
    replies = context.service.replies
    if problems:
        text = replies.text(lang, "reload_failed") + "\n\n" + "\n".join(problems)
        await send(update, context, Reply("fallback", lang, (text,)))
    else:
        count = str(len(replies.faq.entries))
        await send(update, context, replies.notice("reloaded", lang, count=count))


def reload_faq(data: BotData) -> list[str]:
    """Load the FAQ file again and put it in service; on any problem keep the running one.
    Returns the problems, as `leafletbot check` prints them."""
    current = data.service
    faq, problems = check_faq(current.faq_path)
    if faq is None or problems:
        log.warning("FAQ reload refused, %d problem(s): %s", len(problems), "; ".join(problems))
        return problems or ["the FAQ could not be loaded"]
    engine = current.engine.with_faq(faq, current.cache_dir)
    data.service = replace(current, engine=engine, replies=Replies(faq))
    log.info("FAQ reloaded: %d entries", len(faq.entries))
    return []
