"""TMX and XLIFF: exports translate-toolkit reads, imports that lose nothing, round trips with 0 differences."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from translate.storage.poxliff import PoXliffFile
from translate.storage.tmx import tmxfile

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.lang import bcp47

SLUG = "2024-07-05-chongqing-press-conference"


@pytest.fixture
def site(root: Path, tmp_path: Path) -> Path:
    """A copy of the project with its shipped catalogs."""
    for name in ("seeds", "locale"):
        shutil.copytree(root / name, tmp_path / name)
    for name in ("pipeline.toml", "segmentation.toml"):
        shutil.copy(root / name, tmp_path / name)
    return tmp_path


def _catalog_bytes(site: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((site / "locale").rglob("*.po"))}


def test_tmx_export_holds_every_confirmed_translation(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.tmx"
    assert main(["--root", str(site), "tm", "export", "--format", "tmx", "-o", str(out)]) == 0
    store = tmxfile.parsestring(out.read_bytes())
    pairs = {
        (u.getNodeText(n0), n1.get("{http://www.w3.org/XML/1998/namespace}lang"), u.getNodeText(n1))
        for u in store.units
        for n0, n1 in [u.getlanguageNodes()]
    }
    config = load_config(site)
    expected = set()
    for locale in config.locales:
        for p in sorted(config.po_path(locale, "x").parent.glob("*.po")):
            for e in polib.pofile(str(p)):
                if e.msgstr and not e.obsolete and not e.fuzzy and not e.msgid_plural:
                    expected.add((e.msgid, bcp47(locale), e.msgstr))
    assert pairs == expected and len(expected) > 200


def test_tmx_round_trip_changes_nothing_and_refills_what_was_lost(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "desk.tmx"
    assert main(["--root", str(site), "tm", "export", "-o", str(out)]) == 0
    before = _catalog_bytes(site)
    assert main(["--root", str(site), "tm", "import", str(out)]) == 0
    assert _catalog_bytes(site) == before  # 0 differences: nothing untranslated has a memory match

    # A translator's file lost three French translations: the memory brings them back as drafts.
    fr = load_config(site).po_path("fr", SLUG)
    po = polib.pofile(str(fr), wrapwidth=0)
    lost = [e for e in po if e.msgstr and not e.msgctxt][:3]
    kept = {e.msgid: e.msgstr for e in lost}
    for e in lost:
        e.msgstr = ""
    po.save(str(fr))
    assert main(["--root", str(site), "tm", "import", str(out), "--locale", "fr"]) == 0
    back = {e.msgid: e for e in polib.pofile(str(fr)) if e.msgid in kept}
    assert len(back) == len(kept) == 3
    for e in back.values():
        assert e.msgstr == kept[e.msgid] and e.fuzzy and e.tcomment == "tm: desk.tmx"


def test_xliff_round_trip_of_every_shipped_catalog_changes_nothing(site: Path, tmp_path: Path) -> None:
    config = load_config(site)
    before = _catalog_bytes(site)
    for locale in config.locales:
        out = tmp_path / f"{locale}.xlf"
        assert main(["--root", str(site), "xliff", "export", "--locale", locale, "-o", str(out)]) == 0
        assert b'version="1.2"' in out.read_bytes()[:200]
        assert main(["--root", str(site), "xliff", "import", str(out)]) == 0
    assert _catalog_bytes(site) == before


def test_xliff_export_carries_context_notes_state_and_plurals(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "ar.xlf"
    assert main(["--root", str(site), "xliff", "export", "--locale", "ar", "-o", str(out)]) == 0
    store = PoXliffFile.parsestring(out.read_bytes())
    units = [u for u in store.units if not u.isheader()]
    po = polib.pofile(str(load_config(site).po_path("ar", "pipeline-ui")))
    plural = next(e for e in po if e.msgid_plural)
    [unit] = [u for u in units if u.hasplural() and u.source.strings[0] == plural.msgid]
    assert [str(s) for s in unit.target.strings] == [plural.msgstr_plural[i] for i in sorted(plural.msgstr_plural)]
    speaker = [u for u in units if any(("x-po-msgctxt", "speaker") in g for g in u.getcontextgroups("po-entry"))]
    assert speaker and speaker[0].source == "CCTV"
    assert any(u.getnotes("developer") for u in units)


def test_xliff_import_merges_translations_and_reports_units_that_no_longer_match(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "es.xlf"
    assert main(["--root", str(site), "xliff", "export", "--locale", "es", "--domain", SLUG, "-o", str(out)]) == 0
    store = PoXliffFile.parsestring(out.read_bytes())
    todo = [u for u in store.units if not u.isheader() and not u.target]
    assert len(todo) > 3
    for u in todo[:3]:  # a CAT tool translates three units and approves them
        u.target = "ES " + u.source
        u.markfuzzy(False)
        u.markapproved(True)
    gone = todo[3]
    gone.source = "A sentence the source no longer has."
    gone.target = "Una frase."
    out.write_bytes(bytes(store))
    es = load_config(site).po_path("es", SLUG)
    before = polib.pofile(str(es))

    assert main(["--root", str(site), "xliff", "import", str(out)]) == 1  # one unit no longer matches
    captured = capsys.readouterr()
    assert "not imported, no longer in the catalog: 'A sentence the source no longer has.'" in captured.out
    assert "3 updated" in captured.err and "1 unmatched" in captured.err
    after = {e.msgid: e for e in polib.pofile(str(es))}
    for u in todo[:3]:
        assert after[u.source].msgstr == "ES " + u.source and not after[u.source].fuzzy
    assert sum(1 for e in before if e.msgstr) + 3 == sum(1 for e in after.values() if e.msgstr)
