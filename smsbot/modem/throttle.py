"""The per-modem throttle: at most N messages in any 60 seconds, to stay under operator limits.

Only broadcasts wait for it. Replies and notices are never held (a person texting now is
answered in the next send slot), but they do use up the window, so a broadcast slows down
while people are texting and the modem as a whole stays under the rate. One Throttle per
modem (per Daemon); it keeps the send times of the last minute in memory, so after a restart
the first minute may carry up to one extra window's worth.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)


class Throttle:
    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._sent: deque[datetime] = deque()

    def has_room(self, now: datetime) -> bool:
        if self.per_minute <= 0:
            return True
        while self._sent and self._sent[0] <= now - WINDOW:
            self._sent.popleft()
        return len(self._sent) < self.per_minute

    def record(self, now: datetime) -> None:
        if self.per_minute > 0:
            self._sent.append(now)

    def slot(self) -> timedelta:
        """The spacing of a steady drain: 10 s at 6 per minute."""
        return WINDOW / self.per_minute if self.per_minute > 0 else timedelta(0)
