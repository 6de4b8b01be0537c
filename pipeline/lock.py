"""One writer at a time: the project lock, ``.cache/lock``.

``translate`` and ``build`` write the same files (catalogs, ``dist/``, the build
database); two runs at once would interleave them.  Each takes this lock for its
whole run (an OS file lock through :mod:`filelock`, released by the kernel if the
process dies, so a killed run never leaves the project locked).  A second run
waits, saying so; with ``wait=False`` it fails at once with :class:`LockedError`.

In: the project's root.  Out: a context manager that holds the lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from pipeline.errors import PipelineError, os_error

LOCK_NAME = Path(".cache") / "lock"
BUSY = "another translate or build is running in this project; try again later (or drop --no-wait to wait)"


class LockedError(PipelineError):
    """Another run holds the project lock (and this one was asked not to wait)."""

    category = "lock"


@contextmanager
def project_lock(root: Path, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project lock of ``root`` for the ``with`` block.

    ``on_wait`` gets a message when another run holds the lock and this one waits for it.
    """
    path = root / LOCK_NAME
    shown = LOCK_NAME.as_posix()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(path)
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            if not wait:
                raise LockedError(
                    "another translate or build is running in this project; try again later", shown
                ) from None
            if on_wait is not None:
                on_wait(f"waiting for another translate or build of this project to finish ({shown})")
            lock.acquire()
    except OSError as exc:  # a read-only project or .cache/
        raise os_error(exc, root) from None
    try:
        yield
    finally:
        lock.release()
