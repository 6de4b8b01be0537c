"""Benchmark: HarfBuzz through our ctypes binding against uharfbuzz, on the faces the stacks use.

Usage: ``.venv/bin/python bench/harfbuzz.py [--rounds 9]`` (needs ``.venv/bin/pip install uharfbuzz``)

Answers issue 10's question "uharfbuzz, if it gives the same character maps
and speed" for :mod:`pipeline.render.fonts`, on every face that
``STACKS``/``resolve`` name here:

a. character maps: equal as sets, per face;
b. time: median wall milliseconds to read one face's character map (file to
   ``frozenset``, as ``fonts._cmap`` needs it), and to cut one subset, per face;
c. subset bytes: ``web_fonts`` run on the project's own catalogs (source and
   translation text of every locale, as the HTML brief sets it), once with the
   ctypes binding and once with uharfbuzz in its place: byte-identical or not;
d. weight: uharfbuzz's installed size, and the HarfBuzz versions on each side.

Reads ``locale/`` and the fonts; writes nothing.  A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.metadata
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.render import fonts  # noqa: E402

try:
    import uharfbuzz as hb
except ImportError:
    raise SystemExit("uharfbuzz is not installed: .venv/bin/pip install uharfbuzz") from None


class UHarfBuzz:
    """The two calls of ``fonts._HarfBuzz`` through uharfbuzz, with the same default subset input."""

    def unicodes(self, file: str, index: int) -> frozenset[int]:
        return frozenset(hb.Face(hb.Blob.from_file_path(file), index).unicodes)

    def subset(self, file: str, index: int, codepoints: Iterable[int]) -> bytes:
        face = hb.Face(hb.Blob.from_file_path(file), index)
        inp = hb.SubsetInput()
        inp.unicode_set.update(sorted(codepoints))
        return hb.subset(face, inp).blob.data


def faces() -> list[tuple[str, fonts.Face]]:
    """Every face the stacks resolve to, once each, named by its first family and weight."""
    out: dict[tuple[str, int], tuple[str, fonts.Face]] = {}
    for stack in fonts.STACKS.values():
        for role in fonts.ROLES:
            for weight in fonts.WEIGHTS[role]:
                for fam in stack.families(role):
                    face = fonts.resolve(fam, weight)
                    out.setdefault((face.file, face.index), (f"{fam} {weight}", face))
    return list(out.values())


def median_ms(call: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def project_texts() -> dict[str, dict[str, str]]:
    """Per locale, the page's text by language: every msgid (English) and msgstr of its catalogs."""
    texts: dict[str, dict[str, str]] = {}
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        locale = po_path.parent.parent.name
        page = texts.setdefault(locale, {"en": "", locale: ""})
        for entry in polib.pofile(str(po_path)):
            page["en"] += entry.msgid + "\n"
            page[locale] += entry.msgstr + "".join(entry.msgstr_plural.values()) + "\n"
    return texts


def web_fonts_with(binding: object, text: dict[str, str]) -> list[fonts.WebFont]:
    """``fonts.web_fonts`` with ``binding`` in place of the ctypes one (character maps read again)."""
    saved = fonts._harfbuzz
    fonts._harfbuzz = lambda: binding  # type: ignore[assignment]
    fonts._cmap.cache_clear()
    try:
        return fonts.web_fonts(text)
    finally:
        fonts._harfbuzz = saved
        fonts._cmap.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="timed runs per face (median)")
    args = parser.parse_args()
    ours, theirs = fonts._harfbuzz(), UHarfBuzz()
    lib = ctypes.CDLL("libharfbuzz.so.0")
    lib.hb_version_string.restype = ctypes.c_char_p
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {platform.platform()}")
    print(f"ctypes:    HarfBuzz {lib.hb_version_string().decode()} (Debian libharfbuzz0b, libharfbuzz-subset0)")
    dist = importlib.metadata.distribution("uharfbuzz")
    size = sum((f.size or 0) for f in dist.files or ())
    print(f"uharfbuzz: {dist.version}, bundling HarfBuzz {hb.version_string()}; installed {size / 1e6:.1f} MB")
    deb = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Installed-Size}", "libharfbuzz-subset0"], capture_output=True, text=True
    ).stdout
    if deb:
        print(f"           (libharfbuzz-subset0, already in system-packages.txt: {int(deb) / 1000:.1f} MB)")

    print(f"\n(a) character maps and (b) median ms of {args.rounds} runs: cmap ctypes / uharfbuzz, subset ditto")
    print("| face | code points | maps equal | cmap ctypes | cmap uharfbuzz | subset ctypes | subset uharfbuzz |")
    print("|---|---:|---|---:|---:|---:|---:|")
    sample = {ord(c) for c in "Le comité 委员会审议了港口计划。会議は計画を検討した。ناقشت اللجنة الخطة 2024"}
    all_equal = True
    cjk: list[list[float]] = []
    for name, face in faces():
        mine = ours.unicodes(face.file, face.index)
        other = theirs.unicodes(face.file, face.index)
        all_equal &= mine == other
        cps = sample & mine
        row = [
            median_ms(lambda f=face: ours.unicodes(f.file, f.index), args.rounds),
            median_ms(lambda f=face: theirs.unicodes(f.file, f.index), args.rounds),
            median_ms(lambda f=face, c=cps: ours.subset(f.file, f.index, c), args.rounds),
            median_ms(lambda f=face, c=cps: theirs.subset(f.file, f.index, c), args.rounds),
        ]
        if "CJK" in name:
            cjk.append(row)
        cells = " | ".join(f"{ms:.1f}" for ms in row)
        print(f"| {name} (#{face.index}) | {len(mine)} | {'yes' if mine == other else 'NO'} | {cells} |")
    print(f"\n(a) all character maps equal: {'yes' if all_equal else 'NO'}")
    if cjk:
        mid = [statistics.median(col) for col in zip(*cjk, strict=True)]
        print(
            f"(b) per CJK face, median of the {len(cjk)} faces: cmap {mid[0]:.1f} ms ctypes, "
            f"{mid[1]:.1f} ms uharfbuzz; subset {mid[2]:.1f} ms ctypes, {mid[3]:.1f} ms uharfbuzz"
        )

    print("\n(c) web_fonts on the project's catalogs: subsets byte-identical?")
    print("| locale | subset | bytes ctypes | bytes uharfbuzz | identical |")
    print("|---|---|---:|---:|---|")
    same = total = 0
    for locale, text in project_texts().items():
        mine_fonts = web_fonts_with(ours, text)
        other_fonts = web_fonts_with(theirs, text)
        for a, b in zip(mine_fonts, other_fonts, strict=True):
            total += 1
            same += a.data == b.data
            print(f"| {locale} | {a.family} {a.weight} | {len(a.data)} | {len(b.data)} | {a.data == b.data} |")
    print(f"\n(c) {same} of {total} subsets byte-identical")


if __name__ == "__main__":
    main()
