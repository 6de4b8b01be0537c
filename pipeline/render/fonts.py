"""Fonts for the render stage: explicit stacks per script, never by chance.

In: a BCP 47 language tag and the text set in it.  Out: the font stacks the
CSS names (serif for running text, sans for headings and labels), the faces
they resolve to on this machine, a coverage check, and font subsets for the
self-contained HTML.

Every family is resolved through fontconfig and must resolve to itself: a
family that is not installed is a :class:`~pipeline.errors.RenderError`, not a
silent substitute.  The stacks never end in a generic family.  Known traps the
stacks avoid: with a generic family, Chinese text picks the Japanese CJK face
(so Simplified Chinese names the SC faces, Japanese the JP faces), and the
Arabic faces have no Latin letters nor ``+ / ( )`` (so a matching Latin face
follows them).  A character that no face of its stack covers fails the build,
naming the text that lacks it: no tofu, and no fallback picked by fontconfig.

Subsets for the HTML are cut, and character maps read, with HarfBuzz
(``libharfbuzz-subset0``, the library WeasyPrint uses for the PDF): fontTools
needs seconds per CJK face, HarfBuzz milliseconds.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.errors import RenderError
from pipeline.lang import bcp47

Role = str  # "serif" (running text) or "sans" (headings, labels, running heads)

ROLES: tuple[Role, ...] = ("serif", "sans")
WEIGHTS = {"serif": (400,), "sans": (400, 700)}  # the faces the CSS uses


@dataclass(frozen=True, slots=True)
class FontStack:
    """The families for one script, in order, for each role."""

    key: str
    serif: tuple[str, ...]
    sans: tuple[str, ...]

    def families(self, role: Role) -> tuple[str, ...]:
        return self.serif if role == "serif" else self.sans


LATIN = FontStack("latin", ("Noto Serif",), ("Noto Sans",))  # Latin, Greek, Cyrillic
STACKS: dict[str, FontStack] = {
    "latin": LATIN,
    "zh-Hans": FontStack("zh-Hans", ("Noto Serif CJK SC", "Noto Serif"), ("Noto Sans CJK SC", "Noto Sans")),
    "zh-Hant": FontStack("zh-Hant", ("Noto Serif CJK TC", "Noto Serif"), ("Noto Sans CJK TC", "Noto Sans")),
    "ja": FontStack("ja", ("Noto Serif CJK JP", "Noto Serif"), ("Noto Sans CJK JP", "Noto Sans")),
    "ko": FontStack("ko", ("Noto Serif CJK KR", "Noto Serif"), ("Noto Sans CJK KR", "Noto Sans")),
    "arabic": FontStack("arabic", ("Noto Naskh Arabic", "Noto Serif"), ("Noto Sans Arabic", "Noto Sans")),
}
_LATIN_LANGS = {
    "en", "fr", "es", "ru", "de", "it", "pt", "nl", "pl", "uk", "cs", "sv", "da", "nb", "fi", "tr", "ro",
    "hu", "el", "bg", "sr", "hr", "sk", "sl", "ca", "vi", "id", "ms", "kk",
}  # fmt: skip
_ARABIC_LANGS = {"ar", "fa", "ur", "ps"}

# Characters that are never drawn with a glyph of their own.
_IGNORED = re.compile("[\t\n\r \u00ad\u034f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufe00-\ufe0f]")


def stack_key(lang: str) -> str:
    tag = bcp47(lang)
    primary = tag.split("-")[0]
    if primary == "zh":
        return "zh-Hant" if "-Hant" in tag else "zh-Hans"
    if primary in ("ja", "ko"):
        return primary
    if primary in _ARABIC_LANGS:
        return "arabic"
    if primary in _LATIN_LANGS:
        return "latin"
    raise RenderError(f"no font stack for language {lang!r}: add one to pipeline/render/fonts.py")


def stack_for(lang: str) -> FontStack:
    return STACKS[stack_key(lang)]


@dataclass(frozen=True, slots=True)
class Face:
    family: str
    weight: int
    file: str
    index: int  # face number in a collection (.ttc)


@functools.cache
def resolve(family: str, weight: int = 400) -> Face:
    """The installed face fontconfig uses for ``family``; a substitute is an error."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        raise RenderError("'fc-match' not found: install fontconfig")
    style = "Bold" if weight >= 600 else "Regular"
    out = subprocess.run(
        [fc_match, "-f", "%{family}\t%{style}\t%{file}\t%{index}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    fields = out.split("\t")
    if len(fields) != 4 or family not in fields[0].split(",") or style not in fields[1].split(","):
        raise RenderError(
            f"font {family!r} ({style}) is not installed (fontconfig offers {fields[0]!r}); "
            "install the packages in system-packages.txt"
        )
    return Face(family, weight, fields[2], int(fields[3]))


@functools.cache
def _cmap(file: str, index: int) -> frozenset[int]:
    """The code points the face maps to a glyph (its best ``cmap`` subtable), read by HarfBuzz."""
    return _harfbuzz().unicodes(file, index)


def coverage(family: str, weight: int = 400) -> frozenset[int]:
    face = resolve(family, weight)
    return _cmap(face.file, face.index)


def missing(text: str, lang: str) -> list[str]:
    """Characters of ``text`` that no face of ``lang``'s stacks has, for some role."""
    chars = sorted(set(_IGNORED.sub("", text)))
    stack = stack_for(lang)
    lacking: list[str] = []
    for ch in chars:
        cp = ord(ch)
        for role in ROLES:
            if not any(cp in coverage(fam) for fam in stack.families(role)):
                lacking.append(ch)
                break
    return lacking


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def check_text(text: str, lang: str, path: str | None = None, line: int | None = None) -> None:
    """Raise :class:`RenderError` naming the text when a character has no glyph in its stack."""
    lacking = missing(text, lang)
    if not lacking:
        return
    ch = lacking[0]
    stack = stack_for(lang)
    fams = ", ".join(dict.fromkeys(stack.serif + stack.sans))
    at = text.index(ch)
    snippet = text[max(0, at - 30) : at + 30]
    more = f" (and {len(lacking) - 1} more)" if len(lacking) > 1 else ""
    raise RenderError(
        f"no glyph for {describe(ch)}{more} in the {lang} fonts ({fams}), in the text {snippet!r}", path, line
    )


def css_family(families: Iterable[str]) -> str:
    return ", ".join(f'"{f}"' for f in families)


# -- Subsets for the HTML -------------------------------------------------------------------------


class _HarfBuzz:
    """The few HarfBuzz calls a subset needs, through ctypes.

    Why not uharfbuzz (issue 10; ``bench/harfbuzz.py`` measures it, figures and decision in
    ``docs/rendering.md``, "Why HarfBuzz through ctypes"): on the 18 faces of the stacks its
    character maps are equal and as fast (per CJK face 1.7-2.7 ms against 1.9-3.1 ms here; its
    subsets 5-15% slower), but its wheel bundles its own HarfBuzz (15.0.0 in uharfbuzz 0.57,
    Debian has 6.0.0), and none of the 27 subsets it cut from the project's catalogs was
    byte-identical to ours (the CJK ones up to 5% smaller): switching would change every font in
    ``dist/fonts/``, and tie the subsets to the wheel's HarfBuzz rather than Debian's, the one
    WeasyPrint uses.
    """

    def __init__(self) -> None:
        name = ctypes.util.find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0"
        try:
            sub = ctypes.CDLL(name)
            core = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
        except OSError:
            raise RenderError("libharfbuzz-subset is missing: apt-get install libharfbuzz-subset0") from None
        vp = ctypes.c_void_p
        sig = {
            (core, "hb_blob_create_from_file_or_fail"): (vp, [ctypes.c_char_p]),
            (core, "hb_face_create"): (vp, [vp, ctypes.c_uint]),
            (core, "hb_face_reference_blob"): (vp, [vp]),
            (core, "hb_blob_get_data"): (ctypes.POINTER(ctypes.c_char), [vp, ctypes.POINTER(ctypes.c_uint)]),
            (core, "hb_set_add"): (None, [vp, ctypes.c_uint32]),
            (core, "hb_set_create"): (vp, []),
            (core, "hb_set_destroy"): (None, [vp]),
            (core, "hb_set_get_population"): (ctypes.c_uint, [vp]),
            (core, "hb_set_next_many"): (ctypes.c_uint, [vp, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_uint]),
            (core, "hb_face_collect_unicodes"): (None, [vp, vp]),
            (core, "hb_blob_destroy"): (None, [vp]),
            (core, "hb_face_destroy"): (None, [vp]),
            (sub, "hb_subset_input_create_or_fail"): (vp, []),
            (sub, "hb_subset_input_unicode_set"): (vp, [vp]),
            (sub, "hb_subset_input_glyph_set"): (vp, [vp]),
            (sub, "hb_subset_input_set"): (vp, [vp, ctypes.c_int]),
            (core, "hb_blob_create"): (vp, [ctypes.c_char_p, ctypes.c_uint, ctypes.c_int, vp, vp]),
            (sub, "hb_subset_input_destroy"): (None, [vp]),
            (sub, "hb_subset_or_fail"): (vp, [vp, vp]),
        }
        self._fn: dict[str, Any] = {}
        for (lib, fn), (res, args) in sig.items():
            f = getattr(lib, fn)
            f.restype, f.argtypes = res, args
            self._fn[fn] = f

    def __getattr__(self, name: str) -> Any:
        return self._fn[name]

    @contextlib.contextmanager
    def _face(self, file: str, index: int) -> Iterator[Any]:
        """A HarfBuzz face of the file's ``index``-th font, destroyed after use."""
        blob = self.hb_blob_create_from_file_or_fail(file.encode())
        if not blob:
            raise RenderError(f"cannot read font file {file}")
        face = self.hb_face_create(blob, index)
        try:
            yield face
        finally:
            self.hb_face_destroy(face)
            self.hb_blob_destroy(blob)

    def unicodes(self, file: str, index: int) -> frozenset[int]:
        """The face's character map: milliseconds, where fontTools needs a second for a CJK face."""
        with self._face(file, index) as face:
            found = self.hb_set_create()
            try:
                self.hb_face_collect_unicodes(face, found)
                size = self.hb_set_get_population(found)
                out = (ctypes.c_uint32 * max(size, 1))()
                got = self.hb_set_next_many(found, 0xFFFFFFFF, out, size)  # HB_SET_VALUE_INVALID: from the start
                return frozenset(out[:got])
            finally:
                self.hb_set_destroy(found)

    def subset_glyphs(self, data: bytes, glyphs: Iterable[int], drop_tables: Iterable[str] = ()) -> bytes | None:
        """The font ``data`` cut to ``glyphs`` (and what they need), glyph ids compact; None if HarfBuzz fails.

        ``drop_tables``: tags of tables to leave out.
        """
        blob = self.hb_blob_create(data, len(data), 1, None, None)  # HB_MEMORY_MODE_READONLY: ``data`` outlives it
        face = self.hb_face_create(blob, 0)
        inp = self.hb_subset_input_create_or_fail()
        try:
            gset = self.hb_subset_input_glyph_set(inp)
            for gid in sorted(glyphs):
                self.hb_set_add(gset, gid)
            drop = self.hb_subset_input_set(inp, 3)  # HB_SUBSET_SETS_DROP_TABLE_TAG
            for tag in drop_tables:
                self.hb_set_add(drop, int.from_bytes(tag.encode("latin-1"), "big"))
            return self._run_subset(face, inp)
        finally:
            self.hb_subset_input_destroy(inp)
            self.hb_face_destroy(face)
            self.hb_blob_destroy(blob)

    def subset(self, file: str, index: int, codepoints: Iterable[int]) -> bytes:
        with self._face(file, index) as face:
            inp = self.hb_subset_input_create_or_fail()
            try:
                uset = self.hb_subset_input_unicode_set(inp)
                for cp in sorted(codepoints):
                    self.hb_set_add(uset, cp)
                data = self._run_subset(face, inp)
                if data is None:
                    raise RenderError(f"HarfBuzz could not subset {file}")
                return data
            finally:
                self.hb_subset_input_destroy(inp)

    def _run_subset(self, face: Any, inp: Any) -> bytes | None:
        """Run a prepared subset input on ``face``: the new font's bytes, None if HarfBuzz fails."""
        out = self.hb_subset_or_fail(face, inp)
        if not out:
            return None
        blob = self.hb_face_reference_blob(out)
        try:
            size = ctypes.c_uint()
            ptr = self.hb_blob_get_data(blob, ctypes.byref(size))
            return ctypes.string_at(ptr, size.value)
        finally:
            self.hb_blob_destroy(blob)
            self.hb_face_destroy(out)


@functools.lru_cache(maxsize=1)
def harfbuzz() -> _HarfBuzz:
    """The process's HarfBuzz binding (loaded once)."""
    return _harfbuzz()


@functools.lru_cache(maxsize=1)
def _harfbuzz() -> _HarfBuzz:
    return _HarfBuzz()


@dataclass(frozen=True, slots=True)
class WebFont:
    family: str
    weight: int
    filename: str  # content-addressed: the same subset always has the same name
    data: bytes


def web_fonts(text_by_lang: dict[str, str]) -> list[WebFont]:
    """Subsets of every face the page's CSS may use, each cut to the page's characters it has."""
    faces: dict[tuple[str, int], set[int]] = {}
    for lang, text in sorted(text_by_lang.items()):
        cps = {ord(c) for c in _IGNORED.sub("", text)} | {0x20, 0xA0}
        stack = stack_for(lang)
        for role in ROLES:
            for weight in WEIGHTS[role]:
                for fam in stack.families(role):
                    faces.setdefault((fam, weight), set()).update(cps & coverage(fam, weight))
    out: list[WebFont] = []
    for (fam, weight), cps in sorted(faces.items()):
        if not cps:
            continue
        face = resolve(fam, weight)
        data = woff(_harfbuzz().subset(face.file, face.index, cps))
        digest = hashlib.sha256(data).hexdigest()[:12]
        out.append(WebFont(fam, weight, f"{fam.replace(' ', '')}-{weight}-{digest}.woff", data))
    return out


def woff(data: bytes) -> bytes:
    """``data`` (an OpenType font) as WOFF: each table zlib-compressed, the same bytes for the same font.

    WOFF, not WOFF2: WOFF2 saves another 10-25% but its Brotli (quality 11 in fontTools) took 2.7 s
    for the three CJK subsets of the Chinese seed page, against 0.07 s for all of them with zlib
    (docs/rendering.md).  No table is recalculated, no timestamp set.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def font_format(filename: str) -> str:
    """The CSS ``format()`` hint of a web-font file name."""
    return {"woff": "woff", "woff2": "woff2", "otf": "opentype"}.get(filename.rsplit(".", 1)[-1], "truetype")
