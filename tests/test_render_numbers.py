"""``--numbers``: each paragraph's number (¶) and each sentence's, the same on both sides, inside the text block.

The page-break sweep (pairs from one sentence to more than a page) is built with
``--numbers`` side by side and on facing pages.  From every word's box
(``pdftotext -bbox``), the numbers read in order in the source column (or on
the versos) are exactly those of the translation column (or the rectos): ¶1 1 2
3 ¶2 1 ..., sentence numbers continuing across a page break; no number lies
outside the text block.  Without the option, no number is printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from render_support import Word, make_project, outputs, pdf_text, pdf_words
from test_render_pagebreak import SIZES, SPEAKER_META, sweep_body, translate

from pipeline.cli import main
from pipeline.render.html import PAGE_MM, text_block_x

MM = 72 / 25.4
LEFT, RIGHT = PAGE_MM["left"] * MM, (PAGE_MM["width"] - PAGE_MM["right"]) * MM
TOP, BOTTOM = PAGE_MM["top"] * MM, (PAGE_MM["height"] - PAGE_MM["bottom"]) * MM
MIDDLE = (LEFT + RIGHT) / 2


@pytest.fixture(scope="module", params=["side-by-side", "facing"])
def numbered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp(f"numbers-{request.param}")
    make_project(
        root, sweep_body(), {"fr": translate}, title="Sweep Brief", speakers=SPEAKER_META, layout=request.param
    )
    assert main(["--root", str(root), "build", "--numbers"]) == 0
    return request.param, outputs(root, "fr")[1]


def lines(pdf: Path) -> list[list[Word]]:
    """Poppler's lines (``-bbox-layout``), each its words, with their page."""
    layout = pdf_text(pdf, "-bbox-layout")
    word = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    out = []
    for page, body in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", layout, re.S), 1):
        for line in re.findall(r"<line [^>]*>(.*?)</line>", body, re.S):
            found = [Word(page, t, float(a), float(b), float(c), float(d)) for a, b, c, d, t in re.findall(word, line)]
            if found:
                out.append(found)
    return out


def numbers(lines: list[list[Word]]) -> list[str]:
    """The ¶ labels and the superscript sentence numbers (smaller boxes than the text's), in reading order.

    A mark is ordered by the text line it sits on: the line of the nearest text word whose box holds the
    mark's foot (poppler may put a superscript on a line of its own).
    """
    words = [w for line in lines for w in line if w.y0 >= TOP - 2 and w.y1 <= BOTTOM + 2]
    heights = sorted(w.y1 - w.y0 for w in words)
    height = heights[len(heights) // 2]

    def is_mark(w: Word) -> bool:
        return w.text.startswith("¶") or (w.text.isdigit() and w.y1 - w.y0 < 0.75 * height)

    text = [w for w in words if not is_mark(w)]

    def key(m: Word) -> tuple[int, float, float]:
        holders = [w for w in text if w.page == m.page and w.y0 <= m.y1 - 1 <= w.y1]
        line = min(holders, key=lambda w: abs(w.x0 - m.x1)) if holders else m
        return m.page, round(line.y0), m.x0

    return [m.text for m in sorted((w for w in words if is_mark(w)), key=key)]


def test_both_sides_carry_the_same_numbers(numbered: tuple[str, Path]) -> None:
    layout, pdf = numbered
    found = lines(pdf)
    if layout == "facing":
        source = numbers([line for line in found if line[0].page % 2 == 1])
        target = numbers([line for line in found if line[0].page % 2 == 0])
    else:
        source = numbers([line for line in found if line[-1].x1 < MIDDLE])
        target = numbers([line for line in found if line[0].x0 > MIDDLE])
    assert source == target
    assert [n for n in source if n.startswith("¶")] == [f"¶{i}" for i in range(1, len(SIZES) + 1)]
    assert len(source) == len(SIZES) + sum(1 + k for k in SIZES)  # a ¶ and every sentence of every pair
    sentences = " ".join(source).split("¶")[1:]
    for i, run in enumerate(sentences, 1):
        assert run.split()[1:] == [str(n) for n in range(1, SIZES[i - 1] + 2)], f"¶{i}"


def test_numbers_stay_inside_the_text_block(numbered: tuple[str, Path]) -> None:
    layout, pdf = numbered
    marks = [w for w in pdf_words(pdf) if w.text.startswith("¶")]
    assert marks
    for w in marks:  # facing pages: each page's own block (mirrored margins)
        left, right = (x * MM for x in text_block_x(w.page, layout))
        assert w.x0 >= left - 0.5 and w.x1 <= right + 0.5 and w.y0 >= TOP - 2 and w.y1 <= BOTTOM + 2, w


def test_no_numbers_unless_asked(tmp_path: Path) -> None:
    make_project(tmp_path, "Agency | July 5, 2024\nS01 opens the paragraph.\n", {"fr": translate}, title="Sweep Brief")
    assert main(["--root", str(tmp_path), "build"]) == 0
    html, pdf = outputs(tmp_path, "fr")
    assert 'class="segno' not in html.read_text("utf-8")
    assert not any(re.match("¶", w.text) for w in pdf_words(pdf))
