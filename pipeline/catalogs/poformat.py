"""Catalog writing: a polib catalog to the bytes GNU gettext's ``msgcat`` writes.

In: a :class:`polib.POFile`.  Out: the bytes ``msgcat --to-code=UTF-8`` (GNU
gettext 0.21, page width 79) writes for that catalog, with one deliberate
difference: flags gettext does not know (``no-numbers-check``) are kept on the
``#,`` line after the ones it knows, where gettext would drop them.

The layout follows gettext's ``write-po.c``.  Line breaking is done by the very
function gettext calls, ``ulc_width_linebreaks`` of libunistring (UAX #14, East
Asian wide characters counting two columns), loaded through ctypes; only the
preparation gettext does around it (escapes never broken, no break before a
final ``\\n``, no break inside a format directive, the ``msgid ""`` first line)
is re-done here.  :func:`available` says whether the library could be loaded;
without it, callers keep piping catalogs through ``msgcat``.

Format directives: gettext forbids breaks inside the directives of an entry's
format language.  Directives can only matter when a string actually wraps; for
``python-format`` they are found here, for the other languages such strings are
handed to one ``msgcat`` run per catalog (see :class:`_Delegated`).

Why not polib's ``str(po)`` through ``msgcat``, which is the fallback: one
``msgcat`` process per catalog is 20-40 times slower (0.2-0.3 against 7-8 ms a
catalog); the figures, their command and the tests that hold both to the same
bytes are in ``docs/catalogs.md``, "Why our own reader and writer".
"""

from __future__ import annotations

import codecs
import ctypes
import ctypes.util
import itertools
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import polib

from pipeline.errors import ToolError

PAGE_WIDTH = 79

# gettext 0.21's format languages, in the order it writes their flags (format.c).
FORMAT_LANGUAGES = (
    "c objc python python-brace java java-printf csharp javascript scheme lisp elisp librep ruby sh awk "
    "lua object-pascal smalltalk qt qt-plural kde kde-kuit boost tcl perl perl-brace php gcc-internal "
    "gfc-internal ycp"
).split()
_YES, _POSSIBLE, _NO = "yes", "possible", "no"
# format flag -> (language index, state); with these and fuzzy, wrap, no-wrap and
# "range: N..M", any other flag is one gettext drops (and we keep).
_FORMAT_FLAGS: dict[str, tuple[int, str]] = {}
for _i, _lang in enumerate(FORMAT_LANGUAGES):
    _FORMAT_FLAGS[f"{_lang}-format"] = (_i, _YES)
    _FORMAT_FLAGS[f"possible-{_lang}-format"] = (_i, _POSSIBLE)
    _FORMAT_FLAGS[f"no-{_lang}-format"] = (_i, _NO)
_RANGE = re.compile(r"range:[ \t\n\r\f\v]+([0-9]+)\.\.([0-9]+)")
_INT_MAX = 2**31 - 1

# libunistring's break codes (unilbrk.h).
_UNDEFINED, _PROHIBITED, _POSSIBLE_BREAK = 0, 1, 2
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_ESCAPES |= {"\\": "\\\\", '"': '\\"'}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NEEDS_ESCAPE = re.compile('[\a\b\f\n\r\t\v\\\\"]')
_CONTINUATION = bytes(_PROHIBITED if 0x80 <= b < 0xC0 else _UNDEFINED for b in range(256))
_ESCAPE_PAIR = re.compile(rb"\\.", re.S)


def _load_linebreaks() -> Callable[..., int] | None:
    for name in ("libunistring.so.2", ctypes.util.find_library("unistring")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        # gettext built against libunistring >= 1.0 calls the _v2 entry point.
        fn = getattr(lib, "ulc_width_linebreaks_v2", None) or getattr(lib, "ulc_width_linebreaks", None)
        if fn is None:
            continue
        fn.restype = ctypes.c_int
        fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                       ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]  # fmt: skip
        linebreaks: Callable[..., int] = fn  # a ctypes function returning the C int
        return linebreaks
    return None


_linebreaks = _load_linebreaks()
_scratch = threading.local()


def available() -> bool:
    """Whether libunistring could be loaded, so :func:`format_catalog` can run."""
    return _linebreaks is not None


def _require_linebreaks() -> Callable[..., int]:
    if _linebreaks is None:
        raise ToolError("libunistring (ulc_width_linebreaks) cannot be loaded: install libunistring")
    return _linebreaks


