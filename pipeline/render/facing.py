"""Stage 5b, facing pages: the source on the verso, its translation on the recto, spread by spread.

WeasyPrint has no parallel columns across pages (LaTeX's paracol/reledpar), so
this module paginates the brief itself, pair by pair, and hands WeasyPrint
pages that already fit:

1. The brief becomes a stream of *units*, each with a verso side (source) and a
   recto side (translation): the title block, the question index's lines, each
   speaker heading, each paragraph pair (:class:`Chunk`).
2. A trial render measures every unit's height on each side at the text
   block's width (WeasyPrint's own layout boxes, so the figures are the ones
   the final render gives).  A unit takes the height of its taller side on both
   pages, so every paragraph starts level with its translation.
3. Units fill a spread while they fit the text block.  A pair that does not fit
   is split at a sentence boundary in step (sentences 1..k on this spread, the
   rest on the next), at the latest boundary that fits and leaves at least two
   lines of each part in each language; the split candidates are measured by
   one more trial render.  A heading is never the last unit of a spread.
4. The final render gets each spread as two forced pages: verso then recto.  It
   must come out with exactly two pages per spread, else the render fails (a
   unit the measure got wrong would shift every page after it).

The first spread is pages 1-2 and the PDF opens as two pages side by side with
page 1 on the left (``/PageLayout /TwoPageLeft``, set by
:func:`pipeline.render.pdfpost.finish_pdf`): a brief has no cover, so the verso
is the odd page and no page is left blank.  The stylesheet makes WeasyPrint agree (its page 1 is a right page
unless the root breaks ``left``), so ``@page :left`` / ``:right`` give the versos and rectos their mirrored margins;
the text block is as wide on both, so one measure serves either side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from pipeline.errors import RenderError
from pipeline.render.html import (
    Templates,
    font_configuration,
    question_index,
    render_html,
    weasyprint_warnings_fail,
)
from pipeline.render.view import Brief, Pair, Piece, Turn

# CSS px left free on every page: WeasyPrint fits a paragraph's last line against the page bottom less the
# paragraph's bottom padding (0.75rem, 10 px) once more than the measure counts; 2 px more for rounding.
_SLACK = 12.5
_MIN_LINES = 2  # a split pair keeps at least this many lines on each side of the break, in each language


@dataclass(frozen=True, slots=True)
class Head:
    """The title block: the source's on the verso, the translation's on the recto."""

    kind: str = "head"

    @property
    def key(self) -> tuple[object, ...]:
        return ("head",)


@dataclass(frozen=True, slots=True)
class IndexTitle:
    kind: str = "index-title"

    @property
    def key(self) -> tuple[object, ...]:
        return ("index-title",)


@dataclass(frozen=True, slots=True)
class IndexLine:
    number: int
    turn: int
    asker: Piece | None
    opening: Piece | None
    source_asker: str
    source_opening: str
    kind: str = "index-line"

    @property
    def key(self) -> tuple[object, ...]:
        return ("index-line", self.number)


@dataclass(frozen=True, slots=True)
class Heading:
    turn: Turn
    qno: int | None
    kind: str = "heading"

    @property
    def key(self) -> tuple[object, ...]:
        return ("heading", self.turn.number)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Sentences ``first`` to ``last`` (exclusive) of a pair, in both languages."""

    pair: Pair
    first: int
    last: int
    kind: str = "chunk"

    @property
    def key(self) -> tuple[object, ...]:
        return ("chunk", self.pair.number, self.first, self.last)

    @property
    def whole(self) -> bool:
        return self.first == 0 and self.last == len(self.pair.target)

    @property
    def source(self) -> str:
        return self.pair.source_sentences(self.first, self.last)

    @property
    def parts(self) -> tuple[tuple[str, Piece], ...]:
        parts = self.pair.parts[self.first : self.last]
        return (("", parts[0][1]), *parts[1:]) if parts else ()

    @property
    def ends_paragraph(self) -> bool:
        return self.last == len(self.pair.target)


Unit = Head | IndexTitle | IndexLine | Heading | Chunk
_KEEP_WITH_NEXT = (Head, IndexTitle, Heading)


def _keeps_with_next(unit: Unit) -> bool:
    """A heading, the title block or a section header never ends a spread."""
    return isinstance(unit, _KEEP_WITH_NEXT) or (isinstance(unit, Chunk) and unit.pair.kind == "section")


@dataclass(frozen=True, slots=True)
class Placed:
    """A unit on a spread, with the height both its sides take (CSS px)."""

    unit: Unit
    height: float


@dataclass(frozen=True, slots=True)
class Spread:
    units: tuple[Placed, ...]


@dataclass(frozen=True, slots=True)
class Size:
    verso: float
    recto: float
    verso_lines: int
    recto_lines: int

    @property
    def height(self) -> float:
        return max(self.verso, self.recto)


def units(brief: Brief) -> list[Unit]:
    """The brief as a stream of units, in reading order, every pair whole."""
    out: list[Unit] = [Head()]
    questions = question_index(brief)
    if questions:
        out.append(IndexTitle())
        by_turn = {t.number: t for t in brief.turns}
        for q in questions:
            turn = by_turn[q.turn]
            first = turn.pairs[0] if turn.pairs else None
            opening = _first_words(first.source_sentences(0, 1)) if first else ""
            out.append(
                IndexLine(q.number, q.turn, q.asker, q.opening, turn.speaker.source if turn.speaker else "", opening)
            )
    numbers = {q.turn: q.number for q in questions}
    for turn in brief.turns:
        if turn.speaker:
            out.append(Heading(turn, numbers.get(turn.number)))
        out += [Chunk(p, 0, max(len(p.target), 1)) for p in turn.pairs]
    return out


