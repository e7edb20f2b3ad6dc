from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.chat import converse
from bot.engine import KINDS, Engine
from bot.errors import LeafletbotError
from bot.evaluation import load_items
from tests.conftest import FIXTURES, ROOT


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_ask_json_keeps_the_contract() -> None:
    questions = [
        "hoeveel calcium per dag",
        "",
        "kaas en zon",
        "hoeveel calcium in spinazie",
        "ik ben gevallen en heb veel pijn",
        "hallo",
        "🙂",
        "x" * 10_000,
    ]
    done = _run("ask", "--json", stdin="".join(q + "\n" for q in questions))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(questions)
    records = [json.loads(line) for line in lines]
    assert [r["question"] for r in records] == questions
    for r in records:
        assert set(r) == {"question", "kind", "entry", "section", "score", "options", "text"}
        assert r["kind"] in KINDS and r["text"].strip()
        assert 0 <= r["score"] <= 100
    answer, _, unsure, fallback, urgent, small, _, _ = records
    assert (answer["kind"], answer["entry"], answer["section"]) == (
        "answer",
        "calcium-per-dag",
        "calcium",
    )
    # Unsure: "Bedoelt u ...?" or "not in the leaflet, perhaps you mean ...": options either way.
    assert unsure["kind"] in ("clarify", "fallback") and unsure["entry"] is None
    assert 1 <= len(unsure["options"]) <= 3
    assert [o["score"] for o in unsure["options"]] == sorted(
        (o["score"] for o in unsure["options"]), reverse=True
    )
    assert fallback["kind"] == "fallback" and fallback["section"] is None
    assert "calcium" in {o["section"] for o in fallback["options"]}
    assert urgent["kind"] == "urgent" and small["kind"] == "smalltalk"
    assert "<" not in answer["text"]  # plain text, no markup


def test_ask_json_answers_batch_after_batch_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("bot.cli.ASK_BATCH", 2)
    questions = ["hoeveel calcium per dag", "hallo", "", "ik heb pijn op de borst", "🙂"]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(q + "\n" for q in questions)))
    assert main(["ask", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in records] == questions
    kinds = ["answer", "smalltalk", "fallback", "urgent", "fallback"]
    assert [r["kind"] for r in records] == kinds


def test_ask_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hoeveel", "calcium", "per", "dag"]) == 0
    out = capsys.readouterr().out
    assert "1000 tot 1200 mg" in out and "[Onderwerpen]" in out


def test_check_passes_the_real_faq(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "ok, " in out and "calcium" in out and "3 entries" in out
    assert "topic model does not know" not in out


def test_check_notes_sections_the_topic_model_was_not_fitted_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(FIXTURES / "faq" / "valid.yaml")]) == 0  # a note, no failure
    out = capsys.readouterr().out
    assert "the topic model does not know een, twee" in out and "make calibrate" in out


def test_check_fails_a_broken_faq(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FIXTURES / "faq" / "broken-unknown-link.yaml")]) == 1
    assert "unknown link 'nergens'" in capsys.readouterr().out


def test_check_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text((FIXTURES / "faq" / "valid.yaml").read_text())
    (tmp_path / "b.yaml").write_text((FIXTURES / "faq" / "broken-duplicate-id.yaml").read_text())
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "a.yaml: ok" in out and "used twice" in out


def test_broken_faq_stops_start_with_one_line(tmp_path: Path) -> None:
    broken = FIXTURES / "faq" / "broken-unknown-section.yaml"
    done = _run("--faq", str(broken), "ask", "calcium")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "unknown section 'drie'" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_reports_figures_and_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(ROOT / "tests" / "data" / "own-questions.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "in-scope top-1 answer" in out and "wrong answers, all items" in out


def test_chat_answers_follows_numbers_and_survives_bad_input(engine: Engine) -> None:
    typed = "hoeveel calcium per dag\n1\n\n🙂\n" + "x" * 10_000 + "\n99\nstop\n"
    out = io.StringIO()
    assert converse(engine, io.StringIO(typed), out) == 0
    text = out.getvalue()
    assert "1000 tot 1200 mg" in text  # the answer
    assert "Calcium zit vooral in zuivel" in text  # button 1: the first related entry
    assert "Typ uw vraag in een paar woorden" in text  # the empty line
    assert text.rstrip().endswith("Tot ziens.")


def test_run_without_token_opens_the_chat(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TELEGRAM_BOT_TOKEN": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="calcium\nstop\n",
        capture_output=True,
        text=True,
        cwd=FIXTURES,
        timeout=60,
        check=False,
        env={**env, "FAQ_PATH": str(ROOT / "faq" / "osteopenie.yaml")},
    )
    assert done.returncode == 0, done.stderr
    assert "No TELEGRAM_BOT_TOKEN set" in done.stdout
    assert "1000 tot 1200 mg" in done.stdout


def test_chat_follows_the_language_typed(engine: Engine) -> None:
    out = io.StringIO()
    assert converse(engine, io.StringIO("how much calcium do I need?\n2\nstop\n"), out) == 0
    text = out.getvalue()
    assert "(type your question, a number, or 'stop')" in text
    assert "Choose a topic from the leaflet" in text  # button 2 (the menu), in English
    assert text.rstrip().endswith("Goodbye.")


def test_check_lists_every_kind_of_problem_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = tmp_path / "faq.yaml"
    text = (ROOT / "faq" / "osteopenie.yaml").read_text(encoding="utf-8")
    long = " ".join(["heel"] * 30)
    text = text.replace("links: [voedingscentrum]", "links: [nergens]", 1)
    text = text.replace("1000 tot 1200 mg calcium.", f"1000 tot 1200 mg calcium {long}.", 1)
    faq.write_text(text, encoding="utf-8")
    assert main(["check", str(faq)]) == 1
    lines = capsys.readouterr().out.splitlines()
    structural = [line for line in lines if "unknown link 'nergens'" in line]
    b1 = [line for line in lines if "sentence of" in line]
    assert structural and b1  # both kinds at once
    for line in structural + b1:
        assert line.startswith(f"{faq}: entry '")  # the file, the entry, ...
    assert "add it to leaflet.links" in structural[0] and "split" in b1[0]  # ... what to do


def test_check_points_to_no_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = tmp_path / "list.yaml"
    faq.write_text("- just\n- a list\n", encoding="utf-8")
    assert main(["check", str(faq)]) == 1
    out = capsys.readouterr().out
    assert "is not a YAML mapping" in out
    for named in re.findall(r"\b[\w./-]+/[\w.-]+\b", out.replace(str(faq), "")):
        assert (ROOT / named).exists(), named


def test_check_is_quiet_on_a_closed_pipe() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line, as `| head -0`
    error = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in error and "BrokenPipe" not in error


def test_a_second_label_written_as_a_string_is_one_label(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [
        {"id": "a", "text": "x", "expect": "calcium", "alt": "vitamine_d"},
        {"id": "b", "text": "y", "expect": "calcium", "alt": ["vitamine_d", "beweging"]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    assert [i.alt for i in load_items(path)] == [("vitamine_d",), ("vitamine_d", "beweging")]
    path.write_text(json.dumps({"id": "c", "text": "z", "expect": "calcium", "alt": 3}))
    with pytest.raises(LeafletbotError, match=r"set\.jsonl:1: not a labelled question"):
        load_items(path)
