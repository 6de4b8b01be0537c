"""Progress of a long run: a one-line bar on a terminal, plain lines elsewhere.

On a terminal (``stream.isatty()``) the last line of stderr is a bar,
``[=====>      ] 12/30 briefs  1.4/s  ETA 0:13``, redrawn in place; each
finished item's line is printed above it.  Anywhere else (CI logs, a pipe)
each finished item is one plain line with its count, ``[12/30] ...``, and no
control character.  A dozen lines of our own rather than tqdm: the bar has to
share the terminal with the build's own result lines, and the CI form is
exactly the log we want, with no new dependency.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pipeline.build.run import BriefResult


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class Progress:
    def __init__(
        self, total: int, *, what: str = "briefs", stream: TextIO | None = None, tty: bool | None = None
    ) -> None:
        self.total = total
        self.what = what
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.start = time.monotonic()
        self._drawn = False

    def bar(self, width: int = 24) -> str:
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        filled = width * self.done // self.total if self.total else width
        arrow = "=" * filled + (">" if filled < width else "") + " " * (width - filled - 1)
        eta = _clock((self.total - self.done) / rate) if rate and self.done < self.total else "-"
        return f"[{arrow[:width]}] {self.done}/{self.total} {self.what}  {rate:.1f}/s  ETA {eta}"

    def draw(self) -> None:
        """Show the bar before the first item is done (a terminal only)."""
        if self.tty:
            self._clear()
            self.stream.write(self.bar())
            self.stream.flush()
            self._drawn = True

    def advance(self, line: str, out: TextIO | None = None) -> None:
        """One item finished: print its ``line`` (to ``out``, default the progress stream) and move the bar."""
        self.done += 1
        out = out or self.stream
        if self.tty:
            self._clear()
            print(line, file=out, flush=True)
            self.stream.write(self.bar())
            self.stream.flush()
            self._drawn = True
        else:
            width = len(str(self.total))
            print(f"[{self.done:>{width}}/{self.total}] {line}", file=out, flush=True)

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def close(self) -> None:
        self._clear()


class BuildProgress:
    """The build's reporter on the command line: each rebuilt brief with why, the QA findings that hold
    one back, and the bar (see :class:`pipeline.build.run.Reporter`)."""

    SHOWN_FINDINGS = 5

    def __init__(self, *, stream: TextIO | None = None, out: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.bar: Progress | None = None

    def start(self, total: int) -> None:
        self.bar = Progress(total, stream=self.stream)
        if total:
            self.bar.draw()

    def result(self, result: BriefResult) -> None:
        lines = [result.describe() + (f" [{'; '.join(result.rebuilt)}]" if result.rebuilt else "")]
        if result.error is None and result.blocking:
            lines += [f"    {finding}" for finding in result.blocking[: self.SHOWN_FINDINGS]]
            if len(result.blocking) > self.SHOWN_FINDINGS:
                more = len(result.blocking) - self.SHOWN_FINDINGS
                lines.append(f"    ... and {more} more: python -m pipeline check")
        if self.bar is None:
            self.start(1)
        assert self.bar is not None
        self.bar.advance("\n".join(lines), out=self.out)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
