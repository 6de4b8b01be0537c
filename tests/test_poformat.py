"""In-process PO writer: byte-identical to GNU msgcat, unknown flags kept.

The reference is msgcat itself: a random catalog is serialised by polib
(unwrapped, so polib changes nothing) and formatted by ``msgcat``; the
in-process writer must produce the same bytes.
"""

from __future__ import annotations

import shutil
import string
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.catalogs import pofile, poformat
from pipeline.catalogs.poformat import format_catalog

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted((ROOT / "locale").rglob("*.po")) + sorted((ROOT / "locale").rglob("*.pot"))

pytestmark = pytest.mark.skipif(
    not poformat.available() or shutil.which("msgcat") is None, reason="needs libunistring and GNU msgcat"
)


def msgcat_of(po: polib.POFile) -> bytes:
    """What msgcat writes for ``po`` (known flags only: msgcat drops the others)."""
    wrapwidth, po.wrapwidth = po.wrapwidth, 0
    try:
        text = str(po)
    finally:
        po.wrapwidth = wrapwidth
    if not po.header:
        text = text.removeprefix("#\n")  # polib's lone "#" for an empty header comment
    proc = subprocess.run(["msgcat", "--to-code=UTF-8", "-o", "-", "-"], input=text.encode(), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def po_text(text: str) -> polib.POFile:
    head = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return polib.pofile(head + text, wrapwidth=0)


# ---------------------------------------------------------------- random catalogs

_WORDS = (
    "the press conference Chongqing municipality trillion yuan anniversary, growth. a an of to (GDP) "
    "well-known state-of-the-art e.g. 3.5% 2030 $12 U.S. don't “quoted” ‘single’ —dash… Schrödinger naïve"
)
_CJK = (
    "重庆地区生产总值突破万亿元。在此基础上，我们将力争到年直辖周年时！？：；"
    "「」『』（）、《》日本語のテキストですカタカナー"
)
_ARABIC = "العربية مرحبا بكم في المؤتمر الصحفي، شكرا؛ ؟ ١٢٣"
_SPECIAL = [
    "\n", "\n", "\t", '"', "\\", '\\"', "\a", "\b", "\f", "\v", "\r", "\x01", "\x1b", "\x7f", "\u0085",
    "\u2028", "\u00a0", "\u200b", " ", "  ", "%s", "%d", "%(name)s", "%(a b)s", "% d", "%-5s", "%%", "%",
    "{x}", "{0:>5}", "$HOME", "${x}", "-", "/", "😀", "e\u0301",
]  # fmt: skip

words = st.sampled_from(_WORDS.split())
cjk = st.text(alphabet=_CJK, min_size=1, max_size=60)
arabic = st.text(alphabet=_ARABIC, min_size=1, max_size=40)
urls = st.builds(
    "https://example.org/{}/{}?q={}&lang=zh-CN#{}".format,
    *[st.text(alphabet=string.ascii_lowercase + "-_.", min_size=1, max_size=25) for _ in range(4)],
)
long_tokens = st.text(alphabet=string.ascii_letters + string.digits + "-_/.:", min_size=40, max_size=160)
specials = st.sampled_from(_SPECIAL)
anything = st.text(st.characters(codec="utf-8", blacklist_characters="\x00\x04"), max_size=12)
piece = st.one_of(words, words, words, cjk, arabic, urls, long_tokens, specials, specials, anything)
gap = st.sampled_from(["", " ", " ", " ", "  ", "\n"])
texts = st.lists(st.tuples(piece, gap), max_size=40).map(lambda ps: "".join(p + g for p, g in ps))
short = st.lists(st.tuples(words, gap), max_size=4).map(lambda ps: "".join(p + g for p, g in ps))
nonempty = texts.filter(bool)
comment_line = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"), max_size=100
).map(lambda s: s.strip("\r").rstrip("\\"))  # gettext joins a line ending in a backslash to the next
comments = st.lists(comment_line, max_size=3).map("\n".join)
file_names = st.one_of(
    st.text(alphabet=string.ascii_lowercase + "/_-.", min_size=1, max_size=12).map(lambda s: s + ".txt"),
    st.text(alphabet=string.ascii_letters + "/_-.", min_size=30, max_size=90),
    st.sampled_from(["./a.c", "././b.py", "seeds/2024-07-05-chongqing-press-conference.txt", "c:d.py", "源.txt"]),
)
occurrences = st.lists(st.tuples(file_names, st.sampled_from(["", "1", "7", "42", "1234", "007"])), max_size=12)
known_flags = st.sampled_from(
    ["python-format", "no-python-format", "possible-python-format", "c-format", "no-c-format", "sh-format",
     "python-brace-format", "java-format", "no-wrap", "wrap", "range: 0..5", "range: 2..2", "fuzzy", "fuzzy"]
)  # fmt: skip


