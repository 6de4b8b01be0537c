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

import os
import re
import shutil
import statistics
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import polib

from pipeline.errors import ToolError
from pipeline.lang import language_of
from pipeline.model import CTX_OUTLET, CTX_SPEAKER
from pipeline.qa.findings import ERROR, PARSE_CHECK, WARNING
from pipeline.qa.glossary import GlossaryEntry, contains_term
from pipeline.qa.numbers import Number, compare_numbers, find_numbers, power_of_ten
from pipeline.qa.stats import entry_state


@dataclass(frozen=True, slots=True)
class Hit:
    message: str
    severity: str | None = None  # None: the check's default
    entry: polib.POEntry | None = None  # catalog checks: the entry it is about
    line: int | None = None  # catalog checks: a line of its own (msgfmt's)


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
    names: dict[str, tuple[str, polib.POEntry]] = field(default_factory=dict)
    length_ratio: float = 1.0
    line_of: Callable[[polib.POEntry], int] = lambda e: e.linenum or 0
    msgfmt_c: subprocess.CompletedProcess[str] | None = None  # run_msgfmt_c(path), when already run

    @property
    def language(self) -> str:
        return language_of(self.locale)


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


@check("msgfmt", ERROR, "the catalog passes `msgfmt -c` (header, format strings, plural forms)", scope="catalog")
def check_msgfmt(ctx: Context) -> Iterator[Hit]:
    proc = ctx.msgfmt_c or run_msgfmt_c(ctx.path)
    located = re.compile(rf"^{re.escape(ctx.path.as_posix())}:(?:(\d+):)?(?:\d+:)? ?(.*)$")
    seen = False
    for raw in proc.stderr.splitlines():
        m = located.match(raw)
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


# --- numbers ----------------------------------------------------------------


@check("numbers", ERROR, "every number of the source is in the translation with the same value")
def check_numbers(msg: Message, ctx: Context) -> Iterator[Hit]:
    diff = compare_numbers(find_numbers(msg.source, ctx.source_language), find_numbers(msg.target, ctx.locale))
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


def _shift_hint(wanted: Decimal, found: list[Number]) -> str:
    """`` (10,000 times too small)`` when a value is off by a power of ten: a unit or decimal slip."""
    for n in found:
        k = power_of_ten(n.value, wanted)
        if k:
            return f" ({10**k:,} times too large)" if k > 0 else f" ({10**-k:,} times too small)"
    return ""


# --- terminology and names ----------------------------------------------------


@check("glossary", ERROR, "a glossary term of the source has its approved translation", content_only=True)
def check_glossary(msg: Message, ctx: Context) -> Iterator[Hit]:
    for g in ctx.glossary:
        m = g.source_pattern.search(msg.source)
        if not m:
            continue
        where = f"{ctx.glossary_path}:{g.concept.line}"
        used = [t.text for t in g.deprecated if contains_term(msg.target, t.text, ctx.locale)]
        if used:
            yield Hit(f'"{used[0]}" is deprecated for "{m.group()}": use {g.expected()} ({where})')
        elif not any(contains_term(msg.target, t.text, ctx.locale) for t in g.target):
            yield Hit(f'"{m.group()}" is {g.expected()} in the glossary ({where}); the translation does not use it')


@check("names", ERROR, "names and speaker labels are translated the same way throughout a brief", content_only=True)
def check_names(msg: Message, ctx: Context) -> Iterator[Hit]:
    if msg.entry.msgctxt in (CTX_SPEAKER, CTX_OUTLET):
        return
    for name, (translated, label) in ctx.names.items():
        if any(g.source_pattern.fullmatch(name) for g in ctx.glossary):
            continue  # the glossary check names the approved form
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", msg.source) and not contains_term(
            msg.target, translated, ctx.locale
        ):
            yield Hit(
                f'name "{name}" is "{translated}" in its label (line {ctx.line_of(label)}) but not in this translation'
            )


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
    for family, (opens, closes) in _BRACKETS.items():
        s, t = _imbalance(msg.source, opens, closes), _imbalance(msg.target, opens, closes)
        if s != t:
            found = f"{_count(msg.target, opens)} opening, {_count(msg.target, closes)} closing"
            yield Hit(f"unbalanced {family} brackets in the translation: {found}")
    s_lang = language_of(ctx.source_language)
    if _quote_imbalance(msg.source, s_lang) != _quote_imbalance(msg.target, ctx.language):
        yield Hit("unbalanced quotation marks in the translation")


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


