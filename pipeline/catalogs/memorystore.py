"""The project's translation memory on disk: ``.cache/memory.sqlite``, kept in step with the catalogs.

In: the catalogs of a locale (``(domain, path)``).  Out: :meth:`MemoryStore.lookup`,
the same answers as :class:`pipeline.catalogs.memory.TranslationMemory`, without
loading the memory into the process: a run of ``translate`` that adds one
source to a thousand asks the database for a few dozen sentences.

* ``catalogs``: each catalog's identity on disk (size, mtime, inode) and the
  sha256 of its bytes.  A catalog whose identity is unchanged is not read; one
  whose bytes are unchanged is not parsed; otherwise its translations are
  replaced.  A catalog that is gone takes its translations along.
* ``sentences``: every source sentence (msgctxt, msgid) once, for all locales,
  with its inverted index (``postings``: the words and character bigrams of
  :func:`pipeline.catalogs.merge.similarity_tokens`, with their document
  frequency in ``tokens``).
* ``translations``: (sentence, locale, msgstr, domain).

Close matches: the sentences sharing the most informative tokens with the
query (its :data:`RAREST` rarest tokens; tokens in more than :data:`COMMON` of
the sentences are left out, as in :class:`~pipeline.catalogs.merge.FuzzyMatcher`),
within the length that can
reach the threshold, translated in the locale, are scored with rapidfuzz.
Deleting the file costs one read of every catalog.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections import Counter
from pathlib import Path

import polib
from rapidfuzz import fuzz
from rapidfuzz import process as rf_process

from pipeline.catalogs.memory import TM_THRESHOLD, Match, catalog_segments, fill_from_memory, needs_translation
from pipeline.catalogs.merge import similarity_tokens
from pipeline.config import UI_DOMAIN, Config

log = logging.getLogger("pipeline")

COMMON = 0.08
TOP_K = 200
RAREST = 12  # query tokens counted, the rarest first: bounds the posting lists a lookup reads
SCHEMA = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalogs (
  path TEXT PRIMARY KEY, locale TEXT NOT NULL, domain TEXT NOT NULL, stat TEXT NOT NULL, sha TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
  id INTEGER PRIMARY KEY, ctx TEXT NOT NULL, msgid TEXT NOT NULL, length INTEGER NOT NULL, UNIQUE (ctx, msgid));
CREATE TABLE IF NOT EXISTS translations (
  sentence INTEGER NOT NULL, locale TEXT NOT NULL, msgstr TEXT NOT NULL, domain TEXT NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS translations_by_sentence ON translations (locale, sentence);
CREATE INDEX IF NOT EXISTS translations_by_path ON translations (path);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings (token TEXT NOT NULL, sentence INTEGER NOT NULL,
  PRIMARY KEY (token, sentence)) WITHOUT ROWID;
"""


def _stat(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_ctime_ns}"


