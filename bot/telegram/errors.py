"""The one error handler: log the error by type (never message text or user ids) and
apologise to the patient; never a traceback to a patient."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.telegram.context import BotContext
from bot.telegram.delivery import send

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the error and apologise to the patient."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("a patient has blocked the bot; nothing more is sent to that chat")
        return
    log.error("handling an update failed: %s", type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send(update, context, context.service.replies.notice("sorry", context.lang))
        except Exception as exc:  # the apology itself may fail when Telegram does
            log.warning("could not send the apology: %s", type(exc).__name__)
