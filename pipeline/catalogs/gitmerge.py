"""A git merge driver for catalogs: both sides' translations survive a merge.

In: the three versions git hands a merge driver (``%O`` the common ancestor,
``%A`` ours, ``%B`` theirs).  Out: the merged catalog written over ``%A``, in
``%A``'s own layout (:mod:`pipeline.catalogs.preserve`), and the list of
entries both sides translated differently.

Entries are matched by (msgctxt, msgid) and merged part by part (the
translation, the translator's comments, the flags, the template's parts):
a part one side changed takes that side's value.  When both sides changed the
same translation differently, ours is kept, the entry is marked fuzzy, and
theirs is written under it as a translator comment (``# merge: theirs: ...``):
nothing is dropped, and a translator settles it.  An entry one side added is
kept; one side's deletion wins only over an entry the other side left as it
was, and a translation made on an entry the other side removed moves to the
fuzzy entry whose ``#|`` names it (what ``translate`` makes of a changed
sentence), or stays obsolete: it is never revived as a live entry.  Header
fields merge the same way; on a conflict the later date wins for ``*-Date``
fields, ours for the others.

Set up (docs/translating.md, "Merging catalogs")::

    git config merge.pipeline-po.name "gettext catalogs: keep both sides' translations"
    git config merge.pipeline-po.driver "python -m pipeline merge-driver %O %A %B %P"
    echo 'locale/**/*.po merge=pipeline-po' >> .gitattributes
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import polib

from pipeline.catalogs.merge import Key, key_of
from pipeline.catalogs.pofile import read_po, write_po
from pipeline.model import MERGE_THEIRS

THEIRS = MERGE_THEIRS  # the translator-comment line that carries the other side's translation


@dataclass
class MergeResult:
    conflicts: list[str] = field(default_factory=list)  # msgids both sides translated differently


Strings = tuple[str, tuple[tuple[int, str], ...]]


def _strings(e: polib.POEntry) -> Strings:
    return e.msgstr, tuple(sorted(e.msgstr_plural.items()))


def _translated_strings(strings: Strings) -> bool:
    return bool(strings[0] or any(v for _, v in strings[1]))


Template = tuple[str, str, tuple[tuple[str, str], ...], str | None, str | None, bool]


def _template(e: polib.POEntry) -> Template:
    """The parts ``translate`` writes from the template (and the obsolete state)."""
    occurrences = tuple((str(f), str(n)) for f, n in e.occurrences)
    return (e.msgid_plural, e.comment, occurrences, e.previous_msgid, e.previous_msgctxt, bool(e.obsolete))


_T = TypeVar("_T")


def _pick(base: _T, ours: _T, theirs: _T) -> tuple[_T, bool]:
    """The 3-way choice of one part; the bool says both sides changed it differently."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    return ours, True


def _translated(e: polib.POEntry) -> bool:
    return bool(e.msgstr or any(e.msgstr_plural.values()))


def _merge_entry(base: polib.POEntry | None, ours: polib.POEntry, theirs: polib.POEntry, result: MergeResult) -> None:
    """Merge ``theirs`` into ``ours`` in place."""
    if base is None:  # both sides added it: treat as if neither had anything
        base = polib.POEntry(msgid=ours.msgid, msgctxt=ours.msgctxt)
    strings, clash = _pick(_strings(base), _strings(ours), _strings(theirs))
    emptied = False
    if clash and not _translated(theirs):
        strings, clash = _strings(ours), False
    elif clash and not _translated(ours):
        strings, clash = _strings(theirs), False
    elif not _translated_strings(strings) and (_translated(ours) or _translated(theirs)):
        # One side emptied a translation: it is kept, fuzzy, for a translator to decide.
        strings, emptied = (_strings(ours) if _translated(ours) else _strings(theirs)), True
    ours.msgstr, ours.msgstr_plural = strings[0], dict(strings[1])
    tcomment, both = _pick(base.tcomment, ours.tcomment, theirs.tcomment)
    if both:  # both sides changed the translator's comments: keep every line of both
        lines = ours.tcomment.split("\n") if ours.tcomment else []
        lines += [ln for ln in (theirs.tcomment.split("\n") if theirs.tcomment else []) if ln not in lines]
        tcomment = "\n".join(lines)
    ours.tcomment = str(tcomment)
    fuzzy, _ = _pick("fuzzy" in base.flags, "fuzzy" in ours.flags, "fuzzy" in theirs.flags)
    others, _ = _pick(
        [f for f in base.flags if f != "fuzzy"],
        [f for f in ours.flags if f != "fuzzy"],
        [f for f in theirs.flags if f != "fuzzy"],
    )
    template, _ = _pick(_template(base), _template(ours), _template(theirs))
    (
        ours.msgid_plural,
        ours.comment,
        occurrences,
        ours.previous_msgid,
        ours.previous_msgctxt,
        ours.obsolete,
    ) = template
    ours.occurrences = list(occurrences)
    flags = list(others)
    if clash:
        values = [theirs.msgstr] if not theirs.msgstr_plural else [v for _, v in sorted(theirs.msgstr_plural.items())]
        note = "\n".join(THEIRS + v.replace("\n", "\\n") for v in values)
        ours.tcomment = f"{ours.tcomment}\n{note}" if ours.tcomment else note
        fuzzy = True
        result.conflicts.append(ours.msgid)
    if emptied:
        fuzzy = True
    ours.flags = (["fuzzy"] if fuzzy else []) + flags


_LATEST = ("POT-Creation-Date", "PO-Revision-Date")


