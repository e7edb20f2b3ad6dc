from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.report import build_report, group_questions, render_csv, render_text
from bot.store import Store
from tests.conftest import ROOT


@pytest.fixture
def filled(tmp_path: Path) -> Store:
    now = [datetime(2026, 11, 2, 10, tzinfo=UTC)]
    store = Store(
        tmp_path / "s.sqlite3",
        b"k" * 32,
        keep_texts=True,
        clock=lambda: now[0],
        retention_days=3650,
    ).open()
    for _ in range(6):
        store.record_reply("answer", "calcium-per-dag", 80.0, "nl")
    store.record_reply("answer", "roken", 70.0, "nl")
    for q, reason, nearest in [
        ("hoeveel calcium zit er in spinazie", "unknown", "calcium-per-dag"),
        ("calcium in spinazie?", "unknown", "calcium-per-dag"),
        ("wat kost een dexa scan", "costs", "botdichtheidsmeting"),
    ]:
        store.record_reply(
            "fallback", None, 20.0, "nl", reason=reason, nearest=nearest, question=q
        )
    now[0] += timedelta(days=7)
    store.record_reply(
        "fallback", None, 20.0, "nl", reason="unknown", question="Hoeveel calcium zit in spinazie"
    )
    store.record_reply("answer", "roken", 70.0, "nl")
    store.vote(1, 1, "roken", up=False)
    store.vote(2, 1, "roken", up=False)
    store.vote(3, 1, "calcium-per-dag", up=True)
    return store


def test_report_counts(filled: Store) -> None:
    report = build_report(filled)
    assert report.total == 12
    assert dict(report.kinds) == {"answer": 8, "fallback": 4}
    assert report.entries[0] == ("calcium-per-dag", 6)
    assert [(f, n) for _, f, n in report.weeks] == [(3, 10), (1, 2)]
    assert report.votes == (("roken", 2, 0),)


def test_without_texts_the_report_still_says_why_and_near_what(filled: Store) -> None:
    report = build_report(filled)
    assert dict(report.reasons) == {"fallback: unknown": 3, "fallback: costs": 1}
    assert report.nearest == (("calcium-per-dag", 2), ("botdichtheidsmeting", 1))
    text = render_text(report)
    assert "fallback: costs" in text and "botdichtheidsmeting" in text


def test_unanswered_questions_are_grouped_most_frequent_first(filled: Store) -> None:
    groups = build_report(filled).unanswered
    assert [g.count for g in groups] == [3, 1]
    assert "spinazie" in groups[0].examples[0].lower()
    assert groups[1].examples == ("wat kost een dexa scan",)


def test_since_filters(filled: Store) -> None:
    report = build_report(filled, date(2026, 11, 5))
    assert report.total == 2
    assert [g.count for g in report.unanswered] == [1]


def test_text_and_csv(filled: Store) -> None:
    report = build_report(filled)
    text = render_text(report)
    assert "fallback" in text and "calcium-per-dag" in text and "spinazie" in text
    table = list(csv.reader(io.StringIO(render_csv(report))))
    assert table[0] == ["section", "key", "count", "extra"]
    assert ["kind", "answer", "8", ""] in table
    assert any(r[0] == "unanswered" and r[2] == "3" for r in table)


def test_grouping_is_by_likeness_not_by_accident() -> None:
    groups = group_questions(
        [("mag ik yoga doen", 2), ("yoga doen mag dat", 1), ("wat kost parkeren", 1)]
    )
    assert [g.count for g in groups] == [3, 1]


def test_report_command(filled: Store, tmp_path: Path) -> None:
    filled.close()
    env = {
        "PATH": "/usr/bin:/bin",
        "STORE_PATH": str(tmp_path / "s.sqlite3"),
        "STORE_SECRET": "k" * 32,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "unanswered" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "report"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
        env={**env, "STORE_PATH": str(tmp_path / "none.sqlite3")},
    )
    assert missing.returncode == 1 and "no store yet" in missing.stderr
    assert ROOT.is_dir()
