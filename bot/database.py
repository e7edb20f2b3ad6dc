"""One SQLite file at the newest schema (bot/schema.py), opened when first needed, and the
guard that keeps the bot answering whatever the file does.

Writing must never slow down or break an answer: `guard` catches sqlite3 and OS errors,
logs one warning (until the file works again) and returns a default. Only a file written by
a newer version of the bot raises (StoreError): start-up stops with one line.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from bot.schema import migrate

log = logging.getLogger(__name__)
T = TypeVar("T")


def hour_of(moment: datetime) -> str:
    """The time rounded down to the hour, UTC, as ISO text: '2026-11-23T14:00'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:00")


@dataclass
class Database:
    path: Path
    _db: sqlite3.Connection | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _failing: bool = False

    def connection(self) -> sqlite3.Connection:
        """The open database: created or migrated the first time (and after a failure)."""
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                migrate(db, self.path)
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def guard(self, action: Callable[[], T], default: T) -> T:
        """`action`'s result, one at a time; `default` (and one warning) when it fails."""
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

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection()
        db.execute("BEGIN")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Rows for a report. Unlike writing, reading raises: a report must not be silent."""
        with self._lock:
            return list(self.connection().execute(sql, params).fetchall())
