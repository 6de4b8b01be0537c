"""The build database: which outputs are up to date with which inputs.

Inputs are identified by content hash (sha256), never by timestamps; an
output is trusted when its recorded hash still matches (size and mtime only
spare re-reading an unchanged file, as git's index does).  SQLite keeps it in
one file, ``.cache/build.sqlite``; deleting it only costs a full rebuild.

Beside each step, a *note* (JSON) keeps what the step found out, so a run
that skips the step can still report it: the build keeps a brief's
publication decision, coverage and the digests of its inputs one by one (to
say why it was rebuilt).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pipeline.files import file_digest

SCHEMA = 1


def damaged(outputs: dict[str, list[object]]) -> str | None:
    """The first recorded output that is missing or changed since, or None when all are intact."""
    for name, (sha, size, mtime) in outputs.items():
        try:
            st = os.stat(name)  # noqa: PTH116 - names kept as strings: no Path per output in a no-op rebuild
        except FileNotFoundError:
            return name
        if st.st_size != size or (st.st_mtime_ns != mtime and file_digest(Path(name)) != sha):
            return name
    return None


class BuildDB:
    """Outputs are recorded relative to ``root`` (default: the folder above ``.cache/``), so a
    project copied or moved elsewhere keeps its database, and never trusts the old folder's files."""

    def __init__(self, path: Path, root: Path | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.root = root or path.parent.parent
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS steps (key TEXT PRIMARY KEY, inputs TEXT NOT NULL, outputs TEXT NOT NULL)"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS notes (key TEXT PRIMARY KEY, data TEXT NOT NULL)")

    def close(self) -> None:
        self._db.commit()
        self._db.close()

    def __enter__(self) -> BuildDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def commit(self) -> None:
        self._db.commit()

    def fresh(self, key: str, inputs: str) -> bool:
        """Whether step ``key`` ran with these inputs and its outputs are intact."""
        row = self._db.execute("SELECT inputs, outputs FROM steps WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] != inputs:
            return False
        return damaged(self._load(row[1])) is None

    def _store(self, p: Path) -> str:
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()

    def _load(self, outputs: str) -> dict[str, list[object]]:
        root = self.root.as_posix() + "/"  # plain strings: a no-op build reads tens of thousands of these
        return {name if name.startswith("/") else root + name: value for name, value in json.loads(outputs).items()}

    def record(self, key: str, inputs: str, outputs: Iterable[Path], known: dict[Path, str] | None = None) -> None:
        """Step ``key`` ran with ``inputs`` and wrote ``outputs`` (``known``: their sha256, when the caller has it)."""
        out = {}
        for p in outputs:
            st = p.stat()
            sha = (known or {}).get(p) or file_digest(p)
            out[self._store(p)] = (sha, st.st_size, st.st_mtime_ns)
        self._db.execute(
            "INSERT OR REPLACE INTO steps (key, inputs, outputs) VALUES (?, ?, ?)", (key, inputs, json.dumps(out))
        )

    def forget(self, key: str) -> None:
        self._db.execute("DELETE FROM steps WHERE key = ?", (key,))

    def steps(self, prefix: str) -> dict[str, tuple[str, dict[str, list[object]]]]:
        """Every step whose key starts with ``prefix``: key -> (inputs, outputs by absolute path), in one query."""
        rows = self._db.execute(
            "SELECT key, inputs, outputs FROM steps WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
        )
        return {key: (inputs, self._load(outputs)) for key, inputs, outputs in rows}

    def step(self, key: str) -> tuple[str, dict[str, list[object]]] | None:
        row = self._db.execute("SELECT inputs, outputs FROM steps WHERE key = ?", (key,)).fetchone()
        return (row[0], self._load(row[1])) if row else None

    def raw_steps(self, prefix: str) -> list[tuple[str, str, str]]:
        """(key, inputs, outputs as stored), sorted, unparsed: to digest the state of many steps at once."""
        return self._db.execute(
            "SELECT key, inputs, outputs FROM steps WHERE substr(key, 1, ?) = ? ORDER BY key", (len(prefix), prefix)
        ).fetchall()

    def raw_notes(self, prefix: str) -> dict[str, str]:
        rows = self._db.execute("SELECT key, data FROM notes WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
        return dict(rows.fetchall())

    def note(self, key: str, data: dict[str, object]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO notes (key, data) VALUES (?, ?)", (key, json.dumps(data, sort_keys=True))
        )

    def drop_note(self, key: str) -> None:
        self._db.execute("DELETE FROM notes WHERE key = ?", (key,))

    def notes(self, prefix: str) -> dict[str, dict[str, object]]:
        rows = self._db.execute("SELECT key, data FROM notes WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
        return {key: json.loads(data) for key, data in rows}

    def outputs(self, key: str) -> dict[str, str]:
        row = self._db.execute("SELECT outputs FROM steps WHERE key = ?", (key,)).fetchone()
        return {k: str(v[0]) for k, v in self._load(row[0]).items()} if row else {}
