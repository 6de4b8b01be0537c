"""Segmentation: golden cases per language, offsets, project rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.sources.segment import load_rules, segment_text

CASES = Path(__file__).parent / "segmentation"


def _cases() -> list[tuple[str, str, list[str]]]:
    out = []
    for file in sorted(CASES.glob("*.txt")):
        lang = file.stem
        blocks = file.read_text("utf-8").split("\n\n")
        for block in blocks:
            lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#")]
            if lines:
                out.append((lang, lines[0], [ln[2:] for ln in lines[1:]]))
    return out


@pytest.mark.parametrize(("lang", "text", "expected"), _cases(), ids=lambda v: v[:30] if isinstance(v, str) else "")
def test_golden_cases(lang: str, text: str, expected: list[str], root: Path) -> None:
    rules = load_rules(lang, root / "segmentation.toml")
    got = [text[a:b] for a, b in segment_text(text, lang, rules)]
    assert got == expected


@pytest.mark.parametrize(("lang", "text", "expected"), _cases())
def test_spans_cover_the_text_losslessly(lang: str, text: str, expected: list[str]) -> None:
    spans = segment_text(text, lang)
    assert spans == sorted(spans)
    # Between spans there is only whitespace: nothing is lost or duplicated.
    prev = 0
    for a, b in spans:
        assert text[prev:a].strip() == ""
        assert text[a:b] == text[a:b].strip()
        prev = b
    assert text[prev:].strip() == ""


def test_project_rules_are_data(tmp_path: Path) -> None:
    text = "He joined Foo Intl. Corp. in May. It grew."
    assert len(segment_text(text, "en", load_rules("en"))) == 3
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[en]\nabbreviations = ["Intl", "Corp"]\n', "utf-8")
    got = [text[a:b] for a, b in segment_text(text, "en", load_rules("en", rules_file))]
    assert got == ["He joined Foo Intl. Corp. in May.", "It grew."]


def test_no_break_strings_from_project_file(tmp_path: Path) -> None:
    text = "We met at Room No. B. It was late."
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[en]\nno_break = ["Room No. B."]\n', "utf-8")
    got = [text[a:b] for a, b in segment_text(text, "en", load_rules("en", rules_file))]
    assert got == ["We met at Room No. B.", "It was late."]


def test_languages_come_from_configuration() -> None:
    # Any language sentencex knows works, with or without a rules section.
    assert [
        len(segment_text(t, lang))
        for lang, t in [
            ("fr", "M. Dupont est arrivé. Il a parlé."),
            ("ru", "Он пришёл в 5 часов. Потом т.е. ушёл. Всё."),
            ("ja", "重慶市は発展する。よろしく！"),
            ("ar", "وصل الوفد. ثم بدأت المحادثات؟ نعم."),
        ]
    ] == [2, 3, 2, 3]
