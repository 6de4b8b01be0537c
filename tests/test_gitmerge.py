"""The catalogs' git merge driver (issue 13): a real two-branch conflict keeps both sides' translations."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalogs.gitmerge import THEIRS
from pipeline.catalogs.pofile import write_po
from pipeline.qa.check import check_catalog

ROOT = Path(__file__).resolve().parent.parent
PO = "locale/fr/LC_MESSAGES/brief.po"
DOC = (ROOT / "docs" / "translating.md").read_text("utf-8")


def _documented_setup() -> tuple[list[list[str]], str]:
    """The `git config` commands and the .gitattributes line docs/translating.md gives."""
    section = DOC.split("### Merging catalogs", 1)[1]
    configs = [
        shlex.split(line)[2:]
        for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)[:1]
        for line in block.splitlines()
        if line.startswith("git config ")
    ]
    [attributes] = re.findall(r"```gitattributes\n(.*?)\n```", section, flags=re.S)[:1]
    return configs, attributes


pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        GIT_AUTHOR_DATE="2024-07-05T00:00:00",
        GIT_COMMITTER_DATE="2024-07-05T00:00:00",
    )
    return subprocess.run(
        ["git", "-c", "user.name=Desk", "-c", "user.email=desk@briefs.invalid", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def _catalog(path: Path, strings: dict[str, str], dates: tuple[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "briefs",
        "POT-Creation-Date": dates[0],
        "PO-Revision-Date": dates[1],
        "Last-Translator": "Desk <desk@briefs.invalid>",
        "Language-Team": "French <desk@briefs.invalid>",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for i, (msgid, msgstr) in enumerate(strings.items()):
        po.append(
            polib.POEntry(
                msgid=msgid,
                msgstr=msgstr,
                comment=f"sentence {i + 1}",
                occurrences=[("seeds/brief.txt", str(i + 1))],
                flags=["fuzzy"] if msgid in fuzzy else [],
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    write_po(po, path)


BASE = {"Thank you.": "Merci.", "Good morning.": "", "The city grows.": "", "Next question.": "Question suivante."}


def _repo(tmp_path: Path, driver: bool) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    configs, attributes = _documented_setup()
    (repo / ".gitattributes").write_text(attributes + "\n", "utf-8")
    if driver:  # as documented, with this interpreter for `python`
        for name, value in configs:
            _git(repo, "config", name, re.sub(r"^python ", f"{sys.executable} ", value))
    _catalog(repo / PO, BASE, ("2024-07-05 00:00+0000", "2024-07-05 00:00+0000"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    # Weblate's branch: a translator fills one entry, changes another, and the revision date.
    _git(repo, "checkout", "-qb", "weblate")
    _catalog(
        repo / PO,
        BASE | {"Good morning.": "Bonjour.", "The city grows.": "La ville croît."},
        ("2024-07-05 00:00+0000", "2024-07-06 09:00+0000"),
    )
    _git(repo, "commit", "-qam", "weblate: two translations")
    # The desk's branch: a source revision (new creation date) and another translator's work.
    _git(repo, "checkout", "-q", "main")
    _catalog(
        repo / PO,
        BASE | {"Next question.": "Question suivante, s'il vous plaît.", "The city grows.": "La ville grandit."},
        ("2024-07-06 08:00+0000", "2024-07-05 00:00+0000"),
    )
    _git(repo, "commit", "-qam", "desk: a revision")
    return repo


def test_two_branch_conflict_keeps_both_sides(tmp_path: Path) -> None:
    repo = _repo(tmp_path, driver=True)
    merge = _git(repo, "merge", "-q", "--no-edit", "weblate", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    text = (repo / PO).read_text("utf-8")
    assert "<<<<<<<" not in text
    po = polib.pofile(str(repo / PO))
    assert po.find("Good morning.").msgstr == "Bonjour."  # theirs only
    assert po.find("Next question.").msgstr == "Question suivante, s'il vous plaît."  # ours only
    assert po.find("Thank you.").msgstr == "Merci."  # neither
    both = po.find("The city grows.")
    assert both.msgstr == "La ville grandit." and both.fuzzy  # ours kept, for a translator to settle
    assert f"{THEIRS}La ville croît." in both.tcomment  # theirs never dropped
    assert po.metadata["POT-Creation-Date"] == "2024-07-06 08:00+0000"  # ours changed it
    assert po.metadata["PO-Revision-Date"] == "2024-07-06 09:00+0000"  # theirs changed it
    assert "both sides translated 'The city grows.'" in merge.stderr
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, repo / PO], check=True)
    # Only the lines that had to change did: the merge kept the file's layout elsewhere.
    assert text.count("\n\n") == 4
    # check tells the translator what is left to settle, and stops once it is settled.
    found = [f for f in check_catalog(repo / PO).findings if f.check == "merge-conflict"]
    assert [(f.msgid, f.found, f.severity) for f in found] == [("The city grows.", "La ville croît.", "warning")]
    assert "delete the '# merge: theirs:' line and the fuzzy flag" in found[0].message
    both.flags.remove("fuzzy")
    po.save(str(repo / PO))
    again = [f for f in check_catalog(repo / PO).findings if f.check == "merge-conflict"]
    assert len(again) == 1 and "still noted" in again[0].message
    both.tcomment = "\n".join(line for line in both.tcomment.splitlines() if not line.startswith(THEIRS))
    po.save(str(repo / PO))
    assert not [f for f in check_catalog(repo / PO).findings if f.check == "merge-conflict"]


def test_the_documented_setup_is_the_repository_s() -> None:
    configs, attributes = _documented_setup()
    assert [name for name, _ in configs] == ["merge.pipeline-po.name", "merge.pipeline-po.driver"]
    assert attributes in (ROOT / ".gitattributes").read_text("utf-8").splitlines()
    assert configs[1][1].replace("python ", "$(CURDIR)/$(BIN)/python ") in (ROOT / "Makefile").read_text("utf-8")


def test_without_the_driver_git_conflicts_on_the_header(tmp_path: Path) -> None:
    """What the driver prevents: an unconfigured driver name falls back to git's line merge, which conflicts."""
    repo = _repo(tmp_path, driver=False)
    merge = _git(repo, "merge", "-q", "--no-edit", "weblate", check=False)
    assert merge.returncode != 0
    assert "<<<<<<<" in (repo / PO).read_text("utf-8")


