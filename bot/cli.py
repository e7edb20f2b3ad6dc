"""The bodies of leafletbot's commands (bot/__main__.py parses the arguments): each takes
the parsed arguments and the settings and returns the exit status."""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from functools import partial
from itertools import islice
from typing import Any

from bot.chat import converse, reply_to
from bot.checks import check_faq, coverage
from bot.config import Settings
from bot.engine import Engine
from bot.errors import LeafletbotError
from bot.evaluation import load_items, record, score
from bot.faq import Faq
from bot.loading import load_faq
from bot.replies import Replies
from bot.reply import render_plain
from bot.report import build_report, render_csv, render_text
from bot.retrieval import Query
from bot.store import Store, secret_for
from bot.topics import topic_sections

log = logging.getLogger(__name__)

# `ask --json` embeds this many lines together: about three times faster than one by one.
ASK_BATCH = 128


def _faq(args: argparse.Namespace, settings: Settings) -> Faq:
    return load_faq(args.faq or settings.faq_path)


def _engine(args: argparse.Namespace, settings: Settings) -> Engine:
    return Engine.build(_faq(args, settings), cache_dir=settings.cache_dir)


def run(args: argparse.Namespace, settings: Settings) -> int:
    faq = _faq(args, settings)
    if not settings.telegram_bot_token:
        print(
            "No TELEGRAM_BOT_TOKEN set: starting the terminal chat. To run on Telegram, "
            "put BotFather's token in .env (see README) and run `make run` again."
        )
        return converse(Engine.build(faq, cache_dir=settings.cache_dir), sys.stdin, sys.stdout)
    from bot.telegram.run import run_bot  # only here: the rest of the CLI never imports telegram

    run_bot(settings, faq)
    return 0


def chat(args: argparse.Namespace, settings: Settings) -> int:
    return converse(_engine(args, settings), sys.stdin, sys.stdout)


def ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(args, settings)
    replies = Replies(engine.faq)
    if not args.json:
        reply = reply_to(engine, replies, " ".join(args.question))
        print(render_plain(reply))
        for button in reply.options:
            print(f"  [{button.label}]")
        return 0
    while lines := list(islice(sys.stdin, ASK_BATCH)):
        questions = [line.rstrip("\n") for line in lines]
        try:
            queries: list[Query | None] = list(engine.queries(questions))
        except Exception:  # then line by line: one bad line must not stop the batch
            log.exception("could not embed a batch of lines")
            queries = [None] * len(questions)
        for question, query in zip(questions, queries, strict=True):
            try:
                out = _record(engine, replies, question, query)
            except Exception:
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


def evaluate(args: argparse.Namespace, settings: Settings) -> int:
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


def _record(
    engine: Engine, replies: Replies, question: str, query: Query | None = None
) -> dict[str, Any]:
    """One line of the `ask --json` contract (`query`: the question, already embedded)."""
    decision = engine.ask(question) if query is None else engine.decide(query)
    return record(question, decision, render_plain(replies.for_decision(decision)))


def calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.calibrate import blank, write  # needs the `calibrate` extra
    from bot.calibrate import calibrate as fit
    from bot.semantic import UseEmbedder

    embedder = UseEmbedder.load()
    faq = _faq(args, settings)
    engine = Engine.build(
        faq,
        embedder,
        cache_dir=settings.cache_dir,
        calibration=blank(embedder.name),
        learned=False,  # fitted on these same sets: its in-sample hits would flatter
    )
    data = fit(engine, args.files, args.topic_sets)
    write(data, args.out)
    print(
        f"{args.out}, its topics.json and neighbours.npz: written; cross-validated figures "
        "(per cent):"
    )
    for name, figures in data["cross_validated"].items():
        print(f"  {name}: " + " ".join(f"{k}={v}" for k, v in figures.items()))
    print(
        f"  answer_min={data['answer_min']} clarify_min={data['clarify_min']} "
        f"triage={data['triage']}"
    )
    return 0


def calibrate_triage(args: argparse.Namespace, settings: Settings) -> int:
    from bot.semantic import UseEmbedder
    from bot.urgency_fit import calibrate_triage as fit  # needs the `calibrate` extra
    from bot.urgency_fit import write

    embedder = UseEmbedder.load()
    engine = Engine.build(
        _faq(args, settings), embedder, cache_dir=settings.cache_dir, learned=False
    )
    data = fit(engine, args.files)
    write(data, args.out)
    print(f"{args.out}: written; threshold {data['threshold']}; leave-one-set-out (per cent):")
    for name, figures in data["leave_one_set_out"].items():
        print(f"  {name}: " + " ".join(f"{k}={v}" for k, v in figures.items()))
    return 0


def report(args: argparse.Namespace, settings: Settings) -> int:
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


def subject(args: argparse.Namespace, settings: Settings) -> int:
    """A data-subject request: what is kept linked to one chat, as JSON; --delete erases it
    (as /vergeet does)."""
    if not settings.store_path.is_file():
        raise LeafletbotError(f"{settings.store_path}: no store, so nothing is kept")
    store = Store(settings.store_path, secret_for(settings.store_path, settings.store_secret))
    try:
        kept = store.linked_to(args.chat_id)
        if args.delete:
            gone = store.forget_chat(args.chat_id)
            if gone is None:
                raise LeafletbotError(f"{settings.store_path}: deleting failed; try again")
    except sqlite3.Error as exc:
        raise LeafletbotError(f"{settings.store_path}: cannot be read: {exc}") from None
    finally:
        store.close()
    print(json.dumps({"chat": args.chat_id, "deleted": args.delete, **kept}, ensure_ascii=False))
    return 0


def check(args: argparse.Namespace, settings: Settings) -> int:
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
        unknown = sorted({e.section for e in faq.entries} - set(topic_sections()))
        if unknown:
            print(
                f"  note: the topic model does not know {', '.join(unknown)}: its entries "
                "are answered less often until `make calibrate` is run"
            )
    return 1 if failed else 0
