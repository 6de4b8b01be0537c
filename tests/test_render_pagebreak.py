"""Page breaks: paragraph pairs of swept lengths never enter the margins and start on one page.

CSS grid rows were seen to fail in WeasyPrint (a translation cell drawn into
the top margin); the briefs use one table row per pair.  This sweeps pair
lengths from one line to more than a page, so that page breaks fall at every
offset inside and between pairs, in both layouts, and checks from the PDF's
word positions (``pdftotext -bbox``) that:

* no body word lies in the top or bottom margin (the running heads do, and
  are told apart by their words);
* each pair's translation starts on the page where its source starts;
* a speaker label is never the last thing on a page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from render_support import Word, make_project, outputs, pdf_words

from pipeline.cli import main
from pipeline.render.html import PAGE_MM

MM = 72 / 25.4
EN = [
    "The committee reviewed the plan for the river port and the rail corridor.",
    "Officials said the new logistics park would open next spring.",
    "Investment in the western region grew faster than expected last year.",
]
FR = [
    "Le comité a examiné le plan du port fluvial et du corridor ferroviaire.",
    "Les responsables ont indiqué que le nouveau parc logistique ouvrirait au printemps prochain.",
    "L’investissement dans la région occidentale a progressé plus vite que prévu l’an dernier.",
]
SIZES = [1, 4, 7, 2, 9, 3, 12, 5, 6, 14, 8, 2, 11, 40, 3, 10, 1, 13, 6, 9, 4, 15, 2, 7]
SPEAKERS = ("Alpha Desk", "Beta Office")
LABELS = {"Alpha Desk": "Bureau Alpha", "Beta Office": "Office Bêta"}


def sweep_body() -> str:
    lines = ["Agency | July 5, 2024"]
    for i, k in enumerate(SIZES, 1):
        if i % 3 == 1:
            lines.append(f"{SPEAKERS[(i // 3) % 2]}:")
        lines.append(" ".join([f"S{i:02d} opens the paragraph."] + [EN[j % 3] for j in range(k)]))
    return "\n".join(lines) + "\n"


def translate(msgid: str, ctxt: str | None) -> str | None:
    if ctxt == "title":
        return "Dossier balayage"
    if ctxt == "outlet":
        return "Agence"
    if ctxt == "speaker":
        return LABELS[msgid]
    m = re.fullmatch(r"S(\d+) opens the paragraph\.", msgid)
    if m:
        return f"T{m.group(1)} ouvre le paragraphe."
    return dict(zip(EN, FR, strict=True))[msgid]


SPEAKER_META = "".join(
    f'[[speakers]]\nname = "{s}"\nrole = "{r}"\n' for s, r in zip(SPEAKERS, ("question", "answer"), strict=True)
)
BODY_WORDS = {w.strip(".,’") for s in EN + FR for w in s.split()} - {""}
FRENCH = {w.strip(".,’") for s in FR for w in s.split()}
ENGLISH = ({w.strip(".,’") for s in EN for w in s.split()} | {"opens", "paragraph"}) - FRENCH
HEAD_WORDS = {"Dossier", "balayage", "Anglais", "–", "Français", "Page", "sur"}


@pytest.fixture(scope="module", params=["side-by-side", "interlinear", "facing"])
def sweep_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"sweep-{request.param}")
    make_project(
        root, sweep_body(), {"fr": translate}, title="Sweep Brief", speakers=SPEAKER_META, layout=request.param
    )
    assert main(["--root", str(root), "build"]) == 0
    return outputs(root, "fr")[1]


def test_sweep_crosses_many_page_breaks(sweep_pdf: Path) -> None:
    words = pdf_words(sweep_pdf)
    pages = max(w.page for w in words)
    assert pages >= 8
    starts = {w.text[:3] for w in words if re.fullmatch(r"[ST]\d\d", w.text[:3])}
    assert len(starts) == 2 * len(SIZES)


def test_no_body_text_in_the_margins(sweep_pdf: Path) -> None:
    top = PAGE_MM["top"] * MM
    bottom = (PAGE_MM["height"] - PAGE_MM["bottom"]) * MM
    body = [w for w in pdf_words(sweep_pdf) if w.text.strip(".,’") in BODY_WORDS - HEAD_WORDS]
    assert len(body) > 1000
    strays = [w for w in body if w.y0 < top - 0.5 or w.y1 > bottom + 0.5]
    assert not strays, strays[:5]
    footers = [w for w in pdf_words(sweep_pdf) if w.text == "Page"]
    assert footers and all(w.y0 >= bottom for w in footers)


def test_each_pair_starts_on_one_page(sweep_pdf: Path) -> None:
    """Side by side: both start on one page.  Interlinear: the translation follows its source's end.
    Facing: the source on an odd page (verso), the translation on the next page (recto), level."""
    words = pdf_words(sweep_pdf)
    first: dict[str, tuple[int, float]] = {}
    for w in words:
        key = w.text[:3]
        if re.fullmatch(r"[ST]\d\d", key) and key not in first:
            first[key] = (w.page, w.y0)
    for i in range(1, len(SIZES) + 1):
        src, tgt = first[f"S{i:02d}"], first[f"T{i:02d}"]
        if "facing" in sweep_pdf.as_posix():
            assert src[0] % 2 == 1 and tgt[0] == src[0] + 1, f"pair {i}: source on page {src[0]}, translation {tgt[0]}"
            assert abs(tgt[1] - src[1]) < 0.5, f"pair {i}: not level"
        elif "interlinear" in sweep_pdf.as_posix():
            above = [w for w in words if w.page == tgt[0] and w.y1 <= tgt[1] and w.text.strip(".,’") in ENGLISH]
            assert above, f"pair {i}: a page break between the source and its translation"
        else:
            assert src[0] == tgt[0], f"pair {i}: source on page {src[0]}, translation on page {tgt[0]}"
            assert abs(tgt[1] - src[1]) < 0.5, f"pair {i}: not top-aligned"


def test_speaker_label_never_ends_a_page(sweep_pdf: Path) -> None:
    words = pdf_words(sweep_pdf)
    labels = [w for w in words if w.text in ("Alpha", "Bêta")]
    assert len(labels) >= len(SIZES) // 3
    for label in labels:
        below = [w for w in words if w.page == label.page and w.y0 > label.y1 and w.text.strip(".,’") in BODY_WORDS]
        assert below, f"speaker label alone at the bottom of page {label.page}"


def body_lines(words: list[Word], page: int, column: int) -> list[list[Word]]:
    """The body lines of one column of a page (0: the whole width in interlinear, 1: left, 2: right), top down."""
    middle = (PAGE_MM["left"] + (PAGE_MM["width"] - PAGE_MM["left"] - PAGE_MM["right"]) / 2) * MM
    top, bottom = PAGE_MM["top"] * MM - 2, (PAGE_MM["height"] - PAGE_MM["bottom"]) * MM + 2
    known = BODY_WORDS | {"opens", "paragraph", "ouvre", "paragraphe"} | set(LABELS.values())

    def wanted(w: Word) -> bool:
        in_column = column == 0 or (column == 1) == (w.x1 < middle)
        in_block = top <= w.y0 and w.y1 <= bottom
        return w.page == page and in_column and in_block and (w.text.strip(".,’") in known or is_marker(w))

    picked = [w for w in words if wanted(w)]
    lines: dict[int, list[Word]] = {}
    for w in picked:
        lines.setdefault(round(w.y0), []).append(w)
    return [lines[y] for y in sorted(lines)]


def is_marker(w: Word) -> bool:
    return re.fullmatch(r"[ST]\d\d", w.text) is not None


def test_no_page_but_the_last_is_more_than_15_percent_empty(sweep_pdf: Path) -> None:
    words = pdf_words(sweep_pdf)
    top, bottom = PAGE_MM["top"] * MM, (PAGE_MM["height"] - PAGE_MM["bottom"]) * MM
    pages = max(w.page for w in words)
    step = 2 if "facing" in sweep_pdf.as_posix() else 1  # facing: the fuller page of each spread
    for page in range(1, pages - step + 1, step):
        lowest = max(w.y1 for w in words if page <= w.page < page + step and w.y1 <= bottom + 2)
        empty = (bottom - lowest) / (bottom - top)
        assert empty <= 0.15, f"page {page} is {empty:.0%} empty"


def test_no_single_line_stranded_at_a_head_or_foot(sweep_pdf: Path) -> None:
    """A paragraph split by a page break leaves at least two lines on each side, in each column."""
    words = pdf_words(sweep_pdf)
    pages = max(w.page for w in words)
    columns = (1, 2) if "side-by-side" in sweep_pdf.as_posix() else (0,)
    step = 2 if "facing" in sweep_pdf.as_posix() else 1  # facing: a verso continues the verso before it
    for page in range(1 + step, pages + 1):
        for column in columns:
            lines = body_lines(words, page, column)
            starts = [i for i, line in enumerate(lines) if any(is_marker(w) for w in line)]
            carried = starts[0] if starts else len(lines)
            if carried == 0:
                continue
            assert carried >= 2, f"page {page}, column {column}: one line carried over from the page before"
            before = body_lines(words, page - step, column)
            last_start = max((i for i, line in enumerate(before) if any(is_marker(w) for w in line)), default=0)
            assert len(before) - last_start >= 2, f"page {page - 1}, column {column}: one line left at the foot"
