"""Property: no sequence of source edits ever loses a translation."""

from __future__ import annotations

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalogs.merge import init_po, merge_catalog
from pipeline.catalogs.pofile import format_po

WORDS = "the city will build a key zone for trade and growth in western China by 2027 with 3 trillion yuan".split()

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(lambda ws: " ".join(ws).capitalize() + ".")
edit = st.one_of(
    st.tuples(st.just("replace_word"), st.integers(0, 50), st.integers(0, 20), st.sampled_from(WORDS)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("insert"), st.integers(0, 50), sentence),
    st.tuples(st.just("swap"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("translate"), st.integers(0, 50)),
)


def _pot(sentences: list[str]) -> polib.POFile:
    pot = polib.POFile()
    pot.metadata = {"POT-Creation-Date": "2024-07-05 00:00+0000", "Content-Type": "text/plain; charset=UTF-8"}
    seen = set()
    for i, s in enumerate(sentences, 1):
        if s not in seen:
            seen.add(s)
            pot.append(polib.POEntry(msgid=s, msgstr="", occurrences=[("doc.txt", str(i))]))
    return pot


def _apply(sentences: list[str], op: tuple) -> list[str]:
    out = list(sentences)
    kind = op[0]
    if kind == "replace_word" and out:
        i = op[1] % len(out)
        words = out[i].rstrip(".").split()
        words[op[2] % len(words)] = op[3]
        out[i] = " ".join(words).capitalize() + "."
    elif kind == "delete" and out:
        out.pop(op[1] % len(out))
    elif kind == "insert":
        out.insert(op[1] % (len(out) + 1), op[2])
    elif kind == "swap" and out:
        i, j = op[1] % len(out), op[2] % len(out)
        out[i], out[j] = out[j], out[i]
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=8), st.lists(edit, min_size=1, max_size=12))
def test_no_translation_is_ever_lost(start: list[str], edits: list[tuple]) -> None:
    sentences = start
    po = init_po(_pot(sentences), "fr")
    given_translations: set[str] = set()
    counter = 0
    for op in edits:
        if op[0] == "translate":
            todo = [e for e in po if not e.obsolete and not e.msgstr]
            if todo:
                counter += 1
                e = todo[op[1] % len(todo)]
                e.msgstr = f"T{counter}: {e.msgid}"
                e.tcomment = f"note {counter}"
                given_translations.add(e.msgstr)
            continue
        sentences = _apply(sentences, op)
        po = merge_catalog(po, _pot(sentences))
        # Round-trip through the writer, as a real run does.
        po = polib.pofile(format_po(po).decode())
        present = {e.msgstr for e in po if e.msgstr}
        assert given_translations <= present
        # Every active entry is in the template, in order; fuzzy ones say what they came from.
        active = [e for e in po if not e.obsolete]
        assert [e.msgid for e in active] == list(dict.fromkeys(sentences))
        assert all(e.previous_msgid for e in active if e.fuzzy)
