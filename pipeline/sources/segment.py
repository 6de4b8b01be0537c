"""Stage 2, segment: a paragraph's text -> sentence spans.

sentencex does the language-aware work (chosen on measured accuracy, see
``docs/segmentation.md``); this module owns a thin layer over it that fixes
what it gets wrong for press text, driven by rules in
``pipeline/data/segmentation.toml`` plus a project file:

* a closing quote or bracket that starts a piece goes back to the sentence
  it closes;
* an inline list marker (``1.``, ``(a)``) stays with its item;
* abbreviations the library misses (``Ms.``, ``Amb.``, ``No. 5``) never end
  a sentence, nor does a piece that starts in lowercase;
* a URL or e-mail address ending a sentence is split after its final dot.

Every span maps back to exact offsets of the paragraph text.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import sentencex

from pipeline.config import read_toml
from pipeline.errors import ConfigError

_LIST_MARKER = re.compile(r"^[•⁃‣◦▪]?\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})(?:[.)]|\.\))$")
# A paragraph that opens with a list marker: "1. ", "1) ", "1.) ", "a. ", "• 4. ", "⁃4. "
_LIST_START = re.compile(r"^(?P<bullet>[•⁃‣◦▪]\s?)?(?P<item>\d{1,2}|[a-z])(?P<suffix>\.\)|[.)])\s")
# A parenthetical citation closing the sentence before it: '"..." (Lee 41).'
_CITATION = re.compile(r"^\([^()]*[^.!?()\s]\)[.!?]")
_URL_END = re.compile(
    r"(?:https?://|www\.)\S+?\.(?=\s+[\"'“‘(]?[A-Z])|[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.(?=\s+[\"'“‘(]?[A-Z])"
)
_CLOSED_END = re.compile(r"[.!?…][\"'”’»)\]]+\s+(?=[\"“‘(]?[A-ZÀ-ÖØ-ÞА-ЯЁ])")
_LAST_WORD = re.compile(r"(\S+)\.$")
_NUMBER_START = re.compile(r"^\s*[\d(]")


@dataclass(frozen=True, slots=True)
class Rules:
    closing: str
    abbreviations: frozenset[str]
    abbreviations_numeric: frozenset[str]
    no_break: tuple[str, ...]
    lowercase_continues: bool


def _merge(tables: list[dict[str, object]]) -> Rules:
    closing = ""
    abbr: set[str] = set()
    abbr_num: set[str] = set()
    no_break: list[str] = []
    lower = False
    for t in tables:
        closing = str(t.get("closing", closing))
        abbr.update(map(str, t.get("abbreviations", [])))  # type: ignore[call-overload]
        abbr_num.update(map(str, t.get("abbreviations_numeric", [])))  # type: ignore[call-overload]
        no_break.extend(map(str, t.get("no_break", [])))  # type: ignore[call-overload]
        lower = bool(t.get("lowercase_continues", lower))
    return Rules(closing, frozenset(abbr), frozenset(abbr_num), tuple(no_break), lower)


@lru_cache(maxsize=1)
def default_rules_bytes() -> bytes:
    """The packaged default rules, as bytes (also an input of the build's hashes)."""
    return resources.files("pipeline").joinpath("data/segmentation.toml").read_bytes()


def _read_toml(path: Path | None) -> dict[str, dict[str, object]]:
    if path is None:
        return tomllib.loads(default_rules_bytes().decode("utf-8"))
    if not path.exists():
        raise ConfigError("segmentation rules file not found", path)
    data, _ = read_toml(path, path.as_posix())  # a syntax error at its line
    return data


@lru_cache(maxsize=64)
def load_rules(language: str, project_file: Path | None = None) -> Rules:
    """The rules for a language: defaults, then the language, then the project."""
    base = base_language(language)
    default = _read_toml(None)
    tables = [default.get("default", {}), default.get(base, {})]
    if project_file is not None:
        project = _read_toml(project_file)
        tables += [project.get("default", {}), project.get(base, {})]
    return _merge(tables)


def base_language(language: str) -> str:
    return re.split(r"[-_@.]", language, maxsplit=1)[0].lower()


def segment_text(text: str, language: str, rules: Rules | None = None) -> list[tuple[int, int]]:
    """Split one paragraph into sentences; returns (start, end) spans of ``text``.

    Spans exclude surrounding whitespace, so ``text[start:end]`` is the msgid.
    """
    if rules is None:
        rules = load_rules(language)
    cuts = _library_cuts(text, base_language(language))
    cuts = _add_url_cuts(text, cuts)
    if rules.lowercase_continues:  # cased scripts: "(We will see.) The ..." ends a sentence
        cuts = sorted(set(cuts) | {m.end() for m in _CLOSED_END.finditer(text)})
    cuts = _fix_cuts(text, cuts, rules)
    items = _list_cuts(text)
    if items:  # a cut before each next item, none between an item's marker and its text
        inside = {c for c in cuts for a, b in items if a < c <= b}
        cuts = sorted((set(cuts) - inside) | {a for a, _ in items})
    spans = []
    bounds = [0, *cuts, len(text)]
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            spans.append((a + lead, a + trail))
    return spans


def _list_cuts(text: str) -> list[tuple[int, int]]:
    """The next items of a list the paragraph opens with (``1. a 2. b``, ``a. x b. y``): their markers' spans.

    Only the marker that follows in sequence (2 after 1, b after a), in the same style, counts.
    """
    m = _LIST_START.match(text)
    if not m:
        return []
    item, suffix, bullet = m.group("item"), m.group("suffix"), (m.group("bullet") or "").strip()
    cuts: list[tuple[int, int]] = []
    pos = m.end()
    while True:
        item = str(int(item) + 1) if item.isdigit() else chr(ord(item) + 1)
        marker = (re.escape(bullet) + r"\s?" if bullet else "") + re.escape(item) + re.escape(suffix)
        nxt = re.compile(rf"(?<=\s){marker}\s").search(text, pos)
        if not nxt:
            return cuts
        cuts.append((nxt.start(), nxt.end()))
        pos = nxt.end()


def _library_cuts(text: str, lang: str) -> list[int]:
    cuts, pos = [], 0
    for piece in sentencex.segment(lang, text):
        found = text.find(piece, pos)
        if found < 0:  # sentencex is lossless; guard anyway
            found = pos
        pos = found + len(piece)
        if 0 < found < len(text):
            cuts.append(found)
    return sorted(set(cuts))


def _add_url_cuts(text: str, cuts: list[int]) -> list[int]:
    if "://" not in text and "www." not in text and "@" not in text:
        return cuts  # the regex is costly; most paragraphs have neither
    extra = []
    for m in _URL_END.finditer(text):
        end = m.end()
        while end < len(text) and text[end].isspace():
            end += 1
        extra.append(end)
    return sorted(set(cuts) | set(extra))


def _fix_cuts(text: str, cuts: list[int], rules: Rules) -> list[int]:
    out: list[int] = []
    for cut in cuts:
        prev = out[-1] if out else 0
        left = text[prev:cut].rstrip()
        right = text[cut:]
        # A closing quote or bracket starting the next piece closes this one.
        moved = cut
        while (
            moved < len(text)
            and text[moved] in rules.closing
            and (moved + 1 == len(text) or text[moved + 1].isspace() or text[moved + 1] in rules.closing)
        ):
            moved += 1
        if moved != cut:
            while moved < len(text) and text[moved].isspace():
                moved += 1
            if moved >= len(text):
                continue
            cut, left, right = moved, text[prev:moved].rstrip(), text[moved:]
        if _keeps_together(left, right, rules) or _in_no_break(text, cut, rules):
            continue
        out.append(cut)
    return out


def _keeps_together(left: str, right: str, rules: Rules) -> bool:
    if not left or not right.strip():
        return True
    if _LIST_MARKER.match(left.split()[-1]) and len(left.split()) == 1:
        return True
    m = _LAST_WORD.search(left[-64:])  # the last word only: no scan of the whole piece
    if m:
        word = m.group(1).lstrip("(\"'“‘")
        if word in rules.abbreviations:
            return True
        if word in rules.abbreviations_numeric and _NUMBER_START.match(right):
            return True
        # An inline list marker ending the piece ("... are: 1.") belongs to the next.
        if _LIST_MARKER.match(word + ".") and word.isdigit() and len(word) <= 2 and not left.endswith(".."):
            before = left[: -len(word) - 1].rstrip()
            if before.endswith((":", ";", ",")) or not before:
                return True
    if _CITATION.match(right.lstrip()):
        return True
    first = right.lstrip()[:1]
    return rules.lowercase_continues and first.islower()


def _in_no_break(text: str, cut: int, rules: Rules) -> bool:
    """Whether ``cut`` falls inside an occurrence of a no-break string."""
    for phrase in rules.no_break:
        start = text.find(phrase, max(0, cut - len(phrase) + 1))
        if 0 <= start < cut < start + len(phrase):
            return True
    return False
