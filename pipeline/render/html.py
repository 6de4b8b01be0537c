"""Stage 5, render: bilingual view -> HTML (Jinja2) -> PDF (WeasyPrint).

In: a :class:`~pipeline.render.view.Brief` and the locale's interface translations.
Out: a self-contained web page (CSS inline, font subsets beside it, no request
leaves the page) and a tagged PDF with its fonts embedded and subset.

Steps for one brief, each a function: :func:`render_html` (the Jinja2
templates in ``templates/``, autoescaped, with the i18n extension),
:func:`check_glyphs` (every character of the page has a glyph in its
language's font stack), :func:`render_pdf` (WeasyPrint with one
``FontConfiguration`` shared by every render of the process, which keeps memory
flat; any WeasyPrint warning, such as unsupported CSS, is an error), then
:func:`pipeline.render.pdfpost.finish_pdf` (per-element languages, artifacts,
reproducible bytes).  :mod:`pipeline.build.run` runs them for every brief.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import html.parser
import io
import logging
import math
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from jinja2 import BaseLoader, DictLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, meta
from markupsafe import Markup, escape

from pipeline import __version__
from pipeline.config import UI_LANGUAGE
from pipeline.errors import CatalogError, RenderError
from pipeline.lang import bcp47, direction, language_name, same_language
from pipeline.render.fonts import WebFont, check_text, css_family, font_format, missing, stack_for
from pipeline.render.typeset import bind_compounds, bind_numerals
from pipeline.render.view import LAYOUTS, Brief, Piece, Turn

TEMPLATE = "brief.html.j2"

# The A4 page and its margins (mm).  Facing pages mirror the side margins: ``inner`` at the binding, ``outer``
# at the fore-edge (a verso's right margin is its inner one), a few mm more at the binding for a stapled or
# bound print; both sum to left + right, so the text block keeps its width on every page (facing.py
# measures once for both sides).
PAGE_MM = {
    "width": 210.0,
    "height": 297.0,
    "top": 24.0,
    "right": 18.0,
    "bottom": 22.0,
    "left": 18.0,
    "inner": 20.0,
    "outer": 16.0,
}


def text_block_x(page: int, layout: str) -> tuple[float, float]:
    """The text block's left and right edges (mm from the page's left edge) on page ``page`` (1-based).

    Facing pages: page 1 is a left page (the verso: the PDF opens two pages side by side, page 1 at the left),
    so odd pages have the outer margin at the left, even pages the inner one.
    """
    if layout != "facing":
        return PAGE_MM["left"], PAGE_MM["width"] - PAGE_MM["right"]
    if page % 2:
        return PAGE_MM["outer"], PAGE_MM["width"] - PAGE_MM["inner"]
    return PAGE_MM["inner"], PAGE_MM["width"] - PAGE_MM["outer"]


_PAGE_TOKEN, _PAGES_TOKEN = "\ue000", "\ue001"  # stand-ins for the page counters in a msgstr
_LRI, _PDI = "\u2066", "\u2069"  # bidi isolates, for WeasyPrint, which ignores <bdi>
_JUSTIFIED = {"en", "fr", "es", "ru", "de", "it", "pt", "nl", "pl", "uk", "ar", "fa"}
_SCALE = {"ar": 1.1, "fa": 1.1}  # Naskh reads small beside Latin at the same size
_LINE_HEIGHT = {"zh": 1.7, "ja": 1.7, "ko": 1.7, "ar": 1.75, "fa": 1.75}


def css_string(value: str) -> Markup:
    """A CSS string literal of ``value`` (safe inside <style>: no quote, backslash or ``<`` left raw)."""
    text = Markup(value).unescape() if isinstance(value, Markup) else str(value)
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def css_content(value: str) -> Markup:
    """A ``content:`` value: the msgstr's text with the page counters where its placeholders were."""
    text = Markup(value).unescape() if isinstance(value, Markup) else str(value)
    parts = re.split(f"([{_PAGE_TOKEN}{_PAGES_TOKEN}])", text)
    tokens = []
    for part in parts:
        if part == _PAGE_TOKEN:
            tokens.append("counter(page)")
        elif part == _PAGES_TOKEN:
            tokens.append("counter(pages)")
        elif part:
            tokens.append(str(css_string(part)))
    return Markup(" ".join(tokens) or '""')


