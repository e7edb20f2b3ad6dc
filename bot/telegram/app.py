"""build_application(settings, faq) -> Application: the one place every handler is
registered, with the Defaults (HTML, no link previews) and the typed context."""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    Job,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.callbacks import AskAgain, ShowEntry, ShowMenu, ShowSection, Vote, route
from bot.config import Settings
from bot.engine import Engine
from bot.faq import Faq
from bot.replies import Replies
from bot.store import Store, secret_for
from bot.telegram import admin, buttons, commands, errors, guard, questions
from bot.telegram.context import CONTEXT_TYPES, Service, bot_data
from bot.telegram.introduce import introduce
from bot.telegram.retry import RETRY_DELAYS
from bot.throttle import Throttle

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
GUARD_GROUP = -1  # before every other handler


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
    retry_delays: tuple[float, ...] = RETRY_DELAYS,
    engine: Engine | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot, ready to run: handlers registered, the Service in bot_data
    (`engine` for one already built: tests share one; else built for `faq` here)."""
    builder = (
        Application.builder()
        .application_class(LeafletApplication)
        .token(settings.require_token())
        .base_url(settings.telegram_api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(True)
        .post_init(introduce)
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
    bot_data(app).service = Service(
        engine or Engine.build(faq, cache_dir=settings.cache_dir),
        Replies(faq),
        Throttle(),
        store,
        settings.faq_path,
        settings.admin_chat_ids,
        retry_delays,
        cache_dir=settings.cache_dir,
    )
    register(app)
    return app


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in the order they are tried."""
    app.add_handler(TypeHandler(Update, guard.throttle), group=GUARD_GROUP)
    app.add_handler(CommandHandler("start", commands.start))
    app.add_handler(CommandHandler(["onderwerpen", "topics"], commands.topics))
    app.add_handler(CommandHandler("help", commands.help_command))
    app.add_handler(CommandHandler(["bron", "source"], commands.sources))
    app.add_handler(CommandHandler("privacy", commands.privacy))
    app.add_handler(CommandHandler(["vergeet", "forget"], commands.forget))
    app.add_handler(CommandHandler("stats", admin.stats))
    app.add_handler(CommandHandler("reload", admin.reload_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, questions.question))
    not_text = NOT_TEXT & filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(not_text, questions.not_text))
    app.add_handler(CallbackQueryHandler(buttons.vote, pattern=route(Vote)))
    shown = route(ShowEntry, ShowSection, ShowMenu, AskAgain)
    app.add_handler(CallbackQueryHandler(buttons.press, pattern=shown))
    # Forged, truncated or outdated data: "this button no longer works".
    app.add_handler(CallbackQueryHandler(buttons.press))
    app.add_handler(MessageHandler(filters.COMMAND, commands.unknown_command))
    app.add_error_handler(errors.on_error)
