"""Stage 5c, finish the PDF: compact glyph ids in the embedded font subsets.

In: an open pikepdf ``Pdf`` as WeasyPrint wrote it.  Out: the same document
with every embedded CID font re-subset to compact glyph ids.

WeasyPrint subsets with HarfBuzz's *retain-gids* flag, so the content
streams can keep the shaper's glyph ids.  A subset of a CJK face then still
has 43,000-63,000 glyph slots (CFF offsets, ``hmtx`` and ``vmtx`` rows) for the
few hundred glyphs a brief uses: 430-850 kB a face.  Here each font is
subset again with fontTools, glyphs numbered 0..n-1 in their old order, and
every reference follows: the codes in the text-showing operators of the
pages (WeasyPrint writes them as hex strings under ``Identity-H``, code =
glyph id), the ``/W`` widths and the ``/ToUnicode`` map.  For a CID-keyed CFF
font the charset is made the identity (glyph *n* is CID *n*), so a reader
that looks CIDs up through the charset and one that takes them as glyph ids
find the same glyph.

The text stays extractable (the ``/ToUnicode`` entries move with their
codes) and the bytes stay reproducible (fontTools writes the same bytes for
the same input).  A document this code cannot read safely (a literal string
in a content stream, fonts used inside form XObjects) is left as it is.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Iterable

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name

from pipeline.render.fonts import harfbuzz

_TF = re.compile(rb"(/[^\s/\[\]<>(){}%]+)\s+[-\d.]+\s+Tf\b")
_HEX = re.compile(rb"<(?!<)([0-9A-Fa-f\s]*)>")
_TOKENS = re.compile(_TF.pattern + rb"|" + _HEX.pattern)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]*)>")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar.*?endbfchar", re.DOTALL)


def _read_widths(widths: object) -> dict[int, object]:
    """A ``/W`` array as glyph id -> width (both of its forms: ``c [w ...]`` and ``c_first c_last w``)."""
    out: dict[int, object] = {}
    if not isinstance(widths, Array):
        return out
    i = 0
    while i < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], Array):
            out.update((first + j, w) for j, w in enumerate(widths[i + 1]))
            i += 2
        else:
            out.update((gid, widths[i + 2]) for gid in range(first, int(widths[i + 1]) + 1))
            i += 3
    return out


def _widths_array(widths: dict[int, object]) -> Array:
    out = Array()
    run: Array | None = None
    for gid in sorted(widths):
        if run is None or gid - 1 not in widths:
            run = Array()
            out.append(gid)
            out.append(run)
        run.append(widths[gid])
    return out


def _harfbuzz_first_pass(data: bytes, keep: list[int]) -> tuple[bytes, dict[int, int]] | None:
    """A CID-keyed CFF font cut by HarfBuzz first: old -> its glyph ids, or None to leave it to fontTools.

    fontTools alone spends half a second reading the 60,000 charset entries and widths of a
    retained-gid CJK subset; HarfBuzz (C) cuts it in milliseconds.  It numbers the glyphs it keeps
    in their old order and keeps their CIDs in the charset; in WeasyPrint's subsets of Noto CJK a
    used glyph's CID is its glyph id, which gives the mapping.  It may keep a few glyphs more (its
    closure): fontTools, run next on the small font, drops them.
    """
    kept = sorted({0, *keep})
    small = harfbuzz().subset_glyphs(data, kept, drop_tables=("vhea", "vmtx", "VORG", "GSUB", "GPOS", "BASE"))
    if small is None:
        return None
    font = TTFont(io.BytesIO(small), recalcBBoxes=False, recalcTimestamp=False)
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    cids = [int(n[3:]) if re.fullmatch(r"cid\d+", n) else -1 for n in font.getGlyphOrder()[1:]]
    # Glyphs keep their old order: CIDs rising with the new ids and holding every kept id are the old ids.
    if any(b <= a for a, b in itertools.pairwise(cids)) or not set(kept[1:]) <= set(cids):
        return None
    return small, {0: 0} | {cid: new for new, cid in enumerate(cids, 1)}


def _subset(data: bytes, keep: list[int]) -> tuple[bytes, dict[int, int]]:
    """``data`` with only the glyphs ``keep`` (and .notdef), numbered compactly; old -> new ids."""
    if data[:4] == b"OTTO":
        first = _harfbuzz_first_pass(data, keep)
        if first is not None:
            small, to_small = first
            out, second = _subset_fonttools(small, [to_small[g] for g in keep])
            return out, {g: second[to_small[g]] for g in {0, *keep}}
    return _subset_fonttools(data, keep)


def _subset_fonttools(data: bytes, keep: list[int]) -> tuple[bytes, dict[int, int]]:
    """fontTools' subset of ``data`` to ``keep``, glyph ids compact, a CID-keyed CFF's charset the identity."""
    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)  # the bounds: slow, unused in a PDF
    old_order = font.getGlyphOrder()
    options = subset.Options(
        retain_gids=False,
        notdef_outline=True,
        glyph_names=False,
        name_IDs=["*"],
        name_languages=["*"],
        layout_features=[],
        desubroutinize=True,
        prune_unicode_ranges=False,
        recalc_timestamp=False,
    )
    options.drop_tables += ["vhea", "vmtx", "VORG", "GSUB", "GPOS", "GDEF", "BASE", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=[0, *keep])
    subsetter.subset(font)
    names = font.getGlyphOrder()
    index = {name: gid for gid, name in enumerate(old_order)}
    mapping = {index[name]: new for new, name in enumerate(names)}
    if "CFF " in font:
        _identity_charset(font, names)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue(), mapping


def _identity_charset(font: TTFont, names: list[str]) -> None:
    """Rename glyph *n* to ``cidNNNNN`` (*n*): a CID-keyed CFF's charset then maps CID *n* to glyph *n*."""
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return  # a name-keyed CFF: readers take the code as the glyph id
    new_names = [".notdef"] + [f"cid{i:05d}" for i in range(1, len(names))]
    rename = dict(zip(names, new_names, strict=True))
    strings = top.CharStrings
    strings.charStrings = {rename[n]: i for n, i in strings.charStrings.items()}
    top.charset = new_names
    font["hmtx"].metrics = {rename[n]: m for n, m in font["hmtx"].metrics.items()}
    if "cmap" in font:
        cmap = font["cmap"]
        cmap.tables = [t for t in cmap.tables if t.format != 14]  # variation sequences: not used in a PDF
        for table in cmap.tables:
            table.cmap = {u: rename[n] for u, n in table.cmap.items() if n in rename}
    font.setGlyphOrder(new_names)


