"""The QA checks: tiny functions ``(message, context) -> hits``, registered in ``CHECKS``.

Each check has an id, a default severity and a one-line description; it
yields :class:`Hit` objects (a message, and a severity when it differs from
the default) and knows nothing of files, output or suppression: the runner in
:mod:`pipeline.qa.check` adds the ``path:line``, drops what a translator has
suppressed (``#, no-<id>-check`` or ``# qa: no-<id>-check <reason>``) and
formats the result.

``scope="message"`` checks see one translated, non-fuzzy msgid/msgstr pair at
a time (each plural form on its own); ``scope="catalog"`` checks see the
whole catalog (untranslated, fuzzy and obsolete entries, ``msgfmt -c``).
Checks with ``content_only`` do not run on the templates' UI strings.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import polib

from pipeline.errors import ToolError
from pipeline.lang import language_of
from pipeline.model import CTX_OUTLET, CTX_SPEAKER, CTX_SPEAKER_TITLE, MERGE_THEIRS
from pipeline.qa.findings import ERROR, PARSE_CHECK, WARNING
from pipeline.qa.glossary import GlossaryEntry, contains_term
from pipeline.qa.lexicon import doubling_allowed
from pipeline.qa.numbers import Number, compare_numbers, find_numbers, find_ordinals, power_of_ten
from pipeline.qa.stats import entry_state


@dataclass(frozen=True, slots=True)
class Hit:
    message: str
    severity: str | None = None  # None: the check's default
    entry: polib.POEntry | None = None  # catalog checks: the entry it is about
    line: int | None = None  # catalog checks: a line of its own (msgfmt's)
    expected: str | None = None  # what the translation should have had, when the check knows
    found: str | None = None  # what it has instead
    span: tuple[int, int] | None = None  # where in the msgstr (character offsets), when the check knows


@dataclass(frozen=True, slots=True)
class Message:
    """One msgid/msgstr pair to check; a plural entry gives one per msgstr form."""

    entry: polib.POEntry
    source: str
    target: str
    form: int | None = None


@dataclass
class Context:
    """What a check may need to know about the catalog around a message."""

    path: Path
    shown: str
    locale: str
    domain: str
    source_language: str
    po: polib.POFile
    content: bool = True  # a brief's own strings (not the templates' UI strings)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    glossary_path: str = ""
    glossary_stems: tuple[str, ...] | None = None  # see may_have_terms
    glossary_keys: tuple[tuple[str, str], ...] | None = None
    name_forms: dict[str, str] = field(default_factory=dict)  # source name -> learned form (name-forms)
    glossary_names: dict[str, bool] = field(default_factory=dict)  # label -> is a glossary term (names)
    numbers_of: dict[str, list[Number]] = field(default_factory=dict)  # translation -> its numbers, once a catalog
    names: dict[str, tuple[str, polib.POEntry]] = field(default_factory=dict)
    length_ratio: float = 1.0
    length_model: LengthModel | None = None
    line_of: Callable[[polib.POEntry], int] = lambda e: e.linenum or 0
    msgfmt_c: subprocess.CompletedProcess[str] | None = None  # run_msgfmt_c(path), when already run

    @cached_property
    def language(self) -> str:
        return language_of(self.locale)

    @cached_property
    def source_lang(self) -> str:
        """The source's language code (``en``)."""
        return language_of(self.source_language)


MessageCheck = Callable[[Message, Context], Iterable[Hit]]
CatalogCheck = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    severity: str
    description: str
    func: Callable[..., Iterable[Hit]]
    scope: str = "message"
    content_only: bool = False


CHECKS: list[Check] = []


_F = TypeVar("_F", MessageCheck, CatalogCheck)  # a registered check has one of the two signatures


def check(
    id: str, severity: str, description: str, *, scope: str = "message", content_only: bool = False
) -> Callable[[_F], _F]:
    """Register a check in ``CHECKS`` (order = report order within an entry)."""

    def register(func: _F) -> _F:
        CHECKS.append(Check(id, severity, description, func, scope, content_only))
        return func

    return register


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= width else f'"{text[: width - 1]}…"'


# --- catalog checks ---------------------------------------------------------


