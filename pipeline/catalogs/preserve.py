"""Format-preserving catalog updates: a merge rewrites only what it changed.

In: a catalog's current bytes (whichever tool wrote them: msgcat, Weblate's
translate-toolkit, Poedit, Lokalize, polib), the catalog they parse to, and
the merged catalog.  Out: the bytes to write, which are the old bytes
themselves when the merge changed no content (not even a date), so a
round trip with an editor or a translation platform settles at once.

How: the old text is cut into blocks at its blank lines, each known by its
key (obsolete or not, msgctxt, msgid).  Content is compared in one canonical
form, msgcat's layout of the entry (:func:`pipeline.catalogs.poformat.format_blocks`):
an entry whose canonical form is unchanged keeps its old bytes; a new or
changed one is written in the file's prevailing style, msgcat's or
translate-toolkit's (what Weblate writes), detected from the entries that tell
them apart.  In the header only the fields whose value changed are rewritten;
when no entry changed, ``POT-Creation-Date`` and ``PO-Revision-Date`` are left
as they are.  Entries come in the merge's order (msgmerge's); separators
between blocks that stay neighbours are kept.

Anything the cut cannot settle (a block with two msgids, a duplicate key,
another charset, a byte-order mark) gives ``None``: the caller writes the
whole catalog in msgcat's layout, as before.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import polib

from pipeline.catalogs import poformat, poparse

if TYPE_CHECKING:
    from translate.storage import pypo

Key = tuple[bool, str | None, str]  # (obsolete, msgctxt, msgid); the header is (False, None, "")
Style = Literal["msgcat", "translate-toolkit"]
HEADER: Key = (False, None, "")
NEW_SEPARATOR = "\n\n"  # one blank line, as gettext writes

_SEPARATOR = re.compile(r"(\n(?:[ \t]*\n)+)")
_DATES = re.compile(r'^"(?:POT-Creation-Date|PO-Revision-Date): [^"]*\\n"\n', re.M)
_FIELD_LINE = re.compile(r'^(?:#~ )?(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
_CONTINUED = re.compile(r'^(?:#~ )?(".*")\s*$')


@dataclass(frozen=True)
class Block:
    """One entry's lines as the file has them (no final newline), and what follows them."""

    text: str
    separator: str
    index: int


@dataclass(frozen=True)
class Cut:
    """A catalog's text cut into blocks: what precedes the first, the blocks by key, what ends the file."""

    leading: str
    blocks: dict[Key, Block]
    order: list[Block]
    tail: str


def _value(quoted: str) -> str:
    return str(polib.unescape(quoted[1:-1]))


def block_key(text: str) -> Key | None:
    """The key of one block's entry, read from its own lines; None: not exactly one entry."""
    fields: dict[str, str] = {}
    current: str | None = None
    obsolete: bool | None = None
    msgids = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line[:1] == "#" and line[:3] != "#~ ":  # a comment, a flag, a previous (#| or #~|) field
            current = None
            continue
        m = _FIELD_LINE.match(line)
        if m:
            current = m.group(1)
            if current == "msgid":
                msgids += 1
                obsolete = line.startswith("#~")
            if current in fields:
                return None
            fields[current] = _value(m.group(2))
            continue
        m = _CONTINUED.match(line)
        if m and current is not None:
            fields[current] += _value(m.group(1))
            continue
        return None  # a line no catalog has (or an obsolete entry's comment: rewrite it whole)
    if msgids != 1 or obsolete is None:
        return None
    return (obsolete, fields.get("msgctxt"), fields["msgid"])


