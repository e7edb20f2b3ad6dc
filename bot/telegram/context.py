"""The typed context every handler gets (python-telegram-bot's contexttypesbot pattern):
`context.service` instead of a locator in bot_data, `context.lang` for the conversation's
language, held per chat in memory only (chat_data; never persisted)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.engine import Engine
from bot.replies import Replies
from bot.store import Store
from bot.telegram.retry import RETRY_DELAYS
from bot.throttle import Throttle


@dataclass(frozen=True, slots=True)
class Service:
    """What the handlers need. A reload of the FAQ puts a new Service in BotData, with a
    new engine and replies."""

    engine: Engine
    replies: Replies
    throttle: Throttle
    store: Store
    faq_path: Path
    admins: frozenset[int] = frozenset()
    retry_delays: tuple[float, ...] = RETRY_DELAYS
    cache_dir: Path | None = None


class BotData:
    """application.bot_data: the Service, put there by build_application before the first
    update, and when the chats' memory was last swept (see guard.py)."""

    service: Service
    last_sweep: float = 0.0


@dataclass(slots=True)
class ChatData:
    """What the bot remembers of one chat, in memory only: the language the patient last
    wrote in, and when the chat was last seen (idle chats are forgotten, see guard.py)."""

    lang: str | None = None
    seen: float = 0.0


def phone_language(update: object) -> str:
    """English for users whose Telegram speaks English; Dutch otherwise (and unknown)."""
    user = update.effective_user if isinstance(update, Update) else None
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else "nl"


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], ChatData, BotData]):
    """The context of one update."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self._phone = "nl"

    @classmethod
    def from_update(cls, update: object, application: Application) -> BotContext:  # type: ignore[type-arg]
        context = super().from_update(update, application)
        context._phone = phone_language(update)
        return context

    @property
    def service(self) -> Service:
        return self.bot_data.service

    @property
    def lang(self) -> str:
        """The conversation's language: the one the patient last wrote in; until then the
        phone's."""
        chat = self.chat_data
        return chat.lang if chat is not None and chat.lang else self._phone

    def follow(self, lang: str) -> None:
        """The patient wrote in `lang`: the conversation goes on in it."""
        if self.chat_data is not None:
            self.chat_data.lang = lang


def bot_data(app: Application) -> BotData:  # type: ignore[type-arg]
    """The application's BotData, as CONTEXT_TYPES makes it."""
    data: BotData = app.bot_data
    return data


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData, chat_data=ChatData)
