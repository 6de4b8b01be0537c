"""Catalogs: golden POT, msgmerge semantics, msgcat formatting, losslessness."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.extract import extract_pot
from pipeline.catalogs.merge import merge_catalog
from pipeline.catalogs.pofile import format_po, read_po, write_po
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.sources.reader import read_document
from pipeline.stages import translate_project

HERE = Path(__file__).parent
SLUG = "2024-07-05-chongqing-press-conference"


def _msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", path.as_posix()], check=True, capture_output=True).stdout


def _po_files(root: Path) -> list[Path]:
    return sorted((root / "locale").rglob("*.po")) + sorted((root / "locale").glob("*.pot"))


def test_golden_pot_of_the_seed(project: Path) -> None:
    config = load_config(project)
    doc = read_document(config, project / "seeds" / f"{SLUG}.txt")
    got = format_po(extract_pot(doc, project=config.project, bugs_address=config.bugs_address))
    golden = HERE / "extract" / f"{SLUG}.expect.pot"
    if got != golden.read_bytes():
        golden.with_suffix(".actual.pot").write_bytes(got)
        pytest.fail(f"POT differs from {golden}; see the .actual.pot beside it (diff the two)")


def test_translate_writes_valid_catalogs_for_every_locale(project: Path) -> None:
    assert main(["--root", str(project), "translate"]) == 0
    files = _po_files(project)
    assert len(files) == 7
    for f in files:
        subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", f], check=True)
        assert f.read_bytes() == _msgcat(f), f"{f} is not formatted as msgcat formats it"
    po = polib.pofile(str(project / "locale" / "ar" / "LC_MESSAGES" / f"{SLUG}.po"))
    assert po.metadata["Language"] == "ar"
    assert po.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert not any("format" in flag for e in po for flag in e.flags)


def test_shipped_catalogs_are_msgcat_formatted_and_valid(root: Path) -> None:
    for f in _po_files(root):
        assert f.read_bytes() == _msgcat(f), f"{f} is not formatted as msgcat formats it"
        subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", f], check=True)


def test_second_run_changes_no_byte(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    translate_project(load_config(project))
    before = {f: f.read_bytes() for f in _po_files(project)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # a later day
    report = translate_project(load_config(project))
    assert report.written == []
    assert {f: f.read_bytes() for f in _po_files(project)} == before


def test_shipped_catalogs_are_stable_under_translate(root: Path, tmp_path: Path) -> None:
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    shutil.copytree(root / "locale", tmp_path / "locale")
    for name in ("pipeline.toml", "segmentation.toml"):
        shutil.copy(root / name, tmp_path / name)
    before = {f.relative_to(tmp_path): f.read_bytes() for f in _po_files(tmp_path)}
    report = translate_project(load_config(tmp_path))
    assert report.ok and report.written == []
    assert {f.relative_to(tmp_path): f.read_bytes() for f in _po_files(tmp_path)} == before


@pytest.mark.parametrize("case", sorted(p.name for p in (HERE / "merge").iterdir()))
def test_merge_is_byte_identical_to_msgmerge_previous(case: str) -> None:
    d = HERE / "merge" / case
    ref = subprocess.run(
        ["msgmerge", "--previous", "-q", "-o", "-", d / "old.po", d / "new.pot"], check=True, capture_output=True
    ).stdout
    ours = format_po(merge_catalog(polib.pofile(str(d / "old.po")), polib.pofile(str(d / "new.pot"))))
    assert ours.decode() == ref.decode()


def _edit_source(project: Path, old: str, new: str) -> None:
    src = project / "seeds" / f"{SLUG}.txt"
    text = src.read_text("utf-8")
    assert old in text
    src.write_text(text.replace(old, new), "utf-8")


def _fill(po_path: Path, translations: dict[str, str], **extra: str) -> None:
    po = polib.pofile(str(po_path))
    for e in po:
        if e.msgid in translations:
            e.msgstr = translations[e.msgid]
            if e.msgid in extra:
                e.tcomment = extra[e.msgid]
                e.flags.append("no-numbers-check")
    write_po(po, po_path)


def test_update_round_trip_edit_delete_readd_reorder(project: Path) -> None:
    config = load_config(project)
    translate_project(config)
    po_path = config.po_path("fr", SLUG)
    s1 = "Last year, Chongqing's GDP exceeded 3 trillion yuan."
    s2 = "Achieving this target won't be easy."
    _fill(
        po_path,
        {s1: "L'an dernier, le PIB de Chongqing a dépassé 3 000 milliards de yuans.", s2: "Ce ne sera pas facile."},
        **{s1: "Relu par la desk"},
    )

    # Edit one sentence, delete another.
    _edit_source(project, s1, "Last year, Chongqing's GDP exceeded 3.1 trillion yuan.")
    _edit_source(project, " " + s2, "")
    translate_project(config)
    po = polib.pofile(str(po_path))
    edited = po.find("Last year, Chongqing's GDP exceeded 3.1 trillion yuan.")
    assert edited is not None and "fuzzy" in edited.flags and edited.previous_msgid == s1
    assert edited.msgstr.startswith("L'an dernier") and edited.tcomment == "Relu par la desk"
    assert "no-numbers-check" in edited.flags
    gone = [e for e in po.obsolete_entries() if e.msgid == s2]
    assert gone and gone[0].msgstr == "Ce ne sera pas facile."
    assert b"#, fuzzy, no-numbers-check" in po_path.read_bytes()

    # Re-add the deleted sentence: revived with its translation, not fuzzy.
    _edit_source(project, "3.1 trillion yuan.", "3.1 trillion yuan. " + s2)
    translate_project(config)
    po = polib.pofile(str(po_path))
    back = po.find(s2)
    assert back is not None and not back.obsolete and back.msgstr == "Ce ne sera pas facile." and not back.fuzzy

    # Reorder paragraphs: translations stay, references follow.
    src = project / "seeds" / f"{SLUG}.txt"
    lines = src.read_text("utf-8").split("\n")
    lines[5], lines[6] = lines[6], lines[5]
    src.write_text("\n".join(lines), "utf-8")
    translate_project(config)
    po = polib.pofile(str(po_path))
    assert po.find(s2).msgstr == "Ce ne sera pas facile."
    assert po.find(s2).occurrences == [(f"seeds/{SLUG}.txt", "7")]
    assert po_path.read_bytes() == _msgcat(po_path) or b"no-numbers-check" in po_path.read_bytes()


def test_unknown_flags_survive_formatting(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="b", flags=["no-numbers-check"], tcomment="why"))
    po.append(polib.POEntry(msgid="c", msgstr="d", flags=["fuzzy", "no-glossary-check"], previous_msgid="x"))
    po.append(polib.POEntry(msgid="e", msgstr="f", flags=["no-numbers-check"], obsolete=True))
    text = format_po(po).decode()
    assert '# why\n#, no-numbers-check\nmsgid "a"' in text
    assert '#, fuzzy, no-glossary-check\n#| msgid "x"\nmsgid "c"' in text
    assert '#, no-numbers-check\n#~ msgid "e"' in text
    assert po[0].flags == ["no-numbers-check"] and po[0].tcomment == "why"  # the caller's catalog is untouched
    again = polib.pofile(text)
    assert [e.flags for e in again if not e.obsolete] == [["no-numbers-check"], ["fuzzy", "no-glossary-check"]]


def test_broken_po_is_never_overwritten(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = load_config(project)
    translate_project(config)
    bad = config.po_path("fr", SLUG)
    broken = bad.read_bytes().replace(b'msgid "Thank you."', b'<<<<<<< HEAD\nmsgid "Thank you."', 1)
    bad.write_bytes(broken)
    line = broken[: broken.index(b"<<<<<<<")].count(b"\n") + 1
    _edit_source(project, "That's my answer.", "That is my answer.")
    assert main(["--root", str(project), "translate"]) == 1
    err = capsys.readouterr().err
    assert f"catalog: locale/fr/LC_MESSAGES/{SLUG}.po:{line}:" in err
    assert bad.read_bytes() == broken  # untouched
    other = polib.pofile(str(config.po_path("ja", SLUG)))
    assert other.find("That is my answer.") is not None  # the others were updated
    with pytest.raises(Exception, match=f":{line}:"):
        read_po(bad)


def test_incremental_translate_skips_unchanged_sources(project: Path) -> None:
    config = load_config(project)
    first = translate_project(config)
    assert first.skipped == [] and len(first.written) == 7
    again = translate_project(config)
    assert again.skipped == [SLUG] and again.written == []
    # A translator's edit makes the source's catalogs due again (and kept).
    po_path = config.po_path("fr", SLUG)
    po = polib.pofile(str(po_path))
    po.find("Thank you.").msgstr = "Merci."
    po.save(str(po_path))  # polib's own formatting, as a foreign tool would write it
    saved = po_path.read_bytes()
    third = translate_project(config)
    assert third.skipped == []
    assert polib.pofile(str(po_path)).find("Thank you.").msgstr == "Merci."
    assert po_path.read_bytes() == saved  # nothing to merge: the tool's layout is kept (issue 13)
    # Without the cache, a full run gives the same bytes.
    before = {f: f.read_bytes() for f in _po_files(project)}
    config.cache_db.unlink()
    assert translate_project(config).skipped == []
    assert {f: f.read_bytes() for f in _po_files(project)} == before


def test_obsolete_previous_msgid_survives_reading(tmp_path: Path) -> None:
    # polib 1.2 drops "#~|" lines when it reads; read_po puts them back.
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\n#~| msgctxt "speaker"\n#~| msgid "Old name"\n#~ msgctxt "speaker"\n#~ msgid "New name"\n'
        '#~ msgstr "Nouveau nom"\n\n'
        '#, fuzzy\n#~| msgid ""\n#~| "A long previous source sentence that msgcat wraps over more than one "\n'
        '#~| "line of the file."\n#~ msgid "Short."\n#~ msgstr "Court."\n'
    )
    path = tmp_path / "x.po"
    path.write_text(text, "utf-8")
    assert _msgcat(path).decode() == text
    assert format_po(read_po(path)).decode() == text