def _first_words(text: str, count: int = 8) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


Measure = Callable[[Sequence[Unit]], dict[tuple[object, ...], Size]]


def paginate(
    stream: Sequence[Unit], sizes: dict[tuple[object, ...], Size], measure: Measure, capacity: float
) -> list[Spread]:
    """The units laid out on spreads of ``capacity`` px (see the module docstring).

    ``sizes``: the stream's units measured; ``measure`` measures more (the parts of a split pair).
    """
    sizes = dict(sizes)
    todo = list(reversed(stream))  # a stack: the next unit on top
    spreads: list[Spread] = []
    page: list[Placed] = []
    used = 0.0

    def close() -> None:
        nonlocal page, used
        while page and _keeps_with_next(page[-1].unit) and len(page) > 1:
            todo.append(page.pop().unit)  # a heading goes over with what it heads
        spreads.append(Spread(tuple(page)))
        page, used = [], 0.0

    while todo:
        unit = todo.pop()
        size = sizes[unit.key]
        if used + size.height <= capacity:
            page.append(Placed(unit, size.height))
            used += size.height
            continue
        if isinstance(unit, Chunk) and unit.last - unit.first > 1:
            cut = _split(unit, capacity - used, measure, sizes, strict=bool(page))
            if cut is not None:
                head, rest = cut
                page.append(Placed(head, sizes[head.key].height))
                todo.append(rest)
                close()
                continue
        if not page:  # taller than a page and cannot be split at a sentence: WeasyPrint breaks it, unsynchronised
            raise RenderError(
                f"facing layout: paragraph {unit.pair.number if isinstance(unit, Chunk) else unit.kind} "
                "has a sentence longer than a page; use the side-by-side layout",
                unit.pair.location.path if isinstance(unit, Chunk) else None,
                unit.pair.location.line if isinstance(unit, Chunk) else None,
            )
        todo.append(unit)
        close()
    if page:
        spreads.append(Spread(tuple(page)))
    return spreads


def _split(
    chunk: Chunk, room: float, measure: Measure, sizes: dict[tuple[object, ...], Size], *, strict: bool
) -> tuple[Chunk, Chunk] | None:
    """The latest sentence boundary at which ``chunk``'s head fits ``room``, or None.

    ``strict``: each part keeps at least two lines in each language (on a page that already holds
    something; on an empty page any boundary that fits is taken).
    """
    cuts = [
        (Chunk(chunk.pair, chunk.first, k), Chunk(chunk.pair, k, chunk.last))
        for k in range(chunk.last - 1, chunk.first, -1)
    ]
    wanted = [u for pair in cuts for u in pair if u.key not in sizes]
    if wanted:
        sizes.update(measure(wanted))
    for head, rest in cuts:
        h, r = sizes[head.key], sizes[rest.key]
        if h.height > room:
            continue
        if strict and min(h.verso_lines, h.recto_lines, r.verso_lines, r.recto_lines) < _MIN_LINES:
            continue
        return head, rest
    return None


# -- rendering ------------------------------------------------------------------------------------


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _line_count(box: Any) -> int:
    from weasyprint.formatting_structure.boxes import LineBox

    return sum(1 for b in _walk(box) if isinstance(b, LineBox))


def measured_sizes(document: Any, count: int) -> list[Size]:
    """Per unit ``m0`` .. ``m{count-1}``: its sides' heights (CSS px) and line counts in a trial render."""
    heights = {f"m{i}{side}": 0.0 for i in range(count) for side in "vr"}
    lines = dict.fromkeys(heights, 0)
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            ident = element.get("id") if element is not None and getattr(box, "element_tag", None) else None
            if ident in heights:
                heights[ident] += box.margin_height()
                lines[ident] += _line_count(box)
                continue
            stack.extend(getattr(box, "children", ()))
    return [Size(heights[f"m{i}v"], heights[f"m{i}r"], lines[f"m{i}v"], lines[f"m{i}r"]) for i in range(count)]


def render_facing(
    brief: Brief,
    templates: Path | Templates,
    ui: NullTranslations,
    *,
    draft: bool,
    created: str,
    what: str = "",
    numbers: bool = False,
) -> bytes:
    """WeasyPrint's tagged PDF of ``brief`` in facing pages (not yet finished: see pdfpost)."""
    from weasyprint import HTML

    def page(spreads: Sequence[Spread], *, measure: bool) -> str:
        return render_html(
            brief,
            templates,
            ui,
            layout="facing",
            draft=draft,
            created=created,
            web=False,
            spreads=spreads,
            measure=measure,
            numbers=numbers,
        )

    capacity = 0.0

    def measure(batch: Sequence[Unit]) -> dict[tuple[object, ...], Size]:
        nonlocal capacity
        trial = Spread(tuple(Placed(u, 0.0) for u in batch))
        with weasyprint_warnings_fail(what):
            document = HTML(string=page([trial], measure=True)).render(font_config=font_configuration())
        capacity = document.pages[0]._page_box.height  # the text block (less a draft's rule), CSS px
        return {u.key: s for u, s in zip(batch, measured_sizes(document, len(batch)), strict=True)}

    stream = units(brief)
    sizes = measure(stream)
    spreads = paginate(stream, sizes, measure, capacity - _SLACK)
    with weasyprint_warnings_fail(what):
        document = HTML(string=page(spreads, measure=False)).render(font_config=font_configuration(), pdf_tags=True)
        if len(document.pages) != 2 * len(spreads):
            raise RenderError(
                f"facing layout: {len(spreads)} spreads came out as {len(document.pages)} pages, not "
                f"{2 * len(spreads)} (a unit measured shorter than it renders)",
                what,
            )
        data = document.write_pdf(pdf_tags=True)
    assert isinstance(data, bytes)
    return data
