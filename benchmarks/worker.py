"""One system, one FAQ size, in a process of its own (so its peak memory is its own).

    python -m benchmarks.worker SYSTEM --phrasings N --questions FILE [--repeat R]
                                [--cutoff C] [--cache-dir DIR] [--first-answer]

Prints one JSON line: build time, latency per question (p50, p99) and peak memory.
With --first-answer it only answers one question, for timing start-up from outside.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from benchmarks.synthetic import grow
from benchmarks.systems import Bm25System, DenseSystem, EngineSystem, RapidfuzzSystem, System
from bot.loading import load_faq

ROOT = Path(__file__).resolve().parent.parent


def build(name: str, phrasings: int, cutoff: float, cache_dir: Path | None) -> System:
    faq = load_faq(ROOT / "faq" / "osteopenie.yaml")
    if phrasings:
        faq = grow(faq, phrasings)
    if name == "engine":
        return EngineSystem(faq, cache_dir)
    if name == "dense":
        return DenseSystem(faq, cutoff, cache_dir)
    if name == "rapidfuzz":
        return RapidfuzzSystem(faq)
    return Bm25System(faq, cutoff)


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM starts anew at exec; ru_maxrss may still
    count the parent that forked us."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("system", choices=["engine", "dense", "rapidfuzz", "bm25"])
    parser.add_argument("--phrasings", type=int, default=0, help="0: the real FAQ")
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cutoff", type=float, default=0.0)
    parser.add_argument("--cache-dir", type=Path, help="the sentence vectors' cache")
    parser.add_argument("--first-answer", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    system = build(args.system, args.phrasings, args.cutoff, args.cache_dir)
    built = time.perf_counter() - start
    if args.first_answer:
        system.answer("hoeveel calcium heb ik per dag nodig?")
        return
    questions = args.questions.read_text(encoding="utf-8").splitlines()
    for question in questions[:20]:  # warm up: caches, lazy imports
        system.answer(question)
    latencies = []
    for _ in range(args.repeat):
        for question in questions:
            t0 = time.perf_counter()
            system.answer(question)
            latencies.append((time.perf_counter() - t0) * 1000)
    peak = peak_mb()
    print(
        json.dumps(
            {
                "system": args.system,
                "phrasings": args.phrasings,
                "build_s": round(built, 3),
                "p50_ms": round(percentile(latencies, 0.5), 3),
                "p99_ms": round(percentile(latencies, 0.99), 3),
                "max_ms": round(max(latencies), 2),
                "peak_mb": round(peak, 1),
                "n": len(latencies),
            }
        )
    )


if __name__ == "__main__":
    main()
