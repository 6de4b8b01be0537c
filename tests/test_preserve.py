"""Format-preserving catalogs (issue 13): `translate` rewrites only what its merge changes.

Catalogs are written the way other tools write them (translate-toolkit's serializer, which
Weblate saves with; polib; msgcat --no-wrap, as Poedit writes with wrapping off), then
`translate` runs: with nothing to merge no byte changes; with one source sentence changed
only that entry's lines (and the header's POT-Creation-Date) change.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from po_styles import STYLES, weblate
from translate.storage import pypo

from pipeline.catalogs import preserve
from pipeline.catalogs.pofile import parse_bytes, write_po
from pipeline.config import load_config
from pipeline.stages import translate_project

SENTENCE = "These roles are rooted in the western region"
CHANGED = "These roles are firmly rooted in the western region"


def _po_files(root: Path) -> list[Path]:
    return sorted((root / "locale").glob("*/LC_MESSAGES/*.po"))


def _rewrite(project: Path, style: str) -> dict[Path, bytes]:
    files = {}
    for f in _po_files(project):
        f.write_bytes(STYLES[style](f.read_bytes()))
        files[f] = f.read_bytes()
    return files


def _changed_lines(old: bytes, new: bytes) -> list[tuple[int, str]]:
    """(old line number, line) of every removed or added line."""
    out: list[tuple[int, str]] = []
    a, b = old.decode().splitlines(), new.decode().splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            out += [(i, a[i]) for i in range(i1, i2)] + [(max(i1, 0), b[j]) for j in range(j1, j2)]
    return out


def _entry_lines(data: bytes, needle: str) -> range:
    """The line numbers (0-based) of the block holding ``needle``."""
    text = data.decode()
    blocks = text.split("\n\n")
    start = 0
    for block in blocks:
        n = block.count("\n") + 1
        if needle in block.replace('"\n"', "").replace("\n", " "):
            return range(start, start + n)
        start += n + 1
    raise AssertionError(f"{needle!r} not found")


@pytest.mark.parametrize("style", sorted(STYLES))
def test_nothing_to_merge_changes_no_byte(shipped: Path, style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _rewrite(shipped, style)
    assert any(b != (Path(__file__).parent.parent / f.relative_to(shipped)).read_bytes() for f, b in before.items())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # a later day: no date may follow it
    report = translate_project(load_config(shipped), force=True)
    assert report.ok, report.errors
    assert [w for w in report.written if w.endswith(".po")] == []
    assert {f: f.read_bytes() for f in _po_files(shipped)} == before


@pytest.mark.parametrize("style", sorted(STYLES))
def test_one_changed_sentence_changes_only_its_entry(
    shipped: Path, style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _rewrite(shipped, style)
    seed = next((shipped / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text("utf-8").replace(SENTENCE, CHANGED, 1), "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    report = translate_project(load_config(shipped))
    assert report.ok, report.errors
    content = [f for f in before if "pipeline-ui" not in f.name]
    for f in before:
        after = f.read_bytes()
        if f not in content:
            assert after == before[f], f
            continue
        entry = _entry_lines(before[f], "These roles are")
        for number, line in _changed_lines(before[f], after):
            assert number in entry or line.startswith('"POT-Creation-Date: '), (f, number, line)
        assert "firmly rooted" in after.decode()
        header = after.decode().split("\n\n")[0]
        assert header.count("PO-Revision-Date") == 1
        old_revision = [ln for ln in before[f].decode().splitlines() if ln.startswith('"PO-Revision-Date')]
        assert old_revision and old_revision[0] in header.splitlines()  # never touched by translate
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", f], check=True)


def test_weblate_round_trip_converges_in_one_cycle(shipped: Path) -> None:
    _rewrite(shipped, "translate-toolkit")
    seed = next((shipped / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text("utf-8").replace(SENTENCE, CHANGED, 1), "utf-8")
    assert translate_project(load_config(shipped)).ok
    after_translate = {f: f.read_bytes() for f in _po_files(shipped)}
    # Weblate's next save of every file, then our next translate: neither changes a byte.
    for f, data in after_translate.items():
        assert weblate(data) == data, f"{f}: Weblate would rewrite what translate wrote"
    report = translate_project(load_config(shipped), force=True)
    assert [w for w in report.written if w.endswith(".po")] == []
    assert {f: f.read_bytes() for f in _po_files(shipped)} == after_translate


def test_new_entry_takes_the_file_style(tmp_path: Path) -> None:
    long_ja = "これらの役割は西部地域に根差し、国全体の発展に資することを目指したものです。"
    old = polib.POFile(wrapwidth=0)
    old.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ja"}
    for i in range(3):
        old.append(polib.POEntry(msgid=f"Sentence {i}", msgstr=f"{long_ja}{i}"))
    path = tmp_path / "ja.po"
    path.write_bytes(weblate(write_and_read(old, tmp_path)))
    assert preserve.detect_style(*_cut_and_canon(path.read_bytes())) == "translate-toolkit"
    new = parse_bytes(path.read_bytes())
    new.append(polib.POEntry(msgid="Sentence 9", msgstr=long_ja))
    assert write_po(new, path)
    data = path.read_bytes()
    assert data == weblate(data)  # the new entry is laid out as Weblate lays it out
    assert f'msgstr "{long_ja}"\n' in data.decode()


def write_and_read(po: polib.POFile, tmp_path: Path) -> bytes:
    p = tmp_path / "scratch.po"
    write_po(po, p)
    return p.read_bytes()


def _cut_and_canon(data: bytes) -> tuple[preserve.Cut, dict[preserve.Key, str]]:
    cut = preserve.cut(data.decode())
    assert cut is not None
    return cut, preserve.canonical(parse_bytes(data))


def test_header_field_changes_alone(tmp_path: Path) -> None:
    """Only the changed header field's lines move; the others keep their (translate-toolkit) layout."""
    path = tmp_path / "ru.po"
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "POT-Creation-Date": "2024-07-05 00:00+0000",
        "PO-Revision-Date": "2024-07-05 00:00+0000",
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && "
        "(n % 100 < 12 || n % 100 > 14) ? 1 : 2;",
    }
    po.append(polib.POEntry(msgid="One", msgstr="Один"))
    original = weblate(write_and_read(po, tmp_path))
    path.write_bytes(original)
    new = parse_bytes(original)
    new.metadata["POT-Creation-Date"] = "2030-01-01 00:00+0000"
    assert not write_po(new, path)  # a date alone: the file stays as it is
    new.append(polib.POEntry(msgid="Two", msgstr="Два"))
    assert write_po(new, path)
    changed = _changed_lines(original, path.read_bytes())
    assert [line for _, line in changed] == [
        '"POT-Creation-Date: 2024-07-05 00:00+0000\\n"',
        '"POT-Creation-Date: 2030-01-01 00:00+0000\\n"',
        "",
        'msgid "Two"',
        'msgstr "Два"',
    ]


