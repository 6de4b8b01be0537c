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

from pipeline.sources.importer import read_text_lines


def read_markdown(path: Path, shown: str) -> list[str]:
    return markdown_lines("\n".join(read_text_lines(path, shown)))


def markdown_lines(text: str) -> list[str]:
    lines: list[str] = []
    prefix = ""
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "heading_open":
            prefix = "#" * int(token.tag[1:]) + " "
        elif token.type == "inline":
            for part in _inline(token.children or []).split("\n"):
                if part.strip():
                    lines.append(prefix + part.strip())
            prefix = ""
        elif token.type in ("fence", "code_block"):
            lines.extend(x for x in token.content.splitlines() if x.strip())
        elif token.type == "hr":
            lines.append("* * *")  # a separator, dropped as one
    return lines


def _inline(children: list[Token]) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
    return "".join(out)
