"""Stage 0, import: a file as received -> its lines of text, and what the file says about itself.

Plain text is read as lines; every other format has a reader that turns its
block elements into lines (HTML: :mod:`pipeline.sources.html`, Markdown:
:mod:`pipeline.sources.markdown`, Word: :mod:`pipeline.sources.docx`), so the importer sees one shape whatever came
in.  Formats we cannot read are refused with a message saying what to do.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import SourceError
from pipeline.sources.importer import Hints, read_text_lines


def read_lines(path: Path, shown: str) -> tuple[list[str], Hints | None]:
    """The lines of a transcript file and, for formats that carry them, its title, outlet and date."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        from pipeline.sources.html import read_html

        return read_html(path, shown)
    if suffix in (".md", ".markdown"):
        from pipeline.sources.markdown import read_markdown

        return read_markdown(path, shown)
    if suffix == ".docx":
        from pipeline.sources.docx import read_docx

        return read_docx(path, shown)
    if suffix in (".doc", ".pdf", ".odt", ".rtf"):
        raise SourceError(
            f"{suffix} files are not read: save the transcript as .docx, HTML or plain text (UTF-8) and import that",
            shown,
        )
    return read_text_lines(path, shown), None
