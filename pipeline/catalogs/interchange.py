"""Catalogs <-> the files CAT tools exchange: TMX translation memories and XLIFF, through translate-toolkit.

TMX (:func:`export_tmx`, :func:`read_tmx`): TMX 1.4b, translate-toolkit's
``tmxfile``, one ``tu`` per confirmed translation (msgctxt as its context,
what OmegaT, Trados and memoQ import).  Importing fills untranslated entries
only, as fuzzy drafts with a ``# tm: <file>`` note
(:func:`pipeline.catalogs.memory.fill_from_memory`): it never overwrites a msgstr.

XLIFF (:func:`export_xliff`, :func:`merge_xliff`): XLIFF 1.2, through
translate-toolkit's ``PoXliffFile`` (the class of its ``po2xliff``), one
``<file>`` per catalog.  Why 1.2 and not 2.1: the PO model maps onto 1.2's
vocabulary that CAT tools agree on (plurals as ``x-gettext-plurals`` groups,
``approved`` / ``state`` for fuzzy, ``note from="developer"`` for ``#.``,
context groups for ``#:`` and msgctxt), translate-toolkit's PO<->XLIFF code
speaks only 1.x, and OmegaT's, Trados's and memoQ's XLIFF filters all read 1.2,
while 2.x support is partial in OmegaT and 2.x has no plural convention.
Merging a file back matches units by (msgctxt, msgid) and never loses a
translation: an empty target changes nothing; a unit whose msgid is no longer
in the catalog is reported, never dropped silently and never written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from translate.misc.multistring import multistring
from translate.storage.poxliff import PoXliffFile
from translate.storage.tmx import tmxfile

from pipeline.catalogs.memory import TranslationMemory, fill_from_memory, is_plain_translated
from pipeline.catalogs.pofile import read_po, write_po
from pipeline.config import Config
from pipeline.lang import bcp47, best_tag

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
MSGCTXT = "x-po-msgctxt"  # context-type of the msgctxt (XLIFF 1.2 allows x- types)


_XLIFF_11_ROOT = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">'
_XLIFF_12_ROOT = f'<xliff xmlns="{XLIFF_NS}" version="1.2">'.encode()


def _as_12(data: bytes) -> bytes:
    """translate-toolkit declares its PO-flavoured XLIFF as 1.1; the markup is valid 1.2, so declare that.

    (Its plural sub-units are built with the 1.1 namespace, so a 1.2 subclass would break them.)
    """
    if _XLIFF_11_ROOT not in data:
        raise ValueError("translate-toolkit wrote an XLIFF root this module does not know")
    return data.replace(_XLIFF_11_ROOT, _XLIFF_12_ROOT, 1)


# --- TMX ------------------------------------------------------------------------------


def export_tmx(catalogs: Iterable[tuple[str, str, polib.POFile]], *, source_language: str = "en") -> bytes:
    """``(locale, domain, catalog)`` -> TMX 1.4b bytes: every confirmed singular translation, once."""
    store = tmxfile(sourcelanguage=bcp47(source_language))
    seen: set[tuple[str, str | None, str, str]] = set()
    for locale, _domain, po in catalogs:
        lang = bcp47(locale)
        src = bcp47(po.metadata.get("X-Source-Language") or source_language)  # a Chinese source's units: zh
        for e in po:
            if not is_plain_translated(e) or not e.msgid:
                continue
            key = (lang, e.msgctxt or None, e.msgid, e.msgstr)
            if key in seen:
                continue
            seen.add(key)
            store.addtranslation(e.msgid, src, e.msgstr, lang, context=e.msgctxt or None)
    return bytes(store)


def read_tmx(data: bytes, locales: list[str], origin: str, *, source_language: str = "en") -> TranslationMemory:
    """A TMX file's translation units as a memory for ``locales`` (language tags matched as the glossary's)."""
    store = tmxfile.parsestring(data)
    memory = TranslationMemory()
    for unit in store.units:
        nodes = unit.getlanguageNodes()
        tags = [n.get("{http://www.w3.org/XML/1998/namespace}lang") or n.get("lang") or "" for n in nodes]
        declared = unit.xmlelement.get("srclang")  # a unit of a Chinese source says zh-Hans
        src = declared if declared in tags else best_tag(source_language, tags)
        if src is None:
            continue
        source = unit.getNodeText(nodes[tags.index(src)])
        context = unit.getcontext() or None
        for locale in locales:
            tag = best_tag(locale, [t for t in tags if t != src])
            if tag is None:
                continue
            target = unit.getNodeText(nodes[tags.index(tag)])
            if source and target:
                memory.add(locale, polib.POEntry(msgid=source, msgstr=target, msgctxt=context), origin)
    return memory


# --- XLIFF ----------------------------------------------------------------------------


def _unit_id(entry: polib.POEntry) -> str:
    key = f"{entry.msgctxt or ''}\x04{entry.msgid}".encode()
    return hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16]


def export_xliff(catalogs: Iterable[tuple[str, polib.POFile]], *, locale: str, source_language: str = "en") -> bytes:
    """``(original, catalog)`` pairs of one locale -> XLIFF 1.2 bytes, one ``<file>`` per catalog.

    Each live entry is a ``trans-unit`` (a plural entry, a group of them): its
    msgctxt and ``#:`` references as context groups, ``#.`` as a developer note,
    ``#`` as a translator note, fuzzy as ``approved="no"``, and the ``#|``
    previous msgid as an ``alt-trans`` of origin ``previous``.
    """
    store: Any = PoXliffFile(sourcelanguage=source_language, targetlanguage=locale)
    for original, po in catalogs:
        own = po.metadata.get("X-Source-Language") or source_language  # each <file> says its source's language
        for e in po:
            if e.obsolete or not e.msgid:
                continue
            source: Any = multistring([e.msgid, e.msgid_plural]) if e.msgid_plural else e.msgid
            unit = store.addsourceunit(source, original, True)
            store.getfilenode(original).set("source-language", own)  # a new <file> copies the one before
            unit.setid(_unit_id(e))
            if e.msgid_plural:
                forms = [e.msgstr_plural[i] for i in sorted(e.msgstr_plural)]
                target: Any = multistring(forms) if any(forms) else None
            else:
                target = e.msgstr or None
            if target is not None:
                unit.target = target
                unit.markfuzzy("fuzzy" in e.flags)
            else:
                unit.markapproved(False)
            if e.msgctxt:
                unit.createcontextgroup("po-entry", [(MSGCTXT, e.msgctxt)], purpose="information")
            for path, line in e.occurrences:
                ctx = [("sourcefile", path)] + ([("linenumber", line)] if line else [])
                unit.createcontextgroup("po-reference", ctx, purpose="location")
            if e.comment:
                unit.addnote(e.comment, origin="developer")
            if e.tcomment:
                unit.addnote(e.tcomment, origin="translator")
            if e.previous_msgid and not e.msgid_plural:
                unit.addalttrans(e.msgstr, origin="previous", sourcetxt=e.previous_msgid)
    return _as_12(bytes(store))


@dataclass
class XliffMerge:
    updated: list[str] = field(default_factory=list)  # msgids whose translation or state changed
    unchanged: int = 0
    unmatched: list[tuple[str, str | None, str]] = field(default_factory=list)  # (original, msgctxt, msgid)
    unknown_files: list[str] = field(default_factory=list)  # <file original> that names no catalog

    @property
    def changed(self) -> bool:
        return bool(self.updated)


def _msgctxt(unit: Any) -> str | None:
    for group in unit.getcontextgroups("po-entry"):
        for kind, value in group:
            if kind == MSGCTXT:
                return str(value)
    return None


def _source(unit: Any) -> str:
    source = unit.source
    return str(source.strings[0]) if isinstance(source, multistring) else str(source)


def xliff_units(data: bytes) -> dict[str, list[Any]]:
    """The translation units of an XLIFF 1.x file by ``<file original>``."""
    store = PoXliffFile.parsestring(data)
    out: dict[str, list[Any]] = {}
    for unit in store.units:
        if unit.isheader():
            continue
        original = unit.getid().split("\x04", 1)[0] if "\x04" in unit.getid() else ""
        out.setdefault(original, []).append(unit)
    return out


def merge_xliff(po: polib.POFile, units: list[Any], original: str, report: XliffMerge) -> None:
    """Bring the units' translations and states into ``po`` (in place); see the module docstring."""
    by_key = {(e.msgctxt or None, e.msgid): e for e in po if not e.obsolete}
    for unit in units:
        msgid = _source(unit)
        ctx = _msgctxt(unit)
        entry = by_key.get((ctx, msgid))
        if entry is None:
            report.unmatched.append((original, ctx, msgid))
            continue
        target = unit.target
        if entry.msgid_plural:
            forms = [str(s) for s in target.strings] if isinstance(target, multistring) else [str(target or "")]
            if not any(forms):
                report.unchanged += 1
                continue
            new = {i: (forms[i] if i < len(forms) else "") for i in sorted(entry.msgstr_plural)}
            text_changed = new != dict(entry.msgstr_plural)
        else:
            text = str(target or "")
            if not text:
                report.unchanged += 1  # an empty target never erases a translation
                continue
            text_changed = text != entry.msgstr
        fuzzy = bool(unit.isfuzzy())
        if not text_changed and fuzzy == ("fuzzy" in entry.flags):
            report.unchanged += 1
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = new
        else:
            entry.msgstr = text
        if fuzzy and "fuzzy" not in entry.flags:
            entry.flags = ["fuzzy", *entry.flags]
        elif not fuzzy and "fuzzy" in entry.flags:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgctxt = None  # reviewed: the old source has done its job
        report.updated.append(msgid)


