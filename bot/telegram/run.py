"""Run the bot until SIGINT or SIGTERM: by polling (polling.py, which confirms an update
only once it is answered), or by webhook when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.errors import ConfigError
from bot.faq import Faq
from bot.telegram.app import build_application
from bot.telegram.context import bot_data
from bot.telegram.polling import Poller

log = logging.getLogger(__name__)


def run_bot(settings: Settings, faq: Faq) -> None:
    """Run until SIGINT or SIGTERM: polling, or a webhook when WEBHOOK_URL is set."""
    app = build_application(settings, faq)
    try:
        if settings.webhook_url:
            log.info(
                "starting in webhook mode on %s:%d", settings.webhook_listen, settings.webhook_port
            )
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            log.info("starting in polling mode")
            asyncio.run(poll_until_stopped(app))
    except InvalidToken:
        # python-telegram-bot's own message repeats the token: never show it.
        raise ConfigError(
            "Telegram rejected TELEGRAM_BOT_TOKEN: copy it again from BotFather (/mybots)"
        ) from None
    finally:
        bot_data(app).service.store.close()
    log.info("stopped")


async def poll_until_stopped(app: Application) -> None:  # type: ignore[type-arg]
    """Application.run_polling, with a Poller that confirms an update only once answered:
    answer until SIGINT or SIGTERM, then finish what is in hand."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with app:  # initialize, and shutdown at the end
        if app.post_init is not None:
            await app.post_init(app)
        try:
            await app.bot.delete_webhook()  # getUpdates is refused while a webhook is set
        except TelegramError as exc:
            log.warning("could not remove a webhook: %s", type(exc).__name__)
        await app.start()
        try:
            await Poller(app, bot_data(app).service.store).run(stop)
        finally:
            await app.stop()