def run_msgfmt_c(path: Path, data: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """``msgfmt -c`` on the catalog; exit status 0 also means gettext reads it without a syntax error.

    ``data``: the file's bytes, already read: gettext checks exactly those (on its standard input),
    and its messages still name ``path``.
    """
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        raise ToolError("'msgfmt' not found: install GNU gettext (Debian: apt-get install gettext)")
    if data is None:
        return subprocess.run(
            [msgfmt, "-c", "-o", os.devnull, path.as_posix()], capture_output=True, text=True, errors="replace"
        )
    proc = subprocess.run([msgfmt, "-c", "-o", os.devnull, "-"], input=data, capture_output=True)
    stderr = re.sub(r"(?m)^<stdin>:", lambda _: f"{path.as_posix()}:", proc.stderr.decode("utf-8", "replace"))
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"), stderr)


# A catalog gettext may check in one run with others: its header comes first (msgfmt checks a header per
# file, and another file's would stand in for a missing one), in UTF-8 (a header switches the charset of
# what follows), and it has no domain directive of its own.
_BATCH_HEADER = re.compile(
    rb'\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*msgid ""[ \t]*\r?\nmsgstr ""[ \t]*\r?\n((?:[ \t]*"[^\n]*\n)*)'
)
_BATCH_CHARSET = re.compile(rb"charset=utf-8\b", re.I)
_DOMAIN_DIRECTIVE = re.compile(rb"(?m)^[ \t]*domain\b")
MSGFMT_BATCH = 100  # catalogs a gettext process checks at once


def batchable(data: bytes) -> bool:
    """Whether ``msgfmt -c`` may check these catalog bytes together with others (see :func:`msgfmt_c_clean`)."""
    m = _BATCH_HEADER.match(data)
    return m is not None and bool(_BATCH_CHARSET.search(m.group(1))) and not _DOMAIN_DIRECTIVE.search(data)


def msgfmt_c_clean(catalogs: list[bytes], chunk: int = MSGFMT_BATCH) -> list[bool]:
    """Which catalogs ``msgfmt -c`` accepts without a word, up to ``chunk`` of them a gettext process.

    Each catalog's bytes go to gettext as they are, after a ``domain`` directive of their own, so that
    every catalog is read, checked and compiled as its own domain (its own header, plural forms and
    messages; no duplicate across catalogs).  One process for a hundred catalogs instead of one each:
    the start of a gettext process costs more than checking a catalog.  A run with any message (an
    error or a warning) answers False for all its catalogs, as does a catalog :func:`batchable` refuses:
    those are then checked one by one (:func:`run_msgfmt_c`), whose messages name the file and line.
    """
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        raise ToolError("'msgfmt' not found: install GNU gettext (Debian: apt-get install gettext)")
    clean = [False] * len(catalogs)
    todo = [i for i, data in enumerate(catalogs) if batchable(data)]
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        if len(part) < 2:
            continue  # one catalog: its own run says as much, with its file name
        stream = b"".join(b'domain "c%d"\n%s\n' % (k, catalogs[i]) for k, i in enumerate(part))
        with tempfile.TemporaryDirectory(prefix="qa-msgfmt-") as out:  # the .mo of each domain lands here
            proc = subprocess.run([msgfmt, "-c", "-"], input=stream, capture_output=True, cwd=out)
        if proc.returncode == 0 and not proc.stdout.strip() and not proc.stderr.strip():
            for i in part:
                clean[i] = True
    return clean


def msgfmt_c_accepted(path: Path) -> subprocess.CompletedProcess[str]:
    """What :func:`run_msgfmt_c` answers on a catalog :func:`msgfmt_c_clean` found clean: exit 0, no message."""
    return subprocess.CompletedProcess(["msgfmt", "-c", "-o", os.devnull, path.as_posix()], 0, "", "")


_MSGFMT_LINE = re.compile(r"(?:(\d+):)?(?:\d+:)? ?(.*)$")


@check("msgfmt", ERROR, "the catalog passes `msgfmt -c` (header, format strings, plural forms)", scope="catalog")
def check_msgfmt(ctx: Context) -> Iterator[Hit]:
    proc = ctx.msgfmt_c or run_msgfmt_c(ctx.path)
    prefix = f"{ctx.path.as_posix()}:"  # a string test: a regex of each path would be compiled once a catalog
    seen = False
    for raw in proc.stderr.splitlines():
        m = _MSGFMT_LINE.match(raw[len(prefix) :]) if raw.startswith(prefix) else None
        if not m:
            continue
        text = m.group(2).strip()
        severity = WARNING if text.startswith("warning:") else ERROR
        seen = True
        yield Hit(f"msgfmt -c: {text.removeprefix('warning: ')}", severity, line=int(m.group(1) or 0) or None)
    if proc.returncode != 0 and not seen:
        yield Hit(f"msgfmt -c rejects the catalog: {proc.stderr.strip().splitlines()[-1:]}")


@check(
    "untranslated", WARNING, "entries without a translation (the coverage gate decides publication)", scope="catalog"
)
def check_untranslated(ctx: Context) -> Iterator[Hit]:
    entries = [e for e in ctx.po if not e.obsolete]
    states = Counter(entry_state(e) for e in entries)
    if entries and states["untranslated"] == len(entries):
        yield Hit(f"translation not started: none of the {len(entries)} entries is translated")
        return
    for e in entries:
        if entry_state(e) == "untranslated":
            yield Hit(f"not translated yet: {_excerpt(e.msgid)}", entry=e)
        elif e.msgid_plural and not all(e.msgstr_plural.values()):
            empty = ", ".join(f"msgstr[{i}]" for i, s in sorted(e.msgstr_plural.items()) if not s)
            yield Hit(f"plural form {empty} not translated yet: {_excerpt(e.msgid)}", entry=e)


@check(
    "fuzzy", WARNING, "fuzzy entries: drafts that are not published until a reviser clears the flag", scope="catalog"
)
def check_fuzzy(ctx: Context) -> Iterator[Hit]:
    for e in ctx.po:
        if not e.obsolete and entry_state(e) == "fuzzy":
            why = " (the source changed: compare the #| previous msgid)" if e.previous_msgid else ""
            yield Hit(f"fuzzy draft to review, then remove the fuzzy flag{why}: {_excerpt(e.msgid)}", entry=e)


@check(
    "obsolete", WARNING, "leftover previous-version noise: #~ obsolete entries, #| on reviewed entries", scope="catalog"
)
def check_obsolete(ctx: Context) -> Iterator[Hit]:
    for e in ctx.po:
        if not e.obsolete and "fuzzy" not in e.flags and (e.previous_msgid or e.previous_msgctxt):
            yield Hit("#| previous msgid left on a reviewed (non-fuzzy) entry: delete the #| lines", entry=e)
    for e in ctx.po.obsolete_entries():
        yield Hit(f"obsolete #~ entry no longer in the source: delete it: {_excerpt(e.msgid)}", entry=e)


@check(
    "merge-conflict",
    WARNING,
    "two translations left by the catalog merge driver (`# merge: theirs:`): choose one, then delete the note",
    scope="catalog",
)
def check_merge_conflict(ctx: Context) -> Iterator[Hit]:
    for e in ctx.po:
        theirs = [line[len(MERGE_THEIRS) :] for line in e.tcomment.splitlines() if line.startswith(MERGE_THEIRS)]
        if e.obsolete or not theirs:
            continue
        other = " or ".join(_excerpt(t) for t in theirs)
        if entry_state(e) == "fuzzy":
            yield Hit(
                f"both branches translated this entry: keep the msgstr or use {other}, "
                f"then delete the '# {MERGE_THEIRS.strip()}' line and the fuzzy flag: {_excerpt(e.msgid)}",
                entry=e,
                found=theirs[0],
            )
        else:
            yield Hit(
                f"reviewed, but the other branch's translation {other} is still noted: "
                f"delete the '# {MERGE_THEIRS.strip()}' line: {_excerpt(e.msgid)}",
                entry=e,
                found=theirs[0],
            )


# --- numbers ----------------------------------------------------------------


@check("numbers", ERROR, "every number of the source is in the translation with the same value")
def check_numbers(msg: Message, ctx: Context) -> Iterator[Hit]:
    yield from _check_ordinals(msg, ctx)
    source, target = source_numbers(msg.source, ctx.source_language), target_numbers(ctx, msg.target)
    if sorted(n.value for n in source if n.firm) == sorted(n.value for n in target if n.firm):
        return  # every firm number has its match and the translation has no other: nothing to pair
    diff = compare_numbers(list(source), target)
    if diff.ok:
        return
    said = ", ".join(n.shown() for n in diff.missing)
    if diff.missing:
        others = list(diff.unexpected) or [n for n in diff.unmatched_words if n.value > 10 or n.scale > 1]
        if others:
            yield Hit(
                f"number changed: the source says {said}, the translation says "
                f"{', '.join(n.shown() for n in others)}{_shift_hint(diff.missing[0].value, others)}"
            )
        else:
            yield Hit(f"number missing: the source says {said}; the translation has no such value")
        return
    extra = [n for n in diff.unexpected if n.value > 10 or n.scale > 1 or n.kind == "percent"]
    if extra:
        yield Hit(
            f"number not in the source: the translation says {', '.join(n.shown() for n in extra)}",
            WARNING,
        )


def target_numbers(ctx: Context, text: str) -> list[Number]:
    """The numbers of a translation, read once a catalog whichever check asks."""
    if text not in ctx.numbers_of:
        ctx.numbers_of[text] = find_numbers(text, ctx.locale)
    return ctx.numbers_of[text]


@lru_cache(maxsize=1 << 16)
def source_numbers(text: str, language: str) -> tuple[Number, ...]:
    """Numbers of a source sentence, remembered: every locale's catalog checks the same sources."""
    return tuple(find_numbers(text, language))


@lru_cache(maxsize=1 << 16)
def _source_ordinals(text: str, language: str) -> tuple[Number, ...]:
    return tuple(find_ordinals(text, language))


def _check_ordinals(msg: Message, ctx: Context) -> Iterator[Hit]:
    """An enumeration renumbered (First -> 第二): an ordinal of the translation the source does not have."""
    source = _source_ordinals(msg.source, ctx.source_language)
    if not source:
        return
    values = {n.value for n in source}
    for n in find_ordinals(msg.target, ctx.locale):
        if n.value not in values:
            said = ", ".join(f"{s.text} ({s.value})" for s in source)
            yield Hit(
                f"ordinal changed: the source says {said}, the translation says {n.text} ({n.value})",
                expected=source[0].text,
                found=n.text,
                span=(n.start, n.start + len(n.text)),
            )
            return


def _shift_hint(wanted: Decimal, found: list[Number]) -> str:
    """`` (10,000 times too small)`` when a value is off by a power of ten: a unit or decimal slip."""
    for n in found:
        k = power_of_ten(n.value, wanted)
        if k:
            return f" ({10**k:,} times too large)" if k > 0 else f" ({10**-k:,} times too small)"
    return ""


# --- terminology and names ----------------------------------------------------


def glossary_patterns(ctx: Context) -> tuple[tuple[str, str], ...]:
    """``(concept id, source pattern)`` of the catalog's glossary entries: the key of :func:`source_concepts`."""
    if ctx.glossary_keys is None:
        ctx.glossary_keys = tuple((g.concept.id, g.source_pattern.pattern) for g in ctx.glossary)
    return ctx.glossary_keys


@lru_cache(maxsize=1 << 14)
def source_concepts(text: str, patterns: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """Glossary concepts a source sentence has, remembered: every locale checks the same sources."""
    return frozenset(c for c, p in _compiled(patterns) if p.search(text))


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c, re.compile(p, re.I)) for c, p in patterns)


