"""`make bench`: answer quality against the baselines on every labelled set, speed, start-up,
memory and growth; prints a table and writes BENCHMARKS.md with the machine it ran on.

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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.legacy import LEGACY, ask, environment, legacy_tree
from benchmarks.systems import (
    Bm25System,
    DenseSystem,
    EngineSystem,
    RapidfuzzSystem,
    System,
    choose_cutoff,
)
from bot.evaluation import Item, Score, load_items, score, score_replies
from bot.loading import load_faq

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "dev": SHARED / "dev-questions.jsonl",
    "dev-2": SHARED / "dev-questions-2.jsonl",
    "held-out": ROOT / "tests" / "data" / "heldout-questions.jsonl",
    "held-out-2": ROOT / "tests" / "data" / "heldout-2-questions.jsonl",
    "held-out-3": ROOT / "tests" / "data" / "heldout-3-questions.jsonl",
    "held-out-4": ROOT / "tests" / "data" / "heldout-4-questions.jsonl",
    "held-out-5": ROOT / "tests" / "data" / "heldout-5-questions.jsonl",
    "held-out-6": ROOT / "tests" / "data" / "heldout-6-questions.jsonl",
    "held-out-7": ROOT / "tests" / "data" / "heldout-7-questions.jsonl",
    "held-out-8": ROOT / "tests" / "data" / "heldout-8-questions.jsonl",
    "held-out-9": ROOT / "tests" / "data" / "heldout-9-questions.jsonl",
    "triage-4": ROOT / "tests" / "data" / "triage-4-questions.jsonl",
    "triage-5": ROOT / "tests" / "data" / "triage-5-questions.jsonl",
    "triage-6": ROOT / "tests" / "data" / "triage-6-questions.jsonl",
    "triage-7": ROOT / "tests" / "data" / "triage-7-questions.jsonl",
    "triage-8": ROOT / "tests" / "data" / "triage-8-questions.jsonl",
    "triage-9": ROOT / "tests" / "data" / "triage-9-questions.jsonl",
    "triage-10": ROOT / "tests" / "data" / "triage-10-questions.jsonl",
    "triage-11": ROOT / "tests" / "data" / "triage-11-questions.jsonl",
    "triage-12": ROOT / "tests" / "data" / "triage-12-questions.jsonl",
    "triage-13": ROOT / "tests" / "data" / "triage-13-questions.jsonl",
    "triage-14": ROOT / "tests" / "data" / "triage-14-questions.jsonl",
    "own": ROOT / "tests" / "data" / "own-questions.jsonl",
}
FIGURES = ("top1", "helpful", "wrong", "oos_fallback", "urgent", "false_alarms", "english_top1")
LEGACY_NAME = "lexical (before)"
SPEED = ("engine", LEGACY_NAME, "dense", "bm25", "rapidfuzz")
SIZES = (100, 1_000, 10_000, 100_000)
Env = dict[str, str] | None


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


def quality(
    sets: dict[str, list[Item]], tree: Path, cache: Path
) -> tuple[dict[str, dict[str, Score]], dict[str, float]]:
    """Every system's Score on every set, and the cut-offs chosen on the dev set."""
    faq = load_faq(ROOT / "faq" / "osteopenie.yaml")
    dev = sets.get("dev", [])
    bm25, dense = Bm25System(faq), DenseSystem(faq, cache_dir=cache)
    safe = DenseSystem(faq, cache_dir=cache)
    bm25.cutoff = choose_cutoff(bm25, dev) if dev else 0.0
    dense.cutoff = choose_cutoff(dense, dev) if dev else 0.0
    safe.cutoff = choose_cutoff(dense, dev, max_wrong=0.02) if dev else 0.0
    systems: dict[str, System] = {
        "engine": EngineSystem(faq, cache),
        "dense": dense,
        "dense, ≤2 % wrong": safe,
        "bm25": bm25,
        "rapidfuzz": RapidfuzzSystem(faq),
    }
    scores = {
        name: {s: score(items, system.answer) for s, items in sets.items()}
        for name, system in systems.items()
    }
    scores[LEGACY_NAME] = {
        s: score_replies(zip(items, ask(tree, [i.text for i in items]), strict=True))
        for s, items in sets.items()
    }
    cutoffs = {"bm25": bm25.cutoff, "dense": dense.cutoff, "dense, ≤2 % wrong": safe.cutoff}
    return scores, cutoffs