def is_known_flag(flag: str) -> bool:
    """Whether GNU gettext 0.21 understands (and rewrites) this polib flag."""
    return flag in ("fuzzy", "wrap", "no-wrap") or flag in _FORMAT_FLAGS or _range_of(flag) is not None


def _range_of(flag: str) -> tuple[int, int] | None:
    m = _RANGE.fullmatch(flag)
    if not m:
        return None
    lo, hi = (min(int(g), _INT_MAX) for g in m.groups())
    return (lo, hi) if lo <= hi else None  # gettext drops an empty range


class _Flags:
    """An entry's flags as gettext reads them (later flags win), plus the ones it does not know."""

    __slots__ = ("formats", "fuzzy", "no_wrap", "range", "unknown")

    def __init__(self, flags: Iterable[str]) -> None:
        self.fuzzy = False
        self.formats: dict[int, str] = {}
        self.range: tuple[int, int] | None = None
        self.no_wrap = False
        self.unknown: list[str] = []
        for flag in flags:
            if flag == "fuzzy":
                self.fuzzy = True
            elif (fmt := _FORMAT_FLAGS.get(flag)) is not None:
                self.formats[fmt[0]] = fmt[1]
            elif flag in ("wrap", "no-wrap"):
                self.no_wrap = flag == "no-wrap"
            elif (rng := _range_of(flag)) is not None:
                self.range = rng
            else:
                self.unknown.append(flag)

    def line(self, show_fuzzy: bool) -> str | None:
        words = ["fuzzy"] if self.fuzzy and show_fuzzy else []
        for lang in sorted(self.formats):
            state = self.formats[lang]
            words.append(f"{'no-' if state == _NO else ''}{FORMAT_LANGUAGES[lang]}-format")
        if self.range is not None:
            words.append(f"range: {self.range[0]}..{self.range[1]}")
        if self.no_wrap:
            words.append("no-wrap")
        words += self.unknown
        return "#, " + ", ".join(words) if words else None

    def directive_language(self) -> str | None:
        """The language whose directives gettext keeps unbroken (the first one that may apply)."""
        for lang in sorted(self.formats):
            if self.formats[lang] != _NO:
                return FORMAT_LANGUAGES[lang]
        return None


# ---------------------------------------------------------------- strings