def may_have_terms(ctx: Context, text: str) -> bool:
    """A quick test before the glossary's patterns: does ``text`` contain the longest word of some source term
    (cut by two letters, or a final y, for plural endings)?  Substring tests, no regex."""
    if ctx.glossary_stems is None:
        stems = set()
        for g in ctx.glossary:
            for t in g.source:
                word = max(re.split(r"[\s\-‐‑–'’]+", t.text.lower()), key=len)
                stems.add(word[:-2] if len(word) > 5 else word[:-1] if word.endswith("y") else word)  # city: cities
        ctx.glossary_stems = tuple(sorted(stems))
    low = text.lower()
    return any(stem in low for stem in ctx.glossary_stems)


@check("glossary", ERROR, "a glossary term of the source has its approved translation", content_only=True)
def check_glossary(msg: Message, ctx: Context) -> Iterator[Hit]:
    if not ctx.glossary or not may_have_terms(ctx, msg.source):
        return  # most sentences have no term: one search instead of one per concept
    concepts = source_concepts(msg.source, glossary_patterns(ctx))
    for g in ctx.glossary:
        if g.concept.id not in concepts:
            continue
        m = g.source_pattern.search(msg.source)
        if not m:
            continue
        where = f"{ctx.glossary_path}:{g.concept.line}"
        used = [t.text for t in g.deprecated if contains_term(msg.target, t.text, ctx.locale)]
        if used:
            yield Hit(f'"{used[0]}" is deprecated for "{m.group()}": use {g.expected()} ({where})')
        elif not any(contains_term(msg.target, t.text, ctx.locale) for t in g.target):
            yield Hit(f'"{m.group()}" is {g.expected()} in the glossary ({where}); the translation does not use it')


