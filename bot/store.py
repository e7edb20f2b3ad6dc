"""What the bot keeps, in SQLite (the standard library's sqlite3), and nothing else.

    replies    per reply: kind, entry id, score, language, the hour (UTC)
    votes      one 👍/👎 per answer message, changeable: the message's and the chat's keyed
               hashes, the entry, the vote, the hour
    questions  the scrubbed text of questions that got a fallback or a clarify (when kept),
               with kind, language and hour: never linked to a chat or a user
    handled    the Bot API's update ids the bot has answered, for two days, so that an update
               Telegram sends again after a crash is not answered twice

No user ids, names or chat ids in clear: where a chat must be recognised (one vote per
message, /vergeet) it is an HMAC-SHA256 of the chat id under a secret from the settings.
Everything older than the retention period is deleted at start and then daily.

Writing must never slow down or break an answer: every method catches sqlite3 errors,
logs one warning (until the store works again) and returns.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot.scrub import scrub

log = logging.getLogger(__name__)
T = TypeVar("T")

# One entry per schema version; a database at version n runs every migration after n.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE replies (
        id INTEGER PRIMARY KEY,
        hour TEXT NOT NULL,
        kind TEXT NOT NULL,
        entry TEXT,
        score REAL NOT NULL,
        lang TEXT NOT NULL
    );
    CREATE INDEX replies_hour ON replies (hour);
    CREATE TABLE votes (
        message TEXT PRIMARY KEY,
        chat TEXT NOT NULL,
        entry TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        hour TEXT NOT NULL
    );
    CREATE INDEX votes_chat ON votes (chat);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        hour TEXT NOT NULL,
        kind TEXT NOT NULL,
        lang TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX questions_hour ON questions (hour);
    """,
    """
    CREATE TABLE handled (
        update_id INTEGER PRIMARY KEY,
        hour TEXT NOT NULL
    );
    CREATE INDEX handled_hour ON handled (hour);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
PURGE_EVERY = timedelta(days=1)
MAX_KEPT_TEXT = 500  # characters of a question kept: enough to see what was asked
# Telegram keeps an unconfirmed update for 24 hours; an answered update id is kept a day more.
KEEP_HANDLED = timedelta(days=2)


def secret_for(path: Path, configured: str | None) -> bytes:
    """The configured secret, or a random one kept beside the store (created once, 0600)."""
    if configured:
        return configured.encode()
    secret_file = path.parent / "secret"
    try:
        return secret_file.read_bytes()
    except FileNotFoundError:
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_hex(32).encode()
        secret_file.write_bytes(secret)
        secret_file.chmod(0o600)
        return secret


def hour_of(moment: datetime) -> str:
    """The time rounded down to the hour, UTC, as ISO text: '2026-11-23T14:00'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:00")


@dataclass
class Store:
    path: Path
    secret: bytes
    keep_texts: bool = True
    retention_days: int = 90
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _db: sqlite3.Connection | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _failing: bool = False
    _last_purge: datetime | None = None

    # --- opening -----------------------------------------------------------------
    def open(self) -> Store:
        """Create or migrate the database, purge old rows. A failure is logged, not raised."""
        self._guard(self._open, None)
        return self

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"schema version {version} is newer than this bot's")
        for number in range(version, SCHEMA_VERSION):
            step = f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;"
            db.executescript(step)
        self._db = db
        self._purge_if_due(force=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- the guard: the bot keeps answering whatever the store does ----------------------
    def _guard(self, action: Callable[[], T], default: T) -> T:
        try:
            with self._lock:
                result = action()
        except (sqlite3.Error, OSError) as exc:
            if not self._failing:
                log.warning(
                    "the store failed (%s); the bot keeps answering without it", type(exc).__name__
                )
            self._failing = True
            return default
        if self._failing:
            log.info("the store works again")
        self._failing = False
        return result

    def _connection(self) -> sqlite3.Connection:
        """The open database, opened (again) when it is not."""
        if self._db is None:
            self._open()
        assert self._db is not None
        return self._db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        db.execute("BEGIN")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def chat_key(self, chat_id: int | str) -> str:
        """The keyed hash that stands for a chat: the same chat, the same key."""
        return hmac.new(self.secret, f"chat:{chat_id}".encode(), hashlib.sha256).hexdigest()[:32]

    def _message_key(self, chat_id: int | str, message_id: int) -> str:
        text = f"message:{chat_id}:{message_id}".encode()
        return hmac.new(self.secret, text, hashlib.sha256).hexdigest()[:32]

    # --- writing -------------------------------------------------------------------
    def record_reply(
        self, kind: str, entry: str | None, score: float, lang: str, question: str | None = None
    ) -> None:
        """Keep one reply; the scrubbed question too when it got a fallback or clarify."""

        def write() -> None:
            hour = hour_of(self.clock())
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO replies (hour, kind, entry, score, lang) VALUES (?, ?, ?, ?, ?)",
                    (hour, kind, entry, round(score, 2), lang),
                )
                if self.keep_texts and question and kind in ("fallback", "clarify"):
                    text = scrub(question.strip())[:MAX_KEPT_TEXT]
                    if text:
                        db.execute(
                            "INSERT INTO questions (hour, kind, lang, text) VALUES (?, ?, ?, ?)",
                            (hour, kind, lang, text),
                        )
            self._purge_if_due()

        self._guard(write, None)

    def vote(self, chat_id: int, message_id: int, entry: str, up: bool) -> bool:
        """One vote per answer message: a second vote replaces the first. True when kept."""

        def write() -> bool:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO votes (message, chat, entry, vote, hour) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (message) DO UPDATE SET vote = excluded.vote",
                    (
                        self._message_key(chat_id, message_id),
                        self.chat_key(chat_id),
                        entry,
                        1 if up else -1,
                        hour_of(self.clock()),
                    ),
                )
            return True

        return self._guard(write, False)

    def forget_chat(self, chat_id: int) -> int | None:
        """Delete everything linked to this chat's key; the number of rows, None on failure."""

        def delete() -> int:
            with self._transaction() as db:
                return db.execute(
                    "DELETE FROM votes WHERE chat = ?", (self.chat_key(chat_id),)
                ).rowcount

        return self._guard(delete, None)

    def mark_handled(self, update_id: int) -> None:
        """Remember that this update has been answered."""

        def write() -> None:
            with self._transaction() as db:
                db.execute(
                    "INSERT OR IGNORE INTO handled (update_id, hour) VALUES (?, ?)",
                    (update_id, hour_of(self.clock())),
                )

        self._guard(write, None)

    def was_handled(self, update_id: int) -> bool:
        """True when this update has been answered before (False when the store fails)."""

        def read() -> bool:
            found = self._connection().execute(
                "SELECT 1 FROM handled WHERE update_id = ?", (update_id,)
            )
            return found.fetchone() is not None

        return self._guard(read, False)

    def purge(self) -> None:
        self._guard(lambda: self._purge_if_due(force=True), None)

    def _purge_if_due(self, force: bool = False) -> None:
        now = self.clock()
        if not force and self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        cutoff = hour_of(now - timedelta(days=self.retention_days))
        with self._transaction() as db:
            for table in ("replies", "votes", "questions"):
                db.execute(f"DELETE FROM {table} WHERE hour < ?", (cutoff,))
            db.execute("DELETE FROM handled WHERE hour < ?", (hour_of(now - KEEP_HANDLED),))
        self._last_purge = now

    # --- reading (for reports) ---------------------------------------------------------
    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Rows for a report. Unlike writing, reading raises: a report must not be silent."""
        with self._lock:
            return list(self._connection().execute(sql, params).fetchall())
