"""Settings from the environment and a .env file, validated once at start.

The environment wins over .env. Every setting is listed, with its default, in .env.example.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.errors import ConfigError

DEFAULT_FAQ = "faq/osteopenie.yaml"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_STORE = "data/leafletbot.sqlite3"
DEFAULT_CACHE = "data/cache"
# BotFather's tokens: the bot's number, a colon, 35 characters of [A-Za-z0-9_-].
TOKEN_PATTERN = re.compile(r"^\d{5,12}:[A-Za-z0-9_-]{30,50}$")
_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True, slots=True)
class Settings:
    telegram_bot_token: str | None = None
    faq_path: Path = Path(DEFAULT_FAQ)
    cache_dir: Path = Path(DEFAULT_CACHE)
    log_level: str = "INFO"
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    store_path: Path = Path(DEFAULT_STORE)
    store_secret: str | None = None
    keep_question_texts: bool = False
    retention_days: int = 90
    admin_chat_ids: frozenset[int] = frozenset()
    flood_limit: int = 30

    @property
    def log_level_number(self) -> int:
        return int(getattr(logging, self.log_level))

    def require_token(self) -> str:
        if not self.telegram_bot_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: put BotFather's token in .env")
        return self.telegram_bot_token


def load_settings(
    env_file: str | Path = ".env", environ: Mapping[str, str] | None = None
) -> Settings:
    """Read .env (if present) under the environment, then check every value."""
    values: dict[str, str] = (
        {k: v for k, v in dotenv_values(env_file).items() if v is not None}
        if Path(env_file).is_file()
        else {}
    )
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name, "").strip()
        return value or None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is not None and not TOKEN_PATTERN.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token "
            "(digits, a colon, then about 35 letters, digits, _ or -): "
            "copy it again from BotFather"
        )
    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in _LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LEVELS)}, not {level!r}")
    base_url = get("TELEGRAM_API_BASE_URL") or DEFAULT_API_BASE_URL
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_BASE_URL must start with http:// or https://")
    webhook_url = get("WEBHOOK_URL")
    if webhook_url is not None and not webhook_url.startswith("https://"):
        raise ConfigError("WEBHOOK_URL must be a public https:// address")
    port_text = get("WEBHOOK_PORT") or "8443"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"WEBHOOK_PORT must be a port number, not {port_text!r}")
    secret = get("WEBHOOK_SECRET")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256)")
    keep = (get("KEEP_QUESTION_TEXTS") or "false").lower()
    if keep not in ("true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"KEEP_QUESTION_TEXTS must be true or false, not {keep!r}")
    days = get("RETENTION_DAYS") or "90"
    if not days.isdigit() or int(days) < 1:
        raise ConfigError(f"RETENTION_DAYS must be a whole number, at least 1, not {days!r}")
    admins_text = get("ADMIN_CHAT_IDS") or ""
    try:
        admins = frozenset(int(a) for a in re.split(r"[,\s]+", admins_text) if a)
    except ValueError:
        raise ConfigError(
            "ADMIN_CHAT_IDS must be chat ids (whole numbers) separated by commas, "
            f"not {admins_text!r}"
        ) from None
    flood = get("TELEGRAM_FLOOD_LIMIT") or "30"
    if not flood.isdigit():
        raise ConfigError(
            f"TELEGRAM_FLOOD_LIMIT must be a whole number of messages a second, not {flood!r}"
        )
    store_secret = get("STORE_SECRET")
    if store_secret is not None and len(store_secret) < 16:
        raise ConfigError("STORE_SECRET must be at least 16 characters: use a long random string")
    return Settings(
        store_path=Path(get("STORE_PATH") or DEFAULT_STORE),
        store_secret=store_secret,
        keep_question_texts=keep in ("true", "1", "yes"),
        retention_days=int(days),
        admin_chat_ids=admins,
        flood_limit=int(flood),
        telegram_bot_token=token,
        faq_path=Path(get("FAQ_PATH") or DEFAULT_FAQ),
        cache_dir=Path(get("CACHE_DIR") or DEFAULT_CACHE),
        log_level=level,
        telegram_api_base_url=base_url,
        webhook_url=webhook_url,
        webhook_listen=get("WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=int(port_text),
        webhook_secret=secret,
    )
