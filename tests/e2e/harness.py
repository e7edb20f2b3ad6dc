"""The whole road on loopback: the emulator, the compatibility layer, the real bot process,
and a patient who talks to it over HTTP. Used by the end-to-end tests and the benchmark."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.compat import Compat, Listener

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijkl"


class Unavailable(Exception):
    """Node or the emulator package is missing: the reason to skip."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


@contextmanager
def emulator() -> Iterator[str]:
    """telegram-test-api on a free port of 127.0.0.1; yields its URL."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not installed")
    if not (HERE / "node_modules" / "telegram-test-api").is_dir():
        raise Unavailable("telegram-test-api is not installed: run `npm ci --prefix tests/e2e`")
    port = free_port()
    proc = subprocess.Popen(
        [node, str(HERE / "emulator.js"), str(port)],
        cwd=HERE,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the emulator did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


@dataclass
class Bot:
    """The real bot, `python -m bot run`, polling through the compatibility layer."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 10) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=timeout)


def start_bot(
    api_url: str, workdir: Path, *, log_level: str = "DEBUG", env: dict[str, str] | None = None
) -> Bot:
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"{api_url}/bot",
        LOG_LEVEL=log_level,
        FAQ_PATH=str(ROOT / "faq" / "osteopenie.yaml"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    log_path = workdir / "bot.log"
    with log_path.open("ab") as log:  # a restarted bot writes on
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    return Bot(process, log_path)


_ids = itertools.count(1)


@dataclass
class Patient:
    """A Telegram user in one chat, talking to the bot through the emulator's client API."""

    emulator: str
    chat_id: int
    http: httpx.Client
    lang: str = "nl"
    chat_type: str = "private"
    seen: list[dict[str, Any]] = field(default_factory=list)

    def _common(self) -> dict[str, Any]:
        user = {
            "id": self.chat_id if self.chat_id > 0 else 7,
            "is_bot": False,
            "first_name": "Patiënt",
            "language_code": self.lang,
        }
        chat = {"id": self.chat_id, "type": self.chat_type, "first_name": "Patiënt"}
        return {"botToken": TOKEN, "from": user, "chat": chat, "date": int(time.time())}

    def say(self, text: str) -> None:
        message = {**self._common(), "text": text}
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
            self.http.post(f"{self.emulator}/sendCommand", json=message).raise_for_status()
        else:
            self.http.post(f"{self.emulator}/sendMessage", json=message).raise_for_status()

    def press(self, data: str, message_id: int | None = None) -> None:
        """Press a button with `data` under the bot's message `message_id`."""
        common = self._common()
        message: dict[str, Any] = {
            "chat": common["chat"],
            "from": {"id": 666, "is_bot": True, "first_name": "Bot"},
        }
        if message_id is not None:
            message["message_id"] = message_id
        query = {"botToken": TOKEN, "from": common["from"], "data": data, "message": message}
        self.http.post(f"{self.emulator}/sendCallback", json=query).raise_for_status()

    def fetch(self) -> list[dict[str, Any]]:
        """Bot messages to this chat not fetched before."""
        answer = self.http.post(
            f"{self.emulator}/getUpdates", json={"token": TOKEN, "chatId": self.chat_id}
        ).json()
        # The emulator keeps a bot message's id beside it, as messageId.
        new = [{**u["message"], "message_id": u["messageId"]} for u in answer.get("result") or []]
        self.seen += new
        return new

    def wait_replies(self, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while len(got) < count:
            got += self.fetch()
            if len(got) >= count:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"chat {self.chat_id}: {len(got)} of {count} replies")
            time.sleep(0.002)
        return got

    def ask(self, text: str, timeout: float = 10) -> dict[str, Any]:
        self.say(text)
        return self.wait_replies(1, timeout)[-1]


@dataclass
class Road:
    emulator: str
    compat: Compat
    listener: Listener
    bot: Bot
    http: httpx.Client
    workdir: Path
    env: dict[str, str]
    log_level: str

    @property
    def api_url(self) -> str:
        return self.listener.url

    def patient(self, chat_id: int, **kwargs: Any) -> Patient:
        return Patient(self.emulator, chat_id, self.http, **kwargs)

    def start(self) -> None:
        """Start the bot (again: the same store) and wait until it polls."""
        calls = len(self.compat.methods())
        self.bot = start_bot(self.api_url, self.workdir, log_level=self.log_level, env=self.env)
        self.wait_until_polling(calls)

    def wait_until_polling(self, calls: int) -> None:
        """Wait for a getUpdates after the first `calls` calls; fail if the bot exits."""
        wait_for(
            lambda: (
                "getUpdates" in self.compat.methods()[calls:]
                or self.bot.process.poll() is not None
            ),
            30,
            "the bot to start polling",
        )
        if self.bot.process.poll() is not None:
            raise RuntimeError(f"the bot exited at start:\n{self.bot.log()[-3000:]}")

    def kill(self) -> int:
        """A hard kill: no chance to finish or confirm anything."""
        self.bot.process.kill()
        return self.bot.process.wait(timeout=10)


@contextmanager
def road(
    workdir: Path, *, log_level: str = "DEBUG", env: dict[str, str] | None = None
) -> Iterator[Road]:
    """Everything started, the bot polling; all stopped afterwards."""
    with emulator() as emulator_url, httpx.Client(timeout=10) as http:
        compat = Compat(emulator_url)
        listener = Listener(compat)
        bot = start_bot(listener.url, workdir, log_level=log_level, env=env)
        the_road = Road(emulator_url, compat, listener, bot, http, workdir, env or {}, log_level)
        try:
            the_road.wait_until_polling(0)
            yield the_road
        finally:
            the_road.bot.stop()
            listener.close()
