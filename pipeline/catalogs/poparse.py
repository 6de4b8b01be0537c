"""A fast reader for gettext catalogs, giving exactly the objects polib gives.

polib 1.2's parser is a general state machine that spends most of its time
on per-line bookkeeping (about 2 CPU seconds for the 1,000 catalogs of the
benchmark corpus).  :func:`parse` follows the same rules line by line (the
same transitions, the same treatment of comments, occurrences, flags and
escapes, the same header and metadata handling) for the files gettext's own
tools write and accepted, and builds the same :class:`polib.POFile`.  For
anything outside that subset (a charset other than UTF-8, carriage returns,
a comment form gettext does not write, a transition polib would refuse) it
returns ``None`` and the caller lets polib read the file, so a file is never
read differently from polib.  ``tests/test_poparse.py`` compares both readers
on random and hand-made catalogs.

It is not a validator: the caller has GNU gettext accept a file first
(:func:`pipeline.catalogs.pofile.read_po`).

Why not just polib: it reads a catalog 2.3-3.7 times slower (1.2-1.5 against
0.4-0.5 ms for a shipped catalog); the figures, their command and what is still
left to polib and gettext are in ``docs/catalogs.md``, "Why our own reader and writer".
"""

from __future__ import annotations

import codecs
import re

import polib

_CHARSET = re.compile(rb'"?Content-Type:.+? charset=([\w_\-:\.]+)')  # polib.detect_encoding's pattern
_QUOTE_INSIDE = re.compile(r'([^\\]|^)"')  # polib's "unescaped double quote" test
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREVIOUS = {"msgid_plural": "pp", "msgid": "pm", "msgctxt": "pc"}
_FIELD = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr", "pp": "previous_msgid_plural",
          "pm": "previous_msgid", "pc": "previous_msgctxt"}  # fmt: skip
_ALL = ("st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi")
# polib's transition table: the states each symbol may follow (_POFileParser.__init__).
_ALLOWED = {
    "tc": frozenset(_ALL) - {"ct"},
    "gc": frozenset(_ALL),
    "oc": frozenset(_ALL),
    "fl": frozenset(_ALL),
    "pc": frozenset(_ALL),
    "pm": frozenset(_ALL),
    "pp": frozenset(_ALL),
    "ct": frozenset(("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx")),
    "mi": frozenset(("st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx")),
    "mp": frozenset(("tc", "gc", "pc", "pm", "pp", "mi")),
    "ms": frozenset(("mi", "mp", "tc")),
    "mx": frozenset(("mi", "mx", "mp", "tc")),
    "mc": frozenset(("ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc")),
}
_NEW_ENTRY_AFTER = frozenset(("ms", "mx"))  # a comment or msgid after a msgstr starts an entry


class _UnsupportedError(Exception):
    """Outside the subset this reader handles: polib reads the file instead."""


def _quoted(s: str) -> str:
    """The unescaped content of ``"..."``, as polib reads it."""
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise _UnsupportedError
    inner = s[1:-1]
    if '"' in inner and _QUOTE_INSIDE.search(inner):
        raise _UnsupportedError  # polib raises a syntax error here
    if "\\" not in inner:
        return inner
    unescaped: str = polib.unescape(inner)  # polib has no type hints
    return unescaped


def encoding_of(data: bytes) -> str:
    """The charset polib picks for a file holding ``data`` (its ``detect_encoding``)."""
    default: str = polib.default_encoding  # polib has no type hints
    if b"charset=" not in data:
        return default
    for line in data.split(b"\n"):
        m = _CHARSET.search(line)
        if m:
            enc = m.group(1).strip().decode("utf-8")
            try:
                codecs.lookup(enc)
            except LookupError:
                continue
            return enc
    return default


def _entry(linenum: int) -> polib.POEntry:
    entry = polib.POEntry.__new__(polib.POEntry)
    entry.__dict__.update(
        msgid="",
        msgstr="",
        msgid_plural="",
        msgstr_plural={},
        msgctxt=None,
        obsolete=False,
        encoding=polib.default_encoding,  # polib's parser does not pass the file's on
        comment="",
        tcomment="",
        occurrences=[],
        flags=[],
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
        linenum=linenum,
    )
    return entry


def parse(data: bytes, fpath: str | None = None) -> polib.POFile | None:
    """``polib.pofile(...)`` of ``data`` with ``wrapwidth=0``, or ``None`` (let polib read it).

    Raises ``UnicodeDecodeError`` where polib would.
    """
    encoding = encoding_of(data)
    if codecs.lookup(encoding).name != "utf-8" or b"\r" in data:
        return None
    text = data.decode(encoding)
    po = polib.POFile(fpath=fpath, encoding=encoding)
    try:
        _parse_lines(text, po)
    except _UnsupportedError:
        return None
    po.wrapwidth = 0
    return po


def _continue(entry: polib.POEntry, state: str, plural_index: int, text: str) -> None:
    """A continuation line: the quoted ``text`` extends the field being read."""
    if state not in _ALLOWED["mc"]:
        raise _UnsupportedError
    value = _quoted(text)
    if state == "mx":
        entry.msgstr_plural[plural_index] += value
    else:
        field = _FIELD[state]
        setattr(entry, field, getattr(entry, field) + value)


