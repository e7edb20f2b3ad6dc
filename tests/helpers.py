"""Factories for real python-telegram-bot objects and a request that records every call."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

FAKE_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijkl"
BOT_ID = 123456789
BOT_USERNAME = "LeafletTestBot"
ADMIN = 999  # the admin chat of the handler tests


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class RecordingRequest(BaseRequest):
    """Answers every Bot API call like Telegram would, and remembers it.

    `fail` maps a method to the HTTP statuses its next calls answer (then 200 again)."""

    calls: list[Call] = field(default_factory=list)
    fail: dict[str, list[int]] = field(default_factory=dict)
    description: str = "failed"  # what a failed call says
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(Call(name, params))
        if self.fail.get(name):
            status = self.fail[name].pop(0)
            error: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": self.description,
            }
            if status == 429:
                error["parameters"] = {"retry_after": 1}
            return status, json.dumps(error).encode()
        return 200, json.dumps({"ok": True, "result": self.result(name, params)}).encode()

    def result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Leaflet",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if name == "sendMessage":
            return {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Leaflet"},
                "text": params["text"],
            }
        if name == "getUpdates":
            return []
        return True

    def sent(self) -> list[Call]:
        return [c for c in self.calls if c.method == "sendMessage"]

    def texts(self) -> list[str]:
        return [str(c.params["text"]) for c in self.sent()]


_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def user(user_id: int = 42, lang: str = "nl") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Patiënt", "language_code": lang}


def message(
    text: str | None = None,
    *,
    chat_id: int = 42,
    chat_type: str = "private",
    lang: str = "nl",
    entities: list[dict[str, Any]] | None = None,
    reply_to_bot: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Familie"
    data: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": user(chat_id if chat_id > 0 else 7, lang),
        **extra,
    }
    if text is not None:
        data["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if entities is not None:
        data["entities"] = entities
    if reply_to_bot:
        data["reply_to_message"] = {
            "message_id": 1,
            "date": int(time.time()),
            "chat": chat,
            "text": "eerder",
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Leaflet"},
        }
    return data


def update(bot: Bot, *, edited: bool = False, **message_kwargs: Any) -> Update:
    key = "edited_message" if edited else "message"
    msg = message(**message_kwargs)
    if edited:
        msg["edit_date"] = msg["date"]
    return Update.de_json({"update_id": next(_update_ids), key: msg}, bot)


def callback(
    bot: Bot,
    data: str,
    *,
    chat_id: int = 42,
    lang: str = "nl",
    message_id: int | None = None,
    gone: bool = False,
) -> Update:
    """A button press on a bot message (a new one, or `message_id`; `gone`: one Telegram
    no longer shows, which it sends as an inaccessible message with date 0)."""
    origin = message("eerder antwoord", chat_id=chat_id)
    if message_id is not None:
        origin["message_id"] = message_id
    origin["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Leaflet"}
    if gone:
        origin = {"chat": origin["chat"], "message_id": origin["message_id"], "date": 0}
    return Update.de_json(
        {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": str(next(_update_ids)),
                "from": user(chat_id, lang),
                "chat_instance": "ci",
                "message": origin,
                "data": data,
            },
        },
        bot,
    )


async def settle() -> None:
    """Let every task an update started (concurrent updates, create_task) finish."""
    for _ in range(5):
        await asyncio.sleep(0)
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    if pending:
        await asyncio.wait(pending, timeout=2)


async def ask(app: Application, request_log: RecordingRequest, **kwargs: object) -> list[str]:  # type: ignore[type-arg]
    before = len(request_log.sent())
    await app.process_update(update(app.bot, **kwargs))  # type: ignore[arg-type]
    await settle()
    return request_log.texts()[before:]


async def press(
    app: Application, request_log: RecordingRequest, data: str, **kwargs: object
) -> list[str]:  # type: ignore[type-arg]
    before = len(request_log.sent())
    await app.process_update(callback(app.bot, data, **kwargs))  # type: ignore[arg-type]
    await settle()
    return request_log.texts()[before:]


def buttons(request_log: RecordingRequest) -> list[str]:
    markup = request_log.sent()[-1].params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def keyboard(request_log: RecordingRequest, method: str = "sendMessage") -> list[list[str]]:
    """The labels of the last `method` call's buttons, row by row."""
    call = [c for c in request_log.calls if c.method == method][-1]
    markup = call.params.get("reply_markup") or {}
    return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]
