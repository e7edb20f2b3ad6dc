"""Long polling that confirms an update to Telegram only once it has been answered.

python-telegram-bot's own Updater confirms a batch of updates with its next getUpdates call,
before they are handled, so a crash or a hard kill loses the questions in hand. Here the
offset sent to Telegram never passes an update that is still being handled: after a crash
Telegram sends it again. The store remembers, per bot, the update ids it answered and the
offset it last confirmed, so an update that was answered just before a crash is not
answered a second time, and an update of a numbering that started again (another Bot API
server, a reset) is never taken for one already answered.

The road of one update: getUpdates -> a task running Application.process_update (the
handlers, the reply, its retries) -> store.updates.mark_handled -> the next getUpdates confirms it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.store import Store
from bot.telegram.retry import backoff, retry_seconds

log = logging.getLogger(__name__)

LONG_POLL = 30.0  # seconds Telegram may hold a getUpdates call when there is nothing new
# Seconds at most between getUpdates calls while updates are in hand: short while new ones
# come in, doubling up to MAX_PAUSE while only slow ones wait (a send being retried).
PAUSE = 0.05
MAX_PAUSE = 1.0


@dataclass
class Poller:
    """Fetches updates and hands each to the application in a task of its own, so that one
    slow chat (a send that is being retried) never holds up the others."""

    app: Application  # type: ignore[type-arg]
    store: Store
    long_poll: float = LONG_POLL
    grace: float = 5.0  # seconds, at a stop, for the updates in hand to finish
    offset: int = 0
    _running: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _done: set[int] = field(default_factory=set)  # answered, not yet confirmed to Telegram
    _first: bool = True  # no update fetched yet in this run

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; then finish what is in hand and confirm it."""
        failures, pause = 0, PAUSE
        while not stop.is_set():
            try:
                updates = await self._fetch(stop)
            except InvalidToken:
                raise  # no retry can mend a wrong token
            except TelegramError as exc:
                failures += 1
                wait = retry_seconds(exc) if isinstance(exc, RetryAfter) else backoff(failures)
                log.warning(
                    "fetching updates failed (%s); trying again in %.1f s",
                    type(exc).__name__,
                    wait,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                continue
            if failures:
                log.info("fetching updates works again")
                failures = 0
            if updates is None:
                break  # stopped while waiting
            started = self._start(updates)
            if self._running:
                # Telegram sends what is in hand again with every call: wait for it to be
                # answered (a few milliseconds, usually) before asking, but not so long that
                # new questions wait behind a slow one.
                pause = PAUSE if started else min(2 * pause, MAX_PAUSE)
                await asyncio.wait(self._running.values(), timeout=pause)
            self._advance()
        await self._finish()

    async def _fetch(self, stop: asyncio.Event) -> list[Update] | None:
        """One getUpdates call, or None when `stop` was set first. While updates are in
        hand Telegram answers at once (it sends them again), so do not long-poll then."""
        fetch = asyncio.ensure_future(
            self.app.bot.get_updates(
                offset=self.offset or None,
                timeout=timedelta(seconds=0 if self._running else self.long_poll),
                allowed_updates=Update.ALL_TYPES,
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            return None
        stopped.cancel()
        if self.offset:
            self.store.updates.confirm(self.app.bot.id, self.offset)
        return list(fetch.result())

    def _start(self, updates: list[Update]) -> int:
        """Start a task for each update not seen before; how many were started."""
        if updates and self._first:
            self._first = False
            lowest = min(u.update_id for u in updates)
            if self.store.updates.first_updates(self.app.bot.id, lowest):
                log.info("update ids start again below the last offset: none counts as answered")
        started = 0
        for update in updates:
            number = update.update_id
            if number in self._running or number in self._done:
                continue  # in hand, or answered: Telegram sends it until confirmed
            if self.store.updates.was_handled(self.app.bot.id, number):
                log.info("update %d was answered before a restart; not answered again", number)
                self._done.add(number)
                continue
            self._running[number] = asyncio.create_task(self._handle(update))
            started += 1
        return started

    async def _handle(self, update: Update) -> None:
        number = update.update_id
        try:
            await self.app.process_update(update)
        except Exception as exc:  # the error handler has failed too: never retry it forever
            log.error("update %d could not be handled: %s", number, type(exc).__name__)
        self.store.updates.mark_handled(self.app.bot.id, number)
        self._running.pop(number, None)
        self._done.add(number)

    def _advance(self) -> None:
        """Move the offset up to the first update still in hand (or past the last one)."""
        if self._running:
            self.offset = min(self._running)
        elif self._done:
            self.offset = max(self._done) + 1
        self._done = {n for n in self._done if n >= self.offset}

    async def _finish(self) -> None:
        """Give the updates in hand `grace` seconds; leave the rest for Telegram to send again
        at the next start, and confirm what was answered."""
        if self._running:
            log.info("stopping: finishing %d update(s) in hand", len(self._running))
            await asyncio.wait(self._running.values(), timeout=self.grace)
        left = sorted(self._running)
        for number in left:
            task = self._running.pop(number)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if left:
            log.info("%d update(s) left for the next start: Telegram sends them again", len(left))
        self._advance()
        if left:
            self.offset = min(self.offset, left[0])
        if self.offset:
            with contextlib.suppress(TelegramError):
                await self.app.bot.get_updates(offset=self.offset, timeout=0, limit=1)
                self.store.updates.confirm(self.app.bot.id, self.offset)
