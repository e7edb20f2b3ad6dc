"""The Poller against a Telegram that keeps every update until an offset confirms it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.store import Store
from bot.telegram.polling import Poller
from bot.telegram.retry import backoff

BOT = 4242  # the bot id getMe gives


def update(number: int) -> Update:
    return Update(number)


@dataclass
class Telegram:
    """getUpdates as the Bot API answers it: every update from `offset` on, until confirmed."""

    pending: dict[int, Update] = field(default_factory=dict)
    offsets: list[int | None] = field(default_factory=list)
    id: int = BOT
    failures: list[Exception] = field(default_factory=list)

    def send(self, *numbers: int) -> None:
        for number in numbers:
            self.pending[number] = update(number)

    async def get_updates(
        self, offset: int | None = None, timeout: timedelta | int = 0, **_: Any
    ) -> Sequence[Update]:
        self.offsets.append(offset)
        if self.failures:
            raise self.failures.pop(0)
        for number in [n for n in self.pending if offset is not None and n < offset]:
            del self.pending[number]
        await asyncio.sleep(0.001)
        return [self.pending[n] for n in sorted(self.pending)]


@dataclass
class App:
    """The two things the Poller uses of an Application."""

    bot: Telegram
    handled: list[int] = field(default_factory=list)
    gates: dict[int, asyncio.Event] = field(default_factory=dict)

    async def process_update(self, update: object) -> None:
        assert isinstance(update, Update)
        gate = self.gates.get(update.update_id)
        if gate is not None:
            await gate.wait()
        self.handled.append(update.update_id)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.sqlite3", b"s" * 32).open()


def poller(app: App, store: Store, **kwargs: Any) -> Poller:
    return Poller(app, store, long_poll=0.01, **kwargs)  # type: ignore[arg-type]


async def run_until(poll: Poller, condition: Any, timeout: float = 5) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(poll.run(stop))
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)
    stop.set()
    await task


async def test_each_update_is_handled_once_though_telegram_sends_it_again(store: Store) -> None:
    telegram = Telegram()
    telegram.send(1, 2, 3)
    app = App(telegram)
    await run_until(poller(app, store), lambda: not telegram.pending)
    assert app.handled == [1, 2, 3]
    # Confirmed to Telegram (offset 4): it never sends them again, so their ids are gone.
    assert store.query("SELECT next_update FROM confirmed WHERE bot = ?", (BOT,)) == [(4,)]
    assert store.query("SELECT COUNT(*) FROM handled") == [(0,)]


async def test_the_offset_never_passes_an_update_in_hand(store: Store) -> None:
    telegram = Telegram()
    telegram.send(10, 11, 12)
    app = App(telegram, gates={10: asyncio.Event()})
    poll = poller(app, store)
    stop = asyncio.Event()
    task = asyncio.create_task(poll.run(stop))
    async with asyncio.timeout(5):
        while sorted(app.handled) != [11, 12]:
            await asyncio.sleep(0.005)
    await asyncio.sleep(0.05)
    assert all(o is None or o <= 10 for o in telegram.offsets)  # 10 is not confirmed yet
    assert 10 in telegram.pending
    app.gates[10].set()
    async with asyncio.timeout(5):
        while telegram.pending:
            await asyncio.sleep(0.005)
    stop.set()
    await task
    assert sorted(app.handled) == [10, 11, 12]  # 11 and 12 were sent again, not handled again


async def test_a_slow_update_alone_is_not_asked_for_again_and_again(store: Store) -> None:
    telegram = Telegram()
    telegram.send(50)
    app = App(telegram, gates={50: asyncio.Event()})  # a send being retried, say
    stop = asyncio.Event()
    task = asyncio.create_task(poller(app, store, grace=0.01).run(stop))
    await asyncio.sleep(1.5)
    stop.set()
    await task
    # The pause doubles from 0.05 s while nothing new comes: 0.05 + 0.1 + 0.2 + 0.4 + 0.8
    # passes 1.5 s after 6 calls; a fixed pause would have made about 30.
    assert 4 <= len(telegram.offsets) <= 9


async def test_an_update_answered_before_a_restart_is_skipped(store: Store, caplog) -> None:
    store.updates.mark_handled(BOT, 20)
    telegram = Telegram()
    telegram.send(20, 21)
    app = App(telegram)
    with caplog.at_level(logging.INFO):
        await run_until(poller(app, store), lambda: not telegram.pending)
    assert app.handled == [21]
    assert any("answered before a restart" in r.getMessage() for r in caplog.records)


async def test_a_numbering_that_starts_again_is_answered_in_full(store: Store, caplog) -> None:
    """Two runs on one store against two Bot API servers that both number from 1."""
    first = Telegram()
    first.send(1, 2, 3, 4, 5)
    app = App(first)
    await run_until(poller(app, store), lambda: not first.pending)
    assert app.handled == [1, 2, 3, 4, 5]
    second = Telegram()
    second.send(1, 2)
    app = App(second)
    with caplog.at_level(logging.INFO):
        await run_until(poller(app, store), lambda: app.handled == [1, 2])
        second.send(3, 4, 5, 6)  # a second wave, after the bot confirmed a low offset
        await run_until(poller(app, store), lambda: not second.pending)
    assert app.handled == [1, 2, 3, 4, 5, 6]
    assert not any("answered before" in r.getMessage() for r in caplog.records)


async def test_after_a_crash_a_new_numbering_still_loses_nothing(store: Store) -> None:
    """A crash left updates 5 and 6 answered but unconfirmed; then the server is reset."""
    store.updates.mark_handled(BOT, 5)
    store.updates.mark_handled(BOT, 6)
    store.updates.confirm(BOT, 5)
    telegram = Telegram()
    telegram.send(1, 2)
    app = App(telegram)
    poll = poller(app, store)
    stop = asyncio.Event()
    task = asyncio.create_task(poll.run(stop))
    async with asyncio.timeout(5):
        while app.handled != [1, 2]:
            await asyncio.sleep(0.005)
        telegram.send(5, 6)
        while not (app.handled == [1, 2, 5, 6] and not telegram.pending):
            await asyncio.sleep(0.005)
    stop.set()
    await task


async def test_a_true_redelivery_after_a_crash_is_still_skipped(store: Store) -> None:
    store.updates.mark_handled(BOT, 5)
    store.updates.confirm(BOT, 5)  # 5 answered, the crash came before it was confirmed
    telegram = Telegram()
    telegram.send(5, 6)
    app = App(telegram)
    await run_until(poller(app, store), lambda: not telegram.pending)
    assert app.handled == [6]


async def test_another_bot_on_the_same_store_skips_nothing(store: Store) -> None:
    store.updates.mark_handled(BOT + 1, 20)  # the other bot answered its own update 20
    telegram = Telegram()
    telegram.send(20, 21)
    app = App(telegram)
    await run_until(poller(app, store), lambda: not telegram.pending)
    assert app.handled == [20, 21]


async def test_an_update_unfinished_at_a_stop_is_left_for_telegram(store: Store, caplog) -> None:
    telegram = Telegram()
    telegram.send(30, 31)
    app = App(telegram, gates={30: asyncio.Event()})
    poll = poller(app, store, grace=0.05)
    with caplog.at_level(logging.INFO):
        await run_until(poll, lambda: app.handled == [31])
    assert sorted(telegram.pending) == [30, 31]  # nothing above 30 confirmed either
    assert not store.updates.was_handled(BOT, 30) and store.updates.was_handled(BOT, 31)
    assert telegram.offsets[-1] == 30
    assert any("left for the next start" in r.getMessage() for r in caplog.records)


async def test_a_failing_telegram_is_asked_again(store: Store, caplog, monkeypatch) -> None:
    monkeypatch.setattr("bot.telegram.retry.POLL_BACKOFF", (0.01, 0.02))
    telegram = Telegram(failures=[NetworkError("down"), NetworkError("down")])
    telegram.send(40)
    app = App(telegram)
    with caplog.at_level(logging.INFO):
        await run_until(poller(app, store), lambda: app.handled == [40])
    messages = [r.getMessage() for r in caplog.records]
    assert sum("fetching updates failed (NetworkError)" in m for m in messages) == 2
    assert "fetching updates works again" in messages


async def test_a_wrong_token_stops_the_poller(store: Store) -> None:
    telegram = Telegram(failures=[InvalidToken("Unauthorized")])
    with pytest.raises(InvalidToken):
        await poller(App(telegram), store).run(asyncio.Event())


def test_backoff_grows_to_a_cap() -> None:
    waits = [backoff(n) for n in range(1, 10)]
    assert waits == sorted(waits) and waits[0] == 1.0 and waits[-1] == 30.0
