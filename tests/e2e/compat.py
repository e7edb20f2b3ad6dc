"""A small HTTP layer between the bot and telegram-test-api 4.2.1, on 127.0.0.1.

It makes the emulator behave like the real Bot API where the bot depends on it, and
enforces the documented limits the emulator lacks:

    emulator 4.2.1                           here
    getMe lacks is_bot                       added (python-telegram-bot needs it)
    sendMessage answers date in ms           seconds
    editMessageText, answerCallbackQuery     true
      answer null
    callback queries lack chat_instance      added; their message gets message_id, date
    getUpdates ignores timeout and offset    long poll: wait up to `timeout` for updates
    setMyCommands, set*Description,          answered true here (and recorded)
      sendChatAction answer 500
    parse_mode never checked                 HTML checked: a tag outside Telegram's set,
                                               unbalanced tags, a bare < or & -> 400
                                             text over 4096 characters -> 400
                                             callback data over 64 bytes -> 400
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
ANSWERED_HERE = {
    "setMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "sendChatAction",
    "deleteMyCommands",
}
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
LONG_POLL_CAP = 1.0  # seconds: keeps the bot's shutdown quick
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class BadRequest(Exception):
    """What Telegram answers with HTTP 400."""


def check_html(text: str) -> str:
    """Validate Telegram HTML as the Bot API does; return the visible text."""
    stack: list[str] = []
    visible = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG.match(text, pos)
            if match is None:
                raise BadRequest("can't parse entities: unexpected '<'")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                raise BadRequest(f'can\'t parse entities: unsupported start tag "{name}"')
            if closing:
                if not stack or stack.pop() != name:
                    raise BadRequest(f'can\'t parse entities: unmatched end tag "{name}"')
            else:
                if name == "a" and "href=" not in attrs:
                    raise BadRequest("can't parse entities: a tag without href")
                stack.append(name)
            pos = match.end()
        elif char == "&":
            match = _ENTITY.match(text, pos)
            if match is None:
                raise BadRequest("can't parse entities: unescaped '&'")
            visible.append(html.unescape(match.group(0)))
            pos = match.end()
        else:
            visible.append(char)
            pos += 1
    if stack:
        raise BadRequest(f'can\'t parse entities: unclosed tag "{stack[-1]}"')
    return "".join(visible)


def check_limits(params: dict[str, Any]) -> None:
    text = str(params.get("text", ""))
    visible = check_html(text) if str(params.get("parse_mode", "")).upper() == "HTML" else text
    if len(visible.encode("utf-16-le")) // 2 > MAX_TEXT:
        raise BadRequest("message is too long")
    markup = params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and len(str(data).encode()) > MAX_CALLBACK_DATA:
                raise BadRequest("BUTTON_DATA_INVALID")


def decode_params(body: bytes, content_type: str) -> dict[str, Any]:
    """python-telegram-bot sends form fields whose values are JSON (strings as they are)."""
    if not body:
        return {}
    if "json" in content_type:
        return dict(json.loads(body))
    params: dict[str, Any] = {}
    for key, values in parse_qs(body.decode(), keep_blank_values=True).items():
        value = values[0]
        try:
            params[key] = json.loads(value) if key != "text" else value
        except json.JSONDecodeError:
            params[key] = value
    return params


@dataclass
class Compat:
    """The layer's state: where the emulator is, and every call the bot made."""

    emulator: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def record(self, method: str, params: dict[str, Any]) -> None:
        with self.lock:
            self.calls.append((method, params))

    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.calls]

    def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        self.record(method, params)
        if method in ANSWERED_HERE:
            return 200, {"ok": True, "result": True}
        if method in ("sendMessage", "editMessageText"):
            try:
                check_limits(params)
            except BadRequest as exc:
                with self.lock:
                    self.rejected.append((method, str(exc)))
                return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self.long_poll(token, params)}
        answer = self.forward(token, method, params)
        result = answer.get("result")
        if method == "getMe" and isinstance(result, dict):
            result.update(
                is_bot=True,
                can_join_groups=True,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
            )
        elif method == "sendMessage" and isinstance(result, dict):
            if result.get("date", 0) > 10**11:
                result["date"] //= 1000
        elif method in ("editMessageText", "answerCallbackQuery"):
            answer["result"] = True
        return 200, answer

    def forward(self, token: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.client.post(f"{self.emulator}/bot{token}/{method}", json=params)
            return dict(response.json())
        except (httpx.HTTPError, RuntimeError) as exc:  # the emulator is stopping
            return {"ok": False, "error_code": 502, "description": f"Bad Gateway: {exc}"}

    def long_poll(self, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        while True:
            updates = self.forward(token, "getUpdates", {}).get("result") or []
            if updates or time.monotonic() >= deadline:
                return [fix_update(u) for u in updates]
            time.sleep(0.002)


def fix_update(update: dict[str, Any]) -> dict[str, Any]:
    query = update.get("callback_query")
    if query is not None:
        query.setdefault("chat_instance", "e2e")
        message = query.get("message") or {}
        message.setdefault("message_id", 1)
        message.setdefault("date", int(time.time()))
    return update


def serve(compat: Compat) -> ThreadingHTTPServer:
    """Start the layer on a free port of 127.0.0.1 in a daemon thread."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real Bot API

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, Nagle's algorithm and
            # the peer's delayed ACK add 40 ms to every answer on loopback.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            parts = self.path.strip("/").split("/")
            if len(parts) != 2 or not parts[0].startswith("bot"):
                self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            params = decode_params(self.rfile.read(length), self.headers.get("Content-Type", ""))
            status, body = compat.handle(parts[0][3:], parts[1], params)
            self.reply(status, body)

        do_GET = do_POST

        def reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
            except (BrokenPipeError, ConnectionResetError):
                return
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)  # fails only when the bot hung up: it is stopping

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the tests read the bot's own log

    class Server(ThreadingHTTPServer):
        request_queue_size = 256  # the default 5 drops connections under a burst

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="compat", daemon=True).start()
    return server
