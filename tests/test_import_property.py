"""No speech word lost or duplicated between a transcript as received and its extracted msgids.

Hypothesis writes transcripts in the shapes the importer takes (inline labels, labels alone on their
line, ``Q`` without a colon, uppercase honorifics, hard wrapping at 72 columns or one paragraph a
line, CRLF, blank lines of no-break spaces, stage directions and separators between paragraphs);
every word of speech must come out in exactly one segment, every stage direction as its own
segment with its msgctxt, and every other line in the drop record with its reason.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from html import escape
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogs.extract import extract_pot
from pipeline.sources.html import html_lines
from pipeline.sources.importer import import_transcript
from pipeline.sources.reader import read_source

# Speech words, with some that are also navigation or end marks when alone on a line.
WORDS = "policy trade next print top share the of and visit talks will we our cooperation partners".split()
LABELS = ["CCTV", "Phoenix TV", "Li Wei", "MS. SMITH", "Q", "Bloomberg"]
DIRECTIONS = ["(Laughter.)", "(Applause.)", "[inaudible]"]
SEPARATORS = ["※※※※※※", "* * *"]

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=5).map(" ".join)
turn = st.tuples(
    st.sampled_from(LABELS),
    st.lists(paragraph, min_size=1, max_size=3),
    st.sampled_from(["", *DIRECTIONS, *SEPARATORS]),
)


@st.composite
def transcripts(draw: st.DrawFn) -> tuple[str, list[str], list[str], list[str]]:
    """(file text, speech paragraphs, kept directions, dropped lines)."""
    turns = draw(st.lists(turn, min_size=2, max_size=6))
    wrapped = draw(st.booleans())
    crlf = draw(st.booleans())
    return _text(draw, turns, wrapped, crlf)


def _text(
    draw: st.DrawFn, turns: list[tuple[str, list[str], str]], wrapped: bool, crlf: bool
) -> tuple[str, list[str], list[str], list[str]]:
    blank = draw(st.sampled_from(["", "\u00a0", " \u00a0 "])) if wrapped else ""
    out = ["Regular Press Conference", "July 5, 2024 2:46 P.M. EST", blank]
    speech: list[str] = []
    kept: list[str] = []
    dropped = ["July 5, 2024 2:46 P.M. EST"]
    for label, paragraphs, extra in turns:
        style = draw(st.sampled_from(["inline", "alone", "nocolon"] if label == "Q" else ["inline", "alone"]))
        for i, para in enumerate(paragraphs):
            speech.append(para)
            lines = textwrap.wrap(para, 72) if wrapped else [para]
            if i == 0 and style == "inline":
                lines[0] = f"{label}: {lines[0]}"
            elif i == 0 and style == "nocolon":
                lines[0] = f"{label}    {lines[0]}"
            elif i == 0:
                out += [f"{label}:"] + ([blank] if wrapped else [])
            out += [*lines, blank] if wrapped else lines
        if extra:
            (kept if extra in DIRECTIONS else dropped).append(extra)
            out += [extra, blank] if wrapped else [extra]
    text = ("\r\n" if crlf else "\n").join(out) + "\n"
    return text, speech, kept, dropped


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str], list[str], list[str]]:
    """Transcripts as a saved web page: one <p> a paragraph (hard-wrapped inside or not), labels bold
    and alone or inline, navigation, a page header between two pages, related links and a footer."""
    turns = draw(st.lists(turn, min_size=2, max_size=6))
    wrapped = draw(st.booleans())
    speech: list[str] = []
    kept: list[str] = []
    dropped = ["July 5, 2024 2:46 P.M. EST", "Press conference - Page 2"]
    body = ["<p>July 5, 2024 2:46 P.M. EST</p>"]
    for n, (label, paragraphs, extra) in enumerate(turns):
        style = draw(st.sampled_from(["inline", "alone", "nocolon"] if label == "Q" else ["inline", "alone"]))
        for i, para in enumerate(paragraphs):
            speech.append(para)
            text = escape("\n".join(textwrap.wrap(para, 72)) if wrapped else para)
            if i == 0 and style == "inline":
                text = f"{escape(label)}: {text}"
            elif i == 0 and style == "nocolon":
                text = f"<b>{label}</b>    {text}"
            elif i == 0:
                body.append(f"<p><b>{escape(label)}:</b></p>")
            body.append(f"<p>{text}</p>")
        if extra:
            (kept if extra in DIRECTIONS else dropped).append(extra)
            body.append(f"<p>{escape(extra)}</p>")
        if n == 0:
            body.append('<div class="page_header">Press conference - Page 2</div>')
    html = (
        '<html><head><title>Regular Press Conference</title><meta property="og:site_name" content="Outlet">'
        '<meta name="publishdate" content="2024-07-06"></head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f'<div id="main"><h1>Regular Press Conference</h1>{"".join(body)}</div>'
        '<div class="related"><h3>Related News</h3><ul><li><a href="/a">Other talks</a></li></ul></div>'
        "<footer><p>Copyright 2024. All rights reserved.</p></footer></body></html>"
    )
    return html, speech, kept, dropped


def _words(texts: list[str]) -> Counter[str]:
    return Counter(w.strip(".,").lower() for t in texts for w in t.split())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=transcripts())
def test_no_speech_word_lost_or_duplicated(tmp_path: Path, case: tuple[str, list[str], list[str], list[str]]) -> None:
    text, speech, kept, dropped = case
    raw = tmp_path / "in.txt"
    raw.write_bytes(text.encode("utf-8"))
    result = import_transcript(raw, outlet="Outlet")
    src = tmp_path / "doc.txt"
    src.write_text(result.source_text, "utf-8")
    src.with_suffix(".meta.toml").write_text(result.meta_text, "utf-8")
    doc = read_source(src)
    segments = [s for p in doc.paragraphs for s in p.segments]
    assert _words([s.text for s in segments if s.context is None]) == _words(speech)
    assert sorted(s.text for s in segments if s.context == "stage-direction") == sorted(kept)
    assert sorted(d.text for d in result.drops) == sorted(dropped)
    assert all(d.reason for d in result.drops)
    msgids = {(e.msgctxt, e.msgid) for e in extract_pot(doc)}
    assert all((s.context, s.text) in msgids for s in segments)
    assert all(b.speaker is not None for b in doc.blocks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=pages())
def test_no_speech_word_lost_from_a_saved_page(
    tmp_path: Path, case: tuple[str, list[str], list[str], list[str]]
) -> None:
    html, speech, kept, dropped = case
    path = tmp_path / "in.html"
    path.write_text(html, "utf-8")
    lines, hints = html_lines(html)
    result = import_transcript(path, lines=lines, hints=hints)
    src = tmp_path / "doc.txt"
    src.write_text(result.source_text, "utf-8")
    src.with_suffix(".meta.toml").write_text(result.meta_text, "utf-8")
    doc = read_source(src)
    segments = [s for p in doc.paragraphs for s in p.segments]
    assert _words([s.text for s in segments if s.context is None]) == _words(speech)
    assert sorted(s.text for s in segments if s.context == "stage-direction") == sorted(kept)
    assert sorted(d.text for d in result.drops) == sorted(dropped)
    assert result.outlet == "Outlet" and result.date.isoformat() == "2024-07-05"
