"""The patients' commands: /start (and its deep links), /onderwerpen, /help, /bron,
/privacy, /vergeet, and the reply to a command the bot does not know."""

from __future__ import annotations

from telegram import Update

from bot.privacy import DataPolicy
from bot.telegram.context import BotContext
from bot.telegram.delivery import send
from bot.telegram.guard import addressed_text


async def start(update: Update, context: BotContext) -> None:
    """Welcome the patient, or open the topic a deep link names (/start calcium)."""
    replies, lang = context.service.replies, context.lang
    payload = context.args[0] if context.args else ""
    await send(
        update, context, replies.deep_link(payload, lang) if payload else replies.welcome(lang)
    )


async def topics(update: Update, context: BotContext) -> None:
    """Show a button per topic of the leaflet."""
    await send(update, context, context.service.replies.topics(context.lang))


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to ask."""
    await send(update, context, context.service.replies.smalltalk("help", context.lang))


async def sources(update: Update, context: BotContext) -> None:
    """Name the leaflet and its links."""
    await send(update, context, context.service.replies.sources(context.lang))


async def privacy(update: Update, context: BotContext) -> None:
    """Say exactly what is and is not kept."""
    store = context.service.store
    policy = DataPolicy(store.keep_texts, store.retention_days)
    await send(update, context, context.service.replies.privacy(policy, context.lang))


async def forget(update: Update, context: BotContext) -> None:
    """Delete everything kept that is linked to this chat (/vergeet)."""
    chat, lang, service = update.effective_chat, context.lang, context.service
    if chat is None:
        return
    result = service.store.forget_chat(chat.id)
    service.throttle.forget(service.store.chat_key(chat.id))
    context.application.drop_chat_data(chat.id)  # the conversation's language
    await send(update, context, service.replies.forgotten(result, lang))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is unknown (also what non-admins get for admin commands)."""
    message = update.effective_message
    if message is None or addressed_text(message, context.bot.username, context.bot.id) is None:
        return
    await send(update, context, context.service.replies.notice("unknown_command", context.lang))
