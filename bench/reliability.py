"""Bounded work: ``check`` on one huge entry, at 100 kB and 1 MB, for inputs that trip regular expressions.

Run: ``python bench/reliability.py`` (from the repository root).  Prints a Markdown table: the
seconds of :func:`pipeline.qa.check.check_catalog` on a catalog of one entry whose msgid and
msgstr are each about N characters of one shape, and the ratio 1 MB / 100 kB (10 is linear;
the quadratic patterns this replaced gave about 100).  The catalog is written and read as
``check`` does, ``msgfmt -c`` included.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.qa.check import check_catalog

PROSE = 'GDP grew 5.3% to 3 trillion yuan in 2023 (see https://example.org/a, "a@b.org"); {{ x }} <b> '
HAN = "二〇二三年增长百分之五点三，达到三万亿元（见 https://example.org/a）「一二十」。"


def shapes(n: int) -> dict[str, tuple[str, str]]:
    return {
        "prose, numbers, URLs (en -> zh)": (PROSE * (n // len(PROSE)), HAN * (n // len(HAN))),
        "one word, no space": ("x" * n, "y" * n),
        "short words": ("a " * (n // 2), "b " * (n // 2)),
        "digits and spaces": ("1 " * (n // 2), "1 " * (n // 2)),
        "unclosed {{ and {%": ("{{ " * (n // 3), "{% " * (n // 3)),
        "unclosed <tags": ("<a " * (n // 3), "<b " * (n // 3)),
        "Chinese numerals, touching": ("一二十" * (n // 3), "二十一" * (n // 3)),
        "brackets": ("(" * n, "（" * n),
        "@ without a domain": ("a@" * (n // 2), "b@" * (n // 2)),
    }


def seconds(source: str, target: str, folder: Path) -> float:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_CN",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    po.append(polib.POEntry(msgid=source, msgstr=target))
    path = folder / "big.po"
    po.save(str(path))
    start = time.perf_counter()
    check_catalog(path, locale="zh_CN", domain="big")
    return time.perf_counter() - start


def main() -> None:
    small, large = 100_000, 1_000_000
    print(f"| input (msgid and msgstr each) | {small // 1000} kB | {large // 1_000_000} MB | ratio |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        few, many = shapes(small), shapes(large)
        for name in few:
            a, b = seconds(*few[name], folder), seconds(*many[name], folder)
            print(f"| {name} | {a:.2f} s | {b:.2f} s | {b / a:.1f} |", flush=True)


if __name__ == "__main__":
    main()
