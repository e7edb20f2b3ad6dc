from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.database import hour_of
from bot.errors import StoreError
from bot.schema import MIGRATIONS, SCHEMA_VERSION
from bot.store import Forgotten, Store, secret_for

NOW = datetime(2026, 11, 23, 14, 37, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Store:
    return Store(tmp_path / "s.sqlite3", b"secret" * 6, clock=clock).open()


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    return store.query(sql)


def test_created_on_first_start_at_the_newest_schema(store: Store) -> None:
    assert rows(store, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    tables = {r[0] for r in rows(store, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"replies", "votes", "questions", "handled"} <= tables


def test_reopening_keeps_the_data(tmp_path: Path, store: Store) -> None:
    store.record_reply("answer", "roken", 80.0, "nl")
    store.close()
    again = Store(tmp_path / "s.sqlite3", b"secret" * 6).open()
    assert rows(again, "SELECT COUNT(*) FROM replies") == [(1,)]


def test_an_older_schema_is_migrated_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()  # version 0: an empty file from before the first schema
    store = Store(path, b"k" * 32).open()
    assert rows(store, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_a_reply_keeps_kind_entry_score_language_and_the_hour(store: Store) -> None:
    store.record_reply("answer", "calcium-per-dag", 87.456, "en", question="calcium?")
    assert rows(store, "SELECT hour, kind, entry, score, lang FROM replies") == [
        ("2026-11-23T14:00", "answer", "calcium-per-dag", 87.46, "en")
    ]
    assert rows(store, "SELECT COUNT(*) FROM questions") == [(0,)]  # answered: text not kept


@pytest.fixture
def keeping(tmp_path: Path, clock: Clock) -> Store:
    """A store whose operator turned KEEP_QUESTION_TEXTS on."""
    return Store(tmp_path / "k.sqlite3", b"secret" * 6, keep_texts=True, clock=clock).open()


def test_unanswered_questions_are_kept_de_identified_when_turned_on(keeping: Store) -> None:
    keeping.record_reply("fallback", None, 20.0, "nl", question="Ik heet Anna, bel 0612345678")
    keeping.record_reply("clarify", None, 50.0, "nl", question="tabletten")
    keeping.record_reply("answer", "roken", 90.0, "nl", question="roken?")
    texts = [str(r[0]) for r in rows(keeping, "SELECT text FROM questions ORDER BY id")]
    assert len(texts) == 2 and texts[1] == "tabletten"
    assert "Anna" not in texts[0] and "0612345678" not in texts[0]


def test_by_default_no_text_is_kept_only_why_and_the_nearest_topic(store: Store) -> None:
    store.record_reply(
        "fallback", None, 20.0, "nl", reason="unknown", nearest="calcium-per-dag", question="kaas"
    )
    assert rows(store, "SELECT COUNT(*) FROM questions") == [(0,)]
    assert rows(store, "SELECT kind, entry, reason, nearest FROM replies") == [
        ("fallback", None, "unknown", "calcium-per-dag")
    ]


def test_a_failing_de_identifier_drops_the_text(keeping: Store, monkeypatch, caplog) -> None:
    def broken(text: str) -> str:
        raise ValueError(text)  # the text in the exception must not reach the log either

    monkeypatch.setattr("bot.store.scrub", broken)
    with caplog.at_level(logging.INFO):
        keeping.record_reply("fallback", None, 20.0, "nl", question="Kees Jansen hier")
    assert rows(keeping, "SELECT COUNT(*) FROM questions") == [(0,)]
    assert rows(keeping, "SELECT COUNT(*) FROM replies") == [(1,)]
    assert "Kees" not in caplog.text and "not kept" in caplog.text


def test_one_vote_per_answer_message_changeable(store: Store) -> None:
    assert store.vote(4242, 10, "roken", up=True)
    assert store.vote(4242, 10, "roken", up=False)  # changed its mind
    assert store.vote(4242, 11, "roken", up=True)  # another answer message
    assert store.vote(5151, 10, "roken", up=True)  # another chat, same message number
    assert sorted(rows(store, "SELECT vote FROM votes")) == [(-1,), (1,), (1,)]


def test_no_chat_id_in_clear(tmp_path: Path, store: Store) -> None:
    store.vote(987654321, 1, "roken", up=True)
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("s.sqlite3"))
    assert b"987654321" not in raw
    assert store.chat_key(987654321) == store.chat_key("987654321")
    assert store.chat_key(987654321) != Store(tmp_path / "x", b"other" * 7).chat_key(987654321)


def test_forget_deletes_everything_of_that_chat_only(keeping: Store) -> None:
    keeping.vote(1, 10, "roken", up=True)
    keeping.vote(1, 11, "roken", up=False)
    keeping.vote(2, 10, "roken", up=True)
    keeping.record_reply("fallback", None, 20.0, "nl", chat_id=1, question="wat kost een scan")
    keeping.record_reply("fallback", None, 20.0, "nl", chat_id=2, question="wat kost kaas")
    assert keeping.forget_chat(1) == Forgotten(votes=2, questions=1)
    assert rows(keeping, "SELECT COUNT(*) FROM votes") == [(1,)]
    assert rows(keeping, "SELECT text FROM questions") == [("wat kost kaas",)]
    assert keeping.forget_chat(1) == Forgotten()


def test_retention_at_start_and_daily(tmp_path: Path, clock: Clock) -> None:
    store = Store(tmp_path / "s.sqlite3", b"k" * 32, retention_days=90, clock=clock).open()
    clock.now = NOW - timedelta(days=100)
    store.record_reply("answer", "roken", 80.0, "nl")
    store.vote(1, 1, "roken", up=True)
    store.record_reply("fallback", None, 10.0, "nl", question="oud")
    clock.now = NOW - timedelta(days=10)
    store.record_reply("answer", "roken", 80.0, "nl")
    store.close()
    clock.now = NOW
    reopened = Store(tmp_path / "s.sqlite3", b"k" * 32, retention_days=90, clock=clock).open()
    assert rows(reopened, "SELECT COUNT(*) FROM replies") == [(1,)]
    assert rows(reopened, "SELECT COUNT(*) FROM votes") == [(0,)]
    assert rows(reopened, "SELECT COUNT(*) FROM questions") == [(0,)]
    # Daily: a day later, the reply from 10 days ago is still young; 85 days on it goes.
    clock.now = NOW + timedelta(days=85)
    reopened.record_reply("answer", "roken", 80.0, "nl")
    assert rows(reopened, "SELECT COUNT(*) FROM replies") == [(1,)]


def test_answered_updates_are_remembered_for_two_days(store: Store, clock: Clock) -> None:
    store.updates.mark_handled(1, 7)
    store.updates.mark_handled(1, 7)  # twice is harmless
    assert store.updates.was_handled(1, 7) and not store.updates.was_handled(1, 8)
    clock.now = NOW + timedelta(days=1)
    assert store.updates.was_handled(1, 7)
    clock.now = NOW + timedelta(days=2, hours=1)
    assert not store.updates.was_handled(1, 7)  # too old to be sent again, even before a purge
    store.purge()
    assert rows(store, "SELECT COUNT(*) FROM handled") == [(0,)]


@pytest.mark.parametrize(
    ("bot", "update_id", "confirmed", "skipped"),
    [
        pytest.param(1, 7, None, True, id="answered, nothing confirmed yet: a redelivery"),
        pytest.param(1, 7, 7, True, id="answered, at the confirmed offset: a redelivery"),
        pytest.param(1, 7, 8, False, id="below the confirmed offset: a new numbering"),
        pytest.param(2, 7, None, False, id="answered by another bot"),
        pytest.param(1, 9, None, False, id="never answered"),
    ],
)
def test_only_a_possible_redelivery_counts_as_answered(
    store: Store, bot: int, update_id: int, confirmed: int | None, skipped: bool
) -> None:
    store.updates.mark_handled(1, 7)
    if confirmed is not None:
        store.updates.confirm(bot, confirmed)
    assert store.updates.was_handled(bot, update_id) is skipped


def test_a_version_2_store_migrates_and_drops_texts_kept_without_a_chat(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(f"{MIGRATIONS[0]} {MIGRATIONS[1]} PRAGMA user_version = 2;")
    db.execute(
        "INSERT INTO replies (hour, kind, score, lang) VALUES (?, 'answer', 90, 'nl')",
        (hour_of(NOW),),
    )
    db.execute(
        "INSERT INTO questions (hour, kind, lang, text) VALUES (?, 'fallback', 'nl', 'x')",
        (hour_of(NOW),),
    )
    db.execute("INSERT INTO handled (update_id, hour) VALUES (5, ?)", (hour_of(NOW),))
    db.commit()
    db.close()
    store = Store(path, b"k" * 32, clock=Clock(NOW)).open()
    assert rows(store, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(store, "SELECT kind, reason, nearest FROM replies") == [("answer", "", None)]
    assert rows(store, "SELECT COUNT(*) FROM questions") == [(0,)]
    assert not store.updates.was_handled(1, 5)  # not known to be this bot's: answered


def test_a_version_1_store_gains_the_handled_table(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(f"{MIGRATIONS[0]} PRAGMA user_version = 1;")
    db.execute(
        "INSERT INTO replies (hour, kind, score, lang) VALUES (?, 'answer', 90, 'nl')",
        (hour_of(NOW),),
    )
    db.commit()
    db.close()
    store = Store(path, b"k" * 32, clock=Clock(NOW)).open()
    store.updates.mark_handled(1, 5)
    assert store.updates.was_handled(1, 5)
    assert rows(store, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(store, "SELECT COUNT(*) FROM replies") == [(1,)]  # the old rows stay


def test_a_failing_store_warns_once_and_never_raises(tmp_path: Path, caplog) -> None:
    broken = tmp_path / "a-folder"
    broken.mkdir()
    store = Store(broken, b"k" * 32)  # a folder is not a database
    with caplog.at_level(logging.WARNING):
        store.open()
        for _ in range(5):
            store.record_reply("answer", "roken", 80.0, "nl", question="q")
        assert store.vote(1, 1, "roken", up=True) is False
        assert store.forget_chat(1) is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "keeps answering" in warnings[0].getMessage()


def test_a_newer_schema_stops_start_up_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer leafletbot") as caught:
        Store(path, b"k" * 32).open()
    assert "\n" not in str(caught.value) and "STORE_PATH" in str(caught.value)


def test_hour_rounding() -> None:
    assert hour_of(datetime(2026, 1, 2, 3, 59, 59, tzinfo=UTC)) == "2026-01-02T03:00"


def test_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = secret_for(tmp_path / "db" / "s.sqlite3", None)
    assert first == secret_for(tmp_path / "db" / "s.sqlite3", None)
    assert (tmp_path / "db" / "secret").stat().st_mode & 0o777 == 0o600
    assert secret_for(tmp_path / "s.sqlite3", "configured-secret-123") == b"configured-secret-123"
