"""With default settings, personal details that patients and relatives type reach neither
the disk nor the log at INFO (issue 11). The messages are the labelled set that measures
the de-identifier, sent through the real bot over HTTP; then every file the bot wrote is
searched for every planted detail."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import ROOT
from tests.e2e.conftest import road_or_skip

MESSAGES = ROOT / "tests" / "data" / "pii-heldout.jsonl"
# Short values (an age "83", a day "12") occur by chance in any binary file: only details
# that could identify someone on their own are searched for.
MIN_LENGTH = 4


def searched(value: str) -> list[bytes]:
    """The byte forms the value could be written in: as typed, and its digits alone."""
    forms = {value}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 6:
        forms.add(digits)
    return [f.encode() for f in forms if len(f) >= MIN_LENGTH]


def test_default_settings_keep_no_personal_detail(tmp_path: Path) -> None:
    items = [json.loads(line) for line in MESSAGES.read_text(encoding="utf-8").splitlines()]
    planted = [d["value"] for item in items for d in item["details"]]
    assert len(planted) >= 60
    with road_or_skip(tmp_path, log_level="INFO") as road:
        for n, item in enumerate(items):  # a chat each: the flood limit stays out of it
            road.patient(4600 + n).ask(item["text"], timeout=30)
        assert road.bot.stop() == 0
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"reply kind=" in written  # the log was written and searched too
    for value in [*planted, *(i["text"] for i in items)]:
        for form in searched(value):
            assert form not in written, f"{value!r} reached the disk or the log"
