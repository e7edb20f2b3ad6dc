"""What the store costs an answer, and how fast `report` is on a full store (issue targets:
under 1 ms median added to an answer; report over 100,000 replies under 2 s).

    python -m benchmarks.store_bench
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.loading import load_faq
from bot.report import build_report, render_text
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.context import bot_data
from tests.helpers import FAKE_TOKEN, RecordingRequest, update

ROOT = Path(__file__).resolve().parent.parent
FILLER = [
    "eigenlijk",
    "nou",
    "precies",
    "toch",
    "misschien",
    "dokter",
    "moeder",
    "vader",
    "vandaag",
    "morgen",
    "graag",
    "snel",
    "echt",
    "ook",
    "nog",
    "even",
    "wel",
    "al",
    "bij",
    "voor",
    "mijn",
    "uw",
    "de",
    "het",
    "een",
    "als",
    "dan",
    "want",
]
QUESTIONS = [
    "hoeveel calcium per dag",
    "mag ik roken",
    "wat kost een dexa scan",
    "tabletten",
    "hoeveel vitamine d",
    "is koffie slecht",
]


class NoStore(Store):
    """The store switched off: every write returns at once."""

    def record_reply(self, *args: object, **kwargs: object) -> None:
        return None


async def answer_times(tmp: Path, *, with_store: bool, rounds: int) -> list[float]:
    faq = load_faq(ROOT / "faq" / "osteopenie.yaml")
    settings = Settings(
        telegram_bot_token=FAKE_TOKEN, store_path=tmp / "s.sqlite3", store_secret="s" * 32
    )
    app = build_application(settings, faq, request=RecordingRequest(), rate_limiter=False)
    await app.initialize()
    if not with_store:
        service = bot_data(app).service
        app.bot_data["service"] = replace(service, store=NoStore(tmp / "none", b"k" * 32))
    times = []
    for n in range(rounds):
        # A new chat each time: the throttle must not interfere.
        u = update(app.bot, text=QUESTIONS[n % len(QUESTIONS)], chat_id=10_000 + n)
        t0 = time.perf_counter()
        await app.process_update(u)
        times.append((time.perf_counter() - t0) * 1000)
    await app.shutdown()
    return times[50:]  # after warm-up


def fill(store: Store, replies: int) -> None:
    rng = random.Random(3)
    entries = [e.id for e in load_faq(ROOT / "faq" / "osteopenie.yaml").entries]
    unanswered = [
        "wat kost een dexa scan",
        "hoeveel calcium zit er in spinazie",
        "is osteopenie erfelijk",
        "mag ik alendronaat met melk",
        "helpt yoga",
        "wordt de scan vergoed",
        "hoe lang duurt het onderzoek",
    ]
    start = datetime(2026, 9, 1, tzinfo=UTC)
    db = store.open()
    assert db._db is not None
    rows, questions = [], []
    for n in range(replies):
        hour = (start + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:00")
        roll = rng.random()
        if roll < 0.8:
            rows.append((hour, "answer", rng.choice(entries), 80.0, "nl"))
        else:
            kind = "fallback" if roll < 0.95 else "clarify"
            rows.append((hour, kind, None, 30.0, "nl"))
            # Many different wordings: every patient writes their own.
            words = rng.choice(unanswered).split()
            rng.shuffle(words)
            extra = rng.sample(FILLER, rng.randint(0, 3))
            questions.append((hour, kind, "nl", " ".join(words + extra)))
    db._db.executemany(
        "INSERT INTO replies (hour, kind, entry, score, lang) VALUES (?, ?, ?, ?, ?)", rows
    )
    db._db.executemany(
        "INSERT INTO questions (hour, kind, lang, text) VALUES (?, ?, ?, ?)", questions
    )
    for n in range(2000):
        store.vote(n, 1, rng.choice(entries), rng.random() < 0.7)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        rounds = 1050
        without = asyncio.run(answer_times(path / "a", with_store=False, rounds=rounds))
        with_store = asyncio.run(answer_times(path / "b", with_store=True, rounds=rounds))
        a, b = statistics.median(without), statistics.median(with_store)
        print(
            f"an answer, in process: median {a:.3f} ms without the store, {b:.3f} ms with "
            f"it: the store adds {b - a:.3f} ms ({len(with_store)} answers each)"
        )

        store = Store(path / "full.sqlite3", b"k" * 32, retention_days=3650)
        fill(store, 100_000)
        t0 = time.perf_counter()
        report = build_report(store)
        text = render_text(report)
        elapsed = time.perf_counter() - t0
        print(
            f"report over {report.total:,} replies "
            f"({sum(g.count for g in report.unanswered):,} unanswered questions kept, "
            f"{len(report.unanswered)} groups): {elapsed:.2f} s, {len(text)} characters"
        )


if __name__ == "__main__":
    main()
