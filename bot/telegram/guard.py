"""The per-chat throttle, once for every update meant for the bot, in an early handler
group: a flooding chat gets one "slow down" and is then ignored (ApplicationHandlerStop)
until its window clears. It also keeps the chats' memory (the language) from growing:
a chat idle for FORGET_AFTER seconds is forgotten."""

from __future__ import annotations

import logging
import time

from telegram import Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import BotContext
from bot.telegram.delivery import send
from bot.throttle import Verdict

log = logging.getLogger(__name__)

FORGET_AFTER = 3600.0  # seconds: a conversation idle this long starts afresh
SWEEP_EVERY = 300.0


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a message meant for the bot, or None when it is not for the bot.

    In a private chat every message is; in a group only one that mentions the bot or
    replies to one of its messages (the mention is taken out of the question)."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    mention = f"@{bot_username}".lower()
    for entity in message.entities:
        name = message.parse_entity(entity)
        if entity.type == MessageEntityType.MENTION and name.lower() == mention:
            return text.replace(name, " ")
    return None


def for_the_bot(update: Update, context: BotContext) -> bool:
    """A button press, or a message the bot would answer: what the throttle counts."""
    if update.callback_query is not None:
        return True
    message = update.effective_message
    if message is None or (message.text is not None and message.text.startswith("/")):
        return False  # commands are cheap and never flood the engine
    return addressed_text(message, context.bot.username, context.bot.id) is not None


async def throttle(update: Update, context: BotContext) -> None:
    """Stop an update from a chat that floods the bot; let every other one through."""
    chat = update.effective_chat
    if chat is None or not for_the_bot(update, context):
        return
    now = time.monotonic()
    remember(context, now)
    service = context.service
    verdict = service.throttle.check(service.store.chat_key(chat.id), now)
    if verdict is Verdict.ALLOW:
        return
    if update.callback_query is not None:
        # CallbackQueries need to be answered, even if no notification to the user is needed.
        await update.callback_query.answer()
    if verdict is Verdict.WARN:
        log.info("throttled a chat")
        await send(update, context, service.replies.notice("slow_down", context.lang))
    raise ApplicationHandlerStop


def remember(context: BotContext, now: float) -> None:
    """Mark the chat as seen; now and then forget the chats idle too long."""
    if context.chat_data is not None:
        context.chat_data.seen = now
    data = context.bot_data
    if now - data.last_sweep < SWEEP_EVERY:
        return
    data.last_sweep = now
    app = context.application
    for chat_id in [c for c, d in app.chat_data.items() if now - d.seen > FORGET_AFTER]:
        app.drop_chat_data(chat_id)
