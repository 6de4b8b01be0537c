"""Files and digests, for every stage: atomic writes, content hashes, optional reads.

In: paths and bytes.  Out: files replaced whole (a temporary file in the
same folder, then an atomic rename, so a reader or a killed run never sees
half a file) and sha256 digests that identify content, never timestamps.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipeline import __version__

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


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write through a temporary file and an atomic rename.

    ``durable`` also flushes the data to disk before the rename (translators'
    catalogs); files that a run makes again (templates, dist/) skip that cost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        tmp.chmod(0o644)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
