"""Files and digests, for every stage: atomic writes, content hashes, optional reads.

In: paths and bytes.  Out: files replaced whole (a temporary file in the
same folder, then an atomic rename, so a reader or a killed run never sees
half a file) and sha256 digests that identify content, never timestamps.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__

TMP_SUFFIX = ".tmp"  # temporary files are named .<name>.<random>.tmp, beside their target
_STALE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # that name, tempfile.mkstemp's 8 random characters
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


def replace_unchanged(path: Path, data: bytes, expect: Snapshot | None, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` only if it is still what was read (``expect``; None: no file then).

    Compare before replace: the file's size, mtime and sha256 are taken again after the new
    bytes are on disk, immediately before the rename, so a save that landed at any point since
    the read is never overwritten (:class:`ChangedMeanwhileError`).  A file that did not exist is
    created with a hard link, which fails rather than replace one that appeared meanwhile.
    """
    tmp = _temporary(path, data, durable)
    try:
        if expect is None:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise ChangedMeanwhileError(path) from None
            except OSError:  # a file system without hard links: check, then rename
                if path.exists():
                    raise ChangedMeanwhileError(path) from None
                tmp.replace(path)
            return
        if _snapshot(path) != expect:
            raise ChangedMeanwhileError(path)
        tmp.replace(path)
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
    """Remove the temporary files runs killed mid-write left in ``folder`` (at any depth); returns them.

    Only this module's naming (``.<name>.<random>.tmp``) is touched, never another program's
    files.  Call it holding the project lock (:mod:`pipeline.lock`): another run's temporary
    files are then none of these.
    """
    removed = []
    for tmp in sorted(folder.rglob(f".*{TMP_SUFFIX}")) if folder.is_dir() else []:
        if _STALE.match(tmp.name) and tmp.is_file() and not tmp.is_symlink():
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed
