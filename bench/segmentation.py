"""Segmentation accuracy and speed: raw sentencex versus our layer over it.

Usage: .venv/bin/python bench/segmentation.py
Reads the golden cases in tests/segmentation/*.txt; prints cases passed and
throughput on a long synthetic English text.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import sentencex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.sources.reader import normalise_line  # noqa: E402
from pipeline.sources.segment import load_rules, segment_text  # noqa: E402


def golden_rules() -> list[tuple[str, list[str]]]:
    """The 48 English golden rules (rewritten with our own sentences: tests/segmentation/golden-rules/en.txt)."""
    out = []
    for block in (ROOT / "tests" / "segmentation" / "golden-rules" / "en.txt").read_text("utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#")]
        if lines:
            out.append((lines[0], [ln[2:] for ln in lines[1:]]))
    return out


def cases() -> list[tuple[str, str, list[str]]]:
    out = []
    for file in sorted((ROOT / "tests" / "segmentation").glob("*.txt")):
        for block in file.read_text("utf-8").split("\n\n"):
            lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#")]
            if lines:
                out.append((file.stem, lines[0], [ln[2:] for ln in lines[1:]]))
    return out


def main() -> None:
    raw_ok = ours_ok = 0
    all_cases = cases()
    for lang, text, expected in all_cases:
        raw = [s.strip() for s in sentencex.segment(lang, text) if s.strip()]
        ours = [text[a:b] for a, b in segment_text(text, lang, load_rules(lang, ROOT / "segmentation.toml"))]
        raw_ok += raw == expected
        ours_ok += ours == expected
    print(f"golden cases: {len(all_cases)}; raw sentencex {raw_ok}; pipeline layer {ours_ok}")
    rules = golden_rules()
    raw_ok = ours_ok = 0
    en = load_rules("en")
    for text, expected in rules:
        # A line break reaches sentencex as written; our layer gets the line as the importer leaves it.
        raw = [s.strip() for s in sentencex.segment("en", text.replace("\\n", "\n")) if s.strip()]
        joined = " ".join(normalise_line(part) for part in text.split("\\n"))
        ours = [joined[a:b] for a, b in segment_text(joined, "en", en)]
        raw_ok += raw == expected
        ours_ok += ours == expected
    print(f"English golden rules (rewritten): {len(rules)}; raw sentencex {raw_ok}; pipeline layer {ours_ok}")
    seed = (ROOT / "seeds" / "2024-07-05-chongqing-press-conference.txt").read_text("utf-8").splitlines()[1:]
    paragraphs = [p for p in seed if len(p) > 40] * 200
    size = sum(len(p.encode()) for p in paragraphs)
    rules = load_rules("en")
    t = time.perf_counter()
    for p in paragraphs:
        list(sentencex.segment("en", p))
    raw_s = time.perf_counter() - t
    t = time.perf_counter()
    for p in paragraphs:
        segment_text(p, "en", rules)
    ours_s = time.perf_counter() - t
    mb = size / 1e6
    print(f"throughput on {mb:.1f} MB: raw sentencex {mb / raw_s:.1f} MB/s; pipeline layer {mb / ours_s:.1f} MB/s")


if __name__ == "__main__":
    main()
