"""Glossary interchange: exports translate-toolkit (Weblate's reader) reads back, imports, language tags."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from qa_support import ROOT
from translate.storage.tbx import tbxfile

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.qa.check import check_project
from pipeline.qa.glossary import read_glossary
from pipeline.qa.glossary_interchange import export_csv, export_tbx, import_glossary, read_any_glossary

SHIPPED = ROOT / "locale" / "glossary.tbx"
LOCALES = ["zh_CN", "fr", "ar", "ja"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pipeline.toml").write_text('[project]\nlocales = ["zh_CN", "fr", "es"]\n', encoding="utf-8")
    (tmp_path / "locale").mkdir()
    shutil.copy(SHIPPED, tmp_path / "locale" / "glossary.tbx")
    return tmp_path


def test_translate_toolkit_reads_every_term_of_the_full_export() -> None:
    glossary = read_glossary(SHIPPED)
    store = tbxfile.parsestring(export_tbx(glossary))
    units = {u.getid(): u for u in store.units}
    assert len(units) == len(glossary.concepts)
    checked = 0
    for concept in glossary.concepts:
        unit = units[concept.id]
        assert [t.text for t in unit.get_source_terms()] == [t.text for t in concept.terms("en")]
        for tag, terms in concept.languages:
            if tag == "en":
                continue
            read = unit.get_target_terms(tag)
            assert [t.text for t in read] == [t.text for t in terms], (concept.id, tag)
            assert [t.deprecated for t in read] == [t.status == "deprecated" for t in terms]
            checked += len(terms)
    assert checked > 60  # every language's terms, not an empty file


@pytest.mark.parametrize("locale", LOCALES)
def test_a_one_locale_export_is_a_two_language_file_translate_toolkit_reads(locale: str) -> None:
    glossary = read_glossary(SHIPPED)
    store = tbxfile.parsestring(export_tbx(glossary, locales=[locale]))
    expected = {c.id: [t.text for t in c.terms(locale)] for c in glossary.concepts if c.terms(locale) and c.terms("en")}
    got = {}
    for unit in store.units:
        assert len(unit.getlanguageNodes()) == 2
        got[unit.getid()] = [t.text for t in unit.get_target_terms()]  # the other language, as Weblate takes it
    assert got == expected and expected


def test_csv_export_has_every_term_of_the_locale() -> None:
    glossary = read_glossary(SHIPPED)
    rows = list(csv.DictReader(io.StringIO(export_csv(glossary, "zh_CN").decode("utf-8"))))
    expected = [(c.id, t.text) for c in glossary.concepts for t in c.terms("zh_CN") if c.terms("en")]
    assert [(r["context"], r["target"]) for r in rows] == expected
    assert all(r["source"] for r in rows)


def test_a_many_language_file_imported_for_one_locale_keeps_its_languages_apart(project: Path, tmp_path: Path) -> None:
    target = project / "locale" / "glossary.tbx"
    (tmp_path / "all.tbx").write_bytes(export_tbx(read_glossary(target)))
    report = import_glossary(target, read_any_glossary(tmp_path / "all.tbx", locale="fr"), ["fr"])
    assert not report.conflicts and not report.changed and report.unchanged > 10


@pytest.mark.parametrize("fmt", ["tbx-full", "tbx-zh_Hans", "csv"])
def test_export_then_import_changes_nothing(project: Path, tmp_path: Path, fmt: str) -> None:
    target = project / "locale" / "glossary.tbx"
    before = target.read_bytes()
    glossary = read_glossary(target)
    if fmt == "csv":
        exported, locale, name = export_csv(glossary, "zh_CN"), "zh_CN", "g.csv"
    elif fmt == "tbx-full":
        exported, locale, name = export_tbx(glossary), None, "g.tbx"
    else:  # as Weblate names Simplified Chinese
        exported = export_tbx(glossary, locales=["zh_CN"]).replace(b'xml:lang="zh-CN"', b'xml:lang="zh_Hans"')
        locale, name = None, "g.tbx"
    (tmp_path / name).write_bytes(exported)
    incoming = read_any_glossary(tmp_path / name, locale=locale)
    report = import_glossary(target, incoming, [locale] if locale else LOCALES)
    assert not report.changed and not report.conflicts and report.unchanged > 15
    assert target.read_bytes() == before


def test_import_adds_new_concepts_and_reports_contradictions(project: Path, tmp_path: Path) -> None:
    export = tmp_path / "weblate.tbx"
    export.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'
        '<termEntry id="x1"><langSet xml:lang="en"><tig><term>dual circulation</term></tig></langSet>'
        '<langSet xml:lang="zh_Hans"><tig><term>双循环</term></tig></langSet></termEntry>\n'
        '<termEntry id="x2"><langSet xml:lang="en"><tig><term>CCTV</term></tig></langSet>'
        '<langSet xml:lang="zh_Hans"><tig><term>央视</term></tig></langSet></termEntry>\n'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    target = project / "locale" / "glossary.tbx"
    before = target.read_text(encoding="utf-8")
    report = import_glossary(target, read_any_glossary(export, locale=None), ["zh_CN"])
    assert report.added_concepts == ["dual circulation"]
    assert report.conflicts == ["zh_CN: CCTV: '央视' (approved: 中央广播电视总台)"]
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before.rsplit("    </body>", 1)[0])  # appended: nothing before it rewritten
    pairs = {e.source[0].text: e.target[0].text for e in read_glossary(target).entries("en", "zh_CN")}
    assert pairs["dual circulation"] == "双循环" and pairs["CCTV"] == "中央广播电视总台"


@pytest.mark.parametrize("tag", ["zh_Hans", "zh-Hans", "zh_CN", "zh-CN", "zh"])
@pytest.mark.parametrize("locale", ["zh_CN", "zh_Hans", "zh-Hans", "zh"])
def test_every_spelling_of_simplified_chinese_finds_the_terms(tmp_path: Path, tag: str, locale: str) -> None:
    tbx = tmp_path / "g.tbx"
    tbx.write_text(
        '<martif type="TBX" xml:lang="en"><text><body><termEntry id="t1">'
        '<langSet xml:lang="en"><tig><term>rural revitalization</term></tig></langSet>'
        f'<langSet xml:lang="{tag}"><tig><term>乡村振兴</term></tig></langSet>'
        "</termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    [entry] = read_glossary(tbx).entries("en", locale)
    assert entry.target[0].text == "乡村振兴"
    assert read_glossary(tbx).entries("en", "zh_TW") == []  # Traditional is another script


def test_check_warns_when_a_configured_locale_has_no_terms(project: Path) -> None:
    report = check_project(load_config(project))
    missing = [f for f in report.other if f.check == "glossary-locale"]
    assert [f.locale for f in missing] == ["es"] and missing[0].severity == "warning"
    assert missing[0].path == "locale/glossary.tbx"


def test_glossary_commands(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fr.csv"
    assert (
        main(["--root", str(project), "glossary", "export", "--format", "csv", "--locale", "fr", "-o", str(out)]) == 0
    )
    assert "secrétaire général Xi Jinping" in out.read_text(encoding="utf-8")
    assert main(["--root", str(project), "glossary", "export", "--format", "csv"]) == 2  # which language?
    assert main(["--root", str(project), "glossary", "import", str(out), "--locale", "fr"]) == 0
    assert "0 concept(s) and 0 term(s) added" in capsys.readouterr().err
