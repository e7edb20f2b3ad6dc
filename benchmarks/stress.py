"""Load and soak through the Bot API emulator on loopback (issue 6): `make stress`.

    python -m benchmarks.stress [--chats 1000] [--per-chat 5] [--rate 200]
                                [--soak 20000] [--soak-chats 2000] [--soak-rate 250]

Load: every chat asks --per-chat questions, round by round, --rate questions a second in all.
Soak: --soak messages; --soak-chats chats send the first tenth (the warm-up), as many other
chats the rest; the bot's memory (RSS) after the warm-up and at the end. The real bot
process runs with TELEGRAM_FLOOD_LIMIT=0: on loopback, Telegram's 30 messages a second
would measure the limiter's queue, not the bot.

Latency is from the patient's message to the bot's reply reaching the Bot API. A reply is
correct when it answers with the entry the engine picks for that question (its 👍 button
names the entry) in the chat that asked. CPU time and peak memory are the bot process's.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bot import callbacks
from bot.callbacks import Vote
from bot.engine import Engine
from bot.loading import load_faq
from tests.e2e.harness import ROOT, Road, road

OWN = ROOT / "tests" / "data" / "own-questions.jsonl"
STRESS_ENV = {"TELEGRAM_FLOOD_LIMIT": "0"}
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    entry: str  # the entry the engine answers it with


def questions() -> list[Question]:
    """Patients' phrasings from the own set that the engine answers (the transport is under
    test here, not the matching)."""
    engine = Engine.build(load_faq(ROOT / "faq" / "osteopenie.yaml"))
    found = []
    for line in OWN.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        decision = engine.ask(text)
        if decision.kind == "answer" and decision.entry is not None:
            found.append(Question(text, decision.entry.id))
    return found


@dataclass
class Outcome:
    asked: int
    latencies_ms: list[float]
    lost: int  # questions without a reply
    extra: int  # replies beyond the questions asked in a chat
    wrong: int  # replies with another entry than the engine's
    rejected: int  # sends the Bot API refused (HTML or length)
    seconds: float

    @property
    def ok(self) -> bool:
        return self.lost == self.extra == self.wrong == self.rejected == 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def line(self) -> str:
        return (
            f"{self.asked} questions in {self.seconds:.1f} s: latency p50 "
            f"{self.percentile(0.5):.1f} ms, p99 {self.percentile(0.99):.1f} ms, max "
            f"{max(self.latencies_ms, default=0):.1f} ms; lost {self.lost}, extra {self.extra}, "
            f"wrong {self.wrong}, refused by the API {self.rejected}"
        )


def entry_of(params: dict[str, Any]) -> str | None:
    markup = params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for button in row:
            press = callbacks.parse(button.get("callback_data"))
            if isinstance(press, Vote):
                return press.entry_id
    return None


def ask(
    live: Road,
    pool: list[Question],
    chats: range,
    per_chat: int,
    rate: float,
    timeout: float = 120,
) -> Outcome:
    """Every chat asks `per_chat` questions, round by round, `rate` a second in all; wait for
    every reply (or `timeout`) and check each one."""
    plan = [
        (chat, pool[(chat * 7 + k * 13) % len(pool)]) for k in range(per_chat) for chat in chats
    ]
    asked: dict[str, list[tuple[float, Question]]] = {}
    before = {str(c): len(live.compat.replies.get(str(c), [])) for c in chats}
    rejected_before = len(live.compat.rejected)
    patients = {chat: live.patient(chat) for chat in chats}
    start = time.perf_counter()
    for n, (chat, question) in enumerate(plan):
        time.sleep(max(0.0, start + n / rate - time.perf_counter()))
        asked.setdefault(str(chat), []).append((time.perf_counter(), question))
        patients[chat].say(question.text)

    def replies(chat: str) -> list[tuple[float, dict[str, Any]]]:
        return live.compat.replies.get(chat, [])[before[chat] :]

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if all(len(replies(c)) >= len(q) for c, q in asked.items()):
            break
        time.sleep(0.05)
    time.sleep(0.3)  # a second reply to any question would arrive by now
    seconds = time.perf_counter() - start
    latencies, lost, extra, wrong = [], 0, 0, 0
    for chat, questions_asked in asked.items():
        got = replies(chat)
        lost += max(0, len(questions_asked) - len(got))
        extra += max(0, len(got) - len(questions_asked))
        for (sent, question), (arrived, params) in zip(questions_asked, got, strict=False):
            latencies.append((arrived - sent) * 1000)
            wrong += entry_of(params) != question.entry
    rejected = len(live.compat.rejected) - rejected_before
    return Outcome(len(plan), latencies, lost, extra, wrong, rejected, seconds)


@dataclass(frozen=True, slots=True)
class Usage:
    """The bot process's memory and CPU time."""

    process: psutil.Process

    def rss(self) -> int:
        return int(self.process.memory_info().rss)

    def peak(self) -> int:
        """The kernel's high-water mark of resident memory (VmHWM); elsewhere the RSS now."""
        status = Path(f"/proc/{self.process.pid}/status")
        if status.is_file():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return self.rss()

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)