def _parse_lines(text: str, po: polib.POFile) -> None:
    entries: list[polib.POEntry] = []
    entry = _entry(0)
    state = "st"
    plural_index = 0
    header = ""
    last_tokens_hash = False  # whether the last processed line began with '#'
    lines = text.split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        first = line[0]
        if first == '"':  # continuation of the current field
            _continue(entry, state, plural_index, line)
            last_tokens_hash = False
            continue
        obsolete = 0
        if first == "#":
            head = line.split(None, 1)
            word = head[0]
            if word == "#~|":
                last_tokens_hash = True
                continue  # polib 1.2 skips these; pofile.read_po recovers them
            if word == "#~":
                if len(head) < 2:
                    raise _UnsupportedError
                line = line[3:].strip()
                if not line or line[0] not in 'm"':
                    raise _UnsupportedError
                obsolete = 1
                first = line[0]
                if first == '"':
                    _continue(entry, state, plural_index, line)
                    last_tokens_hash = False
                    continue
            else:
                last_tokens_hash = True
                rest = head[1] if len(head) > 1 else ""
                if word == "#:":
                    symbol = "oc"
                elif word == "#,":
                    symbol = "fl"
                elif word == "#" or word.startswith("##"):
                    symbol = "tc"
                elif word == "#.":
                    symbol = "gc"
                elif word == "#|":
                    if not rest:
                        raise _UnsupportedError
                    if rest[0] == '"':  # continues the previous msgid (or msgctxt, ...)
                        if state == "mx":
                            raise _UnsupportedError
                        _continue(entry, state, plural_index, rest)
                        continue
                    key = rest.split(None, 1)[0]
                    if key not in _PREVIOUS or key == rest:
                        raise _UnsupportedError
                    symbol = _PREVIOUS[key]
                else:
                    raise _UnsupportedError
                if not rest and symbol in ("oc", "fl", "gc"):
                    continue  # polib ignores an empty "#:", "#," or "#."
                if state not in _ALLOWED[symbol]:
                    raise _UnsupportedError
                if symbol == "tc" and state in ("st", "he"):
                    # polib joins header lines with "\n" only once the header is not empty
                    header += ("\n" if header != "" else "") + (line + " " if line == "#" else line)[2:]
                    state = "he"
                    continue
                if state in _NEW_ENTRY_AFTER:
                    entries.append(entry)
                    entry = _entry(number)
                if symbol == "oc":
                    for occurrence in line[3:].split():
                        fil, sep, num = occurrence.rpartition(":")
                        entry.occurrences.append((fil, num) if sep and num.isdigit() else (occurrence, ""))
                elif symbol == "fl":
                    entry.flags += [c.strip() for c in line[3:].split(",")]
                elif symbol == "tc":
                    comment = line.lstrip("#")
                    if comment.startswith(" "):
                        comment = comment[1:]
                    entry.tcomment = f"{entry.tcomment}\n{comment}" if entry.tcomment != "" else comment
                elif symbol == "gc":
                    comment = line[3:]
                    entry.comment = f"{entry.comment}\n{comment}" if entry.comment != "" else comment
                else:
                    value = _quoted(line[2:].lstrip()[len(key) :].lstrip())
                    setattr(entry, _FIELD[symbol], value)
                state = symbol
                continue
        last_tokens_hash = False
        if first != "m":
            raise _UnsupportedError
        head = line.split(None, 1)
        word = head[0]
        if word in _KEYWORDS and len(head) > 1:
            symbol = _KEYWORDS[word]
            value = _quoted(line[len(word) :].lstrip())
            if state not in _ALLOWED[symbol]:
                raise _UnsupportedError
            if symbol in ("ct", "mi") and state in _NEW_ENTRY_AFTER:
                entries.append(entry)
                entry = _entry(number)
            if symbol == "ct":
                entry.msgctxt = value
            elif symbol == "mi":
                entry.obsolete = obsolete
                entry.msgid = value
            elif symbol == "mp":
                entry.msgid_plural = value
            else:
                entry.msgstr = value
            state = symbol
        elif line.startswith("msgstr[") and len(line) > 9 and line[8] == "]" and line[7] in "0123456789":
            if state not in _ALLOWED["mx"]:
                raise _UnsupportedError
            plural_index = int(line[7])
            entry.msgstr_plural[plural_index] = _quoted(line[9:].lstrip())
            state = "mx"
        else:
            raise _UnsupportedError
    if state not in ("st", "he") and not last_tokens_hash:
        entries.append(entry)
    po.extend(entries)
    po.header = header
    meta = po.find("")
    if meta:
        po.remove(meta)
        po.metadata_is_fuzzy = meta.flags
        name: str | None = None
        for msg in meta.msgstr.splitlines():
            try:
                name, val = msg.split(":", 1)
                po.metadata[name] = val.strip()
            except (ValueError, KeyError):
                if name is not None:
                    po.metadata[name] += "\n" + msg.strip()
