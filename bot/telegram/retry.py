"""The retry policy, one for every Bot API call: sends from the handlers and polling's
getUpdates alike. What may pass is tried again; the bot's own mistakes are not.

    RetryAfter (429)         wait exactly what Telegram asks
    NetworkError (5xx, a timeout, no connection)   wait RETRY_DELAYS, then give up
    BadRequest (400), Forbidden (403)              never again: our mistake, or blocked
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from telegram.error import BadRequest, NetworkError, RetryAfter

log = logging.getLogger(__name__)

# Waits between tries of a send that failed for a reason that may pass (a 5xx, a timeout,
# no connection, a 429 past the rate limiter's own retries): about 2.5 minutes in all.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 30.0, 30.0, 30.0)
# Waits after failed getUpdates calls in a row, then the last one for ever.
POLL_BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asks to wait: a timedelta with PTB_TIMEDELTA=1 (see __main__)."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def backoff(failures: int) -> float:
    """How long to wait after this many getUpdates failures in a row."""
    return POLL_BACKOFF[min(failures, len(POLL_BACKOFF)) - 1]


async def deliver(call: Callable[[], Awaitable[object]], delays: Sequence[float]) -> None:
    """Run a Bot API call, trying again while the error is one that may pass.

    A 400 (our mistake) or a 403 (the patient blocked the bot) is never tried again."""
    for delay in (*delays, None):  # None: the last try
        try:
            await call()
            return
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
        except BadRequest:
            raise
        except NetworkError as exc:
            if delay is None:
                raise
            seconds = delay
            log.warning("sending failed (%s), trying again in %.1f s", type(exc).__name__, seconds)
        if delay is None:
            raise NetworkError("gave up sending after every retry")  # a 429 at the last try
        await asyncio.sleep(seconds)
