"""Pressed buttons: the topics and questions, "something else", and 👍/👎 under an answer.
Their data are routed here by bot/callbacks.py; anything it does not parse (forged,
truncated, from an old version) gets the polite "this button no longer works"."""

from __future__ import annotations

import logging
from functools import partial

from telegram import Update
from telegram.error import BadRequest

from bot import callbacks
from bot.callbacks import Vote
from bot.telegram.context import BotContext
from bot.telegram.delivery import send
from bot.telegram.render import keyboard
from bot.telegram.retry import deliver

log = logging.getLogger(__name__)


async def press(update: Update, context: BotContext) -> None:
    """Follow a pressed button, in the conversation's language."""
    query = update.callback_query
    if query is None:
        return
    # CallbackQueries need to be answered, even if no notification to the user is needed.
    await query.answer()
    reply = context.service.replies.for_press(callbacks.parse(query.data), context.lang)
    await send(update, context, reply)


async def vote(update: Update, context: BotContext) -> None:
    """Keep a 👍/👎 and show it on the answer's buttons (it can be changed); after 👎 offer
    to ask again or open the topics."""
    query, chat, service = update.callback_query, update.effective_chat, context.service
    voted = callbacks.parse(query.data) if query else None
    if query is None or chat is None or not isinstance(voted, Vote):
        # Empty data reach every pattern (python-telegram-bot matches them as a game's).
        await press(update, context)
        return
    shown = service.replies.voted(voted)
    if shown is None or query.message is None or not query.message.is_accessible:
        # An entry no longer in the FAQ, or a message Telegram no longer shows.
        await query.answer()
        await send(update, context, service.replies.stale(context.lang))
        return
    service.store.vote(chat.id, query.message.message_id, voted.entry_id, voted.useful)
    await query.answer(service.replies.text(context.lang, "vote_thanks"))
    try:
        edit = partial(query.edit_message_reply_markup, reply_markup=keyboard(shown))
        await deliver(edit, service.retry_delays)
    except BadRequest as exc:  # the message is gone, or it shows this choice already
        log.info("could not show a vote on its answer: %s", type(exc).__name__)
    if not voted.useful:
        await send(update, context, service.replies.vote_offer(context.lang))
