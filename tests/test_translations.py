"""The shipped translations: complete where promised, partial where intended."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

SLUG = "2024-07-05-chongqing-press-conference"
COMPLETE = ["zh_CN", "ja", "fr", "ar"]


def _statistics(path: Path) -> str:
    proc = subprocess.run(
        ["msgfmt", "-c", "--check-format", "--statistics", "-o", "/dev/null", path],
        check=True,
        capture_output=True,
        text=True,
        env={"LC_ALL": "C"},
    )
    return proc.stderr.strip()


@pytest.mark.parametrize("locale", COMPLETE)
def test_complete_catalogs_have_every_entry_translated(root: Path, locale: str) -> None:
    pot = polib.pofile(str(root / "locale" / f"{SLUG}.pot"))
    po_path = root / "locale" / locale / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(po_path))
    active = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
    assert active == {(e.msgctxt, e.msgid) for e in pot}, "catalog lost or gained an entry"
    assert _statistics(po_path) == f"{len(pot)} translated messages."
    assert not [e.msgid for e in po if not e.obsolete and (not e.msgstr or e.fuzzy)]
    assert po.metadata["Last-Translator"].startswith("Briefs Translation Team")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}", po.metadata["PO-Revision-Date"])


def test_spanish_is_partial_with_fuzzy_drafts(root: Path) -> None:
    po_path = root / "locale" / "es" / "LC_MESSAGES" / f"{SLUG}.po"
    m = re.fullmatch(
        r"(\d+) translated messages?, (\d+) fuzzy translations?, (\d+) untranslated messages?\.", _statistics(po_path)
    )
    assert m, _statistics(po_path)
    translated, fuzzy, untranslated = map(int, m.groups())
    total = translated + fuzzy + untranslated
    assert 2 <= fuzzy <= 3 and 0.3 * total <= translated + fuzzy <= 0.7 * total
    assert all(e.previous_msgid is None or e.fuzzy for e in polib.pofile(str(po_path)))


def test_russian_is_initialised_but_untranslated(root: Path) -> None:
    po = polib.pofile(str(root / "locale" / "ru" / "LC_MESSAGES" / f"{SLUG}.po"))
    assert po.metadata["Language"] == "ru" and po.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert po.percent_translated() == 0


def test_numbers_keep_their_value_in_chinese(root: Path) -> None:
    po = polib.pofile(str(root / "locale" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"))
    by_id = {e.msgid: e.msgstr for e in po}
    assert "3万亿元" in by_id["Last year, Chongqing's GDP exceeded 3 trillion yuan."]
    four = next(v for k, v in by_id.items() if k.startswith("Based on this achievement"))
    assert "4万亿元" in four and "2027年" in four and "30周年" in four


@pytest.mark.parametrize("locale", COMPLETE)
def test_glossary_terms_are_used_wherever_the_source_has_them(root: Path, locale: str) -> None:
    from pipeline.qa.glossary import contains_term, read_glossary

    glossary = read_glossary(root / "locale" / "glossary.tbx")
    entries = glossary.entries("en", locale)
    assert len(entries) >= 16, "every complete language has the seed's key terms"
    po = polib.pofile(str(root / "locale" / locale / "LC_MESSAGES" / f"{SLUG}.po"))
    used = 0
    for e in po:
        if e.obsolete:
            continue
        for g in entries:
            if g.source_pattern.search(e.msgid):
                used += 1
                assert any(contains_term(e.msgstr, t.text, locale) for t in g.target), (
                    f"{e.msgid!r}: expected {g.expected()} in {e.msgstr!r}"
                )
    assert used >= 20