@check(
    "names",
    ERROR,
    "names, speaker labels and speaker titles are translated the same way throughout a brief",
    content_only=True,
)
def check_names(msg: Message, ctx: Context) -> Iterator[Hit]:
    if msg.entry.msgctxt in _LABEL_CONTEXTS:
        return
    for name, (translated, label) in ctx.names.items():
        title = label.msgctxt == CTX_SPEAKER_TITLE  # "Mayor of Chongqing": also in lower case in the text
        if not title and name not in msg.source:
            continue
        if name not in ctx.glossary_names:
            ctx.glossary_names[name] = any(g.source_pattern.fullmatch(name) for g in ctx.glossary)
        if ctx.glossary_names[name]:
            continue  # the glossary check names the approved form
        found = _whole_word(name, title).search(msg.source)
        if found and not contains_term(msg.target, translated, ctx.locale):
            what = "role title" if title else "name"
            yield Hit(
                f'{what} "{name}" is "{translated}" in its label (line {ctx.line_of(label)}) '
                "but not in this translation",
                expected=translated,
            )


_LABEL_CONTEXTS = (CTX_SPEAKER, CTX_OUTLET, CTX_SPEAKER_TITLE)


@lru_cache(maxsize=1 << 10)
def _whole_word(name: str, any_case: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I if any_case else 0)


# --- punctuation, brackets, quotes, spacing ---------------------------------

_CLOSERS = "\"'”’»›)]）」』】》〉"
# fmt: off
_END_TYPES = {"?": "question", "？": "question", "؟": "question", "!": "exclamation", "！": "exclamation",
              ".": "period", "。": "period", "．": "period", "।": "period", ":": "colon", "：": "colon",
              ";": "semicolon", "；": "semicolon", "؛": "semicolon", "…": "ellipsis"}
# fmt: on
_END_MARKS = {
    "zh": {"question": "？", "exclamation": "！", "period": "。", "colon": "：", "semicolon": "；"},
    "ja": {"question": "？", "exclamation": "！", "period": "。", "colon": "：", "semicolon": "；"},
    "ar": {"question": "؟", "exclamation": "!", "period": ".", "colon": ":", "semicolon": "؛"},
}
_LATIN_MARKS = {"question": "?", "exclamation": "!", "period": ".", "colon": ":", "semicolon": ";"}
_COMPATIBLE = {frozenset({"period", "exclamation"}), frozenset({"period", "ellipsis"})}


def _end(text: str) -> tuple[str | None, str]:
    core = text.rstrip().rstrip(_CLOSERS + " \u00a0\u202f").rstrip()
    if core.endswith("..."):
        return "ellipsis", "..."
    last = core[-1:]
    return _END_TYPES.get(last), last


@check("end-punctuation", WARNING, "final punctuation matches the sentence type, in the target's own marks")
def check_end_punctuation(msg: Message, ctx: Context) -> Iterator[Hit]:
    (s_type, s_mark), (t_type, t_mark) = _end(msg.source), _end(msg.target)
    marks = _END_MARKS.get(ctx.language, _LATIN_MARKS)
    if s_type == "question" and t_type != "question":
        yield Hit(
            f"the source is a question ('{s_mark}') but the translation is not: end it with '{marks['question']}'"
        )
    elif t_type == "question" and s_type != "question":
        yield Hit(f"the translation ends with '{t_mark}' but the source is not a question")
    elif s_type and not t_type:
        yield Hit(f"the translation has no final punctuation; the source ends with '{s_mark}'")
    elif t_type and not s_type and t_type != "ellipsis":
        yield Hit(f"the source (a title or label) has no final punctuation but the translation ends with '{t_mark}'")
    elif s_type and t_type and s_type != t_type and frozenset({s_type, t_type}) not in _COMPATIBLE:
        yield Hit(f"the source ends with '{s_mark}' ({s_type}) but the translation with '{t_mark}' ({t_type})")
    elif t_type in marks and t_mark not in (marks[t_type], "…") and t_type != "ellipsis":
        yield Hit(f"final '{t_mark}' is not the {ctx.language} mark: use '{marks[t_type]}'")
    if ctx.language == "es" and t_type in ("question", "exclamation"):
        opener = "¿" if t_type == "question" else "¡"
        if opener not in msg.target:
            yield Hit(f"a Spanish {t_type} opens with '{opener}'")


