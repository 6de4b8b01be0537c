"""Stage 5a, assemble: :class:`Document` + a locale's catalog -> bilingual view model.

In: the parsed source and its catalog for one target locale (read-only).  Out:
a :class:`Brief`, everything the templates show and nothing they compute: the
title block, the speaker turns, and per paragraph the source beside its
translation, the translation reassembled from its sentence segments.

A segment that is untranslated or fuzzy stays in the source language, as a
:class:`Piece` whose ``state`` says why, so the template can mark it and the
PDF can tag its language.  Coverage counts the document's distinct catalog
entries (title, outlet, speaker labels and sentences), as ``msgfmt
--statistics`` does; fuzzy entries are not translated.  Entries are judged by
:func:`pipeline.qa.stats.entry_state` and the percentage is
:func:`pipeline.qa.stats.coverage_percent`, so when the catalog is in step with
its source (``Coverage.in_step``) the figure is exactly
``catalog_stats(po).coverage``, the one ``stats``, ``check`` and the gate use.

In right-to-left translations, Latin words, numbers and URLs become
left-to-right runs (``<bdi>`` in HTML), so a phone number or a Latin name
never gets scrambled by the bidi algorithm.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polib

from pipeline.config import LAYOUTS as LAYOUTS
from pipeline.lang import bcp47, direction
from pipeline.model import (
    CTX_OUTLET,
    CTX_SPEAKER,
    CTX_SPEAKER_TITLE,
    CTX_TITLE,
    SPEECH,
    Document,
    Location,
)
from pipeline.qa.stats import coverage_percent, entry_state

TRANSLATED, UNTRANSLATED, FUZZY = "translated", "untranslated", "fuzzy"

_NO_SPACE_LANGS = {"zh", "ja"}  # scripts written without spaces between sentences

# A left-to-right run inside right-to-left text: Latin letters or ASCII digits,
# with what sits between them (spaces, + - / ( ) . , : % & @), e.g. a phone
# number "+86 (23) 6395-1234", "China.org.cn", "GDP", "3.5%".
_STRONG = r"A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_LTR_RUN = re.compile(rf"[+(]?[{_STRONG}](?:[{_STRONG}.,:/+()\-–&@%_'’ ]*[{_STRONG})%])?")


@dataclass(frozen=True, slots=True)
class Piece:
    """A span of displayed text in one language, with where it comes from."""

    text: str
    lang: str  # BCP 47
    state: str  # TRANSLATED, or UNTRANSLATED / FUZZY: then ``text`` is the source
    origin: Location
    runs: tuple[tuple[str, bool], ...] = ()  # (text, isolate as LTR): only in RTL text

    @property
    def marked(self) -> bool:
        return self.state != TRANSLATED


@dataclass(frozen=True, slots=True)
class Label:
    """A short text in both languages: title, outlet, speaker name or title."""

    source: str
    target: Piece


@dataclass(frozen=True, slots=True)
class Pair:
    number: int
    source: str
    target: tuple[Piece, ...]
    location: Location
    seps: tuple[str, ...] = ()  # what goes before each piece of ``target``
    spans: tuple[tuple[int, int], ...] = ()  # each sentence's (start, end) in ``source``, one per piece
    kind: str = SPEECH  # or a non-speech kind: "stage-direction", "section"

    @property
    def parts(self) -> tuple[tuple[str, Piece], ...]:
        return tuple(zip(self.seps or ("",) * len(self.target), self.target, strict=True))

    def source_sentences(self, first: int, last: int) -> str:
        """The source text of sentences ``first`` to ``last`` (exclusive), as the paragraph has them."""
        if not self.spans:
            return self.source
        return self.source[self.spans[first][0] : self.spans[last - 1][1]]


@dataclass(frozen=True, slots=True)
class Turn:
    number: int
    role: str | None  # "question", "answer", "host", "statement" or None
    speaker: Label | None
    speaker_title: Label | None
    pairs: tuple[Pair, ...]
    question: int | None = None  # an anonymous question's number (Q, 问): 1, 2, ...


@dataclass(frozen=True, slots=True)
class Coverage:
    translated: int
    fuzzy: int
    total: int
    missing: int = 0  # entries the document needs that the catalog lacks (``make translate`` not run since)
    unused: int = 0  # live catalog entries the document no longer has (likewise)

    @property
    def percent(self) -> float:
        return coverage_percent(self.translated, self.total)

    @property
    def in_step(self) -> bool:
        """Whether the catalog holds exactly the document's entries, as ``make translate`` leaves it."""
        return not self.missing and not self.unused