def cut(text: str) -> Cut | None:
    """``text`` (a catalog with ``\\n`` newlines) cut into its entries' blocks; None if it cannot be."""
    body = text.strip(" \t\n")
    if not body:
        return None
    start = text.index(body)
    leading, tail = text[:start], text[start + len(body) :]
    if leading.strip("\n"):  # spaces before the first line: that line is not where we would put it
        return None
    parts = _SEPARATOR.split(body)
    blocks: dict[Key, Block] = {}
    order: list[Block] = []
    for i in range(0, len(parts), 2):
        key = block_key(parts[i])
        if key is None or key in blocks:
            return None
        block = Block(parts[i], parts[i + 1] if i + 1 < len(parts) else "", i // 2)
        blocks[key] = block
        order.append(block)
    return Cut(leading, blocks, order, tail)


def _key(entry: polib.POEntry | None) -> Key:
    if entry is None:
        return HEADER
    return (bool(entry.obsolete), entry.msgctxt, entry.msgid)


def canonical(po: polib.POFile) -> dict[Key, str]:
    """Each entry's content in one comparable form: msgcat's layout of it (the header as HEADER)."""
    return _keyed(poformat.format_blocks(po))


_EXTRACTED = re.compile(r"^#\.(?: .*)?\n(?:#\.(?: .*)?\n)*", re.M)


def _loose(text: str) -> str:
    """A canonical block with its ``#.`` lines as one run of words."""
    return _EXTRACTED.sub(lambda m: "#. " + " ".join(m.group(0).replace("#.", " ").split()) + "\n", text)


def same(old: str | None, new: str | None) -> bool:
    """Whether two canonical blocks hold the same content.

    Extracted comments (``#.``) count by their words: polib and some editors re-wrap them,
    and ``translate`` writes the template's, so a re-wrapped one is not a change.
    """
    if old is None or new is None:
        return old is new
    return old == new or ("#." in old and _loose(old) == _loose(new))


def same_catalog(old: dict[Key, str], new: dict[Key, str]) -> bool:
    """Whether two :func:`canonical` catalogs hold the same entries, in the same order."""
    return list(old) == list(new) and all(same(old[k], new[k]) for k in old)


def _keyed(blocks: list[tuple[polib.POEntry | None, str]]) -> dict[Key, str]:
    out = {_key(entry): text for entry, text in blocks}
    if len(out) != len(blocks):
        raise ValueError("two entries with one key")  # the caller writes the catalog whole
    return out


# ---------------------------------------------------------------- styles


def _requote(unit: pypo.pounit) -> None:
    """Lay out every string of ``unit`` anew with translate-toolkit's wrapper, as Weblate's save does."""
    from translate.storage import pypo  # 40 ms to load: only for a file in its layout

    for name in ("prev_msgctxt", "prev_msgid", "prev_msgid_plural", "msgctxt", "msgid", "msgid_plural"):
        value = getattr(unit, name)
        if value:
            setattr(unit, name, unit.quote(pypo.unquotefrompo(value)))
    if isinstance(unit.msgstr, dict):
        unit.msgstr = {k: unit.quote(pypo.unquotefrompo(v)) for k, v in unit.msgstr.items()}
    else:
        unit.msgstr = unit.quote(pypo.unquotefrompo(unit.msgstr))


_TTK_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, UnicodeError)
_TTK_HEAD = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'


def translate_toolkit_layout(blocks: list[str], *, has_header: bool) -> list[str]:
    """msgcat-laid-out blocks (the header first, if ``has_header``) as translate-toolkit writes them."""
    # What Weblate writes for a unit it saves: translate-toolkit's own wrapping (77 columns,
    # a short enough string on the keyword's line).  Comments are kept as they are.
    from translate.storage import pypo

    if not blocks:
        return []
    text = "\n".join(blocks if has_header else [_TTK_HEAD, *blocks])
    store = pypo.pofile.parsestring(text.encode("utf-8"))
    units = list(store.units)
    if not has_header:
        units = units[1:]
    if len(units) != len(blocks):
        raise ValueError("translate-toolkit did not read one unit per block")
    out = []
    for unit in units:
        _requote(unit)
        out.append(str(unit._getoutput()))
    return out


def detect_style(old: Cut, old_canon: dict[Key, str]) -> Style:
    """The layout most of the file's entries have, among those msgcat and translate-toolkit lay out differently."""
    keys = [k for k, b in old.blocks.items() if k in old_canon]
    if all(old.blocks[k].text + "\n" == old_canon[k] for k in keys):
        return "msgcat"  # every entry as msgcat lays it out
    canon = [old_canon[k] for k in keys]
    try:
        ttk = translate_toolkit_layout(canon, has_header=keys[0] == HEADER)
    except _TTK_ERRORS:
        return "msgcat"
    votes = {"msgcat": 0, "translate-toolkit": 0}
    for key, mine, theirs in zip(keys, canon, ttk, strict=True):
        if mine == theirs:
            continue  # the two tools agree here: this entry tells nothing
        raw = old.blocks[key].text + "\n"
        if raw == mine:
            votes["msgcat"] += 1
        elif raw == theirs:
            votes["translate-toolkit"] += 1
    return "translate-toolkit" if votes["translate-toolkit"] > votes["msgcat"] else "msgcat"


# ---------------------------------------------------------------- header


def _header_parts(text: str) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """A header block: its lines up to ``msgstr ""``, and each field's text with its lines."""
    lines = text.removesuffix("\n").split("\n")
    at = next((i for i, ln in enumerate(lines) if ln.startswith("msgstr ")), None)
    if at is None or lines[at].strip() != 'msgstr ""':
        return None  # a field on the msgstr line itself: rewrite the header whole
    fields: list[tuple[str, list[str]]] = []
    value, group = "", []
    for ln in lines[at + 1 :]:
        m = _CONTINUED.match(ln.strip())
        if not m or ln.startswith("#"):
            return None
        value += _value(m.group(1))
        group.append(ln)
        if value.endswith("\n"):
            fields.append((value, group))
            value, group = "", []
    if group:
        fields.append((value, group))
    return lines[: at + 1], fields


def _header(old_text: str, old_canon: str, new_canon: str, new_text: str) -> str | None:
    """The old header's lines with only the changed fields taken from the new one; None: rewrite it whole.

    ``old_canon``, ``new_canon``: both headers in msgcat's layout (their comments and flags
    must be the same); ``new_text``: the new header laid out in the file's style.
    """
    old_parts, new_parts = _header_parts(old_text), _header_parts(new_text)
    canon = _header_parts(old_canon), _header_parts(new_canon)
    if old_parts is None or new_parts is None or canon[0] is None or canon[1] is None:
        return None
    if canon[0][0] != canon[1][0]:  # the header's comments or flags changed
        return None
    old_head, old_fields = old_parts
    new_fields = new_parts[1]
    if [ln.strip() for ln in old_head if not ln.startswith("#")] != ['msgid ""', 'msgstr ""']:
        return None
    by_value = {value: lines for value, lines in old_fields}
    out = list(old_head)
    for value, lines in new_fields:
        out += by_value.get(value, lines)
    return "\n".join(out)


# ---------------------------------------------------------------- update


def _same_but_dates(old: str, new: str) -> bool:
    return _DATES.sub("", old) == _DATES.sub("", new)


def _same_but_dates_bytes(old: bytes, new: bytes) -> bool:
    """Two whole catalogs that differ at most in their header's date lines."""
    old_head, _, old_rest = old.partition(b"\n\n")
    new_head, _, new_rest = new.partition(b"\n\n")
    if old_rest != new_rest:
        return False
    return _same_but_dates(old_head.decode("utf-8", "replace") + "\n", new_head.decode("utf-8", "replace") + "\n")


def _old_canonical(old_po: polib.POFile, old: Cut, new_canon: dict[Key, str]) -> dict[Key, str] | None:
    """:func:`canonical` of ``old_po``, laying out only the entries whose old bytes are not the new layout.

    An old block that is the new entry's canonical text byte for byte has that content: only
    the others (and the header) need a layout pass.  None: an entry has no block of its own.
    """
    keys = [HEADER] + [_key(e) for e in poformat.written_entries(old_po)]
    if len(set(keys)) != len(keys) or any(k not in old.blocks for k in keys):
        return None
    redo = [e for e, k in zip(poformat.written_entries(old_po), keys[1:], strict=True)
            if old.blocks[k].text + "\n" != new_canon.get(k)]  # fmt: skip
    part = polib.POFile(wrapwidth=0)
    part.header, part.metadata, part.metadata_is_fuzzy = old_po.header, old_po.metadata, old_po.metadata_is_fuzzy
    part.extend(redo)
    laid = canonical(part)
    return {k: laid[k] if k in laid else old.blocks[k].text + "\n" for k in keys}


