"""Checks for what a reviser catches by reading: meaning flips, leftover source text, names.

Registered in :data:`pipeline.qa.checks.CHECKS` like the others (imported by
the runner).  In: a message or a catalog; out: hits.  The word lists are data
(:mod:`pipeline.qa.lexicon`, ``pipeline/data/qa-lexicon.toml``):

* ``polarity``: the source is negative and the translation is not, or the reverse;
* ``direction``: the translation has the opposite direction or trend of the source
  (west -> 东, upper reaches -> 下流, reduced -> augmentation);
* ``role-title``: a role title turned into another (Mayor -> 书记);
* ``leftover-source``: Latin-script words left in a Chinese, Japanese, Arabic or Russian
  translation that are not names, acronyms, URLs or glossary terms;
* ``name-forms``: a name of the source rendered otherwise than everywhere else in the catalog.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Set
from functools import lru_cache
from pathlib import Path

import polib

from pipeline.model import CTX_OUTLET, CTX_SPEAKER
from pipeline.qa import lexicon
from pipeline.qa.checks import (
    MARKUP_CHARS,
    TOKENS,
    Context,
    Hit,
    Message,
    check,
    glossary_patterns,
    may_have_terms,
    source_concepts,
    source_numbers,
    target_numbers,
)
from pipeline.qa.findings import ERROR, WARNING
from pipeline.qa.glossary import contains_term
from pipeline.qa.stats import entry_state

_LABELS = (CTX_SPEAKER, CTX_OUTLET)


@check("polarity", WARNING, "a negative source has a negative translation and the reverse (lexicon)", content_only=True)
def check_polarity(msg: Message, ctx: Context) -> Iterator[Hit]:
    s_words, t_words = lexicon.negation(ctx.source_lang), lexicon.negation(ctx.language)
    if s_words is None or t_words is None:
        return
    s, t = _source_negations(msg.source, ctx.source_lang), t_words.find(msg.target)
    if s and not t:
        yield Hit(
            f"the source is negative ('{s[0].group()}') but the translation has no negation",
            expected=s[0].group(),
            found="",
        )
    elif t and not s:
        m = t[0]
        yield Hit(
            f"the translation is negative ('{m.group()}') but the source is not",
            found=m.group(),
            span=(m.start(), m.end()),
        )


@lru_cache(maxsize=1 << 16)
def _source_negations(text: str, language: str) -> tuple[re.Match[str], ...]:
    words = lexicon.negation(language)
    return tuple(words.find(text)) if words else ()


def _contrast_hits(msg: Message, ctx: Context, name: str) -> Iterator[Hit]:
    s_lang = ctx.source_lang
    for i, tc in enumerate(lexicon.contrasts(ctx.language)):
        if tc is None or tc.name != name:
            continue
        s = lexicon.found_in_source(msg.source, s_lang, i)
        if not s:
            continue
        t = tc.found(msg.target)
        gone = [c for c in s if c not in t]
        new = [c for c in t if c not in s]
        if gone and new:
            yield Hit(
                f"{name} changed: the source says '{s[gone[0]]}' ({gone[0]}), the translation '{t[new[0]]}' ({new[0]})",
                expected=s[gone[0]],
                found=t[new[0]],
            )


@check(
    "direction",
    WARNING,
    "no direction or trend turned into its opposite (west/east, up/down; lexicon)",
    content_only=True,
)
def check_direction(msg: Message, ctx: Context) -> Iterator[Hit]:
    yield from _contrast_hits(msg, ctx, "direction")


@check(
    "role-title", WARNING, "no role title turned into another (Mayor/Secretary/President; lexicon)", content_only=True
)
def check_role_title(msg: Message, ctx: Context) -> Iterator[Hit]:
    yield from _contrast_hits(msg, ctx, "role-title")


# --- leftover source text ---------------------------------------------------------

_NON_LATIN = frozenset({"zh", "ja", "ko", "ar", "ru", "uk", "bg", "el", "he", "fa", "th", "hi"})
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \u00a0]+[A-Za-z][A-Za-z'’-]*)*")
_LATIN_LETTER = re.compile("[A-Za-z]")
_MASK = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)+\b")


LATIN_ALLOW = "qa-latin-allow.txt"  # beside the glossary: words the project keeps in Latin script, one a line


@lru_cache(maxsize=64)
def project_latin_allow(locale_dir: Path) -> frozenset[str]:
    """The project's own list (``locale/qa-latin-allow.txt``; ``#`` starts a comment), lower-cased."""
    try:
        text = (locale_dir / LATIN_ALLOW).read_text("utf-8")
    except OSError:
        return frozenset()
    return frozenset(w.lower() for line in text.splitlines() for w in line.split("#", 1)[0].split())


