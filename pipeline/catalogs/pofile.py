"""gettext catalog I/O: read with GNU gettext's judgement, write in its format.

Reading: ``msgfmt`` (the reference parser) decides whether a file is valid and
names the ``path:line`` of a syntax error, so a translator's slip or a
merge-conflict marker is reported the way gettext reports it; then
:mod:`pipeline.catalogs.poparse` (or polib, for what it leaves) loads the entries.

Writing: a new file is byte-identical to what gettext's own tools (and the
editors built on them) write; an existing one keeps its own bytes for every
entry the update does not change, whichever tool wrote it
(:mod:`pipeline.catalogs.preserve`): no diff noise for translators.
:func:`pipeline.catalogs.poformat.format_catalog` writes the bytes ``msgcat`` would, in
process; where libunistring cannot be loaded, polib serialises the entries and
GNU ``msgcat`` formats them.  gettext drops flags it does not know
(``#, no-numbers-check``); both paths keep them, so no flag is ever lost.  A
file whose content did not change except for its creation date is not
rewritten; writes go through a temporary file and an atomic rename.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Literal

import polib

from pipeline.catalogs import poformat, poparse, preserve
from pipeline.errors import CatalogError, ToolError
from pipeline.files import Snapshot, atomic_write, replace_unchanged

_CARRIER = "#  @pipeline-flags: "  # a translator comment msgcat keeps verbatim

_DATE_LINE = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"]*\\n"$', re.M)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ToolError(f"'{name}' not found: install GNU gettext (Debian: apt-get install gettext)")
    return found


def check_syntax(path: Path, shown: str | None = None, data: bytes | None = None) -> None:
    """Raise :class:`CatalogError` at the first syntax error gettext finds.

    ``data``: the file's bytes, already read: gettext checks exactly those (on its standard
    input), so what is checked is what is parsed, even if the file changes meanwhile.
    """
    shown = shown or path.as_posix()
    if data is None:
        proc = subprocess.run(
            [_tool("msgfmt"), "-o", os.devnull, path.as_posix()],
            capture_output=True,
            text=True,
            errors="replace",
        )
        name = path.as_posix()
        stderr = proc.stderr
    else:
        piped = subprocess.run([_tool("msgfmt"), "-o", os.devnull, "-"], input=data, capture_output=True)
        proc = subprocess.CompletedProcess(piped.args, piped.returncode)
        name = "<stdin>"
        stderr = piped.stderr.decode("utf-8", "replace")
    if proc.returncode == 0:
        return
    for raw in stderr.splitlines():
        m = re.match(rf"^{re.escape(name)}:(\d+)(?::\d+)?: (.*)$", raw)
        if m:
            raise CatalogError(f"{m.group(2)} (not overwritten; fix it and run again)", shown, int(m.group(1)))
    first = stderr.strip().splitlines()[:1]
    raise CatalogError(f"msgfmt rejects this file: {first[0] if first else 'unknown error'}", shown)


def valid_catalogs(paths: list[Path], chunk: int = 400) -> frozenset[Path]:
    """The catalogs GNU gettext reads without error, checked in a few ``msgcat`` runs.

    polib alone is too lenient (it silently drops an entry with an unterminated
    string), so gettext validates every file we read; one process for hundreds
    of files instead of one each.  A chunk with an error is left out whole:
    :func:`read_po` then checks its files one by one and names the bad line.
    """
    ok: set[Path] = set()
    for i in range(0, len(paths), chunk):
        part = paths[i : i + chunk]
        proc = subprocess.run(  # --more-than: msgcat reads every file but writes (almost) nothing out
            [
                _tool("msgcat"),
                "--use-first",
                "--more-than=1000000000",
                "-o",
                os.devnull,
                *[p.as_posix() for p in part],
            ],
            capture_output=True,
        )
        if proc.returncode == 0:
            ok.update(part)
    return frozenset(ok)


def read_po(
    path: Path, shown: str | None = None, *, validated: bool = False, data: bytes | None = None
) -> polib.POFile:
    """Load a catalog; a file gettext cannot parse is a :class:`CatalogError`.

    ``validated``: gettext already accepted the file (:func:`valid_catalogs`).
    ``data``: the file's bytes, already read (so what was hashed is what is parsed).
    """
    shown = shown or path.as_posix()
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CatalogError(f"cannot read: {exc.strerror or exc}", shown) from None
    if not validated:
        check_syntax(path, shown, data)
    try:
        po = poparse.parse(data, path.as_posix()) or _polib(data, path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        m = re.search(r"\(line (\d+)\)", str(exc))
        raise CatalogError(f"cannot parse: {exc}", shown, int(m.group(1)) if m else None) from None
    _recover_obsolete_previous(data.decode("utf-8", errors="replace"), po)
    return po


def _polib(data: bytes, path: Path) -> polib.POFile:
    """What poparse leaves to polib (another charset, rare forms), from the same bytes."""
    charset = polib.detect_encoding(data.decode("latin-1"))
    return polib.pofile(data.decode(charset), wrapwidth=0)


def parse_bytes(data: bytes) -> polib.POFile:
    """A catalog gettext has accepted, from its bytes (see :mod:`pipeline.catalogs.poparse`)."""
    return poparse.parse(data) or polib.pofile(data.decode("utf-8"), wrapwidth=0)


def compile_mo(data: bytes, shown: str) -> bytes:
    """A catalog gettext has accepted, compiled to ``.mo`` bytes (what :mod:`gettext` loads)."""
    if not data:
        return b""
    try:
        return bytes(parse_bytes(data).to_binary())
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot load translations: {exc}", shown) from None


_OBS_FIELD = re.compile(r'^#~(\|?) (msgctxt|msgid|msgid_plural) (".*")$')
_OBS_CONT = re.compile(r'^#~(\|?) (".*")$')


def _recover_obsolete_previous(text: str, po: polib.POFile) -> None:
    """Put back the ``#~|`` previous msgid of obsolete entries, which polib 1.2 drops on reading."""
    if "#~|" not in text:
        return
    found: dict[tuple[str | None, str], tuple[str | None, str | None]] = {}
    prev: dict[str, str] = {}
    cur: dict[str, str] = {}
    last: tuple[str, str] | None = None

    def flush() -> None:
        if prev and "msgid" in cur:
            found[(cur.get("msgctxt"), cur["msgid"])] = (prev.get("msgctxt"), prev.get("msgid"))
        prev.clear()
        cur.clear()

    for line in text.splitlines():
        m = _OBS_FIELD.match(line)
        if m:
            bar, field, value = m.groups()
            target = prev if bar else cur
            if bar and "msgid" in cur:
                flush()
            if not bar and field == "msgid" and "msgid" in cur:
                flush()
            target[field] = polib.unescape(value[1:-1])
            last = ("prev" if bar else "cur", field)
            continue
        m = _OBS_CONT.match(line)
        if m and last is not None:
            target = prev if last[0] == "prev" else cur
            target[last[1]] += polib.unescape(m.group(2)[1:-1])
            continue
        if line.startswith("#~ msgstr"):
            last = None
            continue
        if not line.startswith("#~"):
            flush()
            last = None
    flush()
    for entry in po:
        if entry.obsolete and not entry.previous_msgid:
            hit = found.get((entry.msgctxt or None, entry.msgid))
            if hit is not None:
                entry.previous_msgctxt, entry.previous_msgid = hit