def _python_directives(value: str) -> set[int]:
    """Indices inside Python ``%`` directives where gettext forbids a break (format-python.c)."""
    inside: set[int] = set()
    n, i, named, unnamed = len(value), 0, 0, 0
    digits = "0123456789"
    while i < n:
        if value[i] != "%":
            i += 1
            continue
        start, i = i, i + 1
        has_name = False
        if i < n and value[i] == "(":
            i, depth = i + 1, 0
            while i < n and not (value[i] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
            if i >= n:
                return inside  # unterminated: this directive is invalid, parsing stops
            has_name, i = True, i + 1
        while i < n and value[i] in "-+ #0":
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if not (i < n and value[i] == "."):
                    break
                i += 1
            if i < n and value[i] == "*":  # the width or precision is an argument
                if named:
                    return inside
                unnamed, i = unnamed + 1, i + 1
            else:
                while i < n and value[i] in digits:
                    i += 1
        if i < n and value[i] in "hlL":
            i += 1
        if i >= n or value[i] not in "%csridouxXeEfgG":
            return inside
        if has_name:
            if unnamed:
                return inside
            named += 1
        elif value[i] != "%":
            if named:
                return inside
            unnamed += 1
        inside.update(range(start + 1, i + 1))
        i += 1
    return inside


_DIRECTIVE_PARSERS = {"python": _python_directives}


def _portions(value: str) -> list[str]:
    """``value`` cut after each newline, as gettext loops over it."""
    if "\n" not in value[:-1]:
        return [value]
    parts = value.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


# A field's layout depends on nothing but these arguments, and the same msgid is
# written into the template and every locale's catalog: lay it out once.
_LAID_OUT: dict[tuple[str, str, str, bool, str | None, int], tuple[str, bool]] = {}
_LAID_OUT_LIMIT = 200_000  # about 60 MB at the benchmark's sentence lengths
_REFERENCES: dict[tuple[tuple[tuple[str, object], ...], int], str] = {}  # the same for "#:" lines
_V = TypeVar("_V")


def _remember(table: dict[Any, _V], key: object, value: _V) -> _V:
    """Store ``value`` in one of the run's layout tables, emptied when it reaches the limit."""
    if len(table) >= _LAID_OUT_LIMIT:
        table.clear()
    table[key] = value
    return value


class _Writer:
    """Writes one catalog; ``out`` collects text pieces."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.out: list[str] = []
        self.wrapped = False  # whether libunistring broke a line
        self.delegated = _Delegated()

    def string(self, prefix: str, name: str, value: str, no_wrap: bool, lang: str | None) -> None:
        """Append one field, laid out as gettext does (remembered: a msgid is laid out once a run)."""
        key = (prefix, name, value, no_wrap, lang, self.width)
        hit = _LAID_OUT.get(key)
        if hit is None:
            out, wrapped = self.out, self.wrapped
            self.out, self.wrapped = [], False
            try:
                self._wrap(prefix, name, value, no_wrap, lang)
                hit = ("".join(self.out), self.wrapped)
            finally:
                self.out, self.wrapped = out, wrapped
            _remember(_LAID_OUT, key, hit)
        self.out.append(hit[0])
        self.wrapped = self.wrapped or hit[1]

    # write-po.c: wrap()
    def _wrap(self, prefix: str, name: str, value: str, no_wrap: bool, lang: str | None) -> None:
        out = self.out
        width = (_INT_MAX if no_wrap else self.width) - 1 - (len(prefix) + 1)
        inside = _DIRECTIVE_PARSERS[lang](value) if lang in _DIRECTIVE_PARSERS and value else None
        portions = _portions(value)
        first = True
        base = 0
        for k, portion in enumerate(portions):
            escaped = portion.translate(_ESCAPE_TABLE) if _NEEDS_ESCAPE.search(portion) else portion
            size = len(escaped) if escaped.isascii() else len(escaped.encode())
            line = _Line(portion, escaped, base, inside, width, size)
            if first and size:
                # The first line is `name ""` when the string has a newline before its end or
                # would wrap after `name `.  Wrapping from column 0 implies wrapping from any
                # later column, so one call to libunistring mostly decides.
                col = len(name) + 1
                wraps = col + size > width and bool(line.breaks(0) or line.breaks(col))
                if k + 1 < len(portions) or col > width or wraps:
                    out.append(f'{prefix}{name} ""\n')
                    first = False
            breaks = [] if first else line.breaks(0)
            self.wrapped = self.wrapped or line.broke
            head = f"{prefix}{name} " if first else prefix
            first = False
            if not breaks:
                out.append(f'{head}"{escaped}"\n')
            else:
                data = line.data
                cuts = [0, *breaks, len(data)]
                pieces = [data[a:b].decode() for a, b in itertools.pairwise(cuts)]
                out.append(f'{head}"' + f'"\n{prefix}"'.join(pieces) + '"\n')
            base += len(portion)


class _Line:
    """One newline-terminated portion of a string, ready for libunistring."""

    __slots__ = ("_at0", "_data", "_overrides", "base", "broke", "escaped", "inside", "portion", "size", "width")

    def __init__(self, portion: str, escaped: str, base: int, inside: set[int] | None, width: int, size: int):
        self.portion, self.escaped, self.base, self.inside = portion, escaped, base, inside
        self.width, self.size = width, size
        self.broke = False  # whether libunistring broke it at some start column
        self._data: bytes | None = None
        self._overrides: bytes = b""
        self._at0: list[int] | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._prepare()
        return self._data  # type: ignore[return-value]

    def _prepare(self) -> None:
        """The portion's bytes and gettext's break overrides for them."""
        portion, base, inside = self.portion, self.base, self.inside
        overrides: bytes | bytearray
        if inside and any(base <= i < base + len(portion) for i in inside):
            chunks, overrides = [], bytearray()
            for k, ch in enumerate(portion):  # no break inside a format directive
                enc = _ESCAPES.get(ch, ch).encode()
                chunks.append(enc)
                overrides.append(_PROHIBITED if base + k in inside else _UNDEFINED)
                overrides += b"\x01" * (len(enc) - 1)
            data = b"".join(chunks)
        else:
            data = self.escaped.encode()
            overrides = data.translate(_CONTINUATION)  # never inside a UTF-8 character
            if b"\\" in data:
                overrides = bytearray(overrides)
                for m in _ESCAPE_PAIR.finditer(data):  # never inside an escape sequence
                    overrides[m.start() + 1] = _PROHIBITED
        if portion.endswith("\n"):
            overrides = bytearray(overrides)
            overrides[-2] = _PROHIBITED  # not right before the final \n
        self._data, self._overrides = data, bytes(overrides)

    def breaks(self, startcol: int) -> list[int]:
        """Byte offsets where libunistring breaks the line, starting at ``startcol``."""
        if startcol + self.size <= self.width:
            return []  # it fits: libunistring would not break either
        if startcol == 0 and self._at0 is not None:
            return self._at0
        data = self.data
        n = len(data)
        buf = getattr(_scratch, "buffer", None)
        if buf is None or n > len(buf):  # one result buffer per thread: ctypes releases the GIL
            buf = _scratch.buffer = ctypes.create_string_buffer(max(2 * n, 4096))
        _require_linebreaks()(data, n, self.width, startcol, 0, self._overrides, b"UTF-8", buf)
        raw = ctypes.string_at(buf, n)
        found, at = [], raw.find(b"\x02")
        while at >= 0:
            found.append(at)
            at = raw.find(b"\x02", at + 1)
        self.broke = self.broke or bool(found)
        if startcol == 0:
            self._at0 = found
        return found


# ---------------------------------------------------------------- comments


def _comment_lines(mark: str, text: str) -> Iterator[str]:
    for line in text.split("\n"):
        yield f"{mark} {line}\n" if line else f"{mark}\n"


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _line_number(digits: str) -> int | None:
    n = int(digits) % 2**64  # gettext accumulates a size_t
    if n == 2**64 - 1:
        return None  # gettext's marker for "no line number"
    return n - 2**64 if n >= 2**63 else n  # printed with %ld


def _number_after(s: str, p: int, ws: str = " \t\n") -> tuple[int, int] | None:
    """``s[start:end]``, the digits after the blanks at ``p``, when they end a token."""
    n = len(s)
    while p < n and s[p] in ws:
        p += 1
    q = p
    while q < n and _is_digit(s[q]):
        q += 1
    return (p, q) if q > p and (q >= n or s[q] in ws) else None


def _parse_references(s: str) -> list[tuple[str, int | None]]:
    """A ``#:`` line as gettext reads it (read-catalog-abstract.c, po_parse_comment_filepos)."""
    out: list[tuple[str, int | None]] = []
    n, i, ws = len(s), 0, " \t\n"
    while i < n:
        while i < n and s[i] in ws:
            i += 1
        if i >= n:
            break
        start = i
        i += 1
        while i < n and s[i] not in ws:
            i += 1
        # "name :  12" or "name: 12": a number after the token, spaces allowed around the colon
        p = i
        while p < n and s[p] in ws:
            p += 1
        colon_after = p < n and s[p] == ":"
        if colon_after or s[i - 1] == ":":
            name_end = i if colon_after else i - 1
            found = _number_after(s, p + 1 if colon_after else i)
            if found is None and colon_after and s[i - 1] == ":":  # gettext tries the second form as well
                name_end, found = i - 1, _number_after(s, i)
            if found is not None:
                p, i = found
                out.append((s[start:name_end], _line_number(s[p:i])))
                continue
        # "name:12"
        p = i
        while p > start:
            p -= 1
            if not _is_digit(s[p]):
                p += 1
                break
        if start + 1 < p < i and s[p - 1] == ":":
            out.append((s[start : p - 1], _line_number(s[p:i])))
            continue
        out.append((s[start:i], None))
    return out


_UNUSUAL_PATH = re.compile(r"[\s:]")


def _references(occurrences: Iterable[tuple[str, object]]) -> list[tuple[str, int | None]]:
    """polib's occurrences as gettext reads them back from polib's ``#:`` line."""
    refs: list[tuple[str, int | None]] = []
    for path, line in occurrences:
        number = str(line) if line else ""
        if not path or _UNUSUAL_PATH.search(path) or not ((number.isascii() and number.isdigit()) or not number):
            tokens = [f"{p}:{n}" if n else f"{p}" for p, n in occurrences]
            return _parse_references(" ".join(tokens))
        refs.append((path, _line_number(number) if number else None))
    return refs


def _reference_lines(occurrences: Iterable[tuple[str, object]], width: int) -> Iterator[str]:
    seen: set[tuple[str, int | None]] = set()
    refs = []
    for ref in _references(occurrences):
        if ref not in seen:  # gettext records a position once
            seen.add(ref)
            refs.append(ref)
    if not refs:
        return
    line, column = "#:", 2
    for path, number in refs:
        while path.startswith("./"):
            path = path[2:]
        text = path if number is None else f"{path}:{number}"
        size = len(text.encode()) + 1
        if column > 2 and column + size > width:
            yield line + "\n"
            line, column = "#:", 2
        line += " " + text
        column += size
    yield line + "\n"


def _references_text(occurrences: list[tuple[str, object]], width: int) -> str:
    """The ``#:`` lines, remembered: the template and every catalog have the same ones."""
    try:
        key = (tuple(occurrences), width)
        lines = _REFERENCES.get(key)
    except TypeError:  # an occurrence that is not a tuple (polib makes tuples)
        return "".join(_reference_lines(occurrences, width))
    if lines is None:
        lines = _remember(_REFERENCES, key, "".join(_reference_lines(occurrences, width)))
    return lines


# ---------------------------------------------------------------- entries


def _msgstrs(entry: polib.POEntry) -> list[tuple[str, str]]:
    if not entry.msgid_plural:
        return [("msgstr", entry.msgstr)]
    forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] or [""]
    return [(f"msgstr[{i}]", form) for i, form in enumerate(forms)]