class MemoryStore:
    """The sqlite memory; use as a context manager (commits and closes on exit)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.executescript(_TABLES)
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != str(SCHEMA):
            for table in ("catalogs", "sentences", "translations", "tokens", "postings"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        self._synced: set[str] = set()
        self._total: int | None = None  # sentences, counted once a run

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.commit()
        self._db.close()

    # --- keeping in step ---------------------------------------------------------------

    def sync(self, locale: str, catalogs: list[tuple[str, Path]]) -> int:
        """Bring ``locale``'s translations in step with its catalogs; returns how many catalogs were re-read."""
        db = self._db
        known = {
            p: (s, sha) for p, s, sha in db.execute("SELECT path, stat, sha FROM catalogs WHERE locale = ?", (locale,))
        }
        present = set()
        changed: list[tuple[str, str, str, str, list[tuple[str | None, str, str]]]] = []
        for domain, path in catalogs:
            key = path.as_posix()
            present.add(key)
            stat = _stat(path)
            old = known.get(key)
            if stat is None or (old is not None and old[0] == stat):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            sha = hashlib.sha256(data).hexdigest()
            if old is not None and old[1] == sha:
                db.execute("UPDATE catalogs SET stat = ? WHERE path = ?", (stat, key))
                continue
            changed.append((domain, key, stat, sha, catalog_segments(data, key)))
        gone = [(key,) for key in set(known) - present]
        db.executemany("DELETE FROM translations WHERE path = ?", gone + [(c[1],) for c in changed])
        db.executemany("DELETE FROM catalogs WHERE path = ?", gone)
        if changed:
            ids = self._sentence_ids({(ctx or "", msgid) for *_, segs in changed for ctx, msgid, _ in segs})
            db.executemany(
                "INSERT INTO translations VALUES (?, ?, ?, ?, ?)",
                [
                    (ids[(ctx or "", msgid)], locale, msgstr, domain, key)
                    for domain, key, _, _, segs in changed
                    for ctx, msgid, msgstr in segs
                ],
            )
            db.executemany(
                "INSERT OR REPLACE INTO catalogs VALUES (?, ?, ?, ?, ?)",
                [(key, locale, domain, stat, sha) for domain, key, stat, sha, _ in changed],
            )
        db.commit()
        self._synced.add(locale)
        return len(changed)

    def _sentence_ids(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Ids of these (msgctxt, msgid) sentences, adding the new ones with their postings."""
        db = self._db
        ids: dict[tuple[str, str], int] = {}
        for ctx, msgid in wanted:
            row = db.execute("SELECT id FROM sentences WHERE ctx = ? AND msgid = ?", (ctx, msgid)).fetchone()
            if row is not None:
                ids[(ctx, msgid)] = int(row[0])
        new = sorted(wanted - ids.keys())
        if not new:
            return ids
        self._total = None
        start = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM sentences").fetchone()[0]) + 1
        rows = [(start + i, ctx, msgid, len(msgid)) for i, (ctx, msgid) in enumerate(new)]
        db.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?)", rows)
        df: Counter[str] = Counter()
        postings = []
        for sid, _, msgid, _ in rows:
            toks = similarity_tokens(msgid)
            df.update(toks)
            postings += [(t, sid) for t in toks]
            ids[(rows[sid - start][1], msgid)] = sid
        db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)", postings)
        db.executemany(
            "INSERT INTO tokens VALUES (?, ?) ON CONFLICT (token) DO UPDATE SET df = df + excluded.df",
            sorted(df.items()),
        )
        return ids

    # --- asking ------------------------------------------------------------------------

    def lookup(self, locale: str, msgctxt: str | None, msgid: str, *, exclude: str | None = None) -> Match | None:
        """The exact match from another domain than ``exclude``, else the closest one at or above the threshold."""
        db = self._db
        ctx = msgctxt or ""
        row = db.execute(
            "SELECT t.msgstr, t.domain FROM sentences s JOIN translations t ON t.sentence = s.id"
            " WHERE s.ctx = ? AND s.msgid = ? AND t.locale = ? AND t.domain != ? ORDER BY t.domain LIMIT 1",
            (ctx, msgid, locale, exclude or ""),
        ).fetchone()
        if row is not None:
            return Match(row[0], msgid, msgctxt or None, row[1], True)
        toks = list(similarity_tokens(msgid))
        if not toks:
            return None
        if self._total is None:
            self._total = int(db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])
        total = self._total
        marks = ",".join("?" * len(toks))
        limit = max(16, int(total * COMMON))
        dfs = dict(db.execute(f"SELECT token, df FROM tokens WHERE token IN ({marks})", toks).fetchall())
        rare = [t for t in toks if 0 < dfs.get(t, 0) <= limit] or [t for t in toks if dfs.get(t)]
        if not rare:
            return None
        rare = sorted(rare, key=lambda t: (dfs[t], t))[:RAREST]  # a close match shares most of them
        n = len(msgid)
        lo, hi = int(n * TM_THRESHOLD / (200 - TM_THRESHOLD)), int(n * (200 - TM_THRESHOLD) / TM_THRESHOLD) + 1
        marks = ",".join("?" * len(rare))
        cands = db.execute(
            f"SELECT s.id, s.msgid FROM (SELECT sentence, COUNT(*) AS c FROM postings WHERE token IN ({marks})"
            f" GROUP BY sentence ORDER BY c DESC LIMIT {4 * TOP_K}) p JOIN sentences s ON s.id = p.sentence"
            " WHERE s.ctx = ? AND s.length BETWEEN ? AND ? AND s.msgid != ?"
            " AND EXISTS (SELECT 1 FROM translations t WHERE t.locale = ? AND t.sentence = s.id AND t.domain != ?)"
            " ORDER BY p.c DESC, s.id LIMIT ?",
            [*rare, ctx, lo, hi, msgid, locale, exclude or "", TOP_K],
        ).fetchall()
        if not cands:
            return None
        scores = rf_process.cdist([msgid], [c[1] for c in cands], scorer=fuzz.ratio, score_cutoff=TM_THRESHOLD)[0]
        best = max(range(len(cands)), key=lambda j: (scores[j], -cands[j][0]))
        if scores[best] < TM_THRESHOLD:
            return None
        sid, source = cands[best]
        row = db.execute(
            "SELECT msgstr, domain FROM translations WHERE locale = ? AND sentence = ? AND domain != ?"
            " ORDER BY domain LIMIT 1",
            (locale, sid, exclude or ""),
        ).fetchone()
        return Match(row[0], source, msgctxt or None, row[1], False)


class ProjectMemory:
    """The memory of a project's catalogs during one run of ``translate``: the store, synced per locale on first need.

    A catalog that cannot be read or parsed adds nothing (``translate`` reports it where it merges it).
    """

    def __init__(self, catalogs: dict[str, list[tuple[str, Path]]], path: Path, *, exact_final: bool = False) -> None:
        self._catalogs = catalogs
        self._path = path
        self._exact_final = exact_final
        self._store: MemoryStore | None = None

    def fill(self, po: polib.POFile, locale: str, domain: str) -> int:
        """Fill ``po`` (the catalog of ``domain`` about to be written) from the other catalogs of ``locale``."""
        if not any(needs_translation(e) for e in po):
            return 0
        if self._store is None:
            self._store = MemoryStore(self._path)
        if locale not in self._store._synced:
            reread = self._store.sync(locale, self._catalogs.get(locale, []))
            log.info("translation memory for %s: %d catalog(s) re-read", locale, reread)
        return fill_from_memory(po, self._store, locale, origin=domain, exact_final=self._exact_final)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def project_memory(config: Config, *, exact_final: bool = False) -> ProjectMemory:
    """The memory of every brief's catalog (the templates' ``pipeline-ui`` domain is not a document)."""
    catalogs: dict[str, list[tuple[str, Path]]] = {}
    for locale in config.locales:
        folder = config.po_path(locale, "x").parent
        catalogs[locale] = [(p.stem, p) for p in sorted(folder.glob("*.po")) if p.stem != UI_DOMAIN]
    return ProjectMemory(catalogs, config.root / ".cache" / "memory.sqlite", exact_final=exact_final)
