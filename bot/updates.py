"""Which updates each bot has answered, and the offset it last confirmed to Telegram: so
that an update Telegram sends again after a crash is not answered twice, and no other
update is ever skipped (bot/telegram/polling.py asks; the tables are in bot/schema.py).

Like the rest of the store, every method catches sqlite3 errors through Database.guard.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.database import Database, hour_of

# Telegram keeps an unconfirmed update for 24 hours; an answered update id is kept a day more.
KEEP_HANDLED = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Updates:
    """The answered-updates bookkeeping of one store, per bot id."""

    database: Database
    clock: Callable[[], datetime]

    def mark_handled(self, bot: int, update_id: int) -> None:
        """Remember that this bot has answered this update."""

        def write() -> None:
            with self.database.transaction() as db:
                db.execute(
                    "INSERT INTO handled (bot, update_id, hour) VALUES (?, ?, ?) "
                    "ON CONFLICT DO UPDATE SET hour = excluded.hour",
                    (bot, update_id, hour_of(self.clock())),
                )

        self.database.guard(write, None)

    def confirm(self, bot: int, next_update: int) -> None:
        """Remember the offset this bot has just confirmed to Telegram. The updates below it
        are never sent again, so their ids are forgotten: they can never count again."""

        def write() -> None:
            with self.database.transaction() as db:
                db.execute(
                    "INSERT INTO confirmed (bot, next_update, hour) VALUES (?, ?, ?) "
                    "ON CONFLICT (bot) DO UPDATE SET next_update = excluded.next_update, "
                    "hour = excluded.hour",
                    (bot, next_update, hour_of(self.clock())),
                )
                db.execute(
                    "DELETE FROM handled WHERE bot = ? AND update_id < ?", (bot, next_update)
                )

        self.database.guard(write, None)

    def first_updates(self, bot: int, lowest: int) -> bool:
        """Called with the lowest update id of a run's first updates. Telegram sends again
        from the offset it was given last, so an id below it means that the numbering
        started again (another Bot API server, a reset): the ids kept are forgotten, none of
        them can be a redelivery. True when that happened."""

        def check() -> bool:
            with self.database.transaction() as db:
                found = db.execute(
                    "SELECT next_update FROM confirmed WHERE bot = ?", (bot,)
                ).fetchone()
                if found is None or lowest >= int(found[0]):
                    return False
                db.execute("DELETE FROM handled WHERE bot = ?", (bot,))
                db.execute("DELETE FROM confirmed WHERE bot = ?", (bot,))
                return True

        return self.database.guard(check, False)

    def was_handled(self, bot: int, update_id: int) -> bool:
        """True only when this update can be a redelivery of one this bot answered: the
        bot answered that id, within KEEP_HANDLED, at or above the offset it last
        confirmed. A numbering that started again (another Bot API server, a reset) falls
        below that offset and is answered. False when the store fails."""

        def read() -> bool:
            found = self.database.connection().execute(
                "SELECT 1 FROM handled WHERE bot = ? AND update_id = ? AND hour >= ? "
                "AND update_id >= COALESCE("
                "(SELECT next_update FROM confirmed WHERE bot = ?), 0)",
                (bot, update_id, hour_of(self.clock() - KEEP_HANDLED), bot),
            )
            return found.fetchone() is not None

        return self.database.guard(read, False)

    def forget_old(self, db: sqlite3.Connection, now: datetime) -> None:
        """Within the store's purge: forget what is older than KEEP_HANDLED."""
        db.execute("DELETE FROM handled WHERE hour < ?", (hour_of(now - KEEP_HANDLED),))
        db.execute("DELETE FROM confirmed WHERE hour < ?", (hour_of(now - KEEP_HANDLED),))