@dataclass(frozen=True, slots=True)
class Soak:
    warm: Outcome
    rest: Outcome
    rss_after_warm_up: int
    rss_at_end: int

    @property
    def growth(self) -> float:
        return self.rss_at_end / self.rss_after_warm_up - 1


def soak(live: Road, pool: list[Question], messages: int, chats: int, rate: float) -> Soak:
    """`messages` in all from `chats` chats: the first tenth warms up, then memory is read;
    the rest runs, and memory is read again."""
    usage = Usage(psutil.Process(live.bot.process.pid))
    per_chat = max(1, messages // chats)
    warm_rounds = max(1, per_chat // 10)
    first = 100_000
    warm = ask(live, pool, range(first, first + chats), warm_rounds, rate)
    after_warm_up = usage.rss()
    rest = ask(live, pool, range(first + chats, first + 2 * chats), per_chat - warm_rounds, rate)
    return Soak(warm, rest, after_warm_up, usage.rss())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--per-chat", type=int, default=5)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--soak", type=int, default=20_000)
    parser.add_argument("--soak-chats", type=int, default=2000)
    parser.add_argument("--soak-rate", type=float, default=250)
    args = parser.parse_args()
    pool = questions()
    print(f"{len(pool)} patient phrasings, {len({q.entry for q in pool})} entries")
    with tempfile.TemporaryDirectory() as tmp:
        with road(Path(tmp), log_level="WARNING", env=STRESS_ENV) as live:
            live.patient(1).ask("hallo")
            usage = Usage(psutil.Process(live.bot.process.pid))
            cpu_before = usage.cpu_seconds()
            load = ask(live, pool, range(10_000, 10_000 + args.chats), args.per_chat, args.rate)
            print(
                f"load, {args.chats} chats x {args.per_chat} at {args.rate:.0f}/s: {load.line()}"
            )
            print(
                f"  bot CPU time {usage.cpu_seconds() - cpu_before:.1f} s, "
                f"peak memory {usage.peak() / MB:.0f} MB"
            )
        (Path(tmp) / "soak").mkdir()
        with road(Path(tmp) / "soak", log_level="WARNING", env=STRESS_ENV) as live:
            live.patient(1).ask("hallo")
            run = soak(live, pool, args.soak, args.soak_chats, args.soak_rate)
            print(f"soak, {args.soak} messages from 2 x {args.soak_chats} chats:")
            print(f"  warm-up: {run.warm.line()}")
            print(f"  rest:    {run.rest.line()}")
            print(
                f"  memory after warm-up {run.rss_after_warm_up / MB:.1f} MB, at the end "
                f"{run.rss_at_end / MB:.1f} MB ({run.growth:+.1%})"
            )
    failed = [o for o in (load, run.warm, run.rest) if not o.ok]
    if failed:
        raise SystemExit("FAILED: a reply was lost, extra, wrong or refused")


if __name__ == "__main__":
    main()
