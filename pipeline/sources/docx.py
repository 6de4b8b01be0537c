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
    # A Word file has no lines: a report names the paragraph, ¶N, counted as Word shows them (empty ones too)
    found = [(f"¶{n}", line) for n, p in enumerate(document.paragraphs, 1) if (line := paragraph_line(p))]
    props = document.core_properties
    dates = tuple(d.date().isoformat() for d in (props.created,) if d is not None)
    title = (props.title or "").strip() or None
    return [line for _, line in found], Hints(title=title, dates=dates, places=tuple(n for n, _ in found))


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