@check("typography", WARNING, "French spacing: a no-break space before ? ! ; : and inside « »")
def check_typography(msg: Message, ctx: Context) -> Iterator[Hit]:
    if ctx.language != "fr":
        return
    text = _URL.sub("", msg.target)
    for m in re.finditer(r"(?<=[\w»)\]])( ?)([?!;:])(?!\d)", text):
        kind = "a plain space" if m.group(1) else "no space"
        yield Hit(f"'{m.group(2)}' has {kind} before it: use a narrow no-break space (U+202F)")
        return
    if re.search(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»", text):
        yield Hit("« » need a no-break space (U+202F or U+00A0) inside")


_REPEAT_OK = {"fr": {"nous", "vous"}, "en": {"had", "that"}, "es": set(), "ru": set()}


@check("repeated-word", WARNING, "no word doubled by mistake (the the)")
def check_repeated_word(msg: Message, ctx: Context) -> Iterator[Hit]:
    if ctx.language in ("zh", "ja", "ko", "th"):
        return  # 谢谢, 常常: doubling is grammar there
    ok = _REPEAT_OK.get(ctx.language, set())
    for m in re.finditer(r"(?<!\w)([^\W\d_]+)\s+\1(?!\w)", msg.target, re.I):
        word = m.group(1).lower()
        if word not in ok and not re.search(rf"(?<!\w){re.escape(m.group())}(?!\w)", msg.source, re.I):
            yield Hit(f"repeated word: '{m.group()}'")


# --- sameness and length -------------------------------------------------------


@check("unchanged", WARNING, "a translation identical to its source where that is not a name")
def check_unchanged(msg: Message, ctx: Context) -> Iterator[Hit]:
    s = msg.source.strip()
    if msg.target.strip() != s or language_of(ctx.source_language) == ctx.language:
        return
    if msg.entry.msgctxt in (CTX_SPEAKER, CTX_OUTLET) or not re.search(r"[^\W\d_]{2}", s):
        return
    words = s.split()
    if len(words) == 1 and (s[:1].isupper() or s.isupper()):
        return  # a name, an acronym
    if any(g.is_name and g.source_pattern.fullmatch(s) for g in ctx.glossary):
        return
    yield Hit("the translation is identical to the source: left untranslated?")


_TOKENS = {
    "markup": re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"),
    "template syntax": re.compile(r"\{\{[^{}]*\}\}|\{%[^{}]*%\}|\{#[^{}]*#\}|\$\{\w+\}"),
    "placeholder": re.compile(
        r"%\(\w+\)[#0 +-]?\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%\d\$[sd]|%[sd]|\{\w*(?:![rsa])?(?::[^{}]*)?\}"
    ),
}
_DEFAULT_RATIO = {"zh": 0.32, "ja": 0.45, "ko": 0.5, "fr": 1.15, "es": 1.15, "ru": 1.1, "ar": 0.95, "de": 1.2}
MIN_LENGTH = 30  # shorter strings vary too much to judge
RATIO_FACTOR = 2.5


def typical_ratio(po: polib.POFile, locale: str, source_language: str) -> float:
    """Target/source length ratio of the catalog (median), or the language pair's usual one."""
    ratios = [
        _prose_length(e.msgstr) / _prose_length(e.msgid)
        for e in po
        if not e.obsolete
        and entry_state(e) == "translated"
        and not e.msgid_plural
        and _prose_length(e.msgid) >= MIN_LENGTH
    ]
    if len(ratios) >= 8:
        return statistics.median(ratios)
    if language_of(source_language) != "en":
        return 1.0
    return _DEFAULT_RATIO.get(language_of(locale), 1.0)


def _prose_length(text: str) -> int:
    """Characters of the words themselves: placeholders and markup do not get translated."""
    for pattern in _TOKENS.values():
        text = pattern.sub("", text)
    return len(text.strip())


@check("length", WARNING, "length ratio within what the language pair usually shows")
def check_length(msg: Message, ctx: Context) -> Iterator[Hit]:
    source, target = _prose_length(msg.source), _prose_length(msg.target)
    if source < MIN_LENGTH or not target:
        return
    ratio = target / source
    expected = ctx.length_ratio
    if ratio > expected * RATIO_FACTOR or ratio < expected / RATIO_FACTOR:
        how = "long" if ratio > expected else "short"
        yield Hit(
            f"translation unusually {how}: {target} characters for {source} "
            f"(ratio {ratio:.2f}, usual {expected:.2f}); text added or left out?"
        )


# --- markup, placeholders, control characters, URLs ---------------------------

_ALLOWED_CONTROLS = {"\n", "\t"}


@check("markup", ERROR, "no markup, template syntax, placeholder or control character the source does not have")
def check_markup(msg: Message, ctx: Context) -> Iterator[Hit]:
    formats = any(f.endswith("-format") and not f.startswith("no-") for f in msg.entry.flags)
    for kind, pattern in _TOKENS.items():
        if kind == "placeholder" and formats:
            continue  # msgfmt -c checks format strings of a flagged entry
        s, t = Counter(pattern.findall(msg.source)), Counter(pattern.findall(msg.target))
        if missing := list((s - t).elements()):
            yield Hit(f"{kind} {', '.join(missing)} of the source is missing from the translation")
        if added := list((t - s).elements()):
            yield Hit(f"{kind} {', '.join(added)} in the translation is not in the source")
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


def _urls(text: str) -> Counter[str]:
    return Counter(u.rstrip(".,;:!?)") for u in _URL.findall(text))


@check("urls", ERROR, "URLs and e-mail addresses of the source are kept in the translation")
def check_urls(msg: Message, ctx: Context) -> Iterator[Hit]:
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
