"""Stage 0, import: a Word transcript (.docx) -> its lines, title and date.

Read with python-docx: one line per paragraph (the report names it ``¶N``,
its number in the document: Word files have no lines), headings as ``## text`` (kept as
sections by the non-speech rules), and a bold run opening a paragraph taken
as its label, with the colon Word users often leave out (**CCTV** Could you
... -> ``CCTV: Could you ...``).  The title and date come from the document's
properties when it has them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from pipeline.errors import SourceError
from pipeline.sources import labels
from pipeline.sources.importer import Hints

_HEADING = re.compile(r"^(?:Heading|Title)\s*(\d?)$")


def read_docx(path: Path, shown: str) -> tuple[list[str], Hints]:
    try:
        document = docx.Document(str(path))
    except FileNotFoundError:
        raise SourceError("no such file", shown) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(f"not a Word .docx file ({exc})", shown) from None
    found = document_lines(document)
    props = document.core_properties
    dates = tuple(d.date().isoformat() for d in (props.created,) if d is not None)
    title = (props.title or "").strip() or None
    return [line for _, line in found], Hints(title=title, dates=dates, places=tuple(n for n, _ in found))


def document_lines(document: DocxDocument) -> list[tuple[str, str]]:
    """``(place, line)`` of every paragraph with text, tables' included, in reading order.

    A Word file has no lines: the place is ``¶N``, the paragraph's number in reading order (empty
    ones and those in table cells counted).  A table row of two cells whose first is a speaker's
    name (a transcript laid out as speaker | speech) is one turn: ``Name: speech``, placed at the name.
    """
    out: list[tuple[str, str]] = []
    count = 0

    def add(paragraph: Paragraph, prefix: str = "", at: str = "") -> None:
        nonlocal count
        count += 1
        line = paragraph_line(paragraph)
        if line:
            out.append((at or f"¶{count}", f"{prefix}{line}"))

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            add(block)
            continue
        for row in block.rows:
            cells = list({id(c._tc): c for c in row.cells}.values())  # a merged cell comes once per grid column
            label = _cell_label(cells[0]) if len(cells) == 2 else None
            if label is not None:
                at, before = f"¶{count + 1}", len(out)
                count += len(cells[0].paragraphs)
                for paragraph in cells[1].paragraphs:
                    first = len(out) == before  # the row's turn starts where its name is
                    add(paragraph, f"{label}: " if first else "", at if first else "")
                if len(out) == before:  # a name and no speech: the importer says so
                    out.append((at, f"{label}:"))
                continue
            for cell in cells:
                for paragraph in cell.paragraphs:
                    add(paragraph)
    return out


def _cell_label(cell: _Cell) -> str | None:
    """The speaker's name a table's first cell holds (``CCTV``, ``Hu Wei:``), else None."""
    text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
    name = text.rstrip(":：").strip()
    return name if name and labels.looks_like_name(name) else None


def paragraph_line(paragraph: Paragraph) -> str:
    text = paragraph.text.replace("\n", " ").replace("\t", "    ")
    if not text.strip():
        return ""
    style = paragraph.style.name if paragraph.style is not None else ""
    heading = _HEADING.match(style or "")
    if heading:
        return "#" * int(heading.group(1) or 1) + " " + text.strip()
    bold = ""
    for run in paragraph.runs:
        if not run.bold:
            break
        bold += run.text
    label = bold.strip()
    rest = text[len(bold) :].strip()
    if label and rest and not label.endswith((":", "：")) and labels.looks_like_name(label):
        return f"{label}: {rest}"
    return text
