"""What the bot keeps, in SQLite (the standard library's sqlite3), and nothing else.

    replies    per reply: kind, entry id (or for a fallback its nearest topic), why it
               fell back, score, language, the hour (UTC): never linked to a chat
    votes      one 👍/👎 per answer message, changeable: the message's and the chat's keyed
               hashes, the entry, the vote, the hour
    questions  only when KEEP_QUESTION_TEXTS is on (off by default): the de-identified text
               of questions that got a fallback or a clarify, with kind, language, hour and
               the chat's keyed hash (so that /vergeet can delete them)
    handled    per bot, the Bot API's update ids it has answered, for two days, and the
    confirmed  offset it last confirmed, so that an update Telegram sends again after a
               crash is not answered twice, and no other update is ever skipped
               (`Store.updates`, bot/updates.py)

No user ids, names or chat ids in clear: where a chat must be recognised (one vote per
message, /vergeet) it is an HMAC-SHA256 of the chat id under a secret from the settings.
Everything older than the retention period is deleted at start and then daily. The tables
and their migrations are in bot/schema.py.

Writing must never slow down or break an answer: every method catches sqlite3 errors,
logs one warning (until the store works again) and returns. Only a store written by a
newer version of the bot stops start-up (StoreError).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.database import Database, hour_of
from bot.scrub import scrub
from bot.updates import Updates

log = logging.getLogger(__name__)


PURGE_EVERY = timedelta(days=1)
MAX_KEPT_TEXT = 500  # characters of a question kept: enough to see what was asked


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


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What /vergeet deleted for one chat."""

    votes: int = 0
    questions: int = 0

    @property
    def total(self) -> int:
        return self.votes + self.questions


@dataclass
class Store:
    path: Path
    secret: bytes
    keep_texts: bool = False
    retention_days: int = 90
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _last_purge: datetime | None = None
    database: Database = field(init=False)
    updates: Updates = field(init=False)  # answered updates: never twice, never skipped

    def __post_init__(self) -> None:
        self.database = Database(self.path)
        self.updates = Updates(self.database, self.clock)

    def open(self) -> Store:
        """Create or migrate the database, purge old rows. A failure is logged, not raised;
        a store written by a newer bot raises StoreError."""
        self.database.guard(lambda: self._purge_if_due(force=True), None)
        return self

    def close(self) -> None:
        self.database.close()

    def chat_key(self, chat_id: int | str) -> str:
        """The keyed hash that stands for a chat: the same chat, the same key."""
        return hmac.new(self.secret, f"chat:{chat_id}".encode(), hashlib.sha256).hexdigest()[:32]

    def _message_key(self, chat_id: int | str, message_id: int) -> str:
        text = f"message:{chat_id}:{message_id}".encode()
        return hmac.new(self.secret, text, hashlib.sha256).hexdigest()[:32]

    # --- writing -------------------------------------------------------------------
    def record_reply(
        self,
        kind: str,
        entry: str | None,
        score: float,
        lang: str,
        *,
        reason: str = "",
        nearest: str | None = None,
        chat_id: int | None = None,
        question: str | None = None,
    ) -> None:
        """Keep one reply: for a fallback or clarify also why (`reason`) and the nearest
        topic; its de-identified question too when texts are kept."""

        def write() -> None:
            hour = hour_of(self.clock())
            text = self._kept_text(kind, question)
            with self.database.transaction() as db:
                db.execute(
                    "INSERT INTO replies (hour, kind, entry, score, lang, reason, nearest) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (hour, kind, entry, round(score, 2), lang, reason, nearest),
                )
                if text:
                    chat = self.chat_key(chat_id) if chat_id is not None else ""
                    db.execute(
                        "INSERT INTO questions (hour, kind, lang, text, chat) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (hour, kind, lang, text, chat),
                    )
            self._purge_if_due()

        self.database.guard(write, None)

    def _kept_text(self, kind: str, question: str | None) -> str | None:
        """The de-identified question when texts are kept and it was not answered; None
        otherwise, and when de-identification fails: a text is never kept raw."""
        if not (self.keep_texts and question and kind in ("fallback", "clarify")):
            return None
        try:
            return scrub(question.strip())[:MAX_KEPT_TEXT] or None
        except Exception as exc:  # whatever the de-identifier's fault: drop, never keep raw
            log.warning("de-identification failed (%s); the text is not kept", type(exc).__name__)
            return None

    def vote(self, chat_id: int, message_id: int, entry: str, up: bool) -> bool:
        """One vote per answer message: a second vote replaces the first. True when kept."""

        def write() -> bool:
            with self.database.transaction() as db:
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

        return self.database.guard(write, False)

    def forget_chat(self, chat_id: int) -> Forgotten | None:
        """Delete everything linked to this chat's key; what was deleted, None on failure."""

        def delete() -> Forgotten:
            key = (self.chat_key(chat_id),)
            with self.database.transaction() as db:
                votes = db.execute("DELETE FROM votes WHERE chat = ?", key).rowcount
                questions = db.execute("DELETE FROM questions WHERE chat = ?", key).rowcount
            return Forgotten(votes, questions)

        return self.database.guard(delete, None)

    def linked_to(self, chat_id: int) -> dict[str, list[dict[str, object]]]:
        """Everything kept that is linked to this chat (a data-subject request); raises,
        as reading for a report does."""
        key = (self.chat_key(chat_id),)
        tables = {
            "votes": "SELECT entry, vote, hour FROM votes WHERE chat = ? ORDER BY hour",
            "questions": "SELECT hour, kind, lang, text FROM questions WHERE chat = ? ORDER BY id",
        }
        out: dict[str, list[dict[str, object]]] = {}
        for table, sql in tables.items():
            names = [part.strip() for part in sql[7 : sql.index(" FROM")].split(",")]
            out[table] = [dict(zip(names, row, strict=True)) for row in self.query(sql, key)]
        return out

    def purge(self) -> None:
        self.database.guard(lambda: self._purge_if_due(force=True), None)

    def _purge_if_due(self, force: bool = False) -> None:
        now = self.clock()
        if not force and self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        cutoff = hour_of(now - timedelta(days=self.retention_days))
        with self.database.transaction() as db:
            for table in ("replies", "votes", "questions"):
                db.execute(f"DELETE FROM {table} WHERE hour < ?", (cutoff,))
            self.updates.forget_old(db, now)
        self._last_purge = now

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Rows for a report; raises (a report must not be silent)."""
        return self.database.query(sql, params)