_BRACKETS = {"round": ("(（", ")）"), "square": ("[【〔", "]】〕"), "curly": ("{", "}"), "angle": ("《〈", "》〉")}
_QUOTES = {"default": ("“«「『‹", "”»」』›"), "low": ("„«「『‹", "“»」』›")}
_LOW_OPENING = {"ru", "de", "uk", "cs", "pl", "bg"}


def _imbalance(text: str, opens: str, closes: str) -> int:
    return sum(text.count(c) for c in opens) - sum(text.count(c) for c in closes)


def _quote_imbalance(text: str, language: str) -> int:
    opens, closes = _QUOTES["low" if language in _LOW_OPENING else "default"]
    if language in _LOW_OPENING:
        text = text.replace("”", "“")  # „…“ and „…” both close with a high mark
    return _imbalance(text, opens, closes) + text.count('"') % 2


@check("brackets", WARNING, "brackets and quotes are balanced in the translation as in the source")
def check_brackets(msg: Message, ctx: Context) -> Iterator[Hit]:
    if not _PAIRED.search(msg.source) and not _PAIRED.search(msg.target):
        return
    for family, (opens, closes) in _BRACKETS.items():
        s, t = _imbalance(msg.source, opens, closes), _imbalance(msg.target, opens, closes)
        if s != t:
            found = f"{_count(msg.target, opens)} opening, {_count(msg.target, closes)} closing"
            yield Hit(f"unbalanced {family} brackets in the translation: {found}{_where(msg.target, opens, closes)}")
    s_lang = ctx.source_lang
    if _quote_imbalance(msg.source, s_lang) != _quote_imbalance(msg.target, ctx.language):
        low = ctx.language in _LOW_OPENING
        opens, closes = _QUOTES["low" if low else "default"]
        odd = msg.target.rfind('"') if msg.target.count('"') % 2 else -1
        lone = _unmatched(msg.target.replace("”", "“") if low else msg.target, opens, closes)
        if odd >= 0 and lone is None:
            lone = ('"', odd)
        if lone is None:
            yield Hit("unbalanced quotation marks in the translation (as many as the source's unbalanced ones?)")
        else:
            mark, at = lone
            near = _excerpt(msg.target[max(0, at - 12) : at + 13], 30)
            yield Hit(
                f"unbalanced quotation marks in the translation: '{mark}' at character {at + 1} "
                f"has no partner ({near})",
                found=mark,
                span=(at, at + 1),
            )


_PAIRED = re.compile("[" + re.escape("".join(o + c for o, c in [*_BRACKETS.values(), *_QUOTES.values()]) + '"') + "]")


def _unmatched(text: str, opens: str, closes: str) -> tuple[str, int] | None:
    """The first mark without its partner (an opener never closed, or a closer never opened), and where."""
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(text):
        if (c in opens and c in closes) or c in opens:  # 「 in both sets of some styles: treat as an opener
            stack.append((c, i))
        elif c in closes:
            if stack and opens.find(stack[-1][0]) == closes.find(c):
                stack.pop()
            else:
                return c, i
    return stack[0] if stack else None


def _where(text: str, opens: str, closes: str) -> str:
    lone = _unmatched(text, opens, closes)
    return f"; '{lone[0]}' at character {lone[1] + 1} has no partner" if lone else ""


def _count(text: str, chars: str) -> int:
    return sum(text.count(c) for c in chars)


_QUOTE_STYLE = {  # marks each language uses, and the pair to suggest
    "zh": ("“”‘’「」『』", "“…”"),
    "ja": ("「」『』“”", "「…」"),
    "fr": ("«»“”", "« … »"),
    "es": ("«»“”‘’", "«…»"),
    "ru": ("«»„“", "«…»"),
    "ar": ("«»“”", "«…»"),
    "de": ("„“‚‘»«", "„…“"),
    "en": ('“”‘’"', "“…”"),
}
_QUOTE_MARKS = '"“”„«»「」『』'


@check("quotes", WARNING, "quotation marks in the target language's own style")
def check_quotes(msg: Message, ctx: Context) -> Iterator[Hit]:
    style = _QUOTE_STYLE.get(ctx.language)
    if style is None:
        return
    allowed, suggest = style
    if typographic_marks(ctx.language) is not None:
        allowed += '"'  # a straight quote is typography's, which says where and what to use
    foreign = sorted({c for c in msg.target if c in _QUOTE_MARKS and c not in allowed})
    if foreign:
        yield Hit(f"quotation marks {' '.join(foreign)} are not {ctx.language} style: use {suggest}")


_SPACES = " \u00a0\u202f\u2009\u3000\t"


@check("whitespace", WARNING, "no leading, trailing or doubled spaces the source does not have")
def check_whitespace(msg: Message, ctx: Context) -> Iterator[Hit]:
    s, t = msg.source, msg.target
    for side, s_has, t_has in (
        ("leading", s[:1] in _SPACES and s != "", t[:1] in _SPACES and t != ""),
        ("trailing", s[-1:] in _SPACES and s != "", t[-1:] in _SPACES and t != ""),
    ):
        if t_has and not s_has:
            yield Hit(f"{side} space in the translation, none in the source")
        elif s_has and not t_has:
            yield Hit(f"{side} space in the source is missing from the translation")
    doubled = re.compile(f"[{_SPACES}]{{2,}}")
    if doubled.search(t.strip(_SPACES)) and not doubled.search(s.strip(_SPACES)):
        yield Hit("doubled space in the translation")


TYPOGRAPHY = Path(__file__).resolve().parent.parent / "data" / "qa-typography.toml"