def _write_entry(w: _Writer, entry: polib.POEntry, obsolete: bool) -> None:
    out = w.out
    strings = _msgstrs(entry)
    translated = bool(strings[0][1])
    flags = _Flags(entry.flags)
    if entry.tcomment:
        out.extend(_comment_lines("#", entry.tcomment))
    if entry.comment:
        out.extend(_comment_lines("#.", entry.comment))
    if entry.occurrences:
        out.append(_references_text(entry.occurrences, w.width))
    if obsolete:
        flags.range = None  # gettext 0.21 keeps every flag of an obsolete entry but its range
    if (line := flags.line(show_fuzzy=translated)) is not None:
        out.append(line + "\n")

    fields: list[tuple[str, str, str]] = []
    previous = "#~| " if obsolete else "#| "
    for name, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            fields.append((previous, name, value))
    current = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        fields.append((current, "msgctxt", entry.msgctxt))
    fields.append((current, "msgid", entry.msgid))
    if entry.msgid_plural:
        fields.append((current, "msgid_plural", entry.msgid_plural))
    fields += [(current, name, value) for name, value in strings]

    lang = flags.directive_language()
    if lang is not None and lang not in _DIRECTIVE_PARSERS and _Delegated.usable():
        probe = _Writer(w.width)
        for prefix, name, value in fields:
            probe.string(prefix, name, value, flags.no_wrap, None)
        if probe.wrapped:  # its directives may move the breaks: msgcat lays out the strings
            out.append(w.delegated.add(entry, obsolete, flags))
        else:
            out.extend(probe.out)
        return
    for prefix, name, value in fields:
        w.string(prefix, name, value, flags.no_wrap, lang)


