"""Logging set-up: one format, and secrets masked in every record at every level.

python-telegram-bot logs the Bot API URL, token included, at DEBUG, and httpx logs every
request URL at INFO. Silencing them is not enough: a secret filter on every handler masks
the token wherever it appears, in the message, its arguments and any traceback.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

MASK = "[token]"


class SecretMask(logging.Filter):
    """Replaces every secret in a record with [token]."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so the whole token is masked before its secret half. Any case:
        # python-telegram-bot capitalises some error texts, which lowercases a token in them.
        kept = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(re.escape(s) for s in kept), re.IGNORECASE) if kept else None
        )

    def mask(self, text: str) -> str:
        return self.pattern.sub(MASK, text) if self.pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def token_secrets(token: str | None) -> list[str]:
    """The token and its secret half (the part after the colon)."""
    if not token:
        return []
    return [token, token.partition(":")[2]]


def configure_logging(level: int, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level`, with every secret masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMask(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # At INFO httpx logs every request URL, and python-telegram-bot's URLs hold the token.
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    logging.getLogger("httpcore").setLevel(max(level, logging.INFO))
