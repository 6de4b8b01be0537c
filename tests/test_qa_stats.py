"""Statistics: the same figures as ``msgfmt --statistics`` and Translate Toolkit's ``pocount``."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from qa_support import ROOT, write_po
from translate.tools.pocount import calcstats

from pipeline.qa.stats import catalog_stats, word_count

SHIPPED = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def msgfmt_statistics(path: Path) -> tuple[int, int, int]:
    out = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", path], capture_output=True, text=True, check=True
    ).stderr

    def count(word: str) -> int:
        m = re.search(rf"(\d+) {word}", out)
        return int(m.group(1)) if m else 0

    return count("translated"), count("fuzzy"), count("untranslated")


def crafted(tmp_path: Path) -> Path:
    """Every kind of entry the counts must agree on."""
    return write_po(
        tmp_path / "fr.po",
        [
            ("Thank you.", "Merci."),
            ("China's high-quality development, 3\u202f000 or 1,200.5 <b>bold</b>", "Le développement"),
            ("U.S. e-mail a@b.com http://x.org/a", ""),
            ("Empty fuzzy draft", "", {"flags": ["fuzzy"]}),
            ("Full fuzzy draft", "Brouillon", {"flags": ["fuzzy"]}),
            ("Old.", "Vieux.", {"obsolete": True}),
            ("重庆的GDP", "PIB de Chongqing"),
            ("ハブ港産業パーク", ""),
            polib.POEntry(msgid="%d brief", msgid_plural="%d briefs", msgstr_plural={0: "%d note", 1: ""}),
            polib.POEntry(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "%d fichier", 1: "%d fichiers"}),
        ],
        locale="fr",
    )


@pytest.mark.parametrize("path", [*SHIPPED, None], ids=lambda p: p.relative_to(ROOT).as_posix() if p else "crafted")
def test_counts_match_msgfmt_and_pocount(path: Path | None, tmp_path: Path) -> None:
    path = path or crafted(tmp_path)
    stats = catalog_stats(polib.pofile(path.as_posix()))
    assert (stats.translated, stats.fuzzy, stats.untranslated) == msgfmt_statistics(path)
    tt = calcstats(path.as_posix())
    assert (stats.translated, stats.fuzzy, stats.untranslated, stats.total) == (
        tt["translated"],
        tt["fuzzy"],
        tt["untranslated"],
        tt["total"],
    )
    assert (stats.translated_words, stats.fuzzy_words, stats.untranslated_words, stats.source_words) == (
        tt["translatedsourcewords"],
        tt["fuzzysourcewords"],
        tt["untranslatedsourcewords"],
        tt["totalsourcewords"],
    )


def test_coverage_and_percentages(tmp_path: Path) -> None:
    stats = catalog_stats(polib.pofile(crafted(tmp_path).as_posix()))
    assert (stats.translated, stats.fuzzy, stats.untranslated, stats.obsolete) == (5, 1, 3, 1)
    assert stats.coverage == pytest.approx(100 * 5 / 9)
    data = stats.to_json()
    assert data["total"] == 9 and data["coverage"] == 55.56 and data["fuzzy_percent"] == 11.11


def test_an_empty_catalog_is_fully_covered() -> None:
    assert catalog_stats(polib.POFile()).coverage == 100.0


@pytest.mark.parametrize(
    ("text", "words"),
    [("China's western region", 3), ("high-quality", 2), ("3\u202f000 milliards", 2), ("重庆市", 3), ("ハブ港", 2)],
)
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words
