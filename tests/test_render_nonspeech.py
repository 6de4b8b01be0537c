"""Stage directions and section headers (issue 11) set as what they are, not as speech.

A brief with "(Laughter.)" and a "## ..." section header inside the speech is
built in the side-by-side and facing layouts: the web page marks the rows with
their kind, and the PDF sets the stage direction in the serif's italic face (in
both languages) and the section header in the bold sans, apart from the speech
paragraphs around it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from render_support import make_project, outputs, pdf_words

from pipeline.cli import main

BODY = """Agency | July 5, 2024
Alpha Desk:
The committee reviewed the plan for the river port.
(Laughter.)
Officials said the new logistics park would open next spring.
## Questions from the floor
Beta Office:
Investment in the western region grew faster than expected last year.
"""
FR = {
    "Sweep Brief": "Dossier",
    "Agency": "Agence",
    "Alpha Desk": "Bureau Alpha",
    "Beta Office": "Office Bêta",
    "The committee reviewed the plan for the river port.": "Le comité a examiné le plan du port fluvial.",
    "(Laughter.)": "(Rires.)",
    "Officials said the new logistics park would open next spring.": "Le parc logistique ouvrira au printemps.",
    "Questions from the floor": "Questions de la salle",
    "Investment in the western region grew faster than expected last year.": "L’investissement a progressé.",
}


def italic_characters(pdf: Path) -> set[str]:
    chars: set[str] = set()
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            italic = isinstance(obj, pikepdf.Dictionary) and "Italic" in str(obj.get("/BaseFont", ""))
            if italic and "/ToUnicode" in obj:
                cmap = obj.ToUnicode.read_bytes().decode("latin-1")
                for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                    chars |= {chr(int(u, 16)) for u in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4})>", block)}
                for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                    for lo, hi, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>", block):
                        chars |= {chr(int(start, 16) + i) for i in range(int(hi, 16) - int(lo, 16) + 1)}
    return chars


@pytest.fixture(scope="module", params=["side-by-side", "facing"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp(f"nonspeech-{request.param}")
    make_project(root, BODY, {"fr": lambda msgid, ctxt: FR[msgid]}, layout=request.param)
    assert main(["--root", str(root), "build"]) == 0
    return outputs(root, "fr")


def test_the_web_page_marks_rows_by_kind(built: tuple[Path, Path]) -> None:
    page = built[0].read_text("utf-8")
    assert re.search(r'<tr id="p\d+" class="stage-direction">.*?\(Laughter\.\).*?\(Rires\.\)', page, re.S)
    assert re.search(r'<tr id="p\d+" class="section sans">.*?Questions from the floor', page, re.S)
    assert len(re.findall(r'<tr id="p\d+">', page)) == 3  # the speech paragraphs stay plain


def test_the_pdf_sets_stage_directions_in_italic_and_sections_in_bold_sans(built: tuple[Path, Path]) -> None:
    pdf = built[1]
    fonts = subprocess.run(["pdffonts", pdf.as_posix()], capture_output=True, text=True, check=True).stdout
    assert "Noto-Serif-Italic" in fonts
    # The italic face holds the stage directions' characters and nothing else (its ToUnicode map).
    assert set("LaughterRis") <= italic_characters(pdf) <= set("(Laughter.)(Rires.)")
    words = {w.text for w in pdf_words(pdf)}
    assert {"(Laughter.)", "(Rires.)", "salle", "floor"} <= words
