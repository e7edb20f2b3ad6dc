"""/privacy holds against what the store really writes, under every setting; /vergeet
says how much it deleted, in correct Dutch and English."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.privacy import DataPolicy, counted, forgotten, notice
from bot.store import Forgotten, Store

# What each column the store can fill is called in the notice (Dutch, English).
NAMED = {
    ("replies", "kind"): ("soort antwoord", "kind of answer"),
    ("replies", "entry"): ("onderwerp", "topic"),
    ("replies", "nearest"): ("onderwerp", "topic"),
    ("replies", "score"): ("hoe zeker", "how sure"),
    ("replies", "reason"): ("waarom", "why"),
    ("replies", "lang"): ("taal", "language"),
    ("replies", "hour"): ("uur", "hour"),
    ("votes", "vote"): ("👍 of 👎", "👍 or 👎"),
    ("votes", "entry"): ("onderwerp", "topic"),
    ("votes", "chat"): ("code voor deze chat", "code for this chat"),
    ("questions", "text"): ("de tekst", "the text"),
    ("questions", "chat"): ("code voor deze chat", "code for this chat"),
}
# Bookkeeping about Telegram's deliveries, and keys that only make a row unique.
NOT_ABOUT_PATIENTS = {"handled", "confirmed"}
ROW_KEYS = {"id", "message", "hour", "kind", "lang"}


def filled_store(tmp_path: Path, keep: str) -> Store:
    """A store opened with the settings from the environment, after every kind of event."""
    settings = load_settings(
        tmp_path / "no.env", environ={} if keep == "default" else {"KEEP_QUESTION_TEXTS": keep}
    )
    store = Store(
        tmp_path / "s.sqlite3",
        b"k" * 32,
        keep_texts=settings.keep_question_texts,
        retention_days=settings.retention_days,
    ).open()
    store.record_reply("answer", "roken", 90.0, "nl", chat_id=7, question="mag ik roken")
    store.record_reply(
        "fallback", None, 20.0, "nl", reason="costs", nearest="dexa", chat_id=7, question="prijs?"
    )
    store.record_reply("clarify", None, 60.0, "en", reason="", nearest="roken", chat_id=7)
    store.vote(7, 100, "roken", up=True)
    return store


@pytest.mark.parametrize("keep", ["default", "false", "true"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_notice_names_exactly_what_the_store_writes(
    tmp_path: Path, keep: str, lang: str
) -> None:
    store = filled_store(tmp_path, keep)
    text = notice(DataPolicy(store.keep_texts, store.retention_days), lang, "Ziekenhuis X")
    column = 0 if lang == "nl" else 1
    tables = [str(r[0]) for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in set(tables) - NOT_ABOUT_PATIENTS:
        names = [str(r[1]) for r in store.query(f"PRAGMA table_info({table})")]
        for row in store.query(f"SELECT * FROM {table}"):
            for name, value in zip(names, row, strict=True):
                if value in (None, "") or (name in ROW_KEYS and (table, name) not in NAMED):
                    continue
                assert NAMED[(table, name)][column] in text, f"{table}.{name} kept, not named"
    kept_texts = store.query("SELECT COUNT(*) FROM questions")[0][0]
    assert bool(kept_texts) is store.keep_texts
    says_nothing = ("Niets van wat u typt", "Nothing you type")[column] in text
    assert says_nothing is (kept_texts == 0)
    assert f"{store.retention_days} " in text and "/vergeet" in text and "Ziekenhuis X" in text


def test_privacy_by_default_keeps_no_text(tmp_path: Path) -> None:
    store = filled_store(tmp_path, "default")
    assert store.query("SELECT COUNT(*) FROM questions") == [(0,)]
    dump = repr([store.query(f"SELECT * FROM {t}") for t in ("replies", "votes")])
    assert "roken?" not in dump and "prijs" not in dump and "mag ik" not in dump


@pytest.mark.parametrize(
    ("result", "lang", "expected"),
    [
        (Forgotten(votes=1), "nl", "Gewist: 1 reactie (👍 of 👎)."),
        (Forgotten(votes=2), "nl", "Gewist: 2 reacties (👍 of 👎)."),
        (Forgotten(votes=1, questions=1), "nl", "Gewist: 1 reactie (👍 of 👎) en 1 vraag."),
        (Forgotten(votes=0, questions=3), "nl", "Gewist: 3 vragen."),
        (Forgotten(votes=1), "en", "Deleted: 1 reaction (👍 or 👎)."),
        (Forgotten(votes=2, questions=1), "en", "Deleted: 2 reactions (👍 or 👎) and 1 question."),
    ],
)
def test_forgotten_counts_with_plurals(result: Forgotten, lang: str, expected: str) -> None:
    assert forgotten(result, lang).startswith(expected)


def test_forgotten_nothing_and_failure() -> None:
    assert forgotten(Forgotten(), "nl").startswith("Er was niets")
    assert forgotten(None, "en").startswith("Deleting did not work")


def test_counted() -> None:
    assert [counted(n, ("vraag", "vragen")) for n in (0, 1, 2)] == [
        "0 vragen",
        "1 vraag",
        "2 vragen",
    ]


def test_a_data_subject_request_shows_and_deletes_one_chats_data(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path, b"k" * 32, keep_texts=True).open()
    store.vote(42, 1, "roken", up=False)
    store.record_reply("fallback", None, 20.0, "nl", chat_id=42, question="wat kost een scan")
    store.record_reply("fallback", None, 20.0, "nl", chat_id=43, question="wat kost kaas")
    store.close()
    env = {"PATH": "/usr/bin:/bin", "STORE_PATH": str(path), "STORE_SECRET": "k" * 32}

    def run(*extra: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "subject", "42", *extra],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=True,
        )
        return dict(json.loads(done.stdout))

    shown = run()
    assert shown["votes"] == [{"entry": "roken", "vote": -1, "hour": shown["votes"][0]["hour"]}]
    assert [q["text"] for q in shown["questions"]] == ["wat kost een scan"]
    assert run("--delete")["deleted"] is True
    assert run() == {"chat": 42, "deleted": False, "votes": [], "questions": []}
    other = Store(path, b"k" * 32).open()
    assert other.query("SELECT text FROM questions") == [("wat kost kaas",)]
