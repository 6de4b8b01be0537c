"""Translation memory across documents: exact and close matches arrive as fuzzy drafts with a note."""

from __future__ import annotations

import random
from pathlib import Path

import polib

from pipeline.catalogs.memory import TranslationMemory, fill_from_memory
from pipeline.config import load_config
from pipeline.stages import translate_project

WORDS = "port corridor railway trade city river zone park logistics hub growth reform service rural".split()


def _sentences(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        words = rng.sample(WORDS, 6)
        out.append(f"Sentence {i} says the {' '.join(words)} will grow by {rng.randint(2, 99)} percent.")
    return out


def _write_source(root: Path, slug: str, sentences: list[str]) -> None:
    (root / "seeds" / f"{slug}.txt").write_text(
        "China.org.cn | July 5, 2024\nHu Henghua:\n" + "\n".join(sentences) + "\n", encoding="utf-8"
    )
    (root / "seeds" / f"{slug}.meta.toml").write_text(
        f'title = "Brief {slug}"\nlanguage = "en"\n[[speakers]]\nname = "Hu Henghua"\nrole = "answer"\n',
        encoding="utf-8",
    )


def _translate_all(path: Path) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    for e in po:
        if not e.obsolete:
            e.msgstr = f"FR[{e.msgid}]"
    po.save(str(path))


def test_a_new_source_arrives_prefilled_from_the_other_documents(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "pipeline.toml").write_text('[project]\nlocales = ["fr", "ja"]\n', encoding="utf-8")
    rng = random.Random(7)
    old = {f"brief-{i}": _sentences(rng, 10) for i in range(3)}
    for slug, sentences in old.items():
        _write_source(tmp_path, slug, sentences)
    config = load_config(tmp_path)
    assert translate_project(config).ok
    for slug in old:
        _translate_all(config.po_path("fr", slug))  # French is done, Japanese is not started

    # 20% of the new source's sentences occur in the other sources, 10% nearly so.
    pool = [s for sentences in old.values() for s in sentences]
    reused = pool[3:7]
    edited = [pool[12].replace("percent.", "percent this year."), pool[25].replace("Sentence", "Our sentence")]
    fresh = [f"A wholly new remark number {i} about something else entirely." for i in range(14)]
    _write_source(tmp_path, "brief-new", reused + edited + fresh)
    assert translate_project(config).ok

    po = polib.pofile(str(config.po_path("fr", "brief-new")))
    by_id = {e.msgid: e for e in po}
    for s in reused:
        e = by_id[s]
        assert e.msgstr == f"FR[{s}]" and "fuzzy" in e.flags and e.tcomment.startswith("tm: brief-")
        assert e.previous_msgid is None  # exact: nothing to compare
    for s, source in zip(edited, [pool[12], pool[25]], strict=True):
        e = by_id[s]
        assert e.msgstr == f"FR[{source}]" and "fuzzy" in e.flags and e.previous_msgid == source
        assert "tm: brief-" in e.tcomment
    assert all(by_id[s].msgstr == "" and not by_id[s].flags for s in fresh)
    assert all(not e.msgstr for e in polib.pofile(str(config.po_path("ja", "brief-new"))) if e.msgid)
    # The filled entries are drafts: they are not memory for anyone, and a second run changes nothing.
    assert translate_project(config).written == []


def test_memory_never_overwrites_and_ignores_drafts_and_other_contexts() -> None:
    memory = TranslationMemory()
    memory.add("fr", polib.POEntry(msgid="Thank you.", msgstr="Merci."), "a")
    memory.add("fr", polib.POEntry(msgid="Hu Henghua", msgstr="Hu Henghua", msgctxt="speaker"), "a")
    memory.add("fr", polib.POEntry(msgid="Good bye.", msgstr="Au revoir.", flags=["fuzzy"]), "a")
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Thank you.", msgstr="Merci bien."))
    po.append(polib.POEntry(msgid="Hu Henghua"))
    po.append(polib.POEntry(msgid="Good bye."))
    po.append(polib.POEntry(msgid="Thank you.", msgctxt="speaker"))
    assert fill_from_memory(po, memory, "fr", origin="b") == 0
    assert po[0].msgstr == "Merci bien." and not po[1].msgstr
    assert fill_from_memory(po, memory, "fr", origin="a") == 0  # a catalog is no memory for itself
    assert fill_from_memory(po, memory, "ja", origin="b") == 0  # nor another locale
