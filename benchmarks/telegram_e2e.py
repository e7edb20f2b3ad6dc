"""Reply latency and a burst, through the Bot API emulator on loopback (issue 3's targets).

    python -m benchmarks.telegram_e2e [--questions 200] [--chats 50] [--per-chat 10]

Latency: patients ask one question at a time, 20 a second; the time from the message reaching the
emulator to the bot's reply being readable there. Burst: every chat sends its questions at
once; every reply must arrive, in the right chat. Replies leave at most 30 a second
(Telegram's flood limit, kept by AIORateLimiter), which bounds the burst's duration.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.e2e.harness import road

PACE = 0.05  # seconds between questions: 20 a second
QUESTIONS = [
    "hoeveel calcium per dag",
    "mag ik roken",
    "wat is een dexa scan",
    "hoeveel vitamine d",
    "is koffie slecht",
    "wat is osteopenie",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--per-chat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, road(Path(tmp), log_level="WARNING") as live:
        live.patient(1).ask("warm up")
        latencies = []
        for n in range(args.questions):
            # A new chat for every question: one chat asking hundreds would be throttled.
            patient = live.patient(100 + n)
            start = time.perf_counter()
            patient.ask(QUESTIONS[n % len(QUESTIONS)])
            latencies.append((time.perf_counter() - start) * 1000)
            # Stay under Telegram's 30 messages a second, which AIORateLimiter enforces:
            # above it replies queue by design, and the figure would measure the queue.
            time.sleep(max(0.0, PACE - (time.perf_counter() - start)))
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(
            f"latency over {len(latencies)} questions: median "
            f"{statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
        )

        patients = [live.patient(10_000 + n) for n in range(args.chats)]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(
                pool.map(
                    lambda p: [p.say(QUESTIONS[k % len(QUESTIONS)]) for k in range(args.per_chat)],
                    patients,
                )
            )
        total = args.chats * args.per_chat
        replies = [p.wait_replies(args.per_chat, timeout=120) for p in patients]
        elapsed = time.perf_counter() - start
        lost = total - sum(len(r) for r in replies)
        pairs = zip(patients, replies, strict=True)
        wrong_chat = sum(m["chat_id"] != p.chat_id for p, r in pairs for m in r)
        print(
            f"burst: {total} messages from {args.chats} chats answered in {elapsed:.2f} s; "
            f"lost {lost}, in the wrong chat {wrong_chat}, rejected by the API "
            f"{len(live.compat.rejected)}"
        )


if __name__ == "__main__":
    main()
