"""Translation memory: every confirmed translation of every catalog, offered to the others.

In: translated, non-fuzzy entries (msgctxt, msgid, msgstr) per locale, each
with its origin (the domain it comes from, or an outside ``.tmx`` file).
Out: untranslated entries of a catalog filled as drafts, never a msgstr
overwritten:

* an **exact** match (same locale, same msgctxt, same msgid, from another
  domain) is filled and marked ``fuzzy`` with a translator note ``# tm:
  <origin>``: translators confirm it, as they would a msgmerge suggestion
  (``translate --tm-exact-final``: accepted as translated, as msgmerge's
  compendium does);
* a **close** match (>= :data:`TM_THRESHOLD` percent, rapidfuzz's Indel
  similarity, msgmerge's measure) is filled ``fuzzy`` with the memory's source
  as the ``#|`` previous msgid, so an editor shows what changed, and the same note.

:class:`TranslationMemory` holds a memory in the process (a TMX file's):
exact matches through a dict, close ones through
:class:`pipeline.catalogs.merge.FuzzyMatcher` (an inverted index of words and
character bigrams) over the source sentences, shared by every locale.  The
project's own memory lives on disk, in step with its catalogs:
:mod:`pipeline.catalogs.memorystore`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import polib

from pipeline.catalogs import poparse
from pipeline.catalogs.merge import FuzzyMatcher

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


class _Sentence:
    """A source sentence of the memory, as :class:`FuzzyMatcher` reads an entry (lighter than a POEntry)."""

    __slots__ = ("msgctxt", "msgid", "msgstr", "msgstr_plural")

    def __init__(self, msgid: str, msgctxt: str | None) -> None:
        self.msgid, self.msgctxt, self.msgstr, self.msgstr_plural = msgid, msgctxt, "x", None


class TranslationMemory:
    """Confirmed translations by locale; exact lookups by key, close ones through one index of the sources.

    The source sentences are the same in every locale, so the index of close
    matches is built once per msgctxt over the sentences any locale has
    translated; a hit counts in a locale when that locale has the sentence.
    """

    def __init__(self) -> None:
        self._exact: dict[str, dict[Key, list[Match]]] = defaultdict(dict)
        self._sentences: dict[str | None, dict[str, _Sentence]] = defaultdict(dict)
        self._matchers: dict[str | None, FuzzyMatcher] = {}
        self._count = 0

    def add(self, locale: str, entry: polib.POEntry, origin: str) -> None:
        if not is_plain_translated(entry):
            return
        self.add_segment(locale, entry.msgctxt or None, entry.msgid, entry.msgstr, origin)

    def add_segment(self, locale: str, ctx: str | None, msgid: str, msgstr: str, origin: str) -> None:
        """A confirmed translation of ``msgid`` into ``locale``, found in ``origin``."""
        self._exact[locale].setdefault((ctx, msgid), []).append(Match(msgstr, msgid, ctx, origin, True))
        self._count += 1
        sentences = self._sentences[ctx]
        if msgid not in sentences:
            sentences[msgid] = _Sentence(msgid, ctx)
            self._matchers.pop(ctx, None)

    def add_catalog(self, locale: str, po: Iterable[polib.POEntry], origin: str) -> None:
        for entry in po:
            self.add(locale, entry, origin)

    def __len__(self) -> int:
        return self._count

    def lookup(self, locale: str, msgctxt: str | None, msgid: str, *, exclude: str | None = None) -> Match | None:
        """The exact match from another origin than ``exclude``, else the closest one at or above the threshold."""
        ctx = msgctxt or None
        known = self._exact.get(locale, {})
        for match in known.get((ctx, msgid), []):
            if match.origin != exclude:
                return match
        if ctx not in self._sentences:
            return None
        matcher = self._matchers.get(ctx)
        if matcher is None:
            pool = list(self._sentences[ctx].values())
            matcher = self._matchers[ctx] = FuzzyMatcher(pool)
        for _, near in matcher.ranked(msgid, threshold=TM_THRESHOLD):
            if near.msgid == msgid:
                continue
            for match in known.get((ctx, near.msgid), []):
                if match.origin != exclude:
                    return Match(match.msgstr, near.msgid, ctx, match.origin, False)
        return None


class Memory(Protocol):
    """What :func:`fill_from_memory` asks: :class:`TranslationMemory`, or the project's store on disk."""

    def lookup(self, locale: str, msgctxt: str | None, msgid: str, *, exclude: str | None = None) -> Match | None: ...


def fill_from_memory(
    po: polib.POFile, memory: Memory, locale: str, *, origin: str | None = None, exact_final: bool = False
) -> int:
    """Fill ``po``'s untranslated entries from ``memory`` as fuzzy drafts; returns how many were filled.

    ``origin``: the catalog's own domain, whose entries are not memory for it.  ``exact_final``:
    an exact match is taken as a confirmed translation (not fuzzy), as msgmerge's compendium does;
    it keeps its ``# tm:`` note, so a reviser can still find it.
    """
    filled = 0
    for entry in po:
        if not needs_translation(entry):
            continue
        match = memory.lookup(locale, entry.msgctxt, entry.msgid, exclude=origin)
        if match is None:
            continue
        entry.msgstr = match.msgstr
        if "fuzzy" not in entry.flags and not (exact_final and match.exact):
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


Segment = tuple[str | None, str, str]  # msgctxt, msgid, msgstr


def catalog_segments(data: bytes, name: str = "") -> list[Segment]:
    """A catalog's confirmed singular translations; a catalog that does not parse has none."""
    try:
        po = poparse.parse(data, name) or polib.pofile(data.decode("utf-8"), wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError):
        return []
    return [(e.msgctxt or None, e.msgid, e.msgstr) for e in po if is_plain_translated(e) and e.msgid]
