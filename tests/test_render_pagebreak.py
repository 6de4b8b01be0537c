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
from render_support import make_project, outputs, pdf_words

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


@pytest.fixture(scope="module", params=["side-by-side", "interlinear"])
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
    """Side by side: both start on one page.  Interlinear: the translation follows its source's end."""
    words = pdf_words(sweep_pdf)
    first: dict[str, tuple[int, float]] = {}
    for w in words:
        key = w.text[:3]
        if re.fullmatch(r"[ST]\d\d", key) and key not in first:
            first[key] = (w.page, w.y0)
    for i in range(1, len(SIZES) + 1):
        src, tgt = first[f"S{i:02d}"], first[f"T{i:02d}"]
        if "interlinear" in sweep_pdf.as_posix():
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
