"""A per-chat limit on how fast one chat may send questions. Pure: the clock is passed in.

One chat that floods the bot gets one polite "slow down" and is then ignored until its
window clears; other chats are not affected. Chats are known only by a key the caller
chooses (never logged).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: say "slow down" once
    DROP = "drop"  # still over the limit: say nothing


@dataclass(slots=True)
class Throttle:
    # A patient who types fast, or taps several buttons, stays well under this;
    # a flood does not.
    max_messages: int = 12
    per_seconds: float = 20.0
    # Chats idle this long are forgotten, so the table does not grow without end.
    forget_after: float = 300.0
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)
    _last_sweep: float = 0.0

    def check(self, key: str, now: float) -> Verdict:
        """Count one message from `key` at time `now` (seconds, monotonic)."""
        self._sweep(now)
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] >= self.per_seconds:
            times.popleft()
        if len(times) < self.max_messages:
            times.append(now)
            self._warned.discard(key)
            return Verdict.ALLOW
        if key in self._warned:
            return Verdict.DROP
        self._warned.add(key)
        return Verdict.WARN

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < self.forget_after:
            return
        self._last_sweep = now
        for key in [k for k, t in self._seen.items() if not t or now - t[-1] > self.forget_after]:
            del self._seen[key]
            self._warned.discard(key)

    def forget(self, key: str) -> None:
        """Drop what is held for one chat (/vergeet)."""
        self._seen.pop(key, None)
        self._warned.discard(key)

    def __len__(self) -> int:
        return len(self._seen)
