"""`make bench-deid`: how well personal details are removed, and at what cost.

    python -m benchmarks.deid [--only new|old|deduce]

For each de-identifier: recall per kind on the labelled messages in tests/data/pii-dev.jsonl
(tuned on), tests/data/pii-heldout.jsonl and pii-heldout-2.jsonl (never tuned on: the second
written by hand, names of many origins, measured blind), over-scrubbing, ms per text, load
time and the memory it adds. Each system runs in its own subprocess so that its load time
and memory are its own. deduce is measured when it is importable (`make bench-deid`
installs it with the optional extra `deid-compare`; the bot never imports it).

When is a detail caught? Take the alphanumeric tokens of its value, lower-cased
("Kerkstraat 12" -> kerkstraat, 12). Remove every placeholder ("[naam]", "[PERSOON-1]")
from the output and tokenise the rest the same way. A token leaks when the output holds it
more often than the input does outside every occurrence of the value (so a "12" elsewhere
in the message does not count against the street). The detail is caught when none of its
tokens leaks; recall is caught / planted, per kind and in all.

Over-scrubbing: of the input's tokens that belong to no detail, the share missing from the
output (multiset difference), on messages without details and on all messages; and the
number of the bot's own test questions (tests/data/*-questions.jsonl) changed at all.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = {
    "dev": DATA / "pii-dev.jsonl",
    "heldout": DATA / "pii-heldout.jsonl",
    "heldout2": DATA / "pii-heldout-2.jsonl",
}
QUESTIONS = (DATA / "own-questions.jsonl", DATA / "heldout-questions.jsonl")
KINDS = (
    "name", "street", "town", "postcode", "patient_number", "bsn", "date", "phone", "email",
    "url", "age",
)  # fmt: skip
PLACEHOLDER = re.compile(r"\[[A-Za-z-]+(?:-\d+)?\]")
TOKEN = re.compile(r"[^\W_]+")
MUST_STAY = (
    "800 IE vitamine D per dag",
    "1000 tot 1200 mg calcium",
    "mijn T-score is -2,5",
    "ik ben bang om te vallen",
    "ik wandel elke dag 30 minuten",
    "Ik slik Alendroninezuur en Calcichew",
    "Is Prolia beter dan Fosamax?",
)


@dataclass(frozen=True, slots=True)
class Detail:
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    text: str
    details: tuple[Detail, ...]


def load_messages(path: Path) -> list[Message]:
    messages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            details = tuple(Detail(d["kind"], d["value"]) for d in row["details"])
            messages.append(Message(row["id"], row["text"], details))
    return messages


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text)]


def output_tokens(output: str) -> list[str]:
    return tokens(PLACEHOLDER.sub(" ", output))


def caught(message: Message, detail: Detail, output: str) -> bool:
    """True when no token of the detail's value survives in the output (see the docstring)."""
    outside = Counter(tokens(message.text.replace(detail.value, " ")))
    out = Counter(output_tokens(output))
    return all(out[token] <= outside[token] for token in set(tokens(detail.value)))


def detail_free_tokens(message: Message) -> Counter[str]:
    text = message.text
    for detail in message.details:
        text = text.replace(detail.value, " ")
    return Counter(tokens(text))


def removed_share(message: Message, output: str) -> tuple[int, int]:
    """(tokens of no detail missing from the output, tokens of no detail)."""
    kept = detail_free_tokens(message)
    missing = kept - Counter(output_tokens(output))
    return sum(missing.values()), sum(kept.values())


@dataclass(frozen=True, slots=True)
class Recall:
    caught: Counter[str]
    planted: Counter[str]
    missed: tuple[tuple[str, str, str], ...]  # (message id, kind, value)

    def of(self, kind: str) -> float:
        return self.caught[kind] / self.planted[kind] if self.planted[kind] else 1.0

    @property
    def overall(self) -> float:
        return sum(self.caught.values()) / max(1, sum(self.planted.values()))


def recall(messages: Iterable[Message], outputs: dict[str, str]) -> Recall:
    got: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    missed = []
    for message in messages:
        for detail in message.details:
            planted[detail.kind] += 1
            if caught(message, detail, outputs[message.id]):
                got[detail.kind] += 1
            else:
                missed.append((message.id, detail.kind, detail.value))
    return Recall(got, planted, tuple(missed))


# --- the systems, each measured in a subprocess -------------------------------------------
def _new() -> Callable[[str], str]:
    from bot.scrub import Deidentifier

    return Deidentifier.load().scrub


def _old() -> Callable[[str], str]:
    """The scrubber before issue 11 (commit 5dc77b1), kept here for comparison."""
    from benchmarks.old_scrub import scrub

    return scrub


