"""Thin python-telegram-bot callbacks: read the update, ask the engine, send the reply.

Nothing here logs message text or user ids; chats are known to the throttle only in memory.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, MessageEntityType, ParseMode
from telegram.ext import Application, ContextTypes

from bot.engine import Engine
from bot.replies import Replies, Reply, render_html, split_message
from bot.throttle import Throttle, Verdict

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Service:
    """What the handlers need, kept in application.bot_data["service"]."""

    engine: Engine
    replies: Replies
    throttle: Throttle


def service(context: ContextTypes.DEFAULT_TYPE) -> Service:
    """The Service of the application handling this update."""
    return service_of(context.application)


def service_of(app: Application) -> Service:  # type: ignore[type-arg]
    found = app.bot_data["service"]
    if not isinstance(found, Service):
        raise TypeError("bot_data['service'] is not a Service: build the app with app.py")
    return found


def language(update: Update) -> str:
    """English for users whose Telegram speaks English; Dutch otherwise."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "nl"


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


async def send(update: Update, reply: Reply, *, quote: bool = False) -> None:
    """Send a reply as HTML, split at 4096 characters; buttons go under the last part."""
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_message(render_html(reply))
    for n, part in enumerate(parts, 1):
        target = update.effective_message if quote and n == 1 else None
        await chat.send_message(
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply) if n == len(parts) else None,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=ReplyParameters(target.message_id) if target else None,
        )
    log.info(
        "reply kind=%s entry=%s lang=%s",
        reply.kind,
        reply.entry.id if reply.entry else "-",
        reply.lang,
    )


async def allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Apply the per-chat throttle; False when the message should get no answer."""
    chat = update.effective_chat
    if chat is None:
        return False
    verdict = service(context).throttle.check(str(chat.id), time.monotonic())
    if verdict is Verdict.WARN:
        log.info("throttled a chat")
        await send(update, service(context).replies.notice("slow_down", language(update)))
    return verdict is Verdict.ALLOW


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


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome the patient, or open the topic a deep link names (/start calcium)."""
    replies, lang = service(context).replies, language(update)
    payload = context.args[0] if context.args else ""
    await send(update, replies.deep_link(payload, lang) if payload else replies.welcome(lang))


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a button per topic of the leaflet."""
    await send(update, service(context).replies.topics(language(update)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask."""
    await send(update, service(context).replies.smalltalk("help", language(update)))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Name the leaflet and its links."""
    await send(update, service(context).replies.sources(language(update)))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say exactly what is and is not kept."""
    await send(update, service(context).replies.notice("privacy", language(update), menu=True))


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a typed question (an edited question is answered again, as a reply to it)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = addressed_text(message, context.bot.username, context.bot.id)
    if text is None or not await allowed(update, context):
        return
    decision = service(context).engine.decide(text, language(update))
    log.info(
        "decided kind=%s entry=%s score=%.1f",
        decision.kind,
        decision.entry.id if decision.entry else "-",
        decision.score,
    )
    reply = service(context).replies.for_decision(decision)
    await send(update, reply, quote=update.edited_message is not None)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say kindly that only typed questions can be read."""
    if await allowed(update, context):
        await send(
            update, service(context).replies.notice("not_text", language(update), menu=True)
        )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow a pressed button; unknown or forged data gets a polite reply."""
    query = update.callback_query
    if query is None:
        return
    # CallbackQueries need to be answered, even if no notification to the user is needed.
    await query.answer()
    if not await allowed(update, context):
        return
    reply = service(context).replies.for_callback(query.data or "", language(update))
    await send(update, reply)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error (never message text or user ids) and apologise to the patient."""
    error = context.error
    log.error("handling an update failed: %s", type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send(update, service(context).replies.notice("sorry", language(update)))
        except Exception as exc:  # the apology itself may fail when Telegram does
            log.warning("could not send the apology: %s", type(exc).__name__)