def _header_entry(po: polib.POFile) -> polib.POEntry:
    header = po.metadata_as_entry()
    # msgcat --to-code=UTF-8 names the new charset in the header.
    m = re.search(r"charset=([^ \t\n]*)", header.msgstr)
    if m:
        try:
            codecs.lookup(m.group(1))
        except LookupError:
            pass
        else:
            header.msgstr = header.msgstr[: m.start(1)] + "UTF-8" + header.msgstr[m.end(1) :]
    header.tcomment = po.header
    return header


def format_catalog(po: polib.POFile, *, width: int = PAGE_WIDTH) -> bytes:
    """``po`` exactly as ``msgcat`` writes it, unknown flags kept; needs :func:`available`."""
    _require_linebreaks()
    if not len(po):
        return b""  # msgcat writes nothing for a catalog with no message but the header
    return _format_text(po, width)[1].encode("utf-8")


def _format_text(po: polib.POFile, width: int) -> tuple[list[tuple[polib.POEntry, bool]], str]:
    """The blocks msgcat writes (the header, live entries, translated obsolete ones) and their text."""
    w = _Writer(width)
    blocks = [(_header_entry(po), False)] + [(e, bool(e.obsolete)) for e in written_entries(po)]
    for k, (entry, obsolete) in enumerate(blocks):
        if k:
            w.out.append("\n")
        _write_entry(w, entry, obsolete)
    return blocks, w.delegated.fill("".join(w.out), width)


def written_entries(po: polib.POFile) -> list[polib.POEntry]:
    """The entries msgcat writes after the header, in its order: live ones, then translated obsolete ones."""
    live = [e for e in po if not e.obsolete]
    return live + [e for e in po if e.obsolete and _msgstrs(e)[0][1]]  # gettext drops untranslated obsolete ones