def run_worker(system: str, *args: str, cwd: Path = ROOT, env: Env = None) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", system, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=env,
    )
    return dict(json.loads(out.stdout.splitlines()[-1])) if out.stdout.strip() else {}


def timed(run: Callable[[], object], times: int = 3) -> float:
    """Median wall seconds of `run`."""
    seconds = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds)


class Speed:
    """Workers for every system: today's in this tree, the legacy engine in its own."""

    def __init__(self, tree: Path, warm: Path, cutoffs: dict[str, float]) -> None:
        self.tree, self.warm, self.cutoffs = tree, warm, cutoffs

    def args(self, name: str, cache: Path | None = None) -> tuple[str, tuple[str, ...], Path, Env]:
        if name == LEGACY_NAME:
            return "engine", (), self.tree, environment(self.tree)
        extra: tuple[str, ...] = ("--cutoff", str(self.cutoffs.get(name, 0.0)))
        if name in ("engine", "dense"):
            extra += ("--cache-dir", str(cache or self.warm))
        return name, extra, ROOT, None

    def measure(self, name: str, *args: str) -> dict[str, Any]:
        system, extra, cwd, env = self.args(name)
        return run_worker(system, *args, *extra, cwd=cwd, env=env)

    def startup(self, name: str, cold: bool = False) -> float:
        def first() -> None:
            with tempfile.TemporaryDirectory() as empty:
                system, extra, cwd, env = self.args(name, Path(empty) if cold else None)
                run_worker(system, "--first-answer", *extra, cwd=cwd, env=env)

        return timed(first)


def ask_json(questions: Path, cache: Path) -> float:
    """Wall seconds of `leafletbot ask --json` over a question file, start-up included."""
    env = {**os.environ, "CACHE_DIR": str(cache)}
    text = questions.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return time.perf_counter() - t0