def _allowed_latin(ctx: Context) -> set[str]:
    """Words a translation may keep in Latin script: glossary targets, the catalog's name labels, the project's
    allow list (when the catalog sits in ``<locale_dir>/<locale>/LC_MESSAGES/``)."""
    allowed = {w.lower() for g in ctx.glossary for t in g.target for w in re.findall(r"[A-Za-z]+", t.text)}
    for translated, _ in ctx.names.values():
        allowed |= {w.lower() for w in re.findall(r"[A-Za-z]+", translated)}
    if ctx.path.parent.name == "LC_MESSAGES":
        allowed |= project_latin_allow(ctx.path.parent.parent.parent)
    return allowed


@check("leftover-source", ERROR, "no untranslated source words left in a non-Latin translation")
def check_leftover_source(msg: Message, ctx: Context) -> Iterator[Hit]:
    if ctx.language not in _NON_LATIN or ctx.source_lang in _NON_LATIN:
        return
    if msg.entry.msgctxt in _LABELS:
        return
    text = msg.target
    if not _LATIN_LETTER.search(text):
        return  # nothing in Latin script
    # placeholders, markup, URLs: not prose (no token of TOKENS without one of MARKUP_CHARS)
    for pattern in (*TOKENS.values(), _MASK) if MARKUP_CHARS.search(text) else (_MASK,):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    allowed: set[str] | None = None
    for m in _LATIN_RUN.finditer(text):
        words = [w for w in re.split(r"[ \u00a0]+", m.group()) if w]
        # A name or an acronym keeps its capital: only lower-case words are left-over prose.
        prose = [w for w in words if w[:1].islower() and len(w) > 1]
        if not prose:
            continue
        if allowed is None:
            allowed = _allowed_latin(ctx)
        if all(w.lower() in allowed for w in prose):
            continue
        severity = ERROR if len(prose) >= 2 or len(msg.target) < 3 * len(m.group()) else WARNING
        yield Hit(
            f"source-language text left in the translation: '{m.group()}'",
            severity,
            found=m.group(),
            span=(m.start(), m.end()),
        )


# --- names rendered the same way throughout a catalog -------------------------------------

_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+))*")
_SENTENCE_START = re.compile(r"^\W*$")


@lru_cache(maxsize=1 << 16)
def _source_names(text: str) -> frozenset[str]:
    out = set()
    for m in _NAME.finditer(text):
        if _SENTENCE_START.match(text[: m.start()]) and " " not in m.group():
            continue  # "This", "First": a capital of the sentence, not of a name
        out.add(m.group())
    return frozenset(out)


_CASED = frozenset({"fr", "es", "de", "it", "pt", "nl", "en", "ru", "uk", "bg", "pl", "cs", "el"})
_HIRAGANA = re.compile("[\u3040-\u309f]+")


@lru_cache(maxsize=1 << 12)  # a translation with several names is read once for all of them
def _grams(text: str, lengths: range, language: str) -> frozenset[str]:
    """Strings that may be a name's form: in Chinese and Japanese any run of letters (not of hiragana
    alone: that is grammar); elsewhere whole words, or a word's end after a clitic of up to 3 letters
    in Arabic (لتشونغتشينغ)."""
    if language in lexicon.UNSPACED:  # substrings of the runs of letters, less those all in hiragana
        grams = _substrings(_letter_runs(text), lengths)
        return frozenset(grams - _substrings(_HIRAGANA.findall(text), lengths))
    out = set()
    words = list(_WORDS.finditer(text))
    ends = sorted({m.end() for m in words})
    shifts = range(4) if language == "ar" else range(1)
    shortest, longest = lengths[0], lengths[-1]  # lengths: a range of step 1
    # A name keeps its capital in a script with case ("du Yangtsé", not "point d"): a string qualifies
    # when one of its space-separated words starts with a capital: its first, or one at ``capitals``.
    cased = language in _CASED
    capitals = [i for i in range(1, len(text)) if text[i].isupper() and text[i - 1].isspace()] if cased else []
    for m in words:
        for k in shifts:
            start = m.start() + k
            window = ends[bisect_left(ends, start + shortest) : bisect_right(ends, start + longest)]
            if cased and not text[start].isupper():
                after = bisect_right(capitals, start)
                if after == len(capitals):
                    continue
                window = [end for end in window if end > capitals[after]]
            for end in window:
                out.add(text[start:end])
    return frozenset(out)