@st.composite
def entries(draw: st.DrawFn, obsolete: bool) -> polib.POEntry:
    plural = draw(st.booleans())
    e = polib.POEntry(msgid=draw(nonempty), obsolete=obsolete)
    if draw(st.booleans()):
        e.msgctxt = draw(st.one_of(short, texts))
    if plural:
        e.msgid_plural = draw(nonempty)
        e.msgstr_plural = dict(enumerate(draw(st.lists(texts, min_size=1, max_size=6))))
    else:
        e.msgstr = draw(texts)
    e.flags = draw(st.lists(known_flags, max_size=4))
    if draw(st.integers(0, 3)) == 0:
        e.previous_msgid = draw(texts)
        if draw(st.booleans()):
            e.previous_msgctxt = draw(short)
        if plural and draw(st.booleans()):
            e.previous_msgid_plural = draw(texts)
    e.tcomment = draw(comments)
    if not obsolete:  # polib does not write these for obsolete entries (see test below)
        e.comment = draw(comments)
        e.occurrences = draw(occurrences)
    return e


header_values = st.one_of(short, st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile(wrapwidth=draw(st.sampled_from([0, 78])))
    po.header = draw(st.lists(comment_line.filter(lambda s: not s.startswith((",", ":"))), max_size=3).map("\n".join))
    if draw(st.integers(0, 5)):
        po.metadata = {"Project-Id-Version": draw(header_values), "Content-Type": "text/plain; charset=UTF-8"}
        po.metadata["Plural-Forms"] = (
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
        )
        po.metadata_is_fuzzy = draw(st.booleans())
    seen: set[tuple[str | None, str]] = set()
    for obsolete in (False, True):
        for e in draw(st.lists(entries(obsolete), max_size=6 if not obsolete else 3)):
            if (e.msgctxt, e.msgid) not in seen:
                seen.add((e.msgctxt, e.msgid))
                po.append(e)
    # Without a charset msgcat reads ASCII only (and refuses the rest).
    assume(bool(po.metadata) or str(po).isascii())
    return po


@pytest.mark.slow  # 200 random catalogs, each through a msgcat process
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs())
def test_random_catalogs_are_written_as_msgcat_writes_them(po: polib.POFile) -> None:
    assert format_catalog(po).decode() == msgcat_of(po).decode()


# ---------------------------------------------------------------- the project's catalogs


@pytest.mark.parametrize("path", CATALOGS, ids=[p.relative_to(ROOT).as_posix() for p in CATALOGS])
def test_shipped_catalogs_round_trip_byte_for_byte(path: Path, tmp_path: Path) -> None:
    got = format_catalog(polib.pofile(path.as_posix()))
    if got != path.read_bytes():
        actual = tmp_path / path.name
        actual.write_bytes(got)
        pytest.fail(f"differs from msgcat's file; diff {path} {actual}")


def test_format_po_goes_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    po = polib.pofile(CATALOGS[0].as_posix())

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("format_po ran a subprocess")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    assert pofile.format_po(po) == CATALOGS[0].read_bytes()


def test_msgcat_fallback_when_libunistring_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    po = polib.pofile(CATALOGS[0].as_posix())
    monkeypatch.setattr(poformat, "available", lambda: False)
    assert pofile.format_po(po) == CATALOGS[0].read_bytes()


# ---------------------------------------------------------------- flags gettext drops


