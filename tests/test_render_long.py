"""A long brief: a 40-turn press briefing of our own, with a linked question index.

The transcript is generated here (20 questions from four outlets, 20 answers
by one spokesperson, some of them one-liners) and translated into French by a
table.  The brief opens with a numbered question index: in the HTML each
entry links to its question's anchor; in the PDF each is an internal link to
the question's page and each question is a numbered bookmark.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from render_support import make_project, outputs, pdf_text, pdf_words

from pipeline.cli import main
from pipeline.render.html import PAGE_MM, text_block_x

OUTLETS = ("Harbour Daily", "Valley Radio", "Northern Wire", "City Television")
OUTLETS_FR = {"Harbour Daily": "Quotidien du Port", "Valley Radio": "Radio Vallée",
              "Northern Wire": "Dépêche du Nord", "City Television": "Télévision municipale"}  # fmt: skip
TOPICS = ("the river port", "the rail corridor", "the logistics park", "the new bridge", "the water plan")
TOPICS_FR = ("le port fluvial", "le corridor ferroviaire", "le parc logistique", "le nouveau pont", "le plan de l’eau")
FILL_EN = (
    "Officials said the work would start next spring and end within three years.",
    "The budget was approved by the city council after a long debate.",
    "Residents near the site have asked for more information about noise.",
)
FILL_FR = (
    "Les responsables ont indiqué que les travaux commenceraient au printemps prochain et dureraient trois ans.",
    "Le budget a été approuvé par le conseil municipal après un long débat.",
    "Les riverains du chantier ont demandé davantage d’informations sur le bruit.",
)
SPEAKERS = (
    "".join(f'[[speakers]]\nname = "{o}"\nrole = "question"\n' for o in OUTLETS)
    + '[[speakers]]\nname = "Lin Spokes"\nrole = "answer"\ntitle = "Spokesperson"\n'
)


def transcript() -> str:
    lines = ["Briefing Room | March 7, 2025"]
    for i in range(1, 21):
        lines.append(f"{OUTLETS[i % 4]}:")
        if i % 5 == 0:
            lines.append("Happy Friday.")
        else:
            lines.append(f"Question {i} concerns {TOPICS[i % 5]}. " + " ".join(FILL_EN[: 1 + i % 3]))
        lines.append("Lin Spokes:")
        lines.append("Thank you." if i % 5 == 0 else f"Answer {i} covers {TOPICS[i % 5]}. " + " ".join(FILL_EN))
    return "\n".join(lines) + "\n"


def translate(msgid: str, ctxt: str | None) -> str | None:
    if ctxt == "title":
        return "Point de presse de mars"
    if ctxt == "outlet":
        return "Salle de presse"
    if ctxt == "speaker":
        return OUTLETS_FR.get(msgid, msgid)
    if ctxt == "speaker-title":
        return "Porte-parole"
    fixed = {"Happy Friday.": "Bon vendredi.", "Thank you.": "Merci.", **dict(zip(FILL_EN, FILL_FR, strict=True))}
    if msgid in fixed:
        return fixed[msgid]
    m = re.fullmatch(r"(Question|Answer) (\d+) (?:concerns|covers) (.+)\.", msgid)
    if m:
        topic = TOPICS_FR[TOPICS.index(m.group(3))]
        return (
            f"La question {m.group(2)} porte sur {topic}."
            if m.group(1) == "Question"
            else (f"La réponse {m.group(2)} traite de {topic}.")
        )
    return None


@pytest.fixture(scope="module")
def long_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long")
    make_project(root, transcript(), {"fr": translate}, title="March Briefing", speakers=SPEAKERS)
    assert main(["--root", str(root), "build", "-j", "1"]) == 0
    return root


@pytest.fixture(scope="module")
def long_facing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long-facing")
    make_project(root, transcript(), {"fr": translate}, title="March Briefing", speakers=SPEAKERS, layout="facing")
    assert main(["--root", str(root), "build", "-j", "1"]) == 0
    return root


def test_facing_pages_carry_the_index_and_compact_exchanges(long_facing: Path) -> None:
    """Facing pages: the question index on both pages of the spread, linked; bookmarks once per question."""
    path = outputs(long_facing, "fr")[1]
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) % 2 == 0
        titles = [item.title for item in pdf.open_outline().root[0].children]
        assert [int(t.split(".")[0]) for t in titles if re.match(r"\d+\. ", t)] == list(range(1, 21))
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert len(links) >= 40, "each index line links to its question, on the verso and the recto"
    text = pdf_text(path)
    assert "Question 20" in text and "La question 1 porte sur le corridor ferroviaire." in text
    assert text.count("Porte-parole") < 40 - 8  # the one-line exchanges have no speaker title
    # Full spreads: on every spread but the last, the fuller page's text reaches within 15% of the block's foot.
    top, bottom = PAGE_MM["top"] * 72 / 25.4, (PAGE_MM["height"] - PAGE_MM["bottom"]) * 72 / 25.4
    words = [w for w in pdf_words(path) if w.y1 <= bottom + 2]
    pages = max(w.page for w in words)
    for first in range(1, pages - 1, 2):
        lowest = max(w.y1 for w in words if first <= w.page <= first + 1)
        assert (bottom - lowest) / (bottom - top) <= 0.15, f"spread of page {first}"


def test_facing_source_page_heads_its_own_index(long_facing: Path) -> None:
    """The verso's question index opens with its own heading, in the source language, level with the recto's:
    no blank line opposite "Questions"."""
    path = outputs(long_facing, "fr")[1]
    words = pdf_words(path)
    verso = [w for w in words if w.page == 1 and w.text == "Questions"]
    recto = [w for w in words if w.page == 2 and w.text == "Questions"]
    assert len(verso) == 1 and len(recto) == 1, (verso, recto)
    assert verso[0].y0 == pytest.approx(recto[0].y0, abs=1)
    left = text_block_x(1, "facing")[0] * 72 / 25.4
    assert verso[0].x0 == pytest.approx(left, abs=0.5), "at the block's start, as the index lines are"


def test_transcript_has_forty_turns() -> None:
    assert len(re.findall(r"(?m)^[A-Z][\w ]+:$", transcript())) == 40


def test_html_question_index_links_every_question(long_brief: Path) -> None:
    page = outputs(long_brief, "fr")[0].read_text("utf-8")
    index = re.search(r'<nav class="questions[^"]*"[^>]*>(.*?)</nav>', page, re.S)
    assert index, "a long brief opens with a question index"
    links = re.findall(r'<a href="#(turn-\d+)"><b class="qno">(\d+)</b>', index.group(1))
    assert [int(n) for _, n in links] == list(range(1, 21))
    for anchor, number in links:
        section = re.search(rf'<section class="turn" id="{anchor}">\s*<h2[^>]*>(.*?)</h2>', page, re.S)
        assert section, anchor
        assert f"Question {number}" in section.group(1)
    assert "La question 1 porte sur le corridor ferroviaire." in index.group(1)
    assert "Bon vendredi." in index.group(1)


def test_pdf_question_index_is_linked_and_bookmarked(long_brief: Path) -> None:
    path = outputs(long_brief, "fr")[1]
    with pikepdf.open(path) as pdf:
        titles = [item.title for item in pdf.open_outline().root[0].children]
        numbered = [t for t in titles if re.match(r"\d+\. ", t)]
        assert [int(t.split(".")[0]) for t in numbered] == list(range(1, 21))
        assert numbered[0] == "1. Radio Vallée"
        links = [
            annot
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if (annot.get("/Subtype") == "/Link" and "/Dest" in annot) or "/A" in annot
        ]
        assert len(links) >= 20, "each index entry links to its question"
    text = pdf_text(path)
    assert "Questions" in text and "Question 20" in text


def test_one_line_exchanges_get_a_compact_header(long_brief: Path) -> None:
    page = outputs(long_brief, "fr")[0].read_text("utf-8")
    turns = re.findall(r'<section class="turn" id="turn-\d+">\s*<h2 class="([^"]+)"[^>]*>(.*?)</h2>', page, re.S)
    assert len(turns) == 40
    compact = [body for cls, body in turns if "compact" in cls]
    full = [body for cls, body in turns if "compact" not in cls]
    assert len(compact) == 8  # "Happy Friday." and "Thank you." four times each
    assert all("speaker-title" not in body for body in compact)
    assert all("Porte-parole" in body for body in full if "Lin Spokes" in body)