def test_unreadable_side_falls_back_to_git_markers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A side gettext cannot read: git's own line merge, its conflict markers, and exit 1."""
    from pipeline.cli import main

    base, ours, theirs = (tmp_path / n for n in ("base.po", "ours.po", "theirs.po"))
    _catalog(base, BASE, ("2024-07-05 00:00+0000", "2024-07-05 00:00+0000"))
    text = base.read_text("utf-8")
    ours.write_text(text.replace('msgstr "Merci."', 'msgstr "Merci bien."'), "utf-8")
    theirs.write_text(text.replace('msgstr "Merci."', 'msgstr "Merci.'), "utf-8")  # unterminated
    assert main(["merge-driver", str(base), str(ours), str(theirs), PO]) == 1
    merged = ours.read_text("utf-8")
    assert "<<<<<<< ours" in merged and 'msgstr "Merci bien."' in merged and 'msgstr "Merci.\n' in merged
    assert re.search(r"\(theirs\):\d+: end-of-line within string", capsys.readouterr().err)


_side = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["A", "B", "C", ""])), max_size=6)


@settings(max_examples=60, deadline=None)
@given(_side, _side, st.sets(st.integers(0, 5)), st.sets(st.integers(0, 5)))
def test_no_side_s_translation_is_ever_dropped(
    tmp_path_factory: pytest.TempPathFactory,
    ours_edits: list[tuple[int, str]],
    theirs_edits: list[tuple[int, str]],
    ours_added: set[int],
    theirs_added: set[int],
) -> None:
    """Random edits on both sides: every translation either side made is in the result, as msgstr or note."""
    from pipeline.catalogs.gitmerge import merge_files

    d = tmp_path_factory.mktemp("m")
    sentences = {f"Sentence {i}.": (f"Phrase {i}." if i % 2 else "") for i in range(6)}

    def side(edits: list[tuple[int, str]], added: set[int], tag: str) -> dict[str, str]:
        out = dict(sentences)
        for i, value in edits:
            out[f"Sentence {i}."] = f"{value}{i}{tag}" if value else ""
        for i in sorted(added):
            out[f"New {i} {tag}."] = f"Nouveau {i} {tag}."
        return out

    ours, theirs = side(ours_edits, ours_added, "o"), side(theirs_edits, theirs_added, "t")
    dates = ("2024-07-05 00:00+0000", "2024-07-05 00:00+0000")
    for name, strings in (("base.po", sentences), ("ours.po", ours), ("theirs.po", theirs)):
        _catalog(d / name, strings, dates)
    merge_files(d / "base.po", d / "ours.po", d / "theirs.po")
    merged = polib.pofile(str(d / "ours.po"))
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, d / "ours.po"], check=True)
    for strings in (ours, theirs):
        for msgid, msgstr in strings.items():
            if not msgstr or sentences.get(msgid) == msgstr:
                continue  # only what a side did: a translation changed from the common ancestor's
            entry = merged.find(msgid)
            assert entry is not None, msgid
            assert msgstr == entry.msgstr or f"{THEIRS}{msgstr}" in entry.tcomment.split("\n"), (msgid, msgstr)


def _renamed(path: Path, old: str, new: str) -> None:
    """The catalog as `translate` leaves it after the source sentence ``old`` became ``new``."""
    po = polib.pofile(str(path))
    entry = po.find(old)
    entry.previous_msgid, entry.msgid = old, new
    entry.flags = ["fuzzy"]
    po.save(str(path))


@pytest.mark.parametrize("desk_is_ours", [True, False])
def test_a_translation_of_a_changed_sentence_goes_to_its_successor(tmp_path: Path, desk_is_ours: bool) -> None:
    """The issue's bad merge: the desk changed a sentence (fuzzy, `#|`), Weblate translated the old one.

    The old msgid must not come back as a live entry; Weblate's translation lands on the new entry.
    """
    from pipeline.catalogs.gitmerge import merge_files

    dates = ("2024-07-05 00:00+0000", "2024-07-05 00:00+0000")
    base, desk, weblate = (tmp_path / n for n in ("base.po", "desk.po", "weblate.po"))
    _catalog(base, BASE | {"The city grows.": "La ville grandit."}, dates)
    shutil.copy(base, desk)
    _renamed(desk, "The city grows.", "The city grows fast.")
    _catalog(weblate, BASE | {"The city grows.": "La ville croît."}, dates)
    ours, theirs = (desk, weblate) if desk_is_ours else (weblate, desk)
    merge_files(base, ours, theirs)
    po = polib.pofile(str(ours))
    assert po.find("The city grows.") is None or po.find("The city grows.").obsolete  # never revived
    entry = po.find("The city grows fast.")
    assert entry is not None and entry.fuzzy and entry.previous_msgid == "The city grows."
    assert entry.msgstr == "La ville croît."  # Weblate's, in place of the desk's copy of the old one
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, ours], check=True)