@dataclass(frozen=True, slots=True)
class Brief:
    slug: str
    locale: str  # gettext locale of the translation, e.g. zh_CN
    source_lang: str  # BCP 47
    target_lang: str
    source_dir: str  # "ltr" or "rtl"
    target_dir: str
    joiner: str  # between the sentences of a translated paragraph
    title: Label
    outlet: Label
    date: dt.date
    turns: tuple[Turn, ...]
    coverage: Coverage
    source_path: str

    @property
    def pairs(self) -> tuple[Pair, ...]:
        return tuple(p for t in self.turns for p in t.pairs)

    @property
    def marked_states(self) -> frozenset[str]:
        states = {pc.state for p in self.pairs for pc in p.target}
        states |= {self.title.target.state}
        return frozenset(states - {TRANSLATED})


def ltr_runs(text: str) -> tuple[tuple[str, bool], ...]:
    """``text`` cut into runs, the left-to-right ones flagged for isolation."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _LTR_RUN.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return tuple(out)


class _Lookup:
    """The catalog's live entries by (msgctxt, msgid); counts what the document uses."""

    def __init__(self, catalog: polib.POFile | None, catalog_path: str, source_lang: str, target_lang: str) -> None:
        self.entries = {(e.msgctxt, e.msgid): e for e in (catalog or []) if not e.obsolete}
        self.path = catalog_path
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.rtl = direction(target_lang) == "rtl"
        self.seen: dict[tuple[str | None, str], str] = {}

    def piece(self, msgid: str, where: Location, msgctxt: str | None = None) -> Piece:
        entry = self.entries.get((msgctxt, msgid))
        state = UNTRANSLATED if entry is None else entry_state(entry)
        self.seen[(msgctxt, msgid)] = state
        if state != TRANSLATED:
            return Piece(msgid, self.source_lang, state, where)
        assert entry is not None
        origin = Location(self.path, entry.linenum)
        runs = ltr_runs(entry.msgstr) if self.rtl else ()
        return Piece(entry.msgstr, self.target_lang, TRANSLATED, origin, runs)

    def coverage(self) -> Coverage:
        states = list(self.seen.values())
        missing = sum(1 for key in self.seen if key not in self.entries)
        unused = sum(1 for key in self.entries if key not in self.seen)
        return Coverage(states.count(TRANSLATED), states.count(FUZZY), len(states), missing, unused)


def _separator(before: Piece | None, piece: Piece, no_space: bool) -> str:
    """Sentences of Chinese or Japanese join without a space; two source-language ones with one."""
    if before is None:
        return ""
    if no_space and not (before.marked and piece.marked):
        return ""
    return " "


def bilingual_view(doc: Document, catalog: polib.POFile | None, locale: str, *, catalog_path: str = "") -> Brief:
    """The view model of ``doc`` translated into ``locale`` by ``catalog`` (None: nothing translated)."""
    source_lang, target_lang = bcp47(doc.language), bcp47(locale)
    look = _Lookup(catalog, catalog_path, source_lang, target_lang)
    title = Label(doc.title, look.piece(doc.title, doc.title_location, CTX_TITLE))
    outlet = Label(doc.outlet, look.piece(doc.outlet, doc.header_location, CTX_OUTLET))
    no_space = target_lang.split("-")[0] in _NO_SPACE_LANGS
    turns: list[Turn] = []
    number = 0
    for i, block in enumerate(doc.blocks, 1):
        sp = block.speaker
        speaker = speaker_title = None
        if sp is not None:
            where = sp.location or doc.header_location
            speaker = Label(sp.name, look.piece(sp.name, where, CTX_SPEAKER))
            if sp.title:
                speaker_title = Label(sp.title, look.piece(sp.title, where, CTX_SPEAKER_TITLE))
        pairs = []
        for para in block.paragraphs:
            number += 1
            target = tuple(look.piece(seg.text, seg.location, seg.context) for seg in para.segments)
            seps = tuple(_separator(a, b, no_space) for a, b in zip((None, *target), target, strict=False))
            spans = tuple((seg.start, seg.end) for seg in para.segments)
            pairs.append(Pair(number, para.text, target, para.location, seps, spans, para.kind))
        turns.append(Turn(i, sp.role if sp else None, speaker, speaker_title, tuple(pairs), block.number))
    return Brief(
        slug=doc.slug,
        locale=locale,
        source_lang=source_lang,
        target_lang=target_lang,
        source_dir=direction(source_lang),
        target_dir=direction(target_lang),
        joiner="" if no_space else " ",
        title=title,
        outlet=outlet,
        date=doc.date,
        turns=tuple(turns),
        coverage=look.coverage(),
        source_path=doc.path,
    )