def _visual(text: bytes) -> bytes:
    """A glyph's text (UTF-16BE hex) in visual order when it is a right-to-left ligature.

    A page shows right-to-left text in visual order, and readers recover the
    logical order by reversing the line character by character: a lam-alef
    ligature mapped to its logical "لأ" comes out as "ألن" for "لأن".  Its
    entry is written reversed so that the reader's reversal restores it.
    """
    chars = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    if len(chars) > 1 and all(unicodedata.bidirectional(c) in ("R", "AL", "NSM") for c in chars):
        return chars[::-1].encode("utf-16-be").hex().encode()
    return text


def _remap_cmap(cmap: bytes, mapping: dict[int, int]) -> bytes:
    """The ``bfchar`` entries of a ToUnicode CMap with their codes remapped (WeasyPrint writes no ranges),
    right-to-left ligatures in visual order (:func:`_visual`)."""

    def entry(e: re.Match[bytes]) -> bytes:
        return b"<%04x> <%s>" % (mapping.get(int(e.group(1), 16), 0), _visual(e.group(2)))

    def block(m: re.Match[bytes]) -> bytes:
        return _BFCHAR.sub(entry, m.group(0))

    return _BFCHAR_BLOCK.sub(block, cmap)


def _remap_hex(hexdigits: bytes, mapping: dict[int, int]) -> bytes:
    digits = re.sub(rb"\s+", b"", hexdigits)
    codes = [int(digits[i : i + 4], 16) for i in range(0, len(digits), 4)]
    return b"".join(b"%04x" % mapping.get(c, 0) for c in codes)


def _rewrite_stream(data: bytes, fonts: dict[bytes, dict[int, int]]) -> bytes:
    """The content stream with every glyph code under a remapped font replaced."""
    current: dict[int, int] | None = None
    out: list[bytes] = []
    last = 0
    for m in _TOKENS.finditer(data):
        if m.group(1) is not None:
            current = fonts.get(m.group(1)[1:])
            continue
        if current is None:
            continue
        out += [data[last : m.start()], b"<", _remap_hex(m.group(2), current), b">"]
        last = m.end()
    out.append(data[last:])
    return b"".join(out)


def _streams(contents: object) -> Iterable[pikepdf.Stream]:
    if isinstance(contents, pikepdf.Stream):
        yield contents
    elif isinstance(contents, Array):
        yield from (s for s in contents if isinstance(s, pikepdf.Stream))


def _safe(pdf: pikepdf.Pdf) -> bool:
    """Only page content streams show text, all in hex strings: the regular expressions see every code."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Form:
            resources = obj.get("/Resources")
            if isinstance(resources, Dictionary) and "/Font" in resources:
                return False
    for page in pdf.pages:
        for stream in _streams(page.obj.get("/Contents")):
            if b"(" in stream.read_bytes():
                return False
    return True


def compact_fonts(pdf: pikepdf.Pdf) -> None:
    """Re-subset every embedded Type 0 font with compact glyph ids (see the module docstring)."""
    if not _safe(pdf):
        return
    mappings: dict[tuple[int, int], dict[int, int]] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for font in fonts.values():
            if font.objgen in mappings or font.get("/Subtype") != Name.Type0:
                continue
            cid_font = font.DescendantFonts[0]
            descriptor = cid_font.FontDescriptor
            key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
            if key is None or "/W" not in cid_font or ("/Encoding" in font and font.Encoding != Name("/Identity-H")):
                continue
            old_widths = _read_widths(cid_font.W)
            data, mapping = _subset(descriptor[key].read_bytes(), sorted(old_widths))
            descriptor[key].write(data)
            if key == "/FontFile2":
                descriptor[key].Length1 = len(data)
            cid_font.W = _widths_array({mapping[g]: w for g, w in old_widths.items() if g in mapping})
            if "/CIDSet" in descriptor:
                del descriptor["/CIDSet"]
            if isinstance(font.get("/ToUnicode"), pikepdf.Stream):
                font.ToUnicode.write(_remap_cmap(font.ToUnicode.read_bytes(), mapping))
            mappings[font.objgen] = mapping
    if not mappings:
        return
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        by_name = {str(name)[1:].encode(): mappings[f.objgen] for name, f in fonts.items() if f.objgen in mappings}
        for stream in _streams(page.obj.get("/Contents")):
            stream.write(_rewrite_stream(stream.read_bytes(), by_name))
