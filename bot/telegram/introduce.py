"""What Telegram shows new users before they press Start: the commands and the bot's
descriptions, in Dutch (the default for every language) and English."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.admin import reload_faq
from bot.telegram.context import bot_data

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


async def introduce(app: Application) -> None:  # type: ignore[type-arg]
    """Tell Telegram the commands and descriptions new users see before pressing Start;
    reload the FAQ on SIGHUP."""
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        # Not on every platform (Windows has no SIGHUP); the /reload command always works.
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGHUP, lambda: reload_faq(bot_data(app))
        )
    faq = bot_data(app).service.replies.faq
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
