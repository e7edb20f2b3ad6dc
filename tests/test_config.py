"""Settings: every value checked once at start, with one clear line for a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.errors import ConfigError
from tests.helpers import FAKE_TOKEN

NO_FILE = "/nonexistent/.env"


def test_defaults_without_anything_set() -> None:
    settings = load_settings(NO_FILE, environ={})
    assert settings == Settings()
    assert settings.flood_limit == 30 and settings.retention_days == 90
    assert settings.keep_question_texts is False  # privacy by default (AVG art. 25)


def test_the_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=DEBUG\nRETENTION_DAYS=30\n", encoding="utf-8")
    settings = load_settings(env_file, environ={"RETENTION_DAYS": "7"})
    assert settings.log_level == "DEBUG" and settings.retention_days == 7


def test_every_value_is_read() -> None:
    settings = load_settings(
        NO_FILE,
        environ={
            "TELEGRAM_BOT_TOKEN": FAKE_TOKEN,
            "ADMIN_CHAT_IDS": "12, 34 56",
            "TELEGRAM_FLOOD_LIMIT": "0",
            "KEEP_QUESTION_TEXTS": "no",
            "WEBHOOK_URL": "https://bot.example.nl/hook",
            "WEBHOOK_PORT": "8080",
            "STORE_SECRET": "x" * 16,
        },
    )
    assert settings.require_token() == FAKE_TOKEN
    assert settings.admin_chat_ids == frozenset({12, 34, 56})
    assert settings.flood_limit == 0 and settings.keep_question_texts is False
    assert settings.webhook_port == 8080


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "does not look like a bot token"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of"),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "must start with http"),
        ("WEBHOOK_URL", "http://insecure.nl", "public https://"),
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT must be a port number"),
        ("WEBHOOK_SECRET", "with space", "WEBHOOK_SECRET may hold only"),
        ("KEEP_QUESTION_TEXTS", "maybe", "true or false"),
        ("RETENTION_DAYS", "0", "at least 1"),
        ("ADMIN_CHAT_IDS", "12,abc", "ADMIN_CHAT_IDS must be chat ids"),
        ("STORE_SECRET", "short", "at least 16 characters"),
        ("TELEGRAM_FLOOD_LIMIT", "-1", "TELEGRAM_FLOOD_LIMIT must be a whole number"),
    ],
)
def test_a_bad_value_names_the_setting(name: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        load_settings(NO_FILE, environ={name: value})


def test_a_bad_token_is_never_repeated_in_the_error() -> None:
    almost = FAKE_TOKEN + "!"  # one character wrong: still the secret
    with pytest.raises(ConfigError) as caught:
        load_settings(NO_FILE, environ={"TELEGRAM_BOT_TOKEN": almost})
    assert FAKE_TOKEN.partition(":")[2] not in str(caught.value)


def test_a_missing_token_says_where_to_put_it() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        Settings().require_token()