_WORDS = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


def _letter_runs(text: str) -> list[str]:
    """The maximal runs of letters (``str.isalpha``) of a text."""
    runs = []
    for m in _LETTERS.finditer(text):
        run = m.group()
        if run.isalpha():
            runs.append(run)
        else:  # numerals such as 〇 or ① are word characters but not letters
            runs += [r for r in "".join(c if c.isalpha() else "\0" for c in run).split("\0") if r]
    return runs


def _substrings(runs: list[str], lengths: range) -> set[str]:
    return {r[i : i + n] for r in runs for n in lengths for i in range(len(r) - n + 1)}


MIN_COVERAGE = 0.6  # share of the translations of sentences with a name that must show its form
MIN_SCORE = 0.6  # that share less the share of other translations showing it: a name, not a common word


def learn_form(with_name: list[str], without: list[str], language: str, name: str = "") -> tuple[str, float] | None:
    """The target form of a source name: a string in most translations of sentences with it, rare elsewhere.

    A name kept as it is (Latin-script translations) is its own form.
    """
    if name and sum(name in t for t in with_name) >= MIN_COVERAGE * len(with_name):
        return name, 1.0
    lengths = range(2, 7) if language in lexicon.UNSPACED else range(4, 25)
    grams = [_grams(t, lengths, language) for t in with_name[:2]]
    found = _best_form(grams[0] & grams[1], with_name, without)
    if len(with_name) < 3 or (found is not None and all(found[0] in t for t in with_name)):
        return found
    # One of the first two may be the slip: the pairs with the third decide.
    third = _grams(with_name[2], lengths, language)
    return _best_form((grams[0] | grams[1]) & third, with_name, without)


def _best_form(candidates: Set[str], with_name: list[str], without: list[str]) -> tuple[str, float] | None:
    candidates = {c for c in candidates if c.strip() == c and any(ch.isalpha() for ch in c)}
    scored = []
    for c in candidates:
        cov = sum(c in t for t in with_name) / len(with_name)
        if cov < MIN_COVERAGE:
            continue
        out = sum(c in t for t in without) / len(without) if without else 0.0
        scored.append((cov - out, c))
    if not scored:
        return None
    top = max(score for score, _ in scored)
    if top < MIN_SCORE:
        return None
    # A slip may keep part of the name (Chongquing keeps "Chongq"): of the forms within one
    # translation of the best, the longest is the name.
    slack = 1.01 / len(with_name) if len(with_name) >= 5 else 0.0
    near = [(len(c), score, c) for score, c in scored if score >= top - slack]
    _, score, form = max(near)
    return form, score


def _occurrences(names: set[str], texts: list[str]) -> dict[str, list[int]]:
    """name -> the indexes of the texts that have it as a whole word, in order (one scan a name of
    all the texts joined, instead of one test a text)."""
    joined = "\0".join(texts)  # a name is letters, spaces and hyphens: no match spans two texts
    starts = [0]
    for t in texts[:-1]:
        starts.append(starts[-1] + len(t) + 1)
    out: dict[str, list[int]] = {}
    for name in names:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        found: list[int] = []
        at = joined.find(name)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if (not found or found[-1] != i) and pattern.search(texts[i]):
                found.append(i)
            at = joined.find(name, starts[i + 1] if i + 1 < len(starts) else len(joined))
        out[name] = found
    return out