def test_crlf_and_odd_separators_are_kept(tmp_path: Path) -> None:
    text = (
        'msgid ""\r\nmsgstr ""\r\n"Content-Type: text/plain; charset=UTF-8\\n"\r\n\r\n\r\n'
        'msgid "a"\r\nmsgstr "A"\r\n\r\nmsgid "b"\r\nmsgstr "B"\r\n'
    )
    path = tmp_path / "x.po"
    path.write_bytes(text.encode())
    po = parse_bytes(text.replace("\r\n", "\n").encode())
    assert not write_po(po, path)
    po.find("b").msgstr = "BB"
    assert write_po(po, path)
    assert path.read_bytes() == text.replace('"B"', '"BB"').encode()


def test_unsplittable_file_is_rewritten_whole_without_loss(tmp_path: Path) -> None:
    head = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    text = head + 'msgid "a"\nmsgstr "A"\nmsgid "b"\nmsgstr "B"\n'  # two entries, no blank line between
    path = tmp_path / "x.po"
    path.write_bytes(text.encode())
    assert preserve.cut(text) is None
    po = parse_bytes(text.encode())
    po.append(polib.POEntry(msgid="c", msgstr="C"))
    assert write_po(po, path)
    again = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr) for e in again] == [("a", "A"), ("b", "B"), ("c", "C")]


# ---------------------------------------------------------------- property

LONG = "Chongqing will build a pioneer zone for high-quality development in the western region and a hub for opening up"
_sentence = st.sampled_from(
    ["Thank you.", "Next question.", LONG, LONG.replace("pioneer", "new"), "重庆将建设西部地区高质量发展的先行区。" * 3]
)
_edit = st.one_of(
    st.tuples(st.just("retranslate"), st.integers(0, 20), st.sampled_from(["Merci.", LONG.upper(), "翻訳" * 30])),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("add"), st.integers(0, 20), _sentence, st.integers(0, 999)),
    st.tuples(st.just("fuzzy"), st.integers(0, 20)),
    st.tuples(st.just("obsolete"), st.integers(0, 20)),
    st.tuples(st.just("swap"), st.integers(0, 20), st.integers(0, 20)),
)


