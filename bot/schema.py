"""The store's tables, one migration per schema version, and the step that applies them.

A database at version n runs every migration after n, each in one transaction; a database
newer than this bot stops start-up (its data may not mean what this code thinks).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.errors import StoreError

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
    # 3: answered updates per bot, with the offset each bot last confirmed; why a reply
    # fell back and its nearest topic (the report without texts); kept texts linked to
    # the chat's key, so that /vergeet can delete them.
    """
    DROP TABLE handled;
    CREATE TABLE handled (
        bot INTEGER NOT NULL,
        update_id INTEGER NOT NULL,
        hour TEXT NOT NULL,
        PRIMARY KEY (bot, update_id)
    );
    CREATE INDEX handled_hour ON handled (hour);
    CREATE TABLE confirmed (
        bot INTEGER PRIMARY KEY,
        next_update INTEGER NOT NULL,
        hour TEXT NOT NULL
    );
    ALTER TABLE replies ADD COLUMN reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE replies ADD COLUMN nearest TEXT;
    DELETE FROM questions;
    ALTER TABLE questions ADD COLUMN chat TEXT NOT NULL DEFAULT '';
    CREATE INDEX questions_chat ON questions (chat);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the database up to SCHEMA_VERSION; StoreError when it is newer."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer leafletbot (schema {version}, this one knows "
            f"{SCHEMA_VERSION}): run the newer version, or set STORE_PATH to another file"
        )
    for number in range(version, SCHEMA_VERSION):
        db.executescript(
            f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;"
        )
