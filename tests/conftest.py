from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.faq import Faq
from bot.loading import load_faq
from bot.replies import Replies

ROOT = Path(__file__).resolve().parent.parent
FAQ_PATH = ROOT / "faq" / "osteopenie.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
FAQ_FIXTURES_VALID = FIXTURES / "faq" / "valid.yaml"

# As `leafletbot` does: python-telegram-bot's timedelta durations, without its warning at a 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def faq() -> Faq:
    return load_faq(FAQ_PATH)


@pytest.fixture(scope="session")
def engine(faq: Faq) -> Engine:
    return Engine.build(faq, cache_dir=ROOT / "data" / "cache")


@pytest.fixture(scope="session")
def replies(faq: Faq) -> Replies:
    return Replies(faq)


def shared_file(*parts: str) -> Path:
    """A file of ../shared, or a skip with the reason when it is not beside the project."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} is not here: the shared material sits beside the project in CI")
    return path