def _carry_flags(po: polib.POFile) -> list[tuple[polib.POEntry, list[str], str]]:
    """Move unknown flags into a carrier comment; returns what to undo."""
    undo = []
    for entry in po:  # obsolete entries included
        unknown = [f for f in entry.flags if not poformat.is_known_flag(f)]
        if unknown:
            undo.append((entry, list(entry.flags), entry.tcomment))
            entry.flags = [f for f in entry.flags if poformat.is_known_flag(f)]
            line = _CARRIER[2:] + ", ".join(unknown)
            entry.tcomment = f"{entry.tcomment}\n{line}" if entry.tcomment else line
    return undo


def _restore_flags(text: str) -> str:
    """Put carried flags back onto the entry's ``#,`` line, where gettext keeps flags."""
    if _CARRIER not in text:
        return text
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        carried: list[str] = []
        prefix = ""
        kept = []
        for ln in lines:
            for pre in ("", "#~ "):
                if ln.startswith(pre + _CARRIER):
                    carried += [f.strip() for f in ln[len(pre + _CARRIER) :].split(",") if f.strip()]
                    prefix = pre
                    break
            else:
                kept.append(ln)
        if carried:
            flag_at = next((i for i, ln in enumerate(kept) if ln.startswith(prefix + "#, ")), None)
            if flag_at is not None:
                kept[flag_at] = kept[flag_at] + ", " + ", ".join(carried)
            else:
                at = next(
                    i
                    for i, ln in enumerate(kept)
                    if ln.startswith((prefix + "#|", prefix + "msgctxt", prefix + "msgid", "#~ msg", "#~|"))
                )
                kept.insert(at, prefix + "#, " + ", ".join(carried))
        out.append("\n".join(kept))
    return "\n\n".join(out)