@dataclass(frozen=True, slots=True)
class Marks:
    """The typographic marks of a language (``pipeline/data/qa-typography.toml``)."""

    apostrophe: str
    quotes: tuple[str, str]  # in place of straight double quotes
    single: tuple[str, str]  # in place of straight single quotes


@cache
def typographic_marks(language: str) -> Marks | None:
    """The language's marks, or None for a language the table does not cover (nothing is checked)."""
    table = _typography_table().get(language)
    if table is None:
        return None
    q, s = table["quotes"], table["single"]
    return Marks(table["apostrophe"], (q[0], q[1]), (s[0], s[1]))


@cache
def _typography_table() -> dict[str, Any]:
    return tomllib.loads(TYPOGRAPHY.read_text(encoding="utf-8"))


_STRAIGHT = re.compile("['\"]")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_ASCII_RUN = re.compile(r"[!-~]+")
_FINAL = ".,;:!?"  # sentence punctuation after a token is not part of it
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")  # quotes included: ?q='hub' is the address's
_PROSE_TOKEN = re.compile(r"[\"'(]*[^\W\d_]+(?:['’-][^\W\d_]+)*['\"]*[.,;:!?)]*")  # words and their marks


def _not_prose(target: str, source: str) -> list[tuple[int, int]]:
    """Spans of ``target`` whose straight marks are not typography's: URLs, markup, placeholders, `code`,
    and code the source has verbatim (a token with a straight mark, as written in the source, that is not
    words: ``'pipeline[pdf]'``, ``x="1"``)."""
    spans = [m.span() for p in (*TOKENS.values(), _WEB_ADDRESS, _URL, _CODE_SPAN) for m in p.finditer(target)]
    source_tokens = {m.group().rstrip(_FINAL) for m in _ASCII_RUN.finditer(source)}
    for m in _ASCII_RUN.finditer(target):  # code is ASCII, also amid Chinese: 设置lang="zh"。
        token = m.group().rstrip(_FINAL)
        if _STRAIGHT.search(token) and token in source_tokens and not _PROSE_TOKEN.fullmatch(token):
            spans.append((m.start(), m.start() + len(token)))
    return spans


def straight_marks(target: str, source: str, marks: Marks) -> list[tuple[str, int, str]]:
    """``(kind, offset, mark to use)`` of each typewriter mark of a translation's prose.

    A ``'`` after a letter is an apostrophe (l'année, parents') unless it closes a single quote opened
    before; elsewhere it opens or closes a single quote.  A ``"`` opens where no letter or digit is
    before it and no space after it.
    """
    skip = _not_prose(target, source)
    out: list[tuple[str, int, str]] = []
    open_single = 0
    for m in _STRAIGHT.finditer(target):
        i = m.start()
        if any(a <= i < b for a, b in skip):
            continue
        before = target[i - 1] if i else " "
        after = target[i + 1] if i + 1 < len(target) else " "
        opening = not before.isalnum() and not after.isspace()
        if m.group() == '"':
            out.append(("double quote", i, marks.quotes[0 if opening else 1]))
        elif before.isalpha() and (after.isalpha() or not open_single):
            out.append(("apostrophe", i, marks.apostrophe))
        elif opening:
            open_single += 1
            out.append(("single quote", i, marks.single[0]))
        else:
            open_single = max(0, open_single - 1)
            out.append(("single quote", i, marks.single[1]))
    return out


_SPACE_NAMES = {"\u202f": "narrow no-break spaces (U+202F)", "\u00a0": "no-break spaces (U+00A0)"}


def _fix(kind: str, marks: Marks) -> str:
    if kind == "apostrophe":
        return f"{marks.apostrophe} (U+{ord(marks.apostrophe):04X})"
    pair = marks.quotes if kind == "double quote" else marks.single
    spaces = [name for ch, name in _SPACE_NAMES.items() if ch in pair[0] + pair[1]]
    return f"{pair[0]}…{pair[1]}" + (f" with {spaces[0]} inside" if spaces else "")


@check(
    "typography",
    WARNING,
    "curly apostrophes and quotes in the language's style, not straight ' and \"; French spacing before"
    " ? ! ; : and inside « »",
)
def check_typography(msg: Message, ctx: Context) -> Iterator[Hit]:
    marks = typographic_marks(ctx.language)
    if marks is not None and _STRAIGHT.search(msg.target):
        found = straight_marks(msg.target, msg.source, marks)
        for kind in ("apostrophe", "single quote", "double quote"):
            of_kind = [(i, use) for k, i, use in found if k == kind]
            if not of_kind:
                continue
            i, use = of_kind[0]
            mark = msg.target[i]
            near = _excerpt(msg.target[max(0, i - 12) : i + 13], 30)
            more = f"; {len(of_kind)} in all" if len(of_kind) > 1 else ""
            yield Hit(
                f"straight {kind} {mark} at character {i + 1} ({near}{more}): use {_fix(kind, marks)}",
                expected=use,
                found=mark,
                span=(i, i + 1),
            )
    if ctx.language == "fr":
        yield from _french_spacing(msg.target)


