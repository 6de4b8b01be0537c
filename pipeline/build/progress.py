"""Progress of a long run: a one-line bar on a terminal, plain lines elsewhere.

On a terminal (``stream.isatty()``) the last line of stderr is a bar drawn by
tqdm, ``[================        ] 2/3 briefs  1.40/s  ETA 00:13``, redrawn in
place; each finished item's line is printed above it with ``tqdm.write``.
Anywhere else (CI logs, a pipe) there is no bar: each finished item is one
plain line with its count, ``[12/30] ...``, with no control character.

Why tqdm rather than rich (both tried on this reporter):

* sharing the terminal: ``tqdm.write(line, file=sys.stdout)`` clears a bar on
  stderr, prints the line on stdout and draws the bar again, so result lines
  stay on stdout and the bar on stderr.  rich prints the lines through the
  progress's own console (stderr), and by default reads them as markup
  (``brief [fr]``), highlights and wraps them, each of which has to be
  switched off per call;
* plain lines when not a terminal: neither library writes the CI form we want
  (tqdm still writes ``\\r`` to a pipe, rich leaves an empty line when its live
  display stops), so that form stays our own one-line ``print`` with no bar;
* ETA and rate: both (tqdm's are smoothed);
* weight: tqdm is one pure-Python package of 0.6 MB with no dependency; rich is
  3 MB and pulls in markdown-it-py, mdurl and Pygments (10 MB).  Both import in
  about 0.1 s here.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from tqdm import tqdm

if TYPE_CHECKING:
    from pipeline.build.run import BriefResult


class _Bar(tqdm):  # type: ignore[misc]  # tqdm ships no type hints
    # No monitor thread: it only tunes `miniters`, and we redraw on every item anyway.
    monitor_interval = 0


class Progress:
    def __init__(
        self, total: int, *, what: str = "briefs", stream: TextIO | None = None, tty: bool | None = None
    ) -> None:
        self.total = total
        self.what = what
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._bar: Any = None  # the tqdm bar, on a terminal once drawn

    def _drawn(self) -> Any:
        if self._bar is None:
            label = self.what.replace("{", "{{").replace("}", "}}")
            self._bar = _Bar(
                total=self.total,
                file=self.stream,
                bar_format="[{bar:24}] {n}/{total} " + label + "  {rate_noinv_fmt}  ETA {remaining}",
                ascii=" >=",
                unit="",
                unit_scale=True,  # rates as "3.33/s", "12.3/s", not padded to a width
                mininterval=0,  # every finished item shows: the bar is redrawn below its line anyway
                leave=False,  # close() wipes the bar: the summary follows the result lines
            )
        return self._bar

    def draw(self) -> None:
        """Show the bar before the first item is done (a terminal only)."""
        if self.tty:
            self._drawn()  # tqdm draws a bar as it is made

    def advance(self, line: str, out: TextIO | None = None) -> None:
        """One item finished: print its ``line`` (to ``out``, default the progress stream) and move the bar."""
        self.done += 1
        out = out or self.stream
        if self.tty:
            bar = self._drawn()
            tqdm.write(line, file=out)  # above the bar when both share the terminal
            out.flush()
            bar.update()
        else:
            width = len(str(self.total))
            print(f"[{self.done:>{width}}/{self.total}] {line}", file=out, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


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