Templates = tuple[tuple[str, str], ...]  # (name, text), sorted: the templates as data, for a render task


def template_names(template_dir: Path, root: str = TEMPLATE) -> list[str]:
    """``root`` and every template it includes, imports or extends, sorted (what its output depends on)."""
    env = Environment(loader=FileSystemLoader(str(template_dir)), extensions=["jinja2.ext.i18n"])
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = (template_dir / name).read_text("utf-8")
        todo += [n for n in meta.find_referenced_templates(env.parse(source)) if isinstance(n, str)]
    return sorted(seen)


def load_templates(template_dir: Path, root: str = TEMPLATE) -> Templates:
    return tuple((name, (template_dir / name).read_text("utf-8")) for name in template_names(template_dir, root))


@functools.lru_cache(maxsize=8)
def _environment(templates: str | Templates) -> Environment:
    """A folder of templates (a path) or the templates themselves (data shipped to a render worker)."""
    loader: BaseLoader = FileSystemLoader(templates) if isinstance(templates, str) else DictLoader(dict(templates))
    env = Environment(
        loader=loader,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["css_content"] = css_content
    env.filters["bind_numerals"] = bind_numerals
    env.filters["bind_compounds"] = bind_compounds
    return env


def source_date_epoch() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return epoch if epoch.isdigit() else None


def creation_stamp(date: dt.date, epoch: str | None = None) -> str:
    """The PDF creation date: ``SOURCE_DATE_EPOCH`` (or ``epoch``) when set, else the source's own date."""
    epoch = epoch or source_date_epoch()
    stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.combine(date, dt.time(), dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


INDEX_MIN_QUESTIONS = 6  # a brief with this many questions or more opens with a linked question index
_FIRST_WORDS, _FIRST_CHARS = 8, 22  # how much of a question the index shows: words, or characters without spaces


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One line of the question index: its number, the turn it links to, who asks, how it begins."""

    number: int
    turn: int
    asker: Piece | None
    opening: Piece | None  # the first words, in the language they are shown in


SHORT_TURN = 80  # characters: a one-paragraph turn this short gets a one-line header


def short_turn(turn: Turn) -> bool:
    """A one-line exchange ("Happy Friday.", "Thank you."): shown with a compact header."""
    if len(turn.pairs) != 1:
        return False
    pair = turn.pairs[0]
    return max(len(pair.source), sum(len(pc.text) for pc in pair.target)) <= SHORT_TURN


def first_words(text: str, joiner: str) -> str:
    """The opening of ``text``: a few words, or a few characters in a script written without spaces."""
    if joiner:
        words = text.split()
        return " ".join(words[:_FIRST_WORDS]) + (" …" if len(words) > _FIRST_WORDS else "")
    return text[:_FIRST_CHARS] + ("…" if len(text) > _FIRST_CHARS else "")


def question_index(brief: Brief) -> list[IndexEntry]:
    """The numbered questions of ``brief``, or none when it has fewer than :data:`INDEX_MIN_QUESTIONS`."""
    entries: list[IndexEntry] = []
    for turn in brief.turns:
        if turn.role != "question":
            continue
        first = turn.pairs[0].target[0] if turn.pairs and turn.pairs[0].target else None
        opening = None
        if first is not None:
            joiner = brief.joiner if first.lang == brief.target_lang else " "
            opening = replace(first, text=first_words(first.text, joiner), runs=())
        entries.append(
            IndexEntry(len(entries) + 1, turn.number, turn.speaker.target if turn.speaker else None, opening)
        )
    return entries if len(entries) >= INDEX_MIN_QUESTIONS else []


def _font_rules(brief: Brief) -> list[dict[str, object]]:
    rules = []
    for lang in dict.fromkeys([brief.target_lang, brief.source_lang]):
        stack = stack_for(lang)
        primary = lang.split("-")[0]
        rules.append(
            {
                "lang": lang,
                "serif": Markup(css_family(stack.serif)),  # family names from fonts.py, not catalog text
                "sans": Markup(css_family(stack.sans)),
                "line_height": _LINE_HEIGHT.get(primary, 1.45),
                "scale": _SCALE.get(primary, 1),
                "justify": primary in _JUSTIFIED,
                "align": "right" if direction(lang) == "rtl" else "left",
            }
        )
    return rules


def format_coverage(percent: float, locale: str) -> str:
    """Coverage as every page shows it (rounded down: 99.9% is not 100%), in the locale's digits."""
    return format_percent(math.floor(percent) / 100, locale=locale)


def render_html(
    brief: Brief,
    templates: Path | Templates,
    translations: NullTranslations,
    *,
    layout: str = "side-by-side",
    draft: bool = False,
    web: bool = True,
    webfonts: Sequence[tuple[WebFont, str]] = (),
    created: str | None = None,
    pdf: bool = True,
    spreads: Sequence[Any] = (),
    measure: bool = False,
    numbers: bool = False,
    siblings: Sequence[str] = (),
    preview: bool = False,
) -> str:
    """The page of ``brief``: for the web (``web``) or as WeasyPrint's input for the PDF.

    ``templates``: the template folder, or the templates as data (:func:`load_templates`).
    ``created``: the creation stamp (default: :func:`creation_stamp` of the brief's date).
    ``pdf``: the web page links to the brief's PDF beside it (not in an HTML-only build).
    ``spreads``, ``measure``: the facing layout's pages (:mod:`pipeline.render.facing`); its web page
    is the side-by-side one.  ``siblings``: the other locales the brief is published in (the web page
    links to each, with ``hreflang``).  ``numbers``: each paragraph's number (¶) and each sentence's, in both columns.
    ``preview``: ``serve``'s page, where each segment of the translation is an element with its id
    (``data-seg="<paragraph>.<sentence>"``) for the inspector; never in ``dist/``.
    """
    if layout not in LAYOUTS:
        raise RenderError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    if layout == "facing" and web:
        layout = "side-by-side"
    locale = brief.locale
    cov = brief.coverage
    rtl = brief.target_dir == "rtl"
    source_name = language_name(brief.source_lang, locale)
    questions = question_index(brief)
    keywords = [brief.outlet.source, *(t.speaker.source for t in brief.turns if t.speaker)]
    context: dict[str, Any] = {
        "b": brief,
        "web": web,
        "layout": layout,
        "draft": draft,
        "fonts": _font_rules(brief),
        "webfonts": [
            {
                "family": f.family,
                "weight": f.weight,
                "url": url,
                "format": font_format(url),
            }
            for f, url in webfonts
        ],
        "start": "right" if rtl else "left",
        "end": "left" if rtl else "right",
        "col_start": "right" if brief.source_dir == "rtl" else "left",  # the pairs table runs in the source's direction
        "col_end": "left" if brief.source_dir == "rtl" else "right",
        "page": PAGE_MM,
        "lri": "" if web else _LRI,
        "pdi": "" if web else _PDI,
        "source_name": source_name,
        "source_label": language_name(brief.source_lang, locale, label=True),
        "target_name": language_name(brief.target_lang, locale, label=True),
        "target_language_noun": language_name(brief.target_lang, locale),
        "pdf": pdf,
        "source_sample": language_name(brief.source_lang, brief.source_lang, label=True),
        "target_own_name": language_name(brief.target_lang, brief.target_lang, label=True),
        "pair_label": f"{language_name(brief.source_lang, locale, label=True)} – "
        f"{language_name(brief.target_lang, locale, label=True)}",
        "page_token": _PAGE_TOKEN,
        "pages_token": _PAGES_TOKEN,
        "date_text": format_date(brief.date, "long", locale=locale),
        "fullwidth_parens": brief.target_lang.split("-")[0] in ("zh", "ja"),
        "source_date_text": format_date(brief.date, "long", locale=Locale.parse(brief.source_lang, sep="-")),
        "spreads": spreads,
        # The interface's words in the source language, for the facing layout's source page: the templates'
        # own (English) msgids for a source in the interface's language, else None (the render has no
        # catalog of the source language: the translation's words, tagged as such).
        "source_ui": gettext_callables(NullTranslations())["gettext"]
        if same_language(UI_LANGUAGE, brief.source_lang)
        else None,
        "numbers": numbers,
        "preview": preview and web,
        "alternates": [
            {
                "locale": loc,
                "lang": bcp47(loc),
                "href": f"../{loc}/{brief.slug}.html",
                "name": language_name(bcp47(loc), bcp47(loc), label=True),
                "dir": direction(bcp47(loc)),
                "self": loc == locale,
            }
            for loc in sorted({*siblings, locale}, key=[*siblings, locale].index)
        ]
        if siblings
        else [],
        "measure": measure,
        "coverage_count": format_decimal(cov.translated, locale=locale),
        "coverage_total": format_decimal(cov.total, locale=locale),
        "coverage_percent": format_coverage(cov.percent, locale),
        "keywords": list(dict.fromkeys(k for k in keywords if k)),
        "questions": questions,
        "question_numbers": {q.turn: q.number for q in questions},
        "short_turn": short_turn,
        "generator": f"pipeline {__version__}",
        "created": created or creation_stamp(brief.date),
    }
    return render_page(templates, TEMPLATE, translations, context)


def render_page(templates: Path | Templates, name: str, translations: NullTranslations, context: dict[str, Any]) -> str:
    """Template ``name`` rendered with the interface ``translations`` (escaped text, never markup)."""
    env = _environment(str(templates) if isinstance(templates, Path) else templates)
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext_callables(translations))  # already newstyle: not wrapped again
    try:
        return env.get_template(name).render(context)
    except TemplateError as exc:
        raise RenderError(
            f"template error: {exc}", getattr(exc, "filename", None), getattr(exc, "lineno", None)
        ) from None


class _TextByLang(html.parser.HTMLParser):
    """The visible text of a page, by language (attributes and <head> left out)."""

    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []
        self.text: dict[str, list[str]] = {}
        self.css: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._VOID:
            return
        parent_lang, hidden = (self.stack[-1][1], self.stack[-1][2]) if self.stack else ("", False)
        lang = dict(attrs).get("lang") or parent_lang
        self.stack.append((tag, lang, hidden or tag in ("head", "script", "title")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.stack:
            return
        tag, lang, hidden = self.stack[-1]
        if tag == "style":
            self.css.append(data)
        elif not hidden:
            self.text.setdefault(lang, []).append(data)


_CONTENT_STRINGS = re.compile(r"content:\s*((?:\"(?:[^\"\\]|\\.)*\"|counter\(\w+\)|\s)+)")
_CSS_STRING = re.compile(r"\"((?:[^\"\\]|\\.)*)\"")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)")


def _css_unescape(text: str) -> str:
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)


def page_text(page: str) -> dict[str, str]:
    """The text a reader sees, by language, including what the stylesheet generates."""
    parser = _TextByLang()
    parser.feed(page)
    parser.close()
    out = {lang: "".join(parts) for lang, parts in parser.text.items()}
    root = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", page)
    root_lang = root.group(1) if root else ""
    generated = [
        _css_unescape(s)
        for block in parser.css
        for m in _CONTENT_STRINGS.finditer(block)
        for s in _CSS_STRING.findall(m.group(1))
    ]
    if generated:
        out[root_lang] = out.get(root_lang, "") + "".join(generated) + "0123456789"
    return out


def _labelled_texts(brief: Brief) -> Iterator[tuple[str, str, str | None, int | None]]:
    """Every catalog and source text of the brief: (text, language, path, line)."""
    for label in (brief.title, brief.outlet):
        yield label.target.text, label.target.lang, label.target.origin.path, label.target.origin.line
    for turn in brief.turns:
        for lab in (turn.speaker, turn.speaker_title):
            if lab is not None:
                yield lab.target.text, lab.target.lang, lab.target.origin.path, lab.target.origin.line
        for pair in turn.pairs:
            yield pair.source, brief.source_lang, pair.location.path, pair.location.line
            for pc in pair.target:
                yield pc.text, pc.lang, pc.origin.path, pc.origin.line


def check_glyphs(
    brief: Brief,
    page: str,
    *,
    ui_path: str | None = None,
    content: bool = True,
    text: dict[str, str] | None = None,
) -> None:
    """Fail with the text and its catalog line when a character has no glyph in its stack.

    ``content``: check the brief's own texts too (once per brief is enough); ``text``:
    :func:`page_text` of ``page`` when the caller has it.
    """
    if content:
        by_lang: dict[str, list[str]] = {}
        for item, lang, _path, _line in _labelled_texts(brief):
            by_lang.setdefault(lang, []).append(item)
        if any(missing("".join(items), lang) for lang, items in by_lang.items()):  # rare: find which text
            for item, lang, path, line in _labelled_texts(brief):
                check_text(item, lang, path, line)
    # What remains: the interface strings, dates, numbers, generated content.
    for lang, chars in sorted((text if text is not None else page_text(page)).items()):
        check_text(chars, lang or brief.target_lang, ui_path)


# -- PDF ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def font_configuration() -> Any:
    """One FontConfiguration per process: a new one per render leaks memory (measured 260 -> 740 MB)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def weasyprint_warnings_fail(what: str) -> Iterator[None]:
    """Any warning WeasyPrint logs (unsupported CSS, a missing resource) becomes a RenderError."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    old_level = logger.level
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    if handler.records:
        shown = "; ".join(r.getMessage() for r in handler.records[:5])
        more = f" (and {len(handler.records) - 5} more)" if len(handler.records) > 5 else ""
        raise RenderError(f"WeasyPrint warned while rendering: {shown}{more}", what)


def render_pdf(page: str, *, base_url: str | None = None, what: str = "") -> bytes:
    """WeasyPrint's tagged PDF of ``page`` (fonts embedded and subset by HarfBuzz).

    The page refers to nothing outside itself, so no ``base_url`` is needed: with
    none, the bytes do not depend on the folder the build runs in.
    """
    from weasyprint import HTML

    with weasyprint_warnings_fail(what):
        document = HTML(string=page, base_url=base_url)
        # No pdf_identifier: pydyf would serialise every object again to hash it, and finish_pdf
        # replaces the ID with qpdf's deterministic one anyway.
        data = document.write_pdf(font_config=font_configuration(), pdf_tags=True)
    assert isinstance(data, bytes)
    return data


@functools.lru_cache(maxsize=16)
def translations(mo: bytes, shown: str) -> gettext.NullTranslations:
    """The interface translations from a compiled catalog (``.mo`` bytes; b"": none), as the templates use them."""
    if not mo:
        return gettext.NullTranslations()
    try:
        return gettext.GNUTranslations(io.BytesIO(mo))
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # a bad Plural-Forms header, for one
        raise CatalogError(f"cannot load translations: {exc}", shown) from None


# What Jinja's newstyle gettext formats in a msgstr: a named placeholder or ``%%``.  Any other ``%``
# (``100 %``, ``50% sûr``: `% s` would be a positional directive to Python) is the translator's text.
_DIRECTIVE = re.compile(r"%(?:%|\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])?")


def _as_format(text: str) -> str:
    return _DIRECTIVE.sub(lambda m: "%%" if m.group() == "%" else m.group(), text)


def interpolate(translated: str, source: str, variables: dict[str, Any]) -> Markup:
    """A msgstr, escaped, with the template's variables, as Jinja's newstyle gettext makes it (``%``).

    Never crashes on, nor mangles, a translator's text: a ``%`` that is no placeholder stays as
    written, braces are text, and a msgstr whose placeholders do not fit the variables (a name
    the template does not pass, ``%(n)d`` for a text) gives way to the msgid, which ``check``
    reports as an error.
    """
    for text in (translated, source):
        try:
            return Markup(_as_format(str(escape(text)))) % variables
        except (KeyError, TypeError, ValueError):
            continue
    raise RenderError(f"the template's string {source!r} does not fit its variables {sorted(variables)}")


def gettext_callables(translations: gettext.NullTranslations) -> dict[str, Any]:
    """gettext functions for Jinja2's i18n extension (newstyle) that never let a msgstr be markup.

    They do what Jinja's own newstyle wrappers do (variables interpolated with ``%``, escaped),
    through :func:`interpolate`, so a translator's ``%`` or ``{}`` never breaks a page.
    """

    def _gettext(message: str, **variables: Any) -> Markup:
        return interpolate(translations.gettext(message), message, variables)

    def _ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("num", n)
        return interpolate(translations.ngettext(singular, plural, n), singular if n == 1 else plural, variables)

    def _pgettext(context: str, message: str, **variables: Any) -> Markup:
        variables.setdefault("context", context)
        return interpolate(translations.pgettext(context, message), message, variables)

    def _npgettext(context: str, singular: str, plural: str, n: int, **variables: Any) -> Markup:
        variables.setdefault("context", context)
        variables.setdefault("num", n)
        source = singular if n == 1 else plural
        return interpolate(translations.npgettext(context, singular, plural, n), source, variables)

    return {"gettext": _gettext, "ngettext": _ngettext, "pgettext": _pgettext, "npgettext": _npgettext}