def _merge_header(base: polib.POFile, ours: polib.POFile, theirs: polib.POFile) -> None:
    meta = dict(ours.metadata)
    for name in list(dict.fromkeys([*ours.metadata, *theirs.metadata, *base.metadata])):
        b, o, t = base.metadata.get(name), ours.metadata.get(name), theirs.metadata.get(name)
        value, clash = _pick(b, o, t)
        if clash and name in _LATEST and o is not None and t is not None:
            value = max(o, t)
        if value is None:
            meta.pop(name, None)
        else:
            meta[name] = str(value)
    ours.metadata = meta


def merge_files(base_path: Path, ours_path: Path, theirs_path: Path, shown: str | None = None) -> MergeResult:
    """Merge ``theirs_path`` and ``base_path`` into ``ours_path`` (rewritten in its own layout)."""
    shown = shown or ours_path.as_posix()
    old = ours_path.read_bytes()
    base = read_po(base_path, f"{shown} (common ancestor)") if base_path.stat().st_size else polib.POFile()
    ours = read_po(ours_path, f"{shown} (ours)", data=old)
    theirs = read_po(theirs_path, f"{shown} (theirs)")
    result = MergeResult()
    before = read_po(ours_path, shown, validated=True, data=old)  # untouched, for the layout
    _merge_header(base, ours, theirs)
    base_by: dict[Key, polib.POEntry] = {key_of(e): e for e in base}
    ours_by: dict[Key, polib.POEntry] = {key_of(e): e for e in ours}
    theirs_by: dict[Key, polib.POEntry] = {key_of(e): e for e in theirs}
    merged: list[polib.POEntry] = []
    orphans: list[tuple[polib.POEntry, polib.POEntry, str]] = []  # (base, the side's entry, side)
    for e in ours:
        k = key_of(e)
        t = theirs_by.get(k)
        if t is not None:
            _merge_entry(base_by.get(k), e, t, result)
        elif k in base_by:
            if not _same(base_by[k], e):  # theirs deleted (or renamed) it, ours changed it
                orphans.append((base_by[k], e, "ours"))
            continue
        merged.append(e)
    # Theirs' additions, each after the entry it follows in theirs.
    position = {key_of(e): i for i, e in enumerate(merged)}
    inserts: list[tuple[int, int, polib.POEntry]] = []
    anchor = -1
    for j, e in enumerate(theirs):
        k = key_of(e)
        if k in ours_by:
            anchor = position.get(k, anchor)
            continue
        if k in base_by:
            if not _same(base_by[k], e):  # ours deleted (or renamed) it, theirs changed it
                orphans.append((base_by[k], e, "theirs"))
            continue
        inserts.append((anchor, j, e))
    for anchor, _, e in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        merged.insert(anchor + 1, e)
    for base_entry, e, side in orphans:
        _rehome(base_entry, e, side, merged, result)
    out = polib.POFile(wrapwidth=0)
    out.header, out.metadata, out.metadata_is_fuzzy = ours.header, ours.metadata, ours.metadata_is_fuzzy
    live = [e for e in merged if not e.obsolete]
    out.extend(live + [e for e in merged if e.obsolete])
    write_po(out, ours_path, old=old, old_po=before)
    return result


def _rehome(base: polib.POEntry, e: polib.POEntry, side: str, merged: list[polib.POEntry], result: MergeResult) -> None:
    """A translation one side made on an entry the other side removed: never revived as a live entry.

    When ``translate`` changed a sentence, its entry lives on as the fuzzy entry whose ``#|``
    names the old msgid: the translation goes there (in place of the copy the merge made of
    the old one, or as a ``# merge:`` note beside another).  Otherwise it is kept obsolete (``#~``).
    """
    key = key_of(e)
    successor = next(
        (m for m in merged if not m.obsolete and m.previous_msgid is not None
         and (m.previous_msgctxt or None, m.previous_msgid) == key),
        None,
    )  # fmt: skip
    if successor is None:
        if not _translated(e) and not e.tcomment:
            return  # nothing a translator made is lost
        gone = polib.POEntry(
            msgid=e.msgid, msgctxt=e.msgctxt, msgid_plural=e.msgid_plural, msgstr=e.msgstr,
            msgstr_plural=dict(e.msgstr_plural), tcomment=e.tcomment, flags=list(e.flags), obsolete=True,
        )  # fmt: skip
        merged.append(gone)
        return
    if not _translated(e) or _strings(e) == _strings(successor):
        return
    if not _translated(successor) or _strings(successor) == _strings(base):
        successor.msgstr, successor.msgstr_plural = e.msgstr, dict(e.msgstr_plural)
        if "fuzzy" not in successor.flags:
            successor.flags = ["fuzzy", *successor.flags]  # made for the old sentence: a translator confirms
        return
    values = [e.msgstr] if not e.msgstr_plural else [v for _, v in sorted(e.msgstr_plural.items())]
    note = "\n".join(f"merge: {side}: " + v.replace("\n", "\\n") for v in values)
    successor.tcomment = f"{successor.tcomment}\n{note}" if successor.tcomment else note
    if "fuzzy" not in successor.flags:
        successor.flags = ["fuzzy", *successor.flags]
    result.conflicts.append(successor.msgid)


def _same(a: polib.POEntry, b: polib.POEntry) -> bool:
    return (
        _strings(a) == _strings(b)
        and a.tcomment == b.tcomment
        and sorted(a.flags) == sorted(b.flags)
        and _template(a) == _template(b)
    )
