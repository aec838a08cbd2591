"""The seeding's progress: a bar with the month being played and the referrals so far.

On a terminal one line is redrawn in place; in a log file (the tests, a container) a line is written
every quarter of the history instead, so that the log stays short.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import TextIO

BAR_WIDTH = 30
# Lines written to a file over the whole history, besides the last one.
FILE_LINES = 4


class Progress:
    def __init__(self, first: date, last: date, stream: TextIO | None = None) -> None:
        self.first = first
        self.days = (last - first).days + 1
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._shown = ""
        self._next_line = 0.0
        self._printed = -1.0

    def show(self, day: date, referrals: int) -> None:
        """Called when a day has been played; writes only when what is shown changes."""
        done = min(max(((day - self.first).days + 1) / self.days, 0.0), 1.0)
        month = day.strftime("%B %Y")
        if self.tty:
            filled = round(done * BAR_WIDTH)
            text = (
                f"demo data [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:4.0%} · playing {month} · "
                f"{referrals} referrals · {time.monotonic() - self.started:.0f} s"
            )
            if text != self._shown:
                self.stream.write("\r" + text)
                self.stream.flush()
                self._shown = text
        elif done >= self._next_line or (done == 1.0 and self._printed < 1.0):
            # A line per quarter, and one for the last day.
            self._next_line = done + 1 / FILE_LINES
            self._printed = done
            line = f"demo data: {done:.0%} · playing {month} · {referrals} referrals so far"
            print(line, file=self.stream, flush=True)

    def finish(self) -> None:
        """Ends the bar's line, so that what follows starts on a line of its own."""
        if self.tty and self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = ""
