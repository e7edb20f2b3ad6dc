"""leafletbot's command line: argument parsing and wiring only.

leafletbot run               the Telegram bot (the terminal chat when no token is set)
leafletbot chat              a terminal conversation with the same engine
leafletbot ask "vraag"       one reply, readable; --json: the batch contract on stdin
leafletbot eval FILE.jsonl   figures and misses on a labelled question set
leafletbot check [PATH]      validate a FAQ file (or every .yaml in a folder)
leafletbot calibrate FILE... fit the decision policy on labelled question sets
leafletbot calibrate-triage FILE...  fit the learned triage signal on labelled sets
leafletbot report            what patients asked, for the FAQ writers
leafletbot subject CHAT_ID   a data-subject request: what is kept for one chat (--delete)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot import cli
from bot.config import load_settings
from bot.errors import LeafletbotError
from bot.logs import configure_logging, token_secrets

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
        func=cli.run
    )
    sub.add_parser("chat", help="a terminal conversation with the engine").set_defaults(
        func=cli.chat
    )
    ask = sub.add_parser("ask", help="answer one question, or --json: one per stdin line")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="the batch contract of ../shared/eval")
    ask.set_defaults(func=cli.ask)
    ev = sub.add_parser("eval", help="score a labelled question file and list the misses")
    ev.add_argument("file", type=Path)
    ev.set_defaults(func=cli.evaluate)
    rep = sub.add_parser("report", help="what patients asked: for the FAQ writers")
    rep.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD (default: all kept)")
    rep.add_argument("--format", choices=["text", "csv"], default="text")
    rep.set_defaults(func=cli.report)
    sub_ = sub.add_parser("subject", help="a data-subject request: what is kept for one chat")
    sub_.add_argument("chat_id", type=int, help="the patient's Telegram chat id")
    sub_.add_argument("--delete", action="store_true", help="and delete it, as /vergeet does")
    sub_.set_defaults(func=cli.subject)
    cal = sub.add_parser("calibrate", help="fit the policy on labelled sets (make calibrate)")
    cal.add_argument("files", type=Path, nargs="+")
    cal.add_argument(
        "--topic-sets",
        type=Path,
        nargs="*",
        default=[],
        help="more labelled sets that only the topic model learns from",
    )
    cal.add_argument("--out", type=Path, default=Path("bot/calibration.json"))
    cal.set_defaults(func=cli.calibrate)
    tri = sub.add_parser(
        "calibrate-triage", help="fit the learned triage signal (make calibrate-triage)"
    )
    tri.add_argument("files", type=Path, nargs="+")
    tri.add_argument("--out", type=Path, default=Path("bot/urgency.json"))
    tri.set_defaults(func=cli.calibrate_triage)
    check = sub.add_parser("check", help="validate a FAQ file or folder; exit 1 on problems")
    check.add_argument("path", type=Path, nargs="?")
    check.set_defaults(func=cli.check)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
