"""`make bench`: answer quality against two baselines, speed, and growth; prints a table and
writes BENCHMARKS.md with the machine it ran on.

    python -m benchmarks [--quick]

Quality is counted in process with bot.evaluation.score (the figures of score.py); speed,
start-up and peak memory come from one subprocess per system and FAQ size
(benchmarks/worker.py), so that each one's memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.systems import Bm25System, EngineSystem, RapidfuzzSystem, choose_bm25_cutoff
from bot.evaluation import Item, Score, load_items, score
from bot.faq import load_faq

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
OWN = ROOT / "tests" / "data" / "own-questions.jsonl"
SYSTEMS = ("engine", "rapidfuzz", "bm25")
SIZES = (100, 1_000, 10_000, 100_000)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def quality(sets: dict[str, list[Item]]) -> tuple[dict[str, dict[str, Score]], float]:
    faq = load_faq(ROOT / "faq" / "osteopenie.yaml")
    bm25 = Bm25System(faq)
    cutoff = choose_bm25_cutoff(bm25, sets["dev"]) if "dev" in sets else 0.0
    bm25.cutoff = cutoff
    systems = {"engine": EngineSystem(faq), "rapidfuzz": RapidfuzzSystem(faq), "bm25": bm25}
    return {
        name: {s: score(items, system.answer) for s, items in sets.items()}
        for name, system in systems.items()
    }, cutoff


def worker(
    system: str, questions: Path, *, phrasings: int = 0, repeat: int = 1, cutoff: float = 0.0
) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.worker",
            system,
            "--phrasings",
            str(phrasings),
            "--questions",
            str(questions),
            "--repeat",
            str(repeat),
            "--cutoff",
            str(cutoff),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return dict(json.loads(out.stdout.splitlines()[-1]))


def startup(system: str) -> float:
    """Seconds from starting a process to its first answer (median of three)."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "benchmarks.worker", system, "--first-answer"],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="growth only up to 10^4")
    args = parser.parse_args()
    started = time.perf_counter()
    sets = {"dev": load_items(DEV)} if DEV.is_file() else {}
    sets["own"] = load_items(OWN)
    lines = [f"# Benchmarks\n\nRun on {date.today()} with `make bench` on: {machine()}.\n"]

    scores, cutoff = quality(sets)
    lines.append("## Answer quality\n")
    lines.append(
        "Same FAQ, same labelled questions. Baselines: plain rapidfuzz "
        "(`process.extractOne` over every phrasing, WRatio, default processor, "
        f"cut-off 60) and BM25 (bm25s, one document per entry, cut-off {cutoff:.3f} "
        "chosen on the dev set).\n"
    )
    header = (
        "| set | system | in-scope top-1 | wrong answers (all items) | out-of-scope -> fallback |"
    )
    lines += [header, "| --- | --- | --- | --- | --- |"]
    for set_name in sets:
        for name in SYSTEMS:
            s = scores[name][set_name]
            lines.append(
                f"| {set_name} | {name} | {s.pct(s.top1, s.inscope):.1f} % | "
                f"{s.pct(s.wrong, s.n):.1f} % | {s.pct(s.oos_fallback, s.oos):.1f} % |"
            )

    with tempfile.TemporaryDirectory() as tmp:
        questions = Path(tmp) / "questions.txt"
        questions.write_text(
            "\n".join(i.text for items in sets.values() for i in items) + "\n", encoding="utf-8"
        )
        lines.append("\n## Speed on the real FAQ\n")
        lines.append(
            f"Every question of both sets, 5 times ({5 * sum(map(len, sets.values()))} "
            "answers), one core, after a warm-up. Start-up: a new process to its first "
            "answer, median of three.\n"
        )
        lines += [
            "| system | p50 | p99 | start-up to first answer | peak memory |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name in SYSTEMS:
            r = worker(name, questions, repeat=5, cutoff=cutoff)
            lines.append(
                f"| {name} | {r['p50_ms']:.3f} ms | {r['p99_ms']:.3f} ms | "
                f"{startup(name):.2f} s | {r['peak_mb']:.0f} MB |"
            )

        sizes = SIZES[:3] if args.quick else SIZES
        lines.append("\n## Growth\n")
        lines.append(
            "Synthetic FAQs grown from the real one (benchmarks/synthetic.py: copies "
            "of it for made-up conditions, every phrasing varied), the same questions "
            "once each. Build: loading the FAQ into the system.\n"
        )
        lines += [
            "| phrasings | system | p50 | p99 | build | peak memory |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for size in sizes:
            for name in SYSTEMS:
                r = worker(name, questions, phrasings=size, cutoff=cutoff)
                lines.append(
                    f"| {size:,} | {name} | {r['p50_ms']:.3f} ms | {r['p99_ms']:.3f} ms"
                    f" | {r['build_s']:.2f} s | {r['peak_mb']:.0f} MB |"
                )
    lines.append(f"\nThe whole run took {time.perf_counter() - started:.0f} s.\n")
    report = "\n".join(lines)
    print(report)
    (ROOT / "BENCHMARKS.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
