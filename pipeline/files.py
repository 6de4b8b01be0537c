"""Files and digests, for every stage: atomic writes, content hashes, optional reads.

In: paths and bytes.  Out: files replaced whole (a temporary file in the
same folder, then an atomic rename, so a reader or a killed run never sees
half a file) and sha256 digests that identify content, never timestamps.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__

TMP_SUFFIX = ".tmp"  # temporary files are named .<name>.<random>.tmp, beside their target
ASIDE_SUFFIX = ".aside"  # a catalog during compare-before-replace: .<name>.<random>.aside
_STALE = re.compile(r"^\.(.+)\.[a-z0-9_]{8}(\.tmp|\.aside)$")  # tempfile.mkstemp's 8 random characters
SCHEMA = 1  # of the build database's digests: changing it rebuilds everything once


def digest(parts: Iterable[bytes | str]) -> str:
    h = hashlib.sha256(f"pipeline {__version__} schema {SCHEMA}\0".encode())
    for p in parts:
        data = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_or_empty(path: Path | None) -> bytes:
    if path is None:
        return b""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file was when it was read: compared again right before it is replaced."""

    size: int
    mtime_ns: int
    sha256: str


class ChangedMeanwhileError(Exception):
    """The file is no longer what was read (someone saved it meanwhile): it was not replaced."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def read_snapshot(path: Path) -> tuple[bytes, Snapshot] | None:
    """The file's bytes and what they were when read, from one open file; None: no file."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None
    with fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    return data, Snapshot(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _snapshot(path: Path) -> Snapshot | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return Snapshot(st.st_size, st.st_mtime_ns, file_digest(path))


def _named(exc: OSError, path: Path) -> OSError:
    """``exc`` naming the file being written, not its temporary file (or none, for a failed write)."""
    return OSError(exc.errno, exc.strerror, str(path))


def _temporary(path: Path, data: bytes, durable: bool) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise _named(exc, path) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        tmp.chmod(0o644)
    except OSError as exc:  # a full disk: the temporary file goes, the target is untouched
        tmp.unlink(missing_ok=True)
        raise _named(exc, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _place(src: Path, dst: Path) -> bool:
    """Give ``src``'s file the name ``dst`` too, unless ``dst`` exists (then False): never replaces a file."""
    try:
        os.link(src, dst)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if dst.exists():  # a file system without hard links: check, then rename (a window remains)
            return False
        src.replace(dst)
    return True


def replace_unchanged(path: Path, data: bytes, expect: Snapshot | None, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` only if it is still what was read (``expect``; None: no file then).

    Compare before replace, with no moment where a save can be overwritten: once the new bytes
    are on disk, the file at ``path`` is renamed aside (atomically: whatever is there at that
    instant), compared with ``expect`` (size, mtime, sha256), and the new file is put in place
    with a hard link, which fails if a save landed in the meantime.  A file that is not what
    was read goes back where it was (unless an even newer save is already there).  Either way
    the caller gets :class:`ChangedMeanwhileError` and the translator's file is the one in place.
    A kill between the two steps leaves the file aside (``.<name>.<random>.aside``):
    :func:`remove_stale_temporaries` puts it back.
    """
    tmp = _temporary(path, data, durable)
    try:
        if expect is None:
            if not _place(tmp, path):
                raise ChangedMeanwhileError(path)
            return
        aside = Path(f"{tmp.as_posix().removesuffix(TMP_SUFFIX)}{ASIDE_SUFFIX}")
        try:
            path.rename(aside)
        except FileNotFoundError:  # deleted meanwhile: not brought back
            raise ChangedMeanwhileError(path) from None
        if _snapshot(aside) != expect:
            _place(aside, path)
            aside.unlink(missing_ok=True)
            raise ChangedMeanwhileError(path)
        placed = _place(tmp, path)
        aside.unlink(missing_ok=True)
        if not placed:  # saved while the old file was aside: the save stays
            raise ChangedMeanwhileError(path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write through a temporary file and an atomic rename.

    ``durable`` also flushes the data to disk before the rename (translators'
    catalogs); files that a run makes again (templates, dist/) skip that cost.
    """
    tmp = _temporary(path, data, durable)
    try:
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _named(exc, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Clear what runs killed mid-write left in ``folder`` (at any depth); returns the files removed.

    A temporary file (``.<name>.<random>.tmp``) is removed; a catalog left aside by
    :func:`replace_unchanged` (``.<name>.<random>.aside``) goes back to its name if nothing
    took it since, else it is older than what is there and is removed.  Only this module's
    naming is touched, never another program's files.  Call it holding the project lock
    (:mod:`pipeline.lock`): another run's files are then none of these.
    """
    removed = []
    for left in sorted(folder.rglob(".*")) if folder.is_dir() else []:
        m = _STALE.match(left.name)
        if not m or not left.is_file() or left.is_symlink():
            continue
        if m.group(2) == ASIDE_SUFFIX and _place(left, left.with_name(m.group(1))):
            left.unlink(missing_ok=True)  # back under its name
            continue
        left.unlink(missing_ok=True)
        removed.append(left)
    return removed
