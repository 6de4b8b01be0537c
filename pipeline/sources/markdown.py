"""Stage 0, import: a Markdown transcript -> its lines (one per block; headings keep their ``#``).

Parsed with markdown-it-py (CommonMark), so emphasis around a label
(``**CCTV:** Could you ...``), backslash escapes (``\\[sic\\]``), soft line
breaks inside a paragraph and list markers are Markdown's business, not
our regular expressions'.  A heading stays ``## Iraq``: the non-speech rules
keep it as a section.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.sources.importer import Hints, read_text_lines


def read_markdown(path: Path, shown: str) -> tuple[list[str], Hints]:
    lines, places = markdown_lines("\n".join(read_text_lines(path, shown)))
    return lines, Hints(places=tuple(str(n) for n in places))


def markdown_lines(text: str) -> tuple[list[str], list[int]]:
    """The lines of a Markdown text, and the line (1-based) of ``text`` each one starts on (markdown-it's ``map``)."""
    lines: list[str] = []
    places: list[int] = []
    prefix = ""
    for token in MarkdownIt("commonmark").parse(text):
        first = token.map[0] + 1 if token.map else (places[-1] if places else 1)
        if token.type == "heading_open":
            prefix = "#" * int(token.tag[1:]) + " "
        elif token.type == "inline":
            for offset, part in _inline(token.children or []):
                if part.strip():
                    lines.append(prefix + part.strip())
                    places.append(first + offset)
            prefix = ""
        elif token.type in ("fence", "code_block"):
            skip = 1 if token.type == "fence" else 0  # the ``` line
            for i, x in enumerate(token.content.splitlines()):
                if x.strip():
                    lines.append(x)
                    places.append(first + skip + i)
        elif token.type == "hr":
            lines.append("* * *")  # a separator, dropped as one
            places.append(first)
    return lines, places


def _inline(children: list[Token]) -> list[tuple[int, str]]:
    """The text of an inline token, split at hard breaks, each part with its line offset in the block."""
    parts: list[tuple[int, str]] = []
    out: list[str] = []
    offset = start = 0
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
            offset += 1
        elif child.type == "hardbreak":
            parts.append((start, "".join(out)))
            out = []
            offset += 1
            start = offset
        elif child.type == "image":
            out.append(child.content)
    parts.append((start, "".join(out)))
    return parts