@check(
    "name-forms", WARNING, "a name of the source has the same form in every translation of a catalog", scope="catalog"
)
def check_name_forms(ctx: Context) -> Iterator[Hit]:
    if not ctx.content:
        return
    entries = [e for e in ctx.po if not e.obsolete and not e.msgid_plural and entry_state(e) == "translated"]
    # A capitalised word that opens a sentence may be any word ("This"): a name is one seen mid-sentence
    # somewhere in the catalog, then found wherever it occurs.
    names = set().union(*(_source_names(e.msgid) for e in entries)) if entries else set()
    by_name = _occurrences(names, [e.msgid for e in entries])
    for name, idx in sorted(by_name.items()):
        if len(idx) < 3:
            continue
        chosen = set(idx)
        with_name = [entries[i].msgstr for i in idx]
        without = [e.msgstr for i, e in enumerate(entries) if i not in chosen]
        learned = learn_form(with_name, without, ctx.language, name)
        if learned is None:
            continue
        form, _ = learned
        ctx.name_forms[name] = form
        for i in idx:
            e = entries[i]
            if form not in e.msgstr and e.msgstr != e.msgid:
                uses = sum(form in t for t in with_name)
                yield Hit(
                    f'name "{name}" is "{form}" in {uses} other translations of the catalog but not in this one',
                    entry=e,
                    expected=form,
                )


# --- swapped or misplaced translations ------------------------------------------------------------

MIN_DUPLICATE = 20  # source characters: short sources ("Thanks.", "Thank you.") may rightly share a translation
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")


def _source_features(ctx: Context, text: str) -> frozenset[str]:
    """Tokens a translation should carry over from a source: numbers, glossary concepts, Latin acronyms."""
    out = {f"n:{n.value}" for n in source_numbers(text, ctx.source_language) if n.firm}
    out |= {f"a:{a}" for a in _ACRONYM.findall(text)}
    if ctx.glossary and may_have_terms(ctx, text):
        out |= {f"g:{c}" for c in source_concepts(text, glossary_patterns(ctx))}
    return frozenset(out)


def _target_features(ctx: Context, text: str, concepts: set[str]) -> frozenset[str]:
    """The same tokens in a translation; glossary terms only of ``concepts`` (the candidates' sources)."""
    out = {f"n:{n.value}" for n in target_numbers(ctx, text) if n.firm}
    out |= {f"a:{a}" for a in _ACRONYM.findall(text)}
    for g in ctx.glossary:
        if f"g:{g.concept.id}" in concepts and any(contains_term(text, t.text, ctx.locale) for t in g.target):
            out.add(f"g:{g.concept.id}")
    return frozenset(out)


def _fit(found: frozenset[str], expected: frozenset[str]) -> int:
    return len(found & expected) - len(found - expected) - len(expected - found)


@check(
    "misaligned",
    WARNING,
    "a translation belongs to its own source: not a neighbour's (carried-over tokens, duplicates)",
    scope="catalog",
    content_only=True,
)
def check_misaligned(ctx: Context) -> Iterator[Hit]:
    entries = [
        e
        for e in ctx.po
        if not e.obsolete
        and not e.msgid_plural
        and entry_state(e) == "translated"
        and e.msgctxt not in _LABELS
        and e.msgstr != e.msgid
    ]
    by_text: dict[str, list[polib.POEntry]] = {}
    for e in entries:
        if len(e.msgid) >= MIN_DUPLICATE:
            by_text.setdefault(e.msgstr.strip(), []).append(e)
    for same in by_text.values():
        if len({e.msgid for e in same}) < 2:
            continue
        for e in same:  # which of them is the misplaced one only a reader can tell: each names the others
            others = ", ".join(str(ctx.line_of(o)) for o in same if o is not e)
            yield Hit(
                f"the same translation as the entry at line {others}, whose source differs: "
                "one of them is pasted under the wrong msgid",
                entry=e,
                found=e.msgstr,
            )
    if not entries:
        return
    expected = [_source_features(ctx, e.msgid) for e in entries]
    for i, e in enumerate(entries):
        near = expected[max(0, i - 1) : i + 2]
        if all(x == expected[i] for x in near):
            continue  # the neighbours expect what this entry expects: no fit can be better than its own
        found = _target_features(ctx, e.msgstr, {f for x in near for f in x if f.startswith("g:")})
        if not found:
            continue
        own = _fit(found, expected[i])
        if own >= 0:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(entries) and _fit(found, expected[j]) > own + 1 and found <= expected[j]:
                shared = ", ".join(sorted(f.split(":", 1)[1] for f in found & expected[j]))
                yield Hit(
                    f"this translation fits the source of the entry at line {ctx.line_of(entries[j])} "
                    f"better than its own (it carries {shared}): pasted under the wrong msgid?",
                    entry=e,
                )
                break
