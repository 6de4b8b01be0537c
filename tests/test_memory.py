"""Translation memory across documents: exact and close matches arrive as fuzzy drafts with a note."""

from __future__ import annotations

import random
from pathlib import Path

import polib

from pipeline.catalogs.memory import TranslationMemory, fill_from_memory
from pipeline.catalogs.memorystore import MemoryStore
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


def _catalog(path: Path, pairs: dict[str, str]) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for msgid, msgstr in pairs.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def test_the_store_on_disk_follows_the_catalogs(tmp_path: Path) -> None:
    a, b = tmp_path / "fr" / "a.po", tmp_path / "fr" / "b.po"
    question = "Thank you very much for the question about the corridor."
    _catalog(a, {"Thank you.": "Merci.", question: "Merci beaucoup pour la question sur le corridor."})
    _catalog(b, {"Good bye.": "Au revoir."})
    catalogs = [("a", a), ("b", b)]
    db = tmp_path / "memory.sqlite"
    with MemoryStore(db) as store:
        assert store.sync("fr", catalogs) == 2
        hit = store.lookup("fr", None, "Thank you.", exclude="b")
        assert hit is not None and hit.msgstr == "Merci." and hit.origin == "a" and hit.exact
        assert store.lookup("fr", None, "Thank you.", exclude="a") is None  # not memory for itself
        near = store.lookup("fr", None, question.replace("question", "questions"), exclude="b")
        assert near is not None and not near.exact and near.msgid == question
        assert store.lookup("fr", None, "Something else entirely, about rivers.", exclude="b") is None
        assert store.lookup("fr", "speaker", "Thank you.", exclude="b") is None  # another context
        assert store.lookup("ja", None, "Thank you.") is None
    _catalog(a, {"Thank you.": "Merci bien."})
    with MemoryStore(db) as store:
        assert store.sync("fr", catalogs) == 1  # only the catalog that changed is read again
        hit = store.lookup("fr", None, "Thank you.", exclude="b")
        assert hit is not None and hit.msgstr == "Merci bien."
        assert store.lookup("fr", None, question, exclude="b") is None  # its translation is gone
    a.unlink()
    with MemoryStore(db) as store:
        assert store.sync("fr", [("b", b)]) == 0
        assert store.lookup("fr", None, "Thank you.", exclude="b") is None


def test_tm_exact_final_accepts_exact_matches_only() -> None:
    memory = TranslationMemory()
    sentence = "The corridor links the river port with the railway hub."
    memory.add(
        "fr", polib.POEntry(msgid=sentence, msgstr="Le corridor relie le port fluvial au nœud ferroviaire."), "a"
    )
    po = polib.POFile()
    po.append(polib.POEntry(msgid=sentence))
    po.append(polib.POEntry(msgid=sentence.replace("railway hub", "railway hubs")))
    assert fill_from_memory(po, memory, "fr", origin="b", exact_final=True) == 2
    assert not po[0].fuzzy and po[0].tcomment == "tm: a" and po[0].previous_msgid is None
    assert po[1].fuzzy and po[1].previous_msgid == sentence  # a close match is always a draft
