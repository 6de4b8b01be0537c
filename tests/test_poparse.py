"""The fast catalog reader gives exactly what polib gives, or hands the file to polib.

The reference is polib itself: every catalog here is read by both, and every
attribute of the file and of each entry must be equal.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from test_poformat import catalogs

from pipeline.catalogs import poparse
from pipeline.catalogs.poformat import format_catalog

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted((ROOT / "locale").rglob("*.po")) + sorted((ROOT / "locale").rglob("*.pot"))
HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def view(po: polib.POFile) -> tuple[object, ...]:
    return (
        po.header,
        po.metadata,
        po.metadata_is_fuzzy,
        po.encoding,
        po.fpath,
        po.wrapwidth,
        po.check_for_duplicates,
        [(type(e), vars(e)) for e in po],
    )


def same_as_polib(data: bytes, path: Path | None = None) -> bool:
    """Assert both readers agree; returns whether the fast path read it (not polib).

    The reference is polib reading a file: given a string instead, polib splits
    lines at U+2028, U+0085 and other characters gettext keeps inside strings.
    """
    if path is None:
        with tempfile.NamedTemporaryFile(suffix=".po", delete=False) as fh:
            fh.write(data)
        path = Path(fh.name)
    try:
        try:
            reference = polib.pofile(path.as_posix(), wrapwidth=0)
        except OSError:
            reference = None  # polib refuses it: so must the fast reader, by handing it over
        got = poparse.parse(data, path.as_posix())
    finally:
        if path.name.startswith("tmp"):
            path.unlink()
    if got is None:
        return False
    assert reference is not None, "polib refuses this file"
    assert view(got) == view(reference)
    return True


@pytest.mark.parametrize("path", CATALOGS, ids=[p.relative_to(ROOT).as_posix() for p in CATALOGS])
def test_shipped_catalogs_read_as_polib_reads_them(path: Path) -> None:
    assert same_as_polib(path.read_bytes(), path)  # every catalog we write takes the fast path


@pytest.mark.slow  # 150 random catalogs, each written, then read by both
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs())
def test_random_catalogs_read_as_polib_reads_them(po: polib.POFile) -> None:
    canonical = format_catalog(po)
    if canonical:
        assert same_as_polib(canonical)
    # polib's own serialisation wraps differently (as other editors do); either reader may take it.
    same_as_polib(str(po).encode("utf-8"))


EDGE_CASES = {
    "blank header lines": "#\n#\n# SOME TITLE\n#\n" + HEAD + 'msgid "a"\nmsgstr "b"\n',
    "no header": 'msgid "a"\nmsgstr "b"\n',
    "comments": HEAD + "# one\n#\n##two\n#.  gen\n#.\n#: a.txt:1 b.txt c:d.txt:x\n#:\n#, fuzzy ,c-format\n#,\n"
    'msgid "a"\nmsgstr "b"\n',
    "previous": HEAD
    + '#, fuzzy\n#| msgctxt "k"\n#| msgid ""\n#| "long "\n#| "text"\nmsgctxt "k"\nmsgid "x"\nmsgstr "y"\n',
    "obsolete": HEAD + 'msgid "a"\nmsgstr "b"\n\n# kept\n#, fuzzy\n#~| msgid "old"\n#~ msgid ""\n#~ "gone"\n'
    '#~ msgstr "parti"\n',
    "plural": HEAD + 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] ""\n"des"\n',
    "escapes": HEAD + 'msgid "a\\tb\\\\n\\"q\\" \\a \\101"\nmsgstr "x\\n"\n"y"\n',
    "no blank lines": HEAD + 'msgid "a"\nmsgstr "b"\n# c\nmsgid "c"\nmsgstr "d"\nmsgctxt "k"\nmsgid "c"\nmsgstr "e"\n',
    "trailing comment": HEAD + 'msgid "a"\nmsgstr "b"\n\n# dangling\n',
    "trailing obsolete previous": HEAD + 'msgid "a"\nmsgstr "b"\n#~| msgid "x"\n',
    "bom and indentation": "\ufeff" + HEAD + '  msgid "a"\n\tmsgstr "b"  \n',
    "fuzzy header": '#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Continued line\\n"\n'
    '"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "a"\nmsgstr ""\n',
    "previous continuation after a msgstr": HEAD + '#| "cont"\nmsgid "a"\nmsgstr "b"\n',
    "empty": "",
    "only comments": "# nothing\n# here\n",
}


@pytest.mark.parametrize("text", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_hand_made_catalogs_read_as_polib_reads_them(text: str, tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(text, "utf-8")
    assert same_as_polib(text.encode("utf-8"), path)


@pytest.mark.parametrize(
    "data",
    [
        (HEAD + 'msgid "a"\r\nmsgstr "b"\r\n').encode(),  # carriage returns: polib's universal newlines
        HEAD.replace("UTF-8", "ISO-8859-1").encode() + 'msgid "caf\xe9"\nmsgstr ""\n'.encode("latin-1"),
        (HEAD + '#~ #, fuzzy\n#~ msgid "a"\n#~ msgstr "b"\n').encode(),
        (HEAD + 'msgid "a"\nmsgstr[12] "b"\n').encode(),
    ],
    ids=["crlf", "latin-1", "obsolete comment", "plural index 12"],
)
def test_files_outside_the_subset_go_to_polib(data: bytes) -> None:
    assert poparse.parse(data) is None


def test_a_bad_byte_is_a_decode_error_as_in_polib() -> None:
    with pytest.raises(UnicodeDecodeError):
        poparse.parse(HEAD.encode() + b'msgid "\xff"\nmsgstr ""\n')