def _random_catalog(entries: list[tuple[str, int]]) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"POT-Creation-Date": "2024-07-05 00:00+0000", "Content-Type": "text/plain; charset=UTF-8"}
    for text, n in entries:
        po.append(
            polib.POEntry(
                msgid=f"{text} {n}",
                msgstr=f"{text[::-1]} {n}" if n % 3 else "",
                comment=f"sentence {n} of a brief whose extracted comment is long enough to be wrapped by polib",
                occurrences=[("seeds/brief.txt", str(n))],
            )
        )
    return po


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(_sentence, st.integers(0, 999)), min_size=1, max_size=8, unique_by=lambda t: t[1]),
    st.sampled_from(sorted(STYLES)),
    st.lists(_edit, min_size=1, max_size=6),
)
def test_any_update_keeps_unchanged_blocks_and_reads_back(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[str, int]], style: str, edits: list[tuple]
) -> None:
    """Whatever the layout and the edits: the result holds exactly the new entries, unchanged ones byte for byte."""
    path = tmp_path_factory.mktemp("p") / "x.po"
    path.write_bytes(STYLES[style](write_and_read(_random_catalog(entries), path.parent)))
    old = path.read_bytes()
    new = parse_bytes(old)
    for k, op in enumerate(edits):
        live = [e for e in new if not e.obsolete]
        if op[0] == "add":
            new.insert(op[1] % (len(new) + 1), polib.POEntry(msgid=f"{op[2]} +{op[3]}.{k}", msgstr=""))
        elif not live:
            continue
        elif op[0] == "retranslate":
            live[op[1] % len(live)].msgstr = op[2]
        elif op[0] == "delete":
            new.remove(live[op[1] % len(live)])
        elif op[0] == "fuzzy":
            live[op[1] % len(live)].flags = ["fuzzy"]
        elif op[0] == "obsolete":
            live[op[1] % len(live)].obsolete = True
        elif op[0] == "swap":
            i, j = op[1] % len(new), op[2] % len(new)
            new[i], new[j] = new[j], new[i]
    if not len(new):
        return  # no entry left: msgcat writes nothing, nor do we
    data = preserve.update(old, parse_bytes(old), new, parse_bytes)
    assert data is not None, "the update fell back to a whole rewrite"
    assert preserve.same_catalog(preserve.canonical(parse_bytes(data)), preserve.canonical(new))
    old_cut, new_cut = preserve.cut(old.decode()), preserve.cut(data.decode())
    assert old_cut is not None and new_cut is not None
    old_canon, new_canon = preserve.canonical(parse_bytes(old)), preserve.canonical(new)
    for key, block in new_cut.blocks.items():
        if key != preserve.HEADER and key in old_canon and preserve.same(old_canon[key], new_canon.get(key)):
            assert block.text == old_cut.blocks[key].text, key  # unchanged: its old bytes
    subprocess.run(["msgfmt", "-o", os.devnull, "-"], input=data, check=True)


def test_a_weblate_save_of_one_unit_survives_translate(shipped: Path) -> None:
    """What Weblate's commit does (one unit's target set, header updated, translate-toolkit saving),
    then `make translate`: before issue 13 it rewrote 4 lines of those files each cycle; now none."""
    saves = {
        "ja": "これらの役割は西部地域に根差し、国全体の発展に資することを目指したもので、長い訳文です。",
        "ru": "Эти роли укоренены в западном регионе и направлены на обслуживание общего роста страны в целом.",
    }
    for locale, target in saves.items():
        path = shipped / "locale" / locale / "LC_MESSAGES" / "2024-07-05-chongqing-press-conference.po"
        store = pypo.pofile.parsestring(path.read_bytes())
        unit = [u for u in store.units if not u.isheader() and not u.isobsolete()][5]
        unit.target = target
        store.updateheader(
            add=True,
            Last_Translator="Weblate Admin <admin@example.org>",
            PO_Revision_Date="2026-12-03 11:00+0000",
            X_Generator="Weblate 5.14",
        )
        path.write_bytes(bytes(store))
    before = {f: f.read_bytes() for f in _po_files(shipped)}
    report = translate_project(load_config(shipped), force=True)
    assert report.ok and [w for w in report.written if w.endswith(".po")] == []
    assert {f: f.read_bytes() for f in _po_files(shipped)} == before
