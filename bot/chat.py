"""The terminal chat: the same engine and replies as the bot, typed and read in a
terminal; it keeps nothing."""

from __future__ import annotations

from typing import TextIO

from bot.engine import Engine
from bot.replies import Replies
from bot.reply import Reply, render_plain


def reply_to(engine: Engine, replies: Replies, question: str, lang: str | None = None) -> Reply:
    """The reply to one typed question; `lang` when the text does not say its language."""
    return replies.for_decision(engine.ask(question, lang))


def converse(engine: Engine, stdin: TextIO, stdout: TextIO) -> int:
    """A terminal conversation: type a question, or a number to press a button. It follows
    the language typed, as the bot does, and keeps nothing."""
    replies = Replies(engine.faq)
    lang = "nl"
    reply: Reply = replies.smalltalk("greeting", lang)
    while True:
        print(render_plain(reply), file=stdout)
        for n, button in enumerate(reply.options, 1):
            print(f"  [{n}] {button.label}", file=stdout)
        print(replies.text(lang, "prompt"), file=stdout)
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in ("stop", "quit", "exit"):
            print(replies.text(lang, "goodbye"), file=stdout)
            return 0
        choice = line.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(reply.options):
            reply = replies.for_callback(reply.options[int(choice) - 1].data, lang)
            continue
        reply = reply_to(engine, replies, line, lang)
        lang = reply.lang
