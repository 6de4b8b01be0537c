"""The data that flows between stages: small frozen dataclasses.

A :class:`Document` is what the reader produces and every later stage reads:
metadata, then blocks (one per speaker turn), each with paragraphs, each
paragraph split into :class:`Segment` objects that know their exact place in
the source (1-based line, offsets into the normalised paragraph text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# msgctxt of the entries that are not sentences of the text (extraction writes them, QA and the view read them)
CTX_TITLE = "title"
CTX_OUTLET = "outlet"
CTX_SPEAKER = "speaker"
CTX_SPEAKER_TITLE = "speaker-title"
MERGE_THEIRS = "merge: theirs: "  # the translator comment the catalog merge driver leaves: the other side's translation
# Kinds of paragraph that are not speech, kept with their kind as msgctxt (pipeline/data/nonspeech.toml)
SPEECH = "speech"
ROLES = ("question", "answer", "host", "statement")


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class SourceWarning:
    """A source's warning, printed as ``source: path:line: warning: ...`` (an error under --strict)."""

    message: str
    location: Location

    def __str__(self) -> str:
        return f"source: {self.location}: warning: {self.message}"


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence: a msgid of the document's catalog."""

    text: str
    location: Location
    start: int  # offset of ``text`` in the paragraph's normalised text
    end: int
    context: str | None = None  # msgctxt: None for speech, the kind for a stage direction or a section


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # normalised: single spaces, no leading or trailing space
    location: Location
    segments: tuple[Segment, ...]
    kind: str = SPEECH  # or "stage-direction", "section": one segment, not speech


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    role: str | None = None  # one of ROLES or None
    title: str | None = None  # e.g. "Mayor of Chongqing"
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A speaker turn (``speaker`` is None for text before any speaker line)."""

    speaker: Speaker | None
    paragraphs: tuple[Paragraph, ...]
    number: int | None = None  # the question's number, for anonymous questions (Q, 问): 1, 2, ...


@dataclass(frozen=True, slots=True)
class Document:
    path: str  # as given, relative to the project root where possible
    slug: str  # the gettext domain of the document
    language: str  # BCP 47 / POSIX locale of the source, e.g. "en"
    outlet: str
    date: dt.date
    title: str
    header_location: Location
    title_location: Location
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    warnings: tuple[SourceWarning, ...] = ()  # what the reader inferred or could not (never silently)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for b in self.blocks for p in b.paragraphs)

    def to_json(self) -> dict[str, object]:
        """The structure ``python -m pipeline segment`` prints."""
        return {
            "language": self.language,
            "outlet": self.outlet,
            "date": self.date.isoformat(),
            "title": self.title or None,
            "blocks": [
                {
                    "speaker": b.speaker.name if b.speaker else None,
                    **({"role": b.speaker.role} if b.speaker and b.speaker.role else {}),
                    **({"question": b.number} if b.number else {}),
                    "paragraphs": [
                        [s.text for s in p.segments] if p.kind == SPEECH else {p.kind: p.text} for p in b.paragraphs
                    ],
                }
                for b in self.blocks
            ],
        }
