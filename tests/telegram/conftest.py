"""The bot in process: settings in a temporary folder, a recording request, the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.config import Settings
from bot.faq import Faq
from bot.telegram.app import build_application
from tests.conftest import FAQ_PATH
from tests.helpers import ADMIN, FAKE_TOKEN, RecordingRequest


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    faq_copy = tmp_path / "faq.yaml"
    faq_copy.write_text(FAQ_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return Settings(
        telegram_bot_token=FAKE_TOKEN,
        store_path=tmp_path / "store.sqlite3",
        store_secret="s" * 32,
        admin_chat_ids=frozenset({ADMIN}),
        faq_path=faq_copy,
    )


@pytest.fixture
def request_log() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
async def app(
    faq: Faq, request_log: RecordingRequest, settings: Settings
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = build_application(
        settings, faq, request=request_log, rate_limiter=False, retry_delays=(0.01, 0.01, 0.01)
    )
    await application.initialize()
    yield application
    await application.shutdown()
