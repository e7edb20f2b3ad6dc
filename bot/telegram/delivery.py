"""Send a reply: rendered, split, with the buttons under the last part, each part tried
again by the retry policy; then keep what the store keeps of it (see bot/store.py).
Parse mode and link previews come from the Application's Defaults (app.py)."""

from __future__ import annotations

import logging
from functools import partial

from telegram import ReplyParameters, Update

from bot.reply import Reply
from bot.telegram.context import BotContext
from bot.telegram.render import keyboard, render_html, split_message
from bot.telegram.retry import deliver

log = logging.getLogger(__name__)


async def send(
    update: Update,
    context: BotContext,
    reply: Reply,
    *,
    quote: bool = False,
    question: str | None = None,
) -> None:
    """Send `reply` to the update's chat (`quote`: as a reply to the update's message)."""
    chat = update.effective_chat
    if chat is None:
        return
    service = context.service
    reply = service.replies.with_votes(reply)
    parts = split_message(render_html(reply))
    for n, part in enumerate(parts, 1):
        target = update.effective_message if quote and n == 1 else None
        await deliver(
            partial(
                chat.send_message,
                part,
                reply_markup=keyboard(reply) if n == len(parts) else None,
                reply_parameters=ReplyParameters(target.message_id) if target else None,
            ),
            service.retry_delays,
        )
    entry_id = reply.entry.id if reply.entry else None
    log.info("reply kind=%s entry=%s lang=%s", reply.kind, entry_id or "-", reply.lang)
    service.store.record_reply(
        reply.kind,
        entry_id,
        reply.score,
        reply.lang,
        reason=reply.reason,
        nearest=reply.nearest,
        chat_id=chat.id,
        question=question,
    )