def _deduce() -> Callable[[str], str]:
    from deduce import Deduce  # type: ignore[import-not-found]

    deduce = Deduce()

    def run(text: str) -> str:
        return str(deduce.deidentify(text).deidentified_text)

    return run


SYSTEMS: dict[str, Callable[[], Callable[[str], str]]] = {
    "old": _old,
    "new": _new,
    "deduce": _deduce,
}


def worker(name: str) -> None:
    """Load one system, run every text, print JSON: outputs, load s, ms/text, added RSS MB."""
    import psutil

    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    run = SYSTEMS[name]()
    run("warm up: Jan de Vries, 06-12345678")
    load = time.perf_counter() - started
    texts: dict[str, str] = {}
    for path in (*SETS.values(), *QUESTIONS):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[f"{path.name}:{row['id']}"] = row["text"]
    texts.update({f"stay:{i}": text for i, text in enumerate(MUST_STAY)})
    outputs = {}
    started = time.perf_counter()
    for key, text in texts.items():
        outputs[key] = run(text)
    ms = (time.perf_counter() - started) * 1000 / len(texts)
    rss = (process.memory_info().rss - before) / 2**20
    print(json.dumps({"outputs": outputs, "load": load, "ms": ms, "rss": rss}))


def measure(name: str) -> dict[str, object] | None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.deid", "--worker", name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        print(f"{name}: not measured ({done.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(names: list[str], show_missed: bool) -> None:
    results = {name: r for name in names if (r := measure(name)) is not None}
    sets = {label: load_messages(path) for label, path in SETS.items()}
    header = f"{'kind':<15}" + "".join(f"{n + ' ' + s:>15}" for n in results for s in sets)
    print(header)
    recalls = {}
    for name, result in results.items():
        outputs: dict[str, str] = result["outputs"]  # type: ignore[assignment]
        for label, messages in sets.items():
            path = SETS[label].name
            recalls[name, label] = recall(
                messages, {m.id: outputs[f"{path}:{m.id}"] for m in messages}
            )
    for kind in KINDS:
        row = f"{kind:<15}"
        for name in results:
            for label in sets:
                r = recalls[name, label]
                row += f"{r.caught[kind]:>6}/{r.planted[kind]:<3} {r.of(kind):>4.0%}"
        print(row)
    print(
        f"{'all':<15}" + "".join(f"{recalls[n, s].overall:>15.1%}" for n in results for s in sets)
    )
    print()
    print(f"{'':<38}" + "".join(f"{n:>12}" for n in results))
    rows: dict[str, list[str]] = {}
    for result in results.values():
        outputs = result["outputs"]  # type: ignore[assignment]
        clean_removed = clean_total = all_removed = all_total = changed = questions = 0
        for label, messages in sets.items():
            for m in messages:
                gone, total = removed_share(m, outputs[f"{SETS[label].name}:{m.id}"])
                all_removed += gone
                all_total += total
                if not m.details:
                    clean_removed += gone
                    clean_total += total
        for key, out in outputs.items():
            if key.startswith(("own-questions", "heldout-questions")):
                questions += 1
                original = next(
                    json.loads(line)["text"]
                    for path in QUESTIONS
                    if key.startswith(path.name)
                    for line in path.read_text(encoding="utf-8").splitlines()
                    if json.loads(line)["id"] == key.split(":", 1)[1]
                )
                changed += out != original
        stays = sum(outputs[f"stay:{i}"] == t for i, t in enumerate(MUST_STAY))
        rows.setdefault("tokens removed, messages without details", []).append(
            f"{clean_removed / max(1, clean_total):.1%}"
        )
        rows.setdefault("non-detail tokens removed, all messages", []).append(
            f"{all_removed / max(1, all_total):.1%}"
        )
        rows.setdefault("bot's test questions changed", []).append(f"{changed}/{questions}")
        rows.setdefault("must-stay phrases intact", []).append(f"{stays}/{len(MUST_STAY)}")
        rows.setdefault("ms per text", []).append(f"{result['ms']:.2f}")
        rows.setdefault("load (s)", []).append(f"{result['load']:.2f}")
        rows.setdefault("memory added (MB RSS)", []).append(f"{result['rss']:.0f}")
    for label, values in rows.items():
        print(f"{label:<38}" + "".join(f"{v:>12}" for v in values))
    if show_missed:
        for (name, label), r in recalls.items():
            for missed in r.missed:
                if label == "dev":
                    print(f"missed by {name} ({label}):", *missed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=sorted(SYSTEMS))
    parser.add_argument("--only", choices=sorted(SYSTEMS), action="append")
    parser.add_argument("--missed", action="store_true", help="list what dev misses (tuning)")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
    else:
        report(args.only or list(SYSTEMS), args.missed)


if __name__ == "__main__":
    main()