def format_po(po: polib.POFile) -> bytes:
    """The catalog's bytes exactly as GNU msgcat writes them (plus unknown flags)."""
    if poformat.available():
        return poformat.format_catalog(po)
    return _format_with_msgcat(po)


def _format_with_msgcat(po: polib.POFile) -> bytes:
    """The fallback: polib serialises, ``msgcat`` formats, unknown flags are carried through."""
    undo = _carry_flags(po)
    wrapwidth, po.wrapwidth = po.wrapwidth, 0  # polib would re-wrap long comment lines
    try:
        raw = str(po)
    finally:
        po.wrapwidth = wrapwidth
        for entry, flags, tcomment in undo:
            entry.flags, entry.tcomment = flags, tcomment
    if not po.header:  # polib writes an empty header comment as a lone "#"
        raw = raw.removeprefix("#\n")
    proc = subprocess.run(
        [_tool("msgcat"), "--to-code=UTF-8", "-o", "-", "-"],
        input=raw.encode("utf-8"),
        capture_output=True,
    )
    if proc.returncode != 0:
        raise ToolError(f"msgcat failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return _restore_flags(proc.stdout.decode("utf-8")).encode("utf-8")


def same_but_dates(old: bytes, new: bytes, dates: re.Pattern[bytes] = _DATE_LINE) -> bool:
    """Whether two catalogs differ at most in their header's ``dates`` lines.

    The header is the first entry: everything before the first blank line.
    """
    old_head, _, old_rest = old.partition(b"\n\n")
    new_head, _, new_rest = new.partition(b"\n\n")
    return old_rest == new_rest and dates.sub(b"", old_head) == dates.sub(b"", new_head)


_UNREAD = b"\0unread"


def write_bytes(
    data: bytes,
    path: Path,
    *,
    keep_dates_if_unchanged: bool = True,
    durable: bool = True,
    old: bytes | None = _UNREAD,
    read: Snapshot | Literal[False] | None = False,
) -> bool:
    """Write formatted catalog bytes unless only a date would change; returns whether it wrote.

    ``old``: the file's current bytes when the caller has just read them (None: no file).
    ``read``: what the file was when the caller read it (None: there was none); it is replaced
    only if it still is (:func:`pipeline.files.replace_unchanged`, else
    :class:`~pipeline.files.ChangedMeanwhileError`).  False: replaced whatever it is now.
    """
    if old is _UNREAD:
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = None
    if old is not None and (old == data or (keep_dates_if_unchanged and same_but_dates(old, data))):
        return False
    if read is False:
        atomic_write(path, data, durable=durable)
    else:
        replace_unchanged(path, data, read, durable=durable)
    return True


def write_po(
    po: polib.POFile,
    path: Path,
    *,
    keep_dates_if_unchanged: bool = True,
    old: bytes | None = _UNREAD,
    read: Snapshot | Literal[False] | None = False,
    old_po: polib.POFile | None = None,
) -> bool:
    """Write ``po`` to ``path`` atomically; returns whether the file changed.

    The file's own bytes are kept for every entry whose content did not change, and
    for every header field whose value did not (:mod:`pipeline.catalogs.preserve`): a
    catalog Weblate or an editor wrote keeps its layout, new entries take the file's
    style.  When the only difference from the file on disk is a creation or revision
    date, the file is left alone, so a no-op run changes no byte.  ``old`` and
    ``read``: see :func:`write_bytes`; ``old_po``: ``old`` already parsed.
    """
    if old is _UNREAD:
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = None
    data = None
    if old is not None and keep_dates_if_unchanged:
        data = _preserving(po, old, old_po)
    if data is None:
        data = format_po(po)
    return write_bytes(data, path, keep_dates_if_unchanged=keep_dates_if_unchanged, old=old, read=read)


def _preserving(po: polib.POFile, old: bytes, old_po: polib.POFile | None) -> bytes | None:
    """``po`` laid out over the ``old`` bytes (None: the old bytes cannot be kept apart)."""
    try:
        if old_po is None:
            old_po = _parsed(old)
        return preserve.update(old, old_po, po, _parsed)
    except (OSError, ValueError, UnicodeDecodeError):  # a file gettext would not read: write it anew
        return None


def _parsed(data: bytes) -> polib.POFile:
    po = parse_bytes(data.replace(b"\r\n", b"\n"))
    _recover_obsolete_previous(data.decode("utf-8", errors="replace"), po)
    return po