def update(
    old_data: bytes, old_po: polib.POFile, new_po: polib.POFile, parse: Callable[[bytes], polib.POFile]
) -> bytes | None:
    """The bytes of ``new_po`` keeping every unchanged entry's bytes of ``old_data``; None: cannot.

    ``old_po``: ``old_data`` parsed.  Returns ``old_data`` itself when nothing but the
    header's dates would change.  ``parse``: how the result is read back before it is
    returned: it must hold the same entries as ``new_po`` (else None: write it whole).
    """
    if not poformat.available() or not len(new_po) or not len(old_po):
        return None
    if poparse.encoding_of(old_data).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return None
    new_blocks = poformat.format_blocks(new_po)
    laid_out = "\n".join(text for _, text in new_blocks).encode("utf-8")  # = format_catalog(new_po)
    if laid_out == old_data or _same_but_dates_bytes(old_data, laid_out):
        return old_data  # the common case, a file in msgcat's layout with nothing to merge: one layout pass
    try:
        text = old_data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")  # every line, or none
    if crlf:
        text = text.replace("\r\n", "\n")
    if "\r" in text or text.startswith("\ufeff"):
        return None
    old = cut(text)
    if old is None:
        return None
    new_canon = _keyed(new_blocks)
    old_canon = _old_canonical(old_po, old, new_canon)
    if old_canon is None:
        return None  # an entry the cut did not find: the blocks are not the entries
    new_keys = list(new_canon)
    entries_same = [k for k in new_keys if k != HEADER] == [k for k in old_canon if k != HEADER] and all(
        same(old_canon[k], new_canon[k]) for k in new_keys if k != HEADER
    )
    if entries_same and _same_but_dates(old_canon[HEADER], new_canon[HEADER]):
        return old_data

    changed = [i for i, k in enumerate(new_keys) if i and not same(old_canon.get(k), new_canon[k])]
    header_changed = old_canon[HEADER] != new_canon[HEADER]
    style = detect_style(old, old_canon) if changed or header_changed else "msgcat"
    laid: dict[int, str] = {}
    wanted = ([0] if header_changed else []) + changed
    if wanted:
        laid = {i: new_blocks[i][1] for i in wanted}
        # translate-toolkit drops an obsolete entry's comments: those keep msgcat's layout.
        ttk = [i for i in wanted if not new_keys[i][0]]
        if style == "translate-toolkit" and ttk:
            with contextlib.suppress(*_TTK_ERRORS):  # if it cannot lay one out: msgcat's layout, still correct
                texts = translate_toolkit_layout([laid[i] for i in ttk], has_header=header_changed)
                laid.update(zip(ttk, texts, strict=True))

    pieces: list[str] = [old.leading]
    previous: Block | None = None
    for i, key in enumerate(new_keys):
        block: Block | None = None
        if i in laid:
            body = laid[i].removesuffix("\n")
            if i == 0:
                old_header = old.blocks[HEADER].text + "\n"
                body = _header(old_header, old_canon[HEADER], new_canon[HEADER], laid[i]) or body
        else:
            block = old.blocks[key]
            body = block.text
        if i:
            kept = previous is not None and block is not None and block.index == previous.index + 1
            pieces.append(previous.separator if kept and previous is not None else NEW_SEPARATOR)
        pieces.append(body)
        previous = block
    pieces.append(old.tail or "")
    out = "".join(pieces)
    if crlf:
        out = out.replace("\n", "\r\n")
    data = out.encode("utf-8")
    # What is written must read back as the merged catalog, whatever the layout kept.
    return data if _reads_back(parse(data), old_po, new_canon, set(laid)) else None


def _fields(e: polib.POEntry) -> tuple[object, ...]:
    """Everything a parser reads into an entry."""
    return (
        e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()),
        e.tcomment, e.comment, e.occurrences, e.flags,
        e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural,
    )  # fmt: skip


def _reads_back(back: polib.POFile, old_po: polib.POFile, new_canon: dict[Key, str], laid: set[int]) -> bool:
    """Whether the written catalog, read back, holds exactly the merged one's entries, in order.

    A kept block must read as the old catalog's entry did (both parsed from the same bytes);
    the header and the entries laid out anew are compared with the merged catalog's layout.
    """
    entries = poformat.written_entries(back)
    keys = [_key(e) for e in entries]
    if [HEADER, *keys] != list(new_canon):
        return False
    old = {_key(e): e for e in poformat.written_entries(old_po)}
    part = polib.POFile(wrapwidth=0)
    part.header, part.metadata, part.metadata_is_fuzzy = back.header, back.metadata, back.metadata_is_fuzzy
    for i, (key, entry) in enumerate(zip(keys, entries, strict=True), 1):
        if i in laid:
            part.append(entry)
        elif key not in old or _fields(old[key]) != _fields(entry):
            return False
    laid_back = canonical(part)
    return all(same(text, new_canon[key]) for key, text in laid_back.items())
