"""Glossary interchange: ``locale/glossary.tbx`` <-> what Weblate and translate-toolkit read and write.

Out: :func:`export_tbx` writes the older TBX layout (``martif`` / ``termEntry``
/ ``langSet`` / ``tig``) through translate-toolkit's own ``tbxfile``, the
reader Weblate's glossaries use; :func:`export_csv` writes one locale's terms
as a CSV with translate-toolkit's column names (``source``, ``target``,
``context``, ``developer_comments``), which Weblate's "CSV file" format reads.
For one locale a TBX file holds two languages, the source and that locale:
Weblate maps a file to one target language (taken from the file name), so that
is the file to upload there.

In: :func:`import_glossary` reads a Weblate or translate-toolkit export (TBX of
either layout, or that CSV) and merges it into ``locale/glossary.tbx`` (TBX
2019): a concept is matched by its source terms; a language section the concept
lacks is added, a term it lacks too when the concept's terms of that language
agree; a term that contradicts the approved one is reported, never written.
Language tags are matched as :func:`pipeline.lang.best_tag` does (``zh_Hans``
finds ``zh-CN``).  The file keeps its comments and layout; writes are atomic.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from translate.storage.tbx import tbxfile

from pipeline.errors import ConfigError
from pipeline.files import atomic_write
from pipeline.lang import best_tag
from pipeline.qa.glossary import Concept, Glossary, Term, read_glossary

CSV_FIELDS = ("source", "target", "context", "developer_comments")
_STATUS_OUT = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts"}
_STATUS_OUT["deprecated"] = "deprecatedTerm-admn-sts"
_TBX2019 = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _targets(concept: Concept, locales: list[str] | None) -> list[tuple[str, tuple[Term, ...]]]:
    """``(tag, terms)`` of the languages to write: the chosen locales' sections, or all of them."""
    if locales is None:
        return list(concept.languages)
    tags = [t for t, _ in concept.languages]
    out = []
    for locale in locales:
        tag = best_tag(locale, tags)
        if tag is not None:
            out.append((tag, next(terms for t, terms in concept.languages if t == tag)))
    return out


def export_tbx(glossary: Glossary, *, source_language: str = "en", locales: list[str] | None = None) -> bytes:
    """The glossary as TBX ``martif`` (translate-toolkit's ``tbxfile``); ``locales``: only these targets."""
    store = tbxfile(sourcelanguage=source_language)
    for concept in glossary.concepts:
        source_tag = best_tag(source_language, [t for t, _ in concept.languages])
        if source_tag is None:
            continue
        source_terms = concept.terms(source_tag)
        targets = [(tag, terms) for tag, terms in _targets(concept, locales) if tag != source_tag and terms]
        if not source_terms or (locales is not None and not targets):
            continue
        unit = store.addsourceunit(source_terms[0].text)
        if concept.id:
            unit.setid(concept.id)
        unit.set_source_terms([t.text for t in source_terms], lang=source_tag)
        for tag, terms in targets:
            unit.set_target_terms([t.text for t in terms], lang=tag)
        for lang_set in unit.getlanguageNodes():
            terms = concept.terms(lang_set.get(_XML_LANG))
            for tig, term in zip(lang_set.findall(unit.namespaced("tig")), terms, strict=True):
                _term_notes(unit, tig, term)
    return bytes(store)


def _term_notes(unit: Any, tig: Any, term: Term) -> None:
    """TBX-Basic's term notes on a ``tig``: part of speech, then status (Weblate reads forbidden terms from it)."""
    notes = [("partOfSpeech", term.part_of_speech)] if term.part_of_speech else []
    notes.append(("administrativeStatus", _STATUS_OUT[term.status]))
    for kind, value in notes:
        node = etree.SubElement(tig, unit.namespaced("termNote"), type=kind)
        node.text = value