def _french_spacing(target: str) -> Iterator[Hit]:
    text = _URL.sub("", target)
    for m in re.finditer(r"(?<=[\w»)\]])( ?)([?!;:])(?!\d)", text):
        kind = "a plain space" if m.group(1) else "no space"
        yield Hit(f"'{m.group(2)}' has {kind} before it: use a narrow no-break space (U+202F)")
        return
    if re.search(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»", text):
        yield Hit("« » need a no-break space (U+202F or U+00A0) inside")


_REPEAT_OK = {"fr": {"nous", "vous"}, "en": {"had", "that"}, "es": set(), "ru": set()}


_CJK_DOUBLE = re.compile(r"([\u3040-\u30ff\u3400-\u9fff]{1,4})\1")
_KANA_PARTICLES = frozenset("のをにがでへ")  # a doubled particle is a slip; other doubled kana are words (ここ)
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)?"  # d'un, l'économie: an elided article and its word are one


@check("repeated-word", WARNING, "no word doubled by mistake (the the, d'un d'un, 的的)")
def check_repeated_word(msg: Message, ctx: Context) -> Iterator[Hit]:
    if ctx.language in ("zh", "ja"):
        yield from _cjk_doubles(msg, ctx)
        return
    if ctx.language in ("ko", "th"):
        return
    ok = _REPEAT_OK.get(ctx.language, set())
    for m in re.finditer(rf"(?<![\w'’])({_WORD})\s+\1(?!\w)", msg.target, re.I):
        word = m.group(1).lower()
        if word not in ok and not re.search(rf"(?<!\w){re.escape(m.group())}(?!\w)", msg.source, re.I):
            yield Hit(f"repeated word: '{m.group()}'", found=m.group(), span=(m.start(), m.end()))


def _cjk_doubles(msg: Message, ctx: Context) -> Iterator[Hit]:
    """Chinese and Japanese double by grammar (谢谢, いろいろ: the lexicon's allow list), else by slip."""
    allowed = doubling_allowed(ctx.language)
    for m in _CJK_DOUBLE.finditer(msg.target):
        unit = m.group(1)
        if m.group() in allowed or any(m.group() in a for a in allowed if len(a) > 2):
            continue
        if len(unit) == 1 and "\u3040" <= unit <= "\u30ff" and unit not in _KANA_PARTICLES:
            continue
        if m.group() in msg.source:
            continue
        yield Hit(f"repeated word: '{m.group()}' ('{unit}' twice)", found=m.group(), span=(m.start(), m.end()))


# --- sameness and length -------------------------------------------------------


UNCHANGED_SENTENCE = 4  # words: a copy this long is untranslated text, not a name or a term


@check("unchanged", WARNING, "a translation identical to its source (an error from four words on) where not a name")
def check_unchanged(msg: Message, ctx: Context) -> Iterator[Hit]:
    s = msg.source.strip()
    if msg.target.strip() != s or ctx.source_lang == ctx.language:
        return
    if msg.entry.msgctxt in (CTX_SPEAKER, CTX_OUTLET) or not re.search(r"[^\W\d_]{2}", s):
        return
    words = s.split()
    if len(words) == 1 and (s[:1].isupper() or s.isupper()):
        return  # a name, an acronym
    if any(g.is_name and g.source_pattern.fullmatch(s) for g in ctx.glossary):
        return
    if len(words) >= UNCHANGED_SENTENCE:
        yield Hit(
            f"the translation is a copy of the source ({len(words)} words): untranslated text marked as translated",
            ERROR,
            found=s,
        )
    else:
        yield Hit("the translation is identical to the source: left untranslated?")


TOKENS = {
    "markup": re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"),
    "template syntax": re.compile(r"\{\{[^{}]*\}\}|\{%[^{}]*%\}|\{#[^{}]*#\}|\$\{\w+\}"),
    "placeholder": re.compile(
        r"%\(\w+\)[#0 +-]?\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%\d\$[sd]|%[sd]|\{\w*(?:![rsa])?(?::[^{}]*)?\}"
    ),
}
_DEFAULT_RATIO = {"zh": 0.32, "ja": 0.45, "ko": 0.5, "fr": 1.15, "es": 1.15, "ru": 1.1, "ar": 0.95, "de": 1.2}
MIN_LENGTH = 30  # shorter strings vary too much to judge
PRIOR_SPREAD = 0.2  # robust spread of log length ratios a language pair shows (measured on zh, ja, fr, ar: 0.13-0.20)
PRIOR_WEIGHT = 8  # the prior counts as that many entries: a catalog with few entries leans on it
OUTLIER_Z = 4.0  # robust z-score beyond which a length is an outlier (clean catalogs: at most 3.6)


@dataclass(frozen=True, slots=True)
class LengthModel:
    """Log of target/source length: its median and robust spread (MAD x 1.4826) for one catalog."""

    center: float
    spread: float

    @property
    def ratio(self) -> float:
        return math.exp(self.center)

    def z(self, source: int, target: int) -> float:
        return (math.log(target / source) - self.center) / self.spread


def length_model(po: polib.POFile, locale: str, source_language: str) -> LengthModel:
    """The catalog's own length model, shrunk towards the language pair's prior when it has few entries."""
    logs = [
        math.log(_prose_length(e.msgstr) / _prose_length(e.msgid))
        for e in po
        if not e.obsolete
        and entry_state(e) == "translated"
        and not e.msgid_plural
        and _prose_length(e.msgid) >= MIN_LENGTH
        and _prose_length(e.msgstr)
    ]
    prior = 1.0 if language_of(source_language) != "en" else _DEFAULT_RATIO.get(language_of(locale), 1.0)
    if len(logs) < 8:
        return LengthModel(math.log(prior), PRIOR_SPREAD)
    center = statistics.median(logs)
    mad = statistics.median(abs(x - center) for x in logs) * 1.4826
    n = len(logs)
    spread = math.sqrt((n * mad**2 + PRIOR_WEIGHT * PRIOR_SPREAD**2) / (n + PRIOR_WEIGHT))
    return LengthModel(center, spread)