def test_unknown_flags_follow_the_known_ones() -> None:
    po = po_text(
        '#, no-numbers-check, fuzzy, no-wrap, python-format, x-custom, range: 1..3\nmsgid "a %s"\nmsgstr "b %s"\n\n'
        '#, fuzzy, no-numbers-check\nmsgid "untranslated"\nmsgstr ""\n\n'
        '#, cplusplus-format, pascal-format\nmsgid "formats gettext 0.21 does not know"\nmsgstr ""\n\n'
        '#, fuzzy, no-numbers-check, python-format\n#~ msgid "gone"\n#~ msgstr "parti"\n\n'
        '#, no-numbers-check\n#~ msgid "gone too"\n#~ msgstr "parti aussi"\n'
    )
    text = format_catalog(po).decode()
    assert '#, fuzzy, python-format, range: 1..3, no-wrap, no-numbers-check, x-custom\nmsgid "a %s"' in text
    assert '#, no-numbers-check\nmsgid "untranslated"' in text  # gettext shows fuzzy only on a translation
    assert "#, cplusplus-format, pascal-format\n" in text
    assert '#, fuzzy, python-format, no-numbers-check\n#~ msgid "gone"' in text
    assert '#, no-numbers-check\n#~ msgid "gone too"' in text


def test_without_unknown_flags_output_is_msgcat_s() -> None:
    po = po_text('#, no-numbers-check, python-format\nmsgid "a"\nmsgstr "b"\n')
    plain = po_text('#, python-format\nmsgid "a"\nmsgstr "b"\n')
    assert format_catalog(po).replace(b", no-numbers-check", b"") == format_catalog(plain) == msgcat_of(plain)


@pytest.mark.slow  # 40 random catalogs, each through a msgcat process
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs(), st.lists(st.sampled_from(["no-numbers-check", "x-review", "cplusplus-format"]), min_size=1))
def test_unknown_flags_agree_with_the_msgcat_fallback(po: polib.POFile, extra: list[str]) -> None:
    for i, entry in enumerate(po):
        entry.flags = entry.flags[: i % 3] + extra + entry.flags[i % 3 :]
    assert format_catalog(po).decode() == pofile._format_with_msgcat(po).decode()


# ---------------------------------------------------------------- corners worth naming


def test_obsolete_entries_keep_their_comments_and_references_as_msgcat_does() -> None:
    text = (
        "# translator\n#. extracted\n#: a.txt:1 ./b.txt:2\n#, fuzzy, python-format, no-wrap, range: 1..2\n"
        '#~| msgid "old"\n'
        '#~ msgid "gone, with a sentence long enough to wrap at the page width of seventy-nine"\n'
        '#~ msgstr "parti"\n\n#~ msgid "untranslated obsolete entries are dropped"\n#~ msgstr ""\n'
    )
    po = po_text(text)
    po.obsolete_entries()[0].previous_msgid = "old"  # polib 1.2 does not read "#~|" lines
    whole = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + text
    expected = subprocess.run(["msgcat", "-o", "-", "-"], input=whole.encode(), capture_output=True, check=True)
    assert format_catalog(po) == expected.stdout


def test_long_reference_lists_wrap_like_gettext() -> None:
    refs = [(f"seeds/2024-07-05-chongqing-press-conference-{i}.txt", str(i)) for i in range(12)]
    refs += [("x" * 100, "1"), ("./y.txt", ""), ("./y.txt", ""), ("y.txt", "")]
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", occurrences=refs))
    assert format_catalog(po) == msgcat_of(po)


def test_header_charset_is_named_as_msgcat_names_it() -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    po.append(polib.POEntry(msgid="a", msgstr="b"))
    assert b"charset=UTF-8" in format_catalog(po) == msgcat_of(po)


_DIRECTIVES = {
    "python-format": ["%(a b)s", "% d", "%(x (y) z)-8s", "% %"],
    "c-format": ["% d", "%1$ 5d", "% -8s"],  # laid out by msgcat (see poformat._Delegated)
    "python-brace-format": ["{0: >8}", "{a.b[ c ]}"],
    "sh-format": ["${a b}", "$x y"],
}


@pytest.mark.parametrize("flag", sorted(_DIRECTIVES))
def test_no_break_inside_format_directives(flag: str) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for directive in _DIRECTIVES[flag]:
        for n in range(60, 80):  # the directive at every column around the break
            msgid = "x" * n + " " + directive + " tail"
            po.append(polib.POEntry(msgid=msgid, msgstr=f"y {msgid}", flags=[flag]))
            po.append(polib.POEntry(msgid=msgid, msgctxt="gone", msgstr=msgid, flags=[flag], obsolete=True))
    assert format_catalog(po) == msgcat_of(po)
