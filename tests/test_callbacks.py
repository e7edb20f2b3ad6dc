from __future__ import annotations

import pytest

from bot import callbacks
from bot.callbacks import AskAgain, Press, ShowEntry, ShowMenu, ShowSection, Vote


@pytest.mark.parametrize(
    "press",
    [
        pytest.param(ShowEntry("calcium-per-dag"), id="entry"),
        pytest.param(ShowSection("vitamine_d"), id="section"),
        pytest.param(ShowMenu(), id="menu"),
        pytest.param(AskAgain(), id="other"),
        pytest.param(Vote("roken", True, "nl"), id="up"),
        pytest.param(Vote("roken", False, "en"), id="down"),
    ],
)
def test_what_is_built_parses_back(press: Press) -> None:
    data = callbacks.build(press)
    assert callbacks.parse(data) == press
    assert len(data.encode()) <= 64


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("v:+-:nl:roken", id="two-signs"),
        pytest.param("v:+:roken", id="no-language"),
        pytest.param("v:+:fr:roken", id="unknown-language"),
        pytest.param("v:+:nl:", id="truncated-vote"),
        pytest.param("faq:", id="truncated-entry"),
        pytest.param("faq:Roken", id="capitals"),
        pytest.param("faq:../../etc/passwd", id="path"),
        pytest.param("menu ", id="trailing-space"),
        pytest.param("faq:" + "a" * 60, id="too-long"),
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
    ],
)
def test_forged_or_truncated_data_do_not_parse(data: object) -> None:
    assert callbacks.parse(data) is None


def test_route_matches_only_its_kinds() -> None:
    votes = callbacks.route(Vote)
    assert votes("v:-:nl:roken") and not votes("faq:roken") and not votes("v:x:nl:roken")
