"""The build database: which outputs are up to date with which inputs.

Inputs are identified by content hash (sha256), never by timestamps; an
output is trusted when its recorded hash still matches (size and mtime only
spare re-reading an unchanged file, as git's index does).  SQLite keeps it in
one file, ``.cache/build.sqlite``; deleting it only costs a full rebuild.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from . import __version__

SCHEMA = 1


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


class BuildDB:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS steps (key TEXT PRIMARY KEY, inputs TEXT NOT NULL, outputs TEXT NOT NULL)"
        )

    def close(self) -> None:
        self._db.commit()
        self._db.close()

    def __enter__(self) -> BuildDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fresh(self, key: str, inputs: str) -> bool:
        """Whether step ``key`` ran with these inputs and its outputs are intact."""
        row = self._db.execute("SELECT inputs, outputs FROM steps WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] != inputs:
            return False
        for name, (sha, size, mtime) in json.loads(row[1]).items():
            p = Path(name)
            try:
                st = p.stat()
            except FileNotFoundError:
                return False
            if st.st_size != size:
                return False
            if st.st_mtime_ns != mtime and file_digest(p) != sha:
                return False
        return True

    def record(self, key: str, inputs: str, outputs: Iterable[Path]) -> None:
        out = {}
        for p in outputs:
            st = p.stat()
            out[p.as_posix()] = (file_digest(p), st.st_size, st.st_mtime_ns)
        self._db.execute(
            "INSERT OR REPLACE INTO steps (key, inputs, outputs) VALUES (?, ?, ?)", (key, inputs, json.dumps(out))
        )

    def forget(self, key: str) -> None:
        self._db.execute("DELETE FROM steps WHERE key = ?", (key,))

    def outputs(self, key: str) -> dict[str, str]:
        row = self._db.execute("SELECT outputs FROM steps WHERE key = ?", (key,)).fetchone()
        return {k: v[0] for k, v in json.loads(row[0]).items()} if row else {}
