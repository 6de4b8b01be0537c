"""Translation statistics: catalog -> counts and coverage, per brief and locale.

The figures are those of ``msgfmt --statistics`` (entries translated, fuzzy,
untranslated; the header and obsolete ``#~`` entries do not count; an entry
whose first ``msgstr`` is empty is untranslated even when flagged fuzzy) and
of Translate Toolkit's ``pocount`` (source words, counted by Unicode word
boundaries: ``China's`` is one word, ``high-quality`` two, each Chinese
character one).  Pure counting over a parsed catalog, no file: ``python -m
pipeline stats`` prints them (:mod:`pipeline.qa.report`); ``check``, the
publication gate, the briefs and the HTML index use the same
:func:`catalog_stats` and :func:`coverage_percent`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import polib


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts of one catalog (entries, not counting the header or obsolete ones)."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    translated_words: int = 0  # source words of translated entries
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def source_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def coverage(self) -> float:
        """Percent of entries translated (fuzzy ones do not count); 100 for an empty catalog."""
        return coverage_percent(self.translated, self.total)

    def percent(self, count: int) -> float:
        return 100.0 * count / self.total if self.total else 0.0

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        data.update(
            total=self.total,
            source_words=self.source_words,
            coverage=round(self.coverage, 2),
            translated_percent=round(self.percent(self.translated), 2),
            fuzzy_percent=round(self.percent(self.fuzzy), 2),
            untranslated_percent=round(self.percent(self.untranslated), 2),
        )
        return data


def coverage_percent(translated: int, total: int) -> float:
    """The coverage figure of the whole project (stats, check, the gate, the briefs, the index)."""
    return 100.0 * translated / total if total else 100.0


def entry_state(entry: polib.POEntry) -> str:
    """``translated``, ``fuzzy`` or ``untranslated``, as ``msgfmt --statistics`` counts it."""
    first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    if not first:
        return "untranslated"
    return "fuzzy" if "fuzzy" in entry.flags else "translated"


# Words as Unicode (UAX #29) word boundaries find them, the way pocount counts:
# letters joined by ' ’ . : ·, digits joined by , . ; ' ’ ٫ ٬, letters and
# digits together (3\u202f000 is one word); every Han character or kana is one word, a katakana run one.
_HAN = "\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_KATAKANA = "\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u0900-\u0903"
_ALNUM = rf"(?:(?![{_HAN}{_KATAKANA}])[\w{_MARKS}\u202f])"  # U+202F joins like "_" (ExtendNumLet)
_WORD = re.compile(
    rf"[{_HAN}]|[{_KATAKANA}]+"
    rf"|{_ALNUM}+(?:(?:(?<=[^\W\d_])['’.:·](?=[^\W\d_])|(?<=\d)[,.;'’٫٬](?=\d)){_ALNUM}+)*"
)
_BR = re.compile(r"<br\s*?/?>")
_TAG = re.compile(r"<[\w.:]+(?:\s[\w.:]+=(?:\"[^\"]*?\"|'[^']*?'))*/?>|</[\w.]+>")
_ABBREV_DOT = re.compile(r"\D\.\D")  # pocount drops "S. " in "U.S. economy" (same count either way)


@lru_cache(maxsize=1 << 16)
def word_count(text: str) -> int:
    """Source words of a string, as Translate Toolkit's ``pocount`` counts them (remembered: every locale
    counts the same sources)."""
    text = _ABBREV_DOT.sub(" ", _TAG.sub("", _BR.sub("\n", text)))
    return sum(1 for w in _WORD.findall(text) if any(c.isalnum() for c in w))


def catalog_stats(po: polib.POFile) -> Stats:
    """The counts of a loaded catalog."""
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    words = dict.fromkeys(counts, 0)
    for entry in po:
        if entry.obsolete or (entry.msgid == "" and not entry.msgctxt):
            continue
        state = entry_state(entry)
        counts[state] += 1
        words[state] += word_count(entry.msgid) + word_count(entry.msgid_plural or "")
    return Stats(
        translated=counts["translated"],
        fuzzy=counts["fuzzy"],
        untranslated=counts["untranslated"],
        obsolete=len(po.obsolete_entries()),
        translated_words=words["translated"],
        fuzzy_words=words["fuzzy"],
        untranslated_words=words["untranslated"],
    )
