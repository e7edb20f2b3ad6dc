"""Thin python-telegram-bot callbacks: read the update, ask the engine, send the reply.

Nothing here logs message text or user ids; the throttle knows a chat only in memory, by
the same keyed hash the store uses.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial
from pathlib import Path

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, MessageEntityType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes

from bot.checks import check_faq
from bot.engine import Engine
from bot.privacy import DataPolicy
from bot.replies import CALLBACK_VOTE, Replies, Reply, render_html, split_message
from bot.report import build_report, render_text
from bot.store import Store
from bot.throttle import Throttle, Verdict

log = logging.getLogger(__name__)


# Waits between tries of a send that failed for a reason that may pass (a 5xx, a timeout,
# no connection, a 429 past the rate limiter's own retries): about 2.5 minutes in all.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 30.0, 30.0, 30.0)


@dataclass(frozen=True, slots=True)
class Service:
    """What the handlers need, kept in application.bot_data["service"]. A reload of the
    FAQ puts a new Service there with a new engine and replies."""

    engine: Engine
    replies: Replies
    throttle: Throttle
    store: Store
    faq_path: Path
    admins: frozenset[int] = frozenset()
    retry_delays: tuple[float, ...] = RETRY_DELAYS
    cache_dir: Path | None = None


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


async def send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    reply: Reply,
    *,
    quote: bool = False,
    question: str | None = None,
) -> None:
    """Send a reply as HTML, split at 4096 characters; buttons go under the last part.
    Then keep what the store keeps of it (see bot/store.py)."""
    chat = update.effective_chat
    if chat is None:
        return
    reply = service(context).replies.with_votes(reply)
    parts = split_message(render_html(reply))
    for n, part in enumerate(parts, 1):
        target = update.effective_message if quote and n == 1 else None
        await deliver(
            partial(
                chat.send_message,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply) if n == len(parts) else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                reply_parameters=ReplyParameters(target.message_id) if target else None,
            ),
            service(context).retry_delays,
        )
    entry_id = reply.entry.id if reply.entry else None
    log.info("reply kind=%s entry=%s lang=%s", reply.kind, entry_id or "-", reply.lang)
    service(context).store.record_reply(
        reply.kind,
        entry_id,
        reply.score,
        reply.lang,
        reason=reply.reason,
        nearest=reply.nearest,
        chat_id=chat.id,
        question=question,
    )


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asks to wait: a timedelta with PTB_TIMEDELTA=1 (see __main__)."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def deliver(call: Callable[[], Awaitable[object]], delays: Sequence[float]) -> None:
    """Run a Bot API call, trying again while the error is one that may pass.

    A 400 (our mistake) or a 403 (the patient blocked the bot) is never tried again."""
    for delay in (*delays, None):  # None: the last try
        try:
            await call()
            return
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
        except BadRequest:
            raise
        except NetworkError as exc:
            if delay is None:
                raise
            seconds = delay
            log.warning("sending failed (%s), trying again in %.1f s", type(exc).__name__, seconds)
        if delay is None:
            raise NetworkError("gave up sending after every retry")  # a 429 at the last try
        await asyncio.sleep(seconds)


async def allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Apply the per-chat throttle; False when the message should get no answer."""
    chat = update.effective_chat
    if chat is None:
        return False
    found = service(context)
    verdict = found.throttle.check(found.store.chat_key(chat.id), time.monotonic())
    if verdict is Verdict.WARN:
        log.info("throttled a chat")
        await send(update, context, found.replies.notice("slow_down", language(update)))
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
    await send(
        update, context, replies.deep_link(payload, lang) if payload else replies.welcome(lang)
    )


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a button per topic of the leaflet."""
    await send(update, context, service(context).replies.topics(language(update)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask."""
    await send(update, context, service(context).replies.smalltalk("help", language(update)))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Name the leaflet and its links."""
    await send(update, context, service(context).replies.sources(language(update)))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say exactly what is and is not kept."""
    found = service(context)
    policy = DataPolicy(found.store.keep_texts, found.store.retention_days)
    await send(update, context, found.replies.privacy(policy, language(update)))


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a typed question (an edited question is answered again, as a reply to it)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = addressed_text(message, context.bot.username, context.bot.id)
    if text is None or not await allowed(update, context):
        return
    decision = service(context).engine.ask(text, language(update))
    log.info(
        "decided kind=%s entry=%s score=%.1f",
        decision.kind,
        decision.entry.id if decision.entry else "-",
        decision.score,
    )
    reply = service(context).replies.for_decision(decision)
    await send(update, context, reply, quote=update.edited_message is not None, question=text)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say kindly that only typed questions can be read."""
    if await allowed(update, context):
        reply = service(context).replies.notice("not_text", language(update), menu=True)
        await send(update, context, reply)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow a pressed button, or count a 👍/👎; unknown or forged data get a polite reply."""
    query = update.callback_query
    if query is None:
        return
    data, lang = query.data or "", language(update)
    replies = service(context).replies
    if data.startswith(CALLBACK_VOTE):
        vote = replies.parse_vote(data)
        if vote is not None and query.message is not None and update.effective_chat:
            service(context).store.vote(
                update.effective_chat.id, query.message.message_id, vote[0].id, vote[1]
            )
            # Acknowledged quietly: a short notice on the phone, no new message.
            await query.answer(replies.text(lang, "vote_thanks"))
            return
    # CallbackQueries need to be answered, even if no notification to the user is needed.
    await query.answer()
    if not await allowed(update, context):
        return
    await send(update, context, replies.for_callback(data, lang))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete everything kept that is linked to this chat (/vergeet)."""
    chat, lang = update.effective_chat, language(update)
    if chat is None:
        return
    found = service(context)
    result = found.store.forget_chat(chat.id)
    found.throttle.forget(found.store.chat_key(chat.id))
    await send(update, context, found.replies.forgotten(result, lang))


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.id in service(context).admins


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the command is unknown (also what non-admins get for admin commands)."""
    message = update.effective_message
    if message is None or addressed_text(message, context.bot.username, context.bot.id) is None:
        return
    await send(
        update, context, service(context).replies.notice("unknown_command", language(update))
    )


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The FAQ writers' summary, for admin chats only."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    report = build_report(service(context).store)
    reply = Reply("smalltalk", language(update), (render_text(report, limit=10),))
    await send(update, context, reply)


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reload the FAQ without a restart, for admin chats only."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    lang = language(update)
    problems = reload_faq(context.application)
    replies = service(context).replies
    if problems:
        text = replies.text(lang, "reload_failed") + "\n\n" + "\n".join(problems)
        await send(update, context, Reply("fallback", lang, (text,)))
    else:
        count = str(len(replies.faq.entries))
        await send(update, context, replies.notice("reloaded", lang, count=count))


def reload_faq(app: Application) -> list[str]:  # type: ignore[type-arg]
    """Load the FAQ file again and put it in service; on any problem keep the running one.
    Returns the problems, as `leafletbot check` prints them."""
    current = service_of(app)
    faq, problems = check_faq(current.faq_path)
    if faq is None or problems:
        log.warning("FAQ reload refused, %d problem(s): %s", len(problems), "; ".join(problems))
        return problems or ["the FAQ could not be loaded"]
    engine = current.engine.with_faq(faq, current.cache_dir)
    app.bot_data["service"] = replace(current, engine=engine, replies=Replies(faq))
    log.info("FAQ reloaded: %d entries", len(faq.entries))
    return []


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error (never message text or user ids) and apologise to the patient."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("a patient has blocked the bot; nothing more is sent to that chat")
        return
    log.error("handling an update failed: %s", type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send(update, context, service(context).replies.notice("sorry", language(update)))
        except Exception as exc:  # the apology itself may fail when Telegram does
            log.warning("could not send the apology: %s", type(exc).__name__)