def typical_ratio(po: polib.POFile, locale: str, source_language: str) -> float:
    """Target/source length ratio of the catalog (median), or the language pair's usual one."""
    return length_model(po, locale, source_language).ratio


def _prose_length(text: str) -> int:
    """Characters of the words themselves: placeholders and markup do not get translated."""
    if not MARKUP_CHARS.search(text):
        return len(text.strip())  # no token of TOKENS without one of these characters
    for pattern in TOKENS.values():
        text = pattern.sub("", text)
    return len(text.strip())


@check("length", WARNING, "length ratio within what the catalog's own length model allows (robust z-score)")
def check_length(msg: Message, ctx: Context) -> Iterator[Hit]:
    source, target = _prose_length(msg.source), _prose_length(msg.target)
    if source < MIN_LENGTH or not target:
        return
    model = ctx.length_model or LengthModel(math.log(ctx.length_ratio), PRIOR_SPREAD)
    z = model.z(source, target)
    if abs(z) > OUTLIER_Z:
        how = "long" if z > 0 else "short"
        what = "text added?" if z > 0 else "text left out?"
        yield Hit(
            f"translation unusually {how}: {target} characters for {source} "
            f"(ratio {target / source:.2f}, usual {model.ratio:.2f}, {abs(z):.1f} spreads off): {what}",
            expected=f"{model.ratio * source:.0f} characters",
            found=f"{target} characters",
        )


# --- markup, placeholders, control characters, URLs ---------------------------

_ALLOWED_CONTROLS = {"\n", "\t"}
_SUSPECT_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\ufeff\ufffd]")  # the Cc category, a BOM, a replacement mark


@check("markup", ERROR, "no markup, template syntax, placeholder or control character the source does not have")
def check_markup(msg: Message, ctx: Context) -> Iterator[Hit]:
    if MARKUP_CHARS.search(msg.source) or MARKUP_CHARS.search(msg.target):
        yield from _markup_tokens(msg)
    yield from _control_characters(msg)


MARKUP_CHARS = re.compile(r"[<&{%$]")  # every token of TOKENS has one of these


def _markup_tokens(msg: Message) -> Iterator[Hit]:
    formats = any(f.endswith("-format") and not f.startswith("no-") for f in msg.entry.flags)
    for kind, pattern in TOKENS.items():
        if kind == "placeholder" and formats:
            continue  # msgfmt -c checks format strings of a flagged entry
        s, t = Counter(pattern.findall(msg.source)), Counter(pattern.findall(msg.target))
        if missing := list((s - t).elements()):
            yield Hit(f"{kind} {', '.join(missing)} of the source is missing from the translation")
        if added := list((t - s).elements()):
            yield Hit(f"{kind} {', '.join(added)} in the translation is not in the source")


def _control_characters(msg: Message) -> Iterator[Hit]:
    if not _SUSPECT_CHARS.search(msg.target):
        return
    bad = sorted(
        {
            c
            for c in msg.target
            if (unicodedata.category(c) == "Cc" and (c not in _ALLOWED_CONTROLS or c not in msg.source))
            or c in "\ufeff\ufffd"
        }
    )
    for c in bad:
        name = unicodedata.name(c, "control character")
        yield Hit(
            f"U+{ord(c):04X} ({name.lower()}) in the translation" + (", not in the source" if c in "\n\t" else "")
        )


# Embeddings, overrides and isolates: invisible, they reorder the text around them (the "Trojan
# Source" trick); the renderer adds its own isolates where they are needed, never from a catalog.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


@check("bidi", ERROR, "no bidirectional control character (U+202A-202E, U+2066-2069) the source does not have")
def check_bidi(msg: Message, ctx: Context) -> Iterator[Hit]:
    for c in sorted(set(_BIDI.findall(msg.target)) - set(msg.source)):
        yield Hit(
            f"U+{ord(c):04X} ({unicodedata.name(c).lower()}) in the translation: "
            "an invisible control that reorders the text around it"
        )


_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]"  # RFC 3986, less the quotes and brackets prose wraps URLs in
_URL = re.compile(
    rf"https?://{_URL_CHARS}+|www\.{_URL_CHARS}+|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}"
)


_URL_HINT = re.compile(r"https?:|www\.|@")  # every URL and address the check reads has one of these


def _urls(text: str) -> Counter[str]:
    return Counter(u.rstrip(".,;:!?)") for u in _URL.findall(text))


@check("urls", ERROR, "URLs and e-mail addresses of the source are kept in the translation")
def check_urls(msg: Message, ctx: Context) -> Iterator[Hit]:
    if not _URL_HINT.search(msg.source) and not _URL_HINT.search(msg.target):
        return
    s, t = _urls(msg.source), _urls(msg.target)
    missing, added = sorted((s - t).elements()), sorted((t - s).elements())
    if missing and added:
        yield Hit(f"{', '.join(missing)} of the source is changed to {', '.join(added)} in the translation")
    elif missing:
        yield Hit(f"{', '.join(missing)} of the source is missing from the translation")
    elif added:
        yield Hit(f"{', '.join(added)} in the translation is not in the source", WARNING)


def describe() -> list[tuple[str, str, str]]:
    """``(id, severity, description)`` of every check, for the README and ``--list``."""
    return [(PARSE_CHECK, ERROR, "the catalog parses (gettext's own parser)")] + [
        (c.id, c.severity, c.description) for c in CHECKS
    ]