def format_blocks(po: polib.POFile, *, width: int = PAGE_WIDTH) -> list[tuple[polib.POEntry | None, str]]:
    """Each block :func:`format_catalog` writes, in its order: ``(entry, text)``, the header's entry None.

    ``text`` ends with its last line's newline; the catalog is the blocks joined by a blank line.
    A block never holds an empty line (every line is a comment, a keyword or a quoted string).
    """
    _require_linebreaks()
    blocks, text = _format_text(po, width)
    parts = [part + "\n" for part in text.removesuffix("\n").split("\n\n")]
    if len(parts) != len(blocks):
        raise ToolError("catalog blocks do not split on blank lines")  # cannot happen: see the docstring
    return [(None, parts[0])] + [(entry, part) for (entry, _), part in zip(blocks[1:], parts[1:], strict=True)]


# ---------------------------------------------------------------- delegation


class _Delegated:
    """Strings whose format directives only gettext knows, laid out by one msgcat run.

    gettext never breaks a line inside a format directive; a directive only
    matters when its string wraps.  The strings of such entries (format
    languages other than those in ``_DIRECTIVE_PARSERS``) are written by
    ``msgcat`` itself, so the output stays exact; everything else about the
    entry is written here.
    """

    _msgcat: str | None = None

    def __init__(self) -> None:
        self.entries: list[tuple[polib.POEntry, bool, _Flags]] = []

    @classmethod
    def usable(cls) -> bool:
        if cls._msgcat is None:
            cls._msgcat = shutil.which("msgcat") or ""
        return bool(cls._msgcat)

    def add(self, entry: polib.POEntry, obsolete: bool, flags: _Flags) -> str:
        self.entries.append((entry, obsolete, flags))
        return f"\0{len(self.entries) - 1}\0"

    def fill(self, text: str, width: int) -> str:
        if not self.entries:
            return text
        blocks: list[str] = []
        batch: list[str] = []
        keys: set[tuple[str | None, str]] = set()
        for entry, obsolete, flags in self.entries:
            key = (entry.msgctxt, entry.msgid)
            if key in keys:  # msgcat would merge duplicates: lay them out in a run of their own
                blocks += _run_msgcat(batch, width)
                batch, keys = [], set()
            keys.add(key)
            batch.append(_raw_strings(entry, obsolete, flags))
        blocks += _run_msgcat(batch, width)
        return re.sub("\0([0-9]+)\0", lambda m: blocks[int(m.group(1))], text)


def _quote(value: str) -> str:
    return '"' + value.translate(_ESCAPE_TABLE) + '"'


def _raw_strings(entry: polib.POEntry, obsolete: bool, flags: _Flags) -> str:
    """The entry's strings and the flags that shape them, one line per field."""
    words = [f"{'no-' if s == _NO else ''}{FORMAT_LANGUAGES[lang]}-format" for lang, s in sorted(flags.formats.items())]
    lines = [f"#, {', '.join(words + (['no-wrap'] if flags.no_wrap else []))}"]
    pre, cur = ("#~| ", "#~ ") if obsolete else ("#| ", "")
    for name, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines.append(f"{pre}{name} {_quote(value)}")
    if entry.msgctxt is not None:
        lines.append(f"{cur}msgctxt {_quote(entry.msgctxt)}")
    lines.append(f"{cur}msgid {_quote(entry.msgid)}")
    if entry.msgid_plural:
        lines.append(f"{cur}msgid_plural {_quote(entry.msgid_plural)}")
    lines += [f"{cur}{name} {_quote(value)}" for name, value in _msgstrs(entry)]
    return "\n".join(lines) + "\n"


def _run_msgcat(batch: list[str], width: int) -> list[str]:
    if not batch:
        return []
    head = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
    proc = subprocess.run(
        [_Delegated._msgcat or "msgcat", f"--width={width}", "-o", "-", "-"],
        input="\n".join([head, *batch]).encode("utf-8"),
        capture_output=True,
    )
    if proc.returncode != 0:
        raise ToolError(f"msgcat failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    blocks = proc.stdout.decode("utf-8").rstrip("\n").split("\n\n")[1:]
    if len(blocks) != len(batch):
        raise ToolError("msgcat did not return one block per delegated entry")
    # Drop the flags line we passed; the caller already wrote the entry's own.
    return [b.split("\n", 1)[1] + "\n" if b.startswith("#,") else b + "\n" for b in blocks]
