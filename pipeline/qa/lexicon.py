"""Per-language word lists of the meaning checks: ``pipeline/data/qa-lexicon.toml`` -> compiled patterns.

In: a language code and a lexicon section (negation, the contrast sets of
direction and role titles, the doubling allowed in Chinese and Japanese).
Out: compiled regular expressions that find those words in a sentence, with
the language's idea of a word boundary (none in Chinese and Japanese; the
clitics و ف ب ل ك and the article ال in Arabic).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

LEXICON = Path(__file__).resolve().parent.parent / "data" / "qa-lexicon.toml"
UNSPACED = frozenset({"zh", "ja", "ko", "th"})  # written without spaces between words
_NEVER = re.compile(r"(?!x)x")


@cache
def _data() -> dict[str, Any]:
    return tomllib.loads(LEXICON.read_text(encoding="utf-8"))


_WORD_START = r"(?<![^\W\d_])"  # no letter before: a word starts (in a language written with spaces)


def _word(patterns: list[str], language: str) -> str:
    """The words as one pattern, less the word-start test (see :func:`_compile`)."""
    if not patterns:
        return _NEVER.pattern
    body = "|".join(f"(?:{p})" for p in patterns)
    if language in UNSPACED:
        return body
    clitic = "(?:[وفبلك]?(?:ال|لل)?)" if language == "ar" else ""
    return rf"{clitic}(?:{body})(?![^\W\d_])"


def _compile(patterns: list[str], language: str) -> re.Pattern[str]:
    if not patterns:
        return _NEVER
    start = "" if language in UNSPACED else _WORD_START
    return re.compile(start + _word(patterns, language), re.I)


def _strip(text: str, ignore: re.Pattern[str]) -> str:
    return ignore.sub(" ", text) if ignore is not _NEVER else text


@dataclass(frozen=True)
class WordSet:
    """Words of one meaning in one language, with the compounds where they mean something else."""

    pattern: re.Pattern[str]
    ignore: re.Pattern[str]

    def find(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(_strip(text, self.ignore)))


@cache
def negation(language: str) -> WordSet | None:
    section = _data()["negation"]
    if language not in section:
        return None
    return WordSet(_compile(section[language], language), _compile(section["ignore"].get(language, []), language))


@dataclass(frozen=True)
class Contrast:
    """Mutually exclusive concepts (west/east/north/south; mayor/secretary/...) in one language."""

    name: str
    names: tuple[str, ...]
    pattern: re.Pattern[str]  # one alternative (group) per concept: one pass over the text
    ignore: re.Pattern[str]

    def found(self, text: str) -> dict[str, str]:
        """concept -> the first word of it in ``text``."""
        out: dict[str, str] = {}
        for m in self.pattern.finditer(_strip(text, self.ignore)):
            name = self.names[(m.lastindex or 1) - 1]
            out.setdefault(name, m.group())
        return out


@cache
def contrasts(language: str) -> tuple[Contrast | None, ...]:
    """The contrast sets in file order (None where ``language`` has no words for a set)."""
    out: list[Contrast | None] = []
    for c in _data()["contrast"]:
        concepts = [(name, words[language]) for name, words in c["concepts"].items() if language in words]
        if not concepts:
            out.append(None)
            continue
        # The word-start test once for all the concepts (the same test at the same place): one pass.
        start = "" if language in UNSPACED else _WORD_START
        groups = [_word(words, language) for _, words in concepts]
        pattern = re.compile(start + "(?:" + "|".join(f"({g})" for g in groups) + ")", re.I)
        ignore = _compile(c.get("ignore", {}).get(language, []), language)
        out.append(Contrast(c["name"], tuple(n for n, _ in concepts), pattern, ignore))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def found_in_source(text: str, language: str, index: int) -> dict[str, str]:
    """``contrasts(language)[index].found(text)``, remembered: every locale checks the same source."""
    c = contrasts(language)[index]
    return c.found(text) if c is not None else {}


@cache
def doubling_allowed(language: str) -> frozenset[str]:
    return frozenset(_data()["doubling"]["allow"].get(language, []))
