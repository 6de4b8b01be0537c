"""Translation memory: every confirmed translation of every catalog, offered to the others.

In: translated, non-fuzzy entries (msgctxt, msgid, msgstr) per locale, each
with its origin (the domain it comes from, or an outside ``.tmx`` file).
Out: untranslated entries of a catalog filled as drafts, never a msgstr
overwritten:

* an **exact** match (same locale, same msgctxt, same msgid, from another
  domain) is filled and marked ``fuzzy`` with a translator note ``# tm:
  <origin>``: translators confirm it, as they would a msgmerge suggestion;
* a **close** match (>= :data:`TM_THRESHOLD` percent, rapidfuzz's Indel
  similarity, msgmerge's measure) is filled ``fuzzy`` with the memory's source
  as the ``#|`` previous msgid, so an editor shows what changed, and the same note.

Lookups are indexed: exact matches through a dict, close ones through
:class:`pipeline.catalogs.merge.FuzzyMatcher` (an inverted index of words and
character bigrams) built once per locale and context, on first use.
:class:`ProjectMemory` reads a project's catalogs of a locale only when a
catalog of that locale has something to fill.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from pipeline.catalogs import poparse
from pipeline.catalogs.merge import FuzzyMatcher
from pipeline.config import UI_DOMAIN, Config

log = logging.getLogger("pipeline")

TM_THRESHOLD = 80.0  # percent: below, a suggestion costs a translator more than it saves
NOTE_PREFIX = "tm: "
Key = tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class Match:
    msgstr: str
    msgid: str  # the memory's source, shown as ``#|`` for a close match
    msgctxt: str | None
    origin: str
    exact: bool


def is_plain_translated(entry: polib.POEntry) -> bool:
    """A confirmed singular translation: what the memory keeps."""
    return bool(entry.msgstr) and not entry.msgid_plural and not entry.obsolete and "fuzzy" not in entry.flags


def needs_translation(entry: polib.POEntry) -> bool:
    """An entry the memory may fill: singular, live, without a translation."""
    return bool(entry.msgid) and not entry.msgid_plural and not entry.obsolete and not entry.msgstr


class TranslationMemory:
    """Confirmed translations by locale; exact lookups by key, close ones through an index."""

    def __init__(self) -> None:
        self._exact: dict[str, dict[Key, list[Match]]] = defaultdict(dict)
        self._pool: dict[tuple[str, str | None], list[polib.POEntry]] = defaultdict(list)
        self._origin: dict[int, str] = {}  # id(pool entry) -> origin
        self._matchers: dict[tuple[str, str | None], FuzzyMatcher] = {}

    def add(self, locale: str, entry: polib.POEntry, origin: str) -> None:
        if not is_plain_translated(entry):
            return
        ctx = entry.msgctxt or None
        match = Match(entry.msgstr, entry.msgid, ctx, origin, True)
        self._exact[locale].setdefault((ctx, entry.msgid), []).append(match)
        pool_entry = polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, msgctxt=ctx)
        self._pool[(locale, ctx)].append(pool_entry)
        self._origin[id(pool_entry)] = origin
        self._matchers.pop((locale, ctx), None)

    def add_catalog(self, locale: str, po: Iterable[polib.POEntry], origin: str) -> None:
        for entry in po:
            self.add(locale, entry, origin)

    def __len__(self) -> int:
        return sum(len(v) for v in self._pool.values())

    def lookup(self, locale: str, msgctxt: str | None, msgid: str, *, exclude: str | None = None) -> Match | None:
        """The exact match from another origin than ``exclude``, else the closest one at or above the threshold."""
        ctx = msgctxt or None
        for match in self._exact.get(locale, {}).get((ctx, msgid), []):
            if match.origin != exclude:
                return match
        pool = self._pool.get((locale, ctx))
        if not pool:
            return None
        matcher = self._matchers.get((locale, ctx))
        if matcher is None:
            matcher = self._matchers[(locale, ctx)] = FuzzyMatcher(pool)
        near = matcher.best(msgid, ctx, threshold=TM_THRESHOLD)
        if near is None or near.msgid == msgid:
            return None  # an exact match from the excluded origin only: that catalog's own business
        origin = self._origin[id(near)]
        if origin == exclude:
            return None
        return Match(near.msgstr, near.msgid, ctx, origin, False)


def fill_from_memory(po: polib.POFile, memory: TranslationMemory, locale: str, *, origin: str | None = None) -> int:
    """Fill ``po``'s untranslated entries from ``memory`` as fuzzy drafts; returns how many were filled.

    ``origin``: the catalog's own domain, whose entries are not memory for it.
    """
    filled = 0
    for entry in po:
        if not needs_translation(entry):
            continue
        match = memory.lookup(locale, entry.msgctxt, entry.msgid, exclude=origin)
        if match is None:
            continue
        entry.msgstr = match.msgstr
        if "fuzzy" not in entry.flags:
            entry.flags = ["fuzzy", *entry.flags]
        note = NOTE_PREFIX + match.origin
        lines = entry.tcomment.split("\n") if entry.tcomment else []
        if note not in lines:
            entry.tcomment = "\n".join([*lines, note])
        if not match.exact:
            entry.previous_msgid = match.msgid
            entry.previous_msgctxt = match.msgctxt
        filled += 1
    return filled


class ProjectMemory:
    """The memory of a project's catalogs, read per locale on first need (one run of ``translate``).

    ``catalogs(locale)`` lists ``(domain, path)``; a catalog that cannot be read
    is left out of the memory (``translate`` reports it where it merges it).
    """

    def __init__(self, catalogs: dict[str, list[tuple[str, Path]]]) -> None:
        self._catalogs = catalogs
        self._memory = TranslationMemory()
        self._loaded: set[str] = set()

    def _load(self, locale: str) -> None:
        if locale in self._loaded:
            return
        self._loaded.add(locale)
        for domain, path in self._catalogs.get(locale, []):
            try:
                data = path.read_bytes()
                po = poparse.parse(data, path.as_posix()) or polib.pofile(data.decode("utf-8"), wrapwidth=0)
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            self._memory.add_catalog(locale, po, domain)
        log.info("translation memory for %s: %d segment(s)", locale, len(self._memory))

    def fill(self, po: polib.POFile, locale: str, domain: str) -> int:
        """Fill ``po`` (the catalog of ``domain`` about to be written) from the other catalogs of ``locale``."""
        if not any(needs_translation(e) for e in po):
            return 0
        self._load(locale)
        return fill_from_memory(po, self._memory, locale, origin=domain)


def project_memory(config: Config) -> ProjectMemory:
    """The memory of every brief's catalog (the templates' ``pipeline-ui`` domain is not a document)."""
    catalogs: dict[str, list[tuple[str, Path]]] = {}
    for locale in config.locales:
        folder = config.po_path(locale, "x").parent
        catalogs[locale] = [(p.stem, p) for p in sorted(folder.glob("*.po")) if p.stem != UI_DOMAIN]
    return ProjectMemory(catalogs)