def export_csv(glossary: Glossary, locale: str, *, source_language: str = "en") -> bytes:
    """One locale's terms, one row per (source term, target term), as Weblate's CSV format reads them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for concept in glossary.concepts:
        source = [t for t in concept.terms(source_language) if t.status != "deprecated"]
        if not source:
            continue
        for term in concept.terms(locale):
            comments = [f"administrativeStatus: {term.status}"]
            if term.part_of_speech:
                comments.append(f"partOfSpeech: {term.part_of_speech}")
            writer.writerow(
                {
                    "source": source[0].text,
                    "target": term.text,
                    "context": concept.id,
                    "developer_comments": "; ".join(comments),
                }
            )
    return out.getvalue().encode("utf-8")


# --- import -------------------------------------------------------------------------


@dataclass
class ImportReport:
    added_concepts: list[str] = field(default_factory=list)  # source terms
    added_terms: list[str] = field(default_factory=list)  # "locale: source -> target"
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # terms that contradict the approved ones
    skipped: list[str] = field(default_factory=list)  # rows or entries without a usable language

    @property
    def changed(self) -> bool:
        return bool(self.added_concepts or self.added_terms)


def read_csv_glossary(path: Path, locale: str, *, source_language: str = "en") -> Glossary:
    """A CSV glossary (header ``source``, ``target``, optionally ``context``, ``developer_comments``)."""
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the glossary: {exc}", shown) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"source", "target"} <= set(reader.fieldnames):
        raise ConfigError("a CSV glossary needs a header with 'source' and 'target' columns", shown, 1)
    concepts: dict[str, tuple[int, list[Term], list[Term]]] = {}
    for row in reader:
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        if not source:
            continue
        notes = dict(
            part.partition(": ")[::2] for part in (row.get("developer_comments") or "").split("; ") if ": " in part
        )
        term = Term(target, notes.get("administrativeStatus", "preferred"), notes.get("partOfSpeech", ""))
        key = (row.get("context") or "").strip() or source
        _, sources, targets = concepts.setdefault(key, (reader.line_num, [], []))
        if source not in [t.text for t in sources]:
            sources.append(Term(source, "preferred", term.part_of_speech))
        if target:
            targets.append(term)
    return Glossary(
        shown,
        tuple(
            Concept(key, line, ((source_language, tuple(s)), (locale, tuple(t))))
            for key, (line, s, t) in concepts.items()
        ),
    )


def read_any_glossary(path: Path, *, locale: str | None, source_language: str = "en") -> Glossary:
    """A glossary export: TBX (either layout) or CSV (which needs its ``locale``)."""
    if path.suffix.lower() == ".csv":
        if locale is None:
            raise ConfigError("a CSV glossary holds one language: name it with --locale", path.as_posix())
        return read_csv_glossary(path, locale, source_language=source_language)
    glossary = read_glossary(path)
    if locale is None:
        return glossary
    # A two-language export (Weblate's): its other language is the locale, whatever its tag says.
    # A file of more languages keeps its tags, matched to the locale as the glossary's are.
    renamed = []
    for c in glossary.concepts:
        tags = [t for t, _ in c.languages]
        source_tag = best_tag(source_language, tags)
        if len(tags) == 2 and source_tag is not None:
            c = Concept(c.id, c.line, tuple((t if t == source_tag else locale, terms) for t, terms in c.languages))
        renamed.append(c)
    return Glossary(glossary.path, tuple(renamed))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def merge_glossary(
    target_path: Path, incoming: Glossary, locales: list[str], *, source_language: str = "en"
) -> tuple[bytes, ImportReport]:
    """``target_path``'s bytes with ``incoming``'s new concepts and terms for ``locales``, and what changed."""
    report = ImportReport()
    current = read_glossary(target_path)
    data = target_path.read_bytes()
    tree = etree.parse(io.BytesIO(data), etree.XMLParser(remove_blank_text=False, resolve_entities=False))
    root = tree.getroot()
    ns = root.nsmap.get(None, "")
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    if ns != _TBX2019:
        raise ConfigError("imports merge into a TBX 2019 glossary (root <tbx>)", target_path.as_posix(), 1)
    by_id = {el.get("id"): el for el in root.iter(q("conceptEntry"))}
    by_source: dict[str, Concept] = {}
    for c in current.concepts:
        for t in c.terms(source_language):
            by_source.setdefault(_key(t.text), c)
    body = root.find(f"{q('text')}/{q('body')}")
    if body is None:
        raise ConfigError("the glossary has no <text><body>", target_path.as_posix(), 1)
    next_id = len(by_id) + 1
    for concept in incoming.concepts:
        source = concept.terms(source_language)
        if not source:
            report.skipped.append(concept.id or f"line {concept.line}")
            continue
        mine = next((by_source[_key(t.text)] for t in source if _key(t.text) in by_source), None)
        wanted = [(loc, concept.terms(loc)) for loc in locales]
        wanted = [(loc, tuple(t for t in terms if t.text)) for loc, terms in wanted]
        wanted = [(loc, terms) for loc, terms in wanted if terms]
        if mine is None:
            if not wanted:
                continue
            while f"c{next_id:03d}" in by_id:
                next_id += 1
            cid = f"c{next_id:03d}"
            entry = _append(body, q("conceptEntry"), {"id": cid}, depth=3)
            by_id[cid] = entry
            _lang_sec(entry, q, source_language, source, depth=4)
            for loc, terms in wanted:
                _lang_sec(entry, q, loc.replace("_", "-"), terms, depth=4)
            report.added_concepts.append(source[0].text)
            continue
        entry = by_id[mine.id]
        for loc, terms in wanted:
            tag = best_tag(loc, [t for t, _ in mine.languages])
            if tag is None:
                _lang_sec(entry, q, loc.replace("_", "-"), terms, depth=4)
                report.added_terms += [f"{loc}: {source[0].text} -> {t.text}" for t in terms]
                continue
            have = {_key(t.text): t for t in mine.terms(tag)}
            for t in terms:
                known = have.get(_key(t.text))
                if known is not None:
                    report.unchanged += 1
                elif t.status == "deprecated":
                    _add_term(entry, q, tag, t)
                    report.added_terms.append(f"{loc}: {source[0].text} -> {t.text} (deprecated)")
                else:
                    approved = " or ".join(x.text for x in have.values() if x.status != "deprecated")
                    report.conflicts.append(f"{loc}: {source[0].text}: {t.text!r} (approved: {approved})")
    return _splice(data, etree.tostring(root, encoding="UTF-8", xml_declaration=False)), report


def _splice(data: bytes, root_bytes: bytes) -> bytes:
    """The file's own prolog, root start tag and ending around lxml's serialisation of the root's content.

    lxml would reorder the root's attributes and join the root to a comment before it.
    """
    blanked = re.sub(rb"<!--.*?-->", lambda m: b" " * len(m.group()), data, flags=re.S)
    start = re.search(rb"<tbx[\s>][^>]*>", blanked)
    end = blanked.rfind(b"</tbx>")
    if start is None or end < 0:
        raise ConfigError("cannot find the <tbx> element")
    inner_start = root_bytes.index(b">") + 1
    inner_end = root_bytes.rindex(b"</")
    return data[: start.end()] + root_bytes[inner_start:inner_end] + data[end:]


def _indent(depth: int) -> str:
    return "\n" + "  " * depth


def _append(parent: Any, tag: str, attrib: dict[str, str], *, depth: int) -> Any:
    """A child element after the last one, indented as the file is (two spaces a level)."""
    children = list(parent)
    if children:
        children[-1].tail = _indent(depth)
    else:
        parent.text = _indent(depth)
    el = etree.SubElement(parent, tag, attrib)
    el.tail = _indent(depth - 1)
    return el


def _lang_sec(entry: Any, q: Any, tag: str, terms: tuple[Term, ...], *, depth: int) -> None:
    sec = _append(entry, q("langSec"), {_XML_LANG: tag}, depth=depth)
    for t in terms:
        _term_sec(sec, q, t, depth=depth + 1)


def _term_sec(sec: Any, q: Any, term: Term, *, depth: int) -> None:
    ts = _append(sec, q("termSec"), {}, depth=depth)
    _append(ts, q("term"), {}, depth=depth + 1).text = term.text
    if term.part_of_speech:
        _append(ts, q("termNote"), {"type": "partOfSpeech"}, depth=depth + 1).text = term.part_of_speech
    _append(ts, q("termNote"), {"type": "administrativeStatus"}, depth=depth + 1).text = _STATUS_OUT[term.status]


def _add_term(entry: Any, q: Any, tag: str, term: Term) -> None:
    sec = next(s for s in entry.iter(q("langSec")) if s.get(_XML_LANG) == tag)
    _term_sec(sec, q, term, depth=5)


def import_glossary(
    target_path: Path, incoming: Glossary, locales: list[str], *, source_language: str = "en", dry_run: bool = False
) -> ImportReport:
    """Merge ``incoming`` into the project glossary at ``target_path`` and write it when something was added."""
    data, report = merge_glossary(target_path, incoming, locales, source_language=source_language)
    if report.changed and not dry_run:
        atomic_write(target_path, data)
    return report