# --- a project's catalogs -------------------------------------------------------------


def project_catalogs(config: Config, locales: list[str], domains: list[str] | None = None) -> list[tuple[str, Path]]:
    """``(locale, path)`` of the catalogs on disk, by locale then domain."""
    out = []
    for locale in locales:
        folder = config.po_path(locale, "x").parent
        out += [(locale, p) for p in sorted(folder.glob("*.po")) if domains is None or p.stem in domains]
    return out


def export_project_tmx(config: Config, locales: list[str]) -> bytes:
    """Every confirmed translation of ``locales`` as one TMX file."""
    catalogs = [(loc, p.stem, read_po(p, config.rel(p))) for loc, p in project_catalogs(config, locales)]
    return export_tmx(catalogs)


@dataclass
class Filled:
    filled: dict[str, int] = field(default_factory=dict)  # catalog -> entries filled
    written: list[str] = field(default_factory=list)


def import_project_tmx(config: Config, path: Path, locales: list[str]) -> Filled:
    """Fill the untranslated entries of ``locales``' catalogs from a TMX file, as fuzzy drafts."""
    memory = read_tmx(path.read_bytes(), locales, path.name)
    result = Filled()
    for locale, po_path in project_catalogs(config, locales):
        shown = config.rel(po_path)
        po = read_po(po_path, shown)
        n = fill_from_memory(po, memory, locale)
        if n:
            result.filled[shown] = n
            if write_po(po, po_path):
                result.written.append(shown)
    return result


def export_project_xliff(config: Config, locale: str, domains: list[str] | None = None) -> bytes:
    """One locale's catalogs (or ``domains`` of them) as one XLIFF 1.2 file."""
    catalogs = [(config.rel(p), read_po(p, config.rel(p))) for _, p in project_catalogs(config, [locale], domains)]
    return export_xliff(catalogs, locale=locale)


def import_project_xliff(config: Config, data: bytes, locales: list[str]) -> tuple[XliffMerge, list[str]]:
    """Merge an XLIFF file back into the catalogs its ``<file original>`` names; the report and the files written."""
    report = XliffMerge()
    written = []
    known = {config.rel(p): p for _, p in project_catalogs(config, locales)}
    for original, units in sorted(xliff_units(data).items()):
        po_path = known.get(original)
        if po_path is None:
            report.unknown_files.append(original)
            report.unmatched += [(original, _msgctxt(u), _source(u)) for u in units]
            continue
        po = read_po(po_path, original)
        before = len(report.updated)
        merge_xliff(po, units, original, report)
        if len(report.updated) > before and write_po(po, po_path):
            written.append(original)
    return report, written
