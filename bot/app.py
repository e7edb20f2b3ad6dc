"""build_application(settings, faq) -> Application, and running it by polling or webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    Job,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import handlers
from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.faq import Faq
from bot.polling import Poller
from bot.replies import Replies
from bot.store import Store, secret_for
from bot.throttle import Throttle

log = logging.getLogger(__name__)

COMMANDS = {
    "nl": [
        ("start", "Begin: wat deze bot doet"),
        ("onderwerpen", "De onderwerpen van de folder"),
        ("help", "Hoe stel ik een vraag?"),
        ("bron", "Waar de antwoorden vandaan komen"),
        ("privacy", "Wat de bot bewaart"),
        ("vergeet", "Wis wat aan deze chat gekoppeld is"),
    ],
    "en": [
        ("start", "Start: what this bot does"),
        ("onderwerpen", "The leaflet's topics"),
        ("help", "How do I ask a question?"),
        ("bron", "Where the answers come from"),
        ("privacy", "What the bot keeps"),
        ("vergeet", "Delete what is linked to this chat"),
    ],
}
DESCRIPTION = {
    "nl": "Vragen over de folder {title} ({department}, {hospital})? Typ uw vraag in gewone "
    "woorden en krijg het antwoord uit de folder, met de bron. Geen persoonlijk medisch "
    "advies: daarvoor gaat u naar uw huisarts. Bij spoed: bel 112 of uw huisarts.",
    "en": "Questions about the leaflet {title} ({department}, {hospital})? Type your question "
    "and get the leaflet's answer, with its source. No personal medical advice: for that, see "
    "your GP. In an emergency: call 112 or your GP.",
}
SHORT_DESCRIPTION = {
    "nl": "Antwoorden uit de patiëntenfolder {title} van het {hospital}.",
    "en": "Answers from the patient leaflet {title} of the {hospital}.",
}
NOT_TEXT = (
    filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
    | filters.ANIMATION
    | filters.POLL
    | filters.Dice.ALL
    | filters.VENUE
)


class LeafletApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot's Application without one leak. With no persistence configured
    (this bot has none) it still adds the id of every chat and user it sees to two sets that
    only a persistence flush empties (PTB 22.8): they grow for as long as the bot runs and
    hold every user id in memory."""

    def _mark_for_persistence_update(
        self,
        *,
        update: object | None = None,
        job: Job | None = None,  # type: ignore[type-arg]
    ) -> None:
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)


def build_application(
    settings: Settings,
    faq: Faq,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
    retry_delays: tuple[float, ...] = handlers.RETRY_DELAYS,
    engine: Engine | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot, ready to run: handlers registered, the engine in bot_data["service"]
    (`engine` for one already built: tests share one; else built for `faq` here)."""
    builder = (
        Application.builder()
        .application_class(LeafletApplication)
        .token(settings.require_token())
        .base_url(settings.telegram_api_base_url)
        .concurrent_updates(True)
        .post_init(_introduce)
    )
    if rate_limiter:
        # The builder's generic type pins "no rate limiter"; the call itself is the documented one.
        limiter = AIORateLimiter(overall_max_rate=settings.flood_limit, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    app = builder.build()
    store = Store(
        settings.store_path,
        secret_for(settings.store_path, settings.store_secret),
        keep_texts=settings.keep_question_texts,
        retention_days=settings.retention_days,
    ).open()
    app.bot_data["service"] = handlers.Service(
        engine or Engine.build(faq, cache_dir=settings.cache_dir),
        Replies(faq),
        Throttle(),
        store,
        settings.faq_path,
        settings.admin_chat_ids,
        retry_delays,
        cache_dir=settings.cache_dir,
    )
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler(["onderwerpen", "topics"], handlers.topics))
    app.add_handler(CommandHandler("help", handlers.help_command))
    app.add_handler(CommandHandler(["bron", "source"], handlers.sources))
    app.add_handler(CommandHandler("privacy", handlers.privacy))
    app.add_handler(CommandHandler(["vergeet", "forget"], handlers.forget))
    app.add_handler(CommandHandler("stats", handlers.stats))
    app.add_handler(CommandHandler("reload", handlers.reload_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.question))
    app.add_handler(
        MessageHandler(NOT_TEXT & private & filters.UpdateType.MESSAGE, handlers.not_text)
    )
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_handler(MessageHandler(filters.COMMAND, handlers.unknown_command))
    app.add_error_handler(handlers.on_error)
    return app


async def _introduce(app: Application) -> None:  # type: ignore[type-arg]
    """Tell Telegram the commands and descriptions new users see before pressing Start;
    reload the FAQ on SIGHUP."""
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        # Not on every platform (Windows has no SIGHUP); the /reload command always works.
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGHUP, lambda: handlers.reload_faq(app)
        )
    faq = handlers.service_of(app).replies.faq
    leaflet = faq.leaflet
    fields = {
        "title": leaflet.title,
        "department": leaflet.department,
        "hospital": leaflet.hospital,
    }
    for lang in ("nl", "en"):
        code = None if lang == "nl" else lang  # Dutch is the default for every language
        try:
            await app.bot.set_my_commands(
                [BotCommand(c, d) for c, d in COMMANDS[lang]], language_code=code
            )
            await app.bot.set_my_description(
                DESCRIPTION[lang].format(**fields), language_code=code
            )
            await app.bot.set_my_short_description(
                SHORT_DESCRIPTION[lang].format(**fields), language_code=code
            )
        except TelegramError as exc:
            # The bot answers questions without them; say so and go on.
            log.warning("could not set the %s commands or descriptions: %s", lang, exc)


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
        handlers.service_of(app).store.close()
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
            await Poller(app, handlers.service_of(app).store).run(stop)
        finally:
            await app.stop()
