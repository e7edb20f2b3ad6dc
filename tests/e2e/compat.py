"""A small HTTP layer between the bot and telegram-test-api 4.2.1, on 127.0.0.1.

It makes the emulator behave like the real Bot API where the bot depends on it, and
enforces the documented limits the emulator lacks:

    emulator 4.2.1                           here
    getMe lacks is_bot                       added (python-telegram-bot needs it)
    sendMessage answers date in ms           seconds
    editMessageText, editMessageReplyMarkup,  true
      answerCallbackQuery answer null
    callback queries lack chat_instance      added; their message gets message_id, date
    getUpdates ignores timeout and offset;   long poll: wait up to `timeout` for updates;
      an update is gone once fetched           an update is sent again until a later call's
                                               offset confirms it, as Telegram does
    setMyCommands, set*Description,          answered true here (and recorded)
      sendChatAction answer 500
    parse_mode never checked                 HTML checked: a tag outside Telegram's set,
                                               unbalanced tags, a bare < or & -> 400
                                             text over 4096 characters -> 400
                                             callback data over 64 bytes -> 400

and it can misbehave on purpose (`Fault`): HTTP errors, 429 with retry_after, requests held
past the bot's read timeout, and (`Listener.refuse`) no connection at all.
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
class Fault:
    """Answer `method` calls (for one chat, or all) with `status` until cleared, or `times`
    times. Status 429 carries retry_after; "hold" keeps the request `hold` seconds (past the
    bot's read timeout) and then answers 504 without passing it on."""

    method: str
    status: int | str
    chat_id: int | None = None
    times: int | None = None
    retry_after: int = 1
    hold: float = 6.0
    hits: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if method != self.method or (self.times is not None and self.hits >= self.times):
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)

    def answer(self) -> tuple[int, dict[str, Any]]:
        if self.status == "hold":
            time.sleep(self.hold)
            return 504, {"ok": False, "error_code": 504, "description": "Gateway Timeout"}
        status = int(self.status)
        description = DESCRIPTIONS[status]
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if status == 429:
            body["parameters"] = {"retry_after": self.retry_after}
        return status, body


DESCRIPTIONS = {
    400: "Bad Request: message text is empty",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry later",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class Compat:
    """The layer's state: where the emulator is, every call the bot made, the faults in force
    and, per bot token, the updates fetched but not yet confirmed."""

    emulator: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    # sendMessage calls per chat, with the time (perf_counter) they reached this layer
    replies: dict[str, list[tuple[float, dict[str, Any]]]] = field(default_factory=dict)
    unconfirmed: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def fail(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, params):
                    fault.hits += 1
                    return fault
        return None

    def record(self, method: str, params: dict[str, Any]) -> None:
        now = time.perf_counter()
        with self.lock:
            self.calls.append((method, params))
            if method == "sendMessage":
                self.replies.setdefault(str(params.get("chat_id")), []).append((now, params))

    def params_of(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every `method` call, in order."""
        with self.lock:
            return [p for m, p in self.calls if m == method]

    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.calls]

    def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        fault = self.fault_for(method, params)
        if fault is not None:
            return fault.answer()
        self.record(method, params)
        if method in ANSWERED_HERE:
            return 200, {"ok": True, "result": True}
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
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
        elif method in ("editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"):
            answer["result"] = True
        return 200, answer

    def forward(self, token: str, method: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.client.post(f"{self.emulator}/bot{token}/{method}", json=params)
            return dict(response.json())
        except (httpx.HTTPError, RuntimeError) as exc:  # the emulator is stopping
            return {"ok": False, "error_code": 502, "description": f"Bad Gateway: {exc}"}

    def long_poll(self, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Updates from `offset` on: those sent before and not confirmed, then new ones."""
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        with self.lock:
            kept = self.unconfirmed.setdefault(token, {})
            for number in [n for n in kept if n < offset]:
                del kept[number]  # confirmed: Telegram forgets it
        while True:
            fresh = self.forward(token, "getUpdates", {}).get("result") or []
            with self.lock:
                for update in fresh:
                    kept[int(update["update_id"])] = fix_update(update)
                waiting = [kept[n] for n in sorted(kept)][:limit]
            if waiting or time.monotonic() >= deadline:
                return waiting
            time.sleep(0.002)


def fix_update(update: dict[str, Any]) -> dict[str, Any]:
    query = update.get("callback_query")
    if query is not None:
        query.setdefault("chat_instance", "e2e")
        message = query.get("message") or {}
        message.setdefault("message_id", 1)
        message.setdefault("date", int(time.time()))
    return update


class Listener:
    """The layer on 127.0.0.1, in a daemon thread; `refuse` takes it off the network (new
    connections refused, open ones cut) and `resume` puts it back on the same port."""

    def __init__(self, compat: Compat) -> None:
        self.compat = compat
        self.port = 0
        self.open_connections: set[socket.socket] = set()
        self.server: ThreadingHTTPServer | None = None
        self.resume()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def resume(self) -> None:
        if self.server is None:
            self.server = _server(self, self.port)
            self.port = int(self.server.server_address[1])

    def refuse(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        with self.compat.lock:
            connections, self.open_connections = list(self.open_connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.refuse()
        self.compat.client.close()


def _server(listener: Listener, port: int) -> ThreadingHTTPServer:
    compat = listener.compat

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real Bot API

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, Nagle's algorithm and
            # the peer's delayed ACK add 40 ms to every answer on loopback.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with compat.lock:
                listener.open_connections.add(self.connection)

        def finish(self) -> None:
            with compat.lock:
                listener.open_connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

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
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                return  # the bot hung up (it is stopping), or the listener was cut

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the tests read the bot's own log

    class Server(ThreadingHTTPServer):
        request_queue_size = 256  # the default 5 drops connections under a burst
        allow_reuse_address = True  # `resume` binds the same port again at once

    server = Server(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="compat", daemon=True).start()
    return server