def quality_lines(
    scores: dict[str, dict[str, Score]], cutoffs: dict[str, float], sets: dict[str, Path]
) -> list[str]:
    calibration = json.loads((ROOT / "bot" / "calibration.json").read_text(encoding="utf-8"))
    cv: dict[str, dict[str, float]] = calibration["cross_validated"]
    lines = [
        "## Answer quality\n",
        "Same FAQ, same labelled questions, counted as score.py counts. The engine's "
        "policy is fitted on dev, dev-2 and own (`make calibrate`): on those its honest "
        'figures are the 5-fold cross-validated ones ("engine, CV"), the in-sample '
        "ones are shown for comparison only. The held-out sets are fitted on by nothing "
        "(held-out 1-3's, 5's and 6's missed emergencies were read once scored blind: see the "
        "README). "
        "The topic model (`make calibrate`) and the learned triage signal (`make "
        "calibrate-triage`) are fitted on every other set, so on the triage sets and dev, "
        "dev-2 and own the engine's figures are in-sample; the triage signal's honest "
        "figures are leave one set out, in bot/urgency.json and the README. "
        "Baselines: "
        f"{LEGACY_NAME} (the lexical engine of commit {LEGACY}, today's FAQ), dense (the "
        "same sentence model alone, nearest example phrasing; cut-off "
        f"{cutoffs['dense']:.3f} chosen on dev for most right, and "
        f"{cutoffs['dense, ≤2 % wrong']:.3f} for most right with at most 2 % wrong), "
        f"bm25 (cut-off {cutoffs['bm25']:.3f} on dev) and rapidfuzz (WRatio, cut-off 60).\n",
        "| set | system | top-1 | helpful | wrong | oos → fallback | urgent | false alarms "
        "| English top-1 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for set_name, path in sets.items():
        rows: list[tuple[str, dict[str, float]]] = []
        if path.name in cv:
            rows.append(("engine, CV", cv[path.name]))
        for name, by_set in scores.items():
            label = "engine, in-sample" if name == "engine" and path.name in cv else name
            rows.append((label, by_set[set_name].summary()))
        for label, figures in rows:
            cells = " | ".join(f"{figures.get(f, 0.0):.1f} %" for f in FIGURES)
            lines.append(f"| {set_name} | {label} | {cells} |")
    return lines


def speed_lines(speed: Speed, questions: Path, dev: Path | None, n: int) -> list[str]:
    lines = [
        "\n## Speed and memory on the real FAQ\n",
        f"Every question of every set, 3 times ({3 * n} answers), one process per system, "
        "after a warm-up. Start-up: a new process to its first answer, median of three; "
        "cold: an empty vector cache (the FAQ and the triage bank are embedded), warm: "
        "the cache filled. Peak memory: the process's high-water mark (VmHWM).\n",
        "| system | p50 | p99 | max | start-up, warm | start-up, cold | peak memory |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in SPEED:
        r = speed.measure(name, "--questions", str(questions), "--repeat", "3")
        cold = f"{speed.startup(name, cold=True):.2f} s" if name in ("engine", "dense") else "-"
        most = f"{r['max_ms']:.2f} ms" if "max_ms" in r else "-"  # the legacy worker has none
        lines.append(
            f"| {name} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | {most} | "
            f"{speed.startup(name):.2f} s | {cold} | {r['peak_mb']:.0f} MB |"
        )
    if dev is not None:
        with tempfile.TemporaryDirectory() as cold_cache:
            cold_s = ask_json(dev, Path(cold_cache))
        warm_s = timed(lambda: ask_json(dev, speed.warm))
        count = len(dev.read_text(encoding="utf-8").splitlines())
        lines.append(
            f"\n`leafletbot ask --json` on the {count} dev questions, start-up included: "
            f"{warm_s:.2f} s with a warm cache (median of three), {cold_s:.2f} s cold.\n"
        )
    return lines


def growth_lines(speed: Speed, questions: Path, sizes: tuple[int, ...]) -> list[str]:
    lines = [
        "\n## Growth\n",
        "Synthetic FAQs grown from the real one (benchmarks/synthetic.py: copies of it for "
        "made-up conditions, every phrasing varied), every question once. Build: loading "
        "the FAQ into the system, with an empty vector cache (embedding included).\n",
        "| phrasings | system | p50 | p99 | build | peak memory |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size in sizes:
        for name in SPEED:
            with tempfile.TemporaryDirectory() as empty:
                system, extra, cwd, env = speed.args(name, Path(empty))
                r = run_worker(
                    system,
                    "--questions",
                    str(questions),
                    "--phrasings",
                    str(size),
                    *extra,
                    cwd=cwd,
                    env=env,
                )
            lines.append(
                f"| {size:,} | {name} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms"
                f" | {r['build_s']:.2f} s | {r['peak_mb']:.0f} MB |"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="growth only up to 10^4")
    args = parser.parse_args()
    started = time.perf_counter()
    paths = {name: path for name, path in SETS.items() if path.is_file()}
    sets = {name: load_items(path) for name, path in paths.items()}
    lines = [f"# Benchmarks\n\nRun on {date.today()} with `make bench` on: {machine()}.\n"]
    with (
        legacy_tree() as tree,
        tempfile.TemporaryDirectory() as warm,
        tempfile.TemporaryDirectory() as tmp,
    ):
        scores, cutoffs = quality(sets, tree, Path(warm))
        lines += quality_lines(scores, cutoffs, paths)
        questions = Path(tmp) / "questions.txt"
        questions.write_text(
            "\n".join(i.text for items in sets.values() for i in items) + "\n", encoding="utf-8"
        )
        dev = Path(tmp) / "dev.txt" if "dev" in sets else None
        if dev is not None:
            dev.write_text("\n".join(i.text for i in sets["dev"]) + "\n", encoding="utf-8")
        speed = Speed(tree, Path(warm), cutoffs)
        lines += speed_lines(speed, questions, dev, sum(map(len, sets.values())))
        lines += growth_lines(speed, questions, SIZES[:3] if args.quick else SIZES)
    lines.append(f"\nThe whole run took {time.perf_counter() - started:.0f} s.\n")
    report = "\n".join(lines)
    print(report)
    (ROOT / "BENCHMARKS.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
