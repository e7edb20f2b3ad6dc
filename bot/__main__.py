"""leafletbot's command line: argument parsing and wiring only.

leafletbot run               the Telegram bot (the terminal chat when no token is set)
leafletbot chat              a terminal conversation with the same engine
leafletbot ask "vraag"       one reply, readable; --json: the batch contract on stdin
leafletbot eval FILE.jsonl   figures and misses on a labelled question set
leafletbot check [PATH]      validate a FAQ file (or every .yaml in a folder)
leafletbot calibrate FILE... fit the decision policy on labelled question sets
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from bot.checks import check_faq, coverage
from bot.config import Settings, load_settings
from bot.engine import Engine
from bot.errors import LeafletbotError
from bot.evaluation import load_items, record, score
from bot.faq import Faq
from bot.loading import load_faq
from bot.logs import configure_logging, token_secrets
from bot.replies import Replies
from bot.reply import Reply, render_plain
from bot.report import build_report, render_csv, render_text
from bot.store import Store, secret_for

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # python-telegram-bot 22.2+ warns at every 429 until one opts in to the timedelta durations
    # its next major version will give; the code here handles both.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    try:
        settings = load_settings()
        configure_logging(settings.log_level_number, token_secrets(settings.telegram_bot_token))
        return int(args.func(args, settings))
    except BrokenPipeError:
        # The reader went away (`leafletbot check | head -1`): stop quietly. Point stdout at
        # nothing, or Python complains again when it flushes it at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except LeafletbotError as exc:
        print(f"leafletbot: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # through the masked log: a traceback may hold the token
        log.critical("stopped by an unexpected error: %s", type(exc).__name__, exc_info=exc)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leafletbot", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--faq", type=Path, help="FAQ file (default: FAQ_PATH or faq/osteopenie.yaml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="the Telegram bot; the terminal chat without a token").set_defaults(
        func=_run
    )
    sub.add_parser("chat", help="a terminal conversation with the engine").set_defaults(func=_chat)
    ask = sub.add_parser("ask", help="answer one question, or --json: one per stdin line")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="the batch contract of ../shared/eval")
    ask.set_defaults(func=_ask)
    ev = sub.add_parser("eval", help="score a labelled question file and list the misses")
    ev.add_argument("file", type=Path)
    ev.set_defaults(func=_eval)
    rep = sub.add_parser("report", help="what patients asked: for the FAQ writers")
    rep.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD (default: all kept)")
    rep.add_argument("--format", choices=["text", "csv"], default="text")
    rep.set_defaults(func=_report)
    cal = sub.add_parser("calibrate", help="fit the policy on labelled sets (make calibrate)")
    cal.add_argument("files", type=Path, nargs="+")
    cal.add_argument("--out", type=Path, default=Path("bot/calibration.json"))
    cal.set_defaults(func=_calibrate)
    check = sub.add_parser("check", help="validate a FAQ file or folder; exit 1 on problems")
    check.add_argument("path", type=Path, nargs="?")
    check.set_defaults(func=_check)
    return parser


def _faq(args: argparse.Namespace, settings: Settings) -> Faq:
    return load_faq(args.faq or settings.faq_path)


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    return Engine.build(_faq(args, settings), cache_dir=settings.cache_dir)


def _reply(engine: Engine, replies: Replies, question: str, lang: str | None = None) -> Reply:
    return replies.for_decision(engine.ask(question, lang))


def _run(args: argparse.Namespace, settings: Settings) -> int:
    faq = _faq(args, settings)
    if not settings.telegram_bot_token:
        print(
            "No TELEGRAM_BOT_TOKEN set: starting the terminal chat. To run on Telegram, "
            "put BotFather's token in .env (see README) and run `make run` again."
        )
        return _converse(Engine.build(faq, cache_dir=settings.cache_dir), sys.stdin, sys.stdout)
    from bot.telegram.run import run_bot  # only here: the rest of the CLI never imports telegram

    run_bot(settings, faq)
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    return _converse(_engine(args, settings), sys.stdin, sys.stdout)


def _converse(engine: Engine, stdin: TextIO, stdout: TextIO) -> int:
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
        reply = _reply(engine, replies, line, lang)
        lang = reply.lang


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(args, settings)
    replies = Replies(engine.faq)
    if not args.json:
        reply = _reply(engine, replies, " ".join(args.question))
        print(render_plain(reply))
        for button in reply.options:
            print(f"  [{button.label}]")
        return 0
    for line in sys.stdin:
        question = line.rstrip("\n")
        try:
            out = _record(engine, replies, question)
        except Exception:  # one bad line must not stop the batch
            log.exception("could not answer a batch line")
            out = {
                "question": question,
                "kind": "fallback",
                "entry": None,
                "section": None,
                "score": 0,
                "options": [],
                "text": "Er ging iets mis.",
            }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(args, settings)
    replies = Replies(engine.faq)
    result = score(load_items(args.file), partial(_record, engine, replies))
    for item, reply in result.misses:
        print(
            f"MISS {item.id} expect={item.expect} got={reply['kind']}/{reply['section']} "
            f"score={reply['score']} :: {item.text}"
        )
    print("\n".join(result.lines()))
    return 0


def _record(engine: Engine, replies: Replies, question: str) -> dict[str, Any]:
    """One line of the `ask --json` contract."""
    decision = engine.ask(question)
    return record(question, decision, render_plain(replies.for_decision(decision)))


def _calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.calibrate import blank, calibrate, write  # needs the `calibrate` extra
    from bot.semantic import UseEmbedder

    embedder = UseEmbedder.load()
    faq = _faq(args, settings)
    engine = Engine.build(
        faq, embedder, cache_dir=settings.cache_dir, calibration=blank(embedder.name)
    )
    data = calibrate(engine, args.files)
    write(data, args.out)
    print(f"{args.out}: written; cross-validated figures (per cent):")
    for name, figures in data["cross_validated"].items():
        print(f"  {name}: " + " ".join(f"{k}={v}" for k, v in figures.items()))
    print(
        f"  answer_min={data['answer_min']} clarify_min={data['clarify_min']} "
        f"triage={data['triage']}"
    )
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.store_path.is_file():
        raise LeafletbotError(
            f"{settings.store_path}: no store yet. The Telegram bot creates it on its first "
            "start (STORE_PATH names it); the terminal chat keeps nothing, so it makes none"
        )
    store = Store(settings.store_path, secret_for(settings.store_path, settings.store_secret))
    try:
        report = build_report(store, args.since)
    except sqlite3.Error as exc:
        raise LeafletbotError(f"{settings.store_path}: cannot be read: {exc}") from None
    finally:
        store.close()
    print(render_csv(report) if args.format == "csv" else render_text(report), end="\n")
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    path = args.path or args.faq or settings.faq_path
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        print(f"{path}: no .yaml files to check")
        return 1
    failed = False
    for file in files:
        faq, problems = check_faq(file)
        failed = failed or bool(problems)
        if problems:
            print("\n".join(problems))
        if faq is None:
            continue
        if not problems:
            print(f"{file}: ok, {len(faq.entries)} entries")
        for section, count in coverage(faq).items():
            print(f"  {section:<20} {count} entr{'y' if count == 1 else 'ies'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
