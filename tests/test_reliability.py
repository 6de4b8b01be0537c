"""Reliability: a translator's save is never lost, a broken one never rewritten, every failure named.

Saves are simulated the way editors make them (a temporary file renamed over the catalog) at the
points where ``translate`` holds a catalog in memory: after reading it, after merging it, after the
new bytes are on disk and just before the rename.
"""

from __future__ import annotations

import errno
import gettext
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polib
import pytest

import pipeline.files
import pipeline.stages
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.stages import CHANGED, translate_project

SLUG = "2024-07-05-chongqing-press-conference"


def translator_save(path: Path, data: bytes) -> None:
    """What Poedit, Lokalize or an editor does: write a temporary file, rename it over the catalog."""
    tmp = path.with_name(f"{path.name}~save")
    tmp.write_bytes(data)
    tmp.replace(path)


def _edit_source(project: Path, old: str, new: str) -> None:
    src = project / "seeds" / f"{SLUG}.txt"
    src.write_text(src.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _translated(path: Path, msgid: str, msgstr: str) -> bytes:
    po = polib.pofile(path.read_text(encoding="utf-8"), wrapwidth=0)
    entry = po.find(msgid)
    assert entry is not None
    entry.msgstr = msgstr
    return str(po).encode("utf-8")


@pytest.fixture
def translated(project: Path) -> Path:
    """A project after one translate; its source then edited so that the next run rewrites every catalog."""
    assert translate_project(load_config(project)).ok
    _edit_source(project, "That's my answer.", "That is my answer.")
    return project


POINTS = ("after-read", "after-merge", "before-rename", "while-aside")


def _save_during(monkeypatch: pytest.MonkeyPatch, point: str, target: Path, save: Callable[[], None]) -> None:
    """Run ``save`` once, at ``point`` of translate's handling of the catalog ``target``."""
    holding: list[Path] = []  # the catalog translate is handling
    done: list[bool] = []

    def once(path: Path) -> None:
        if path == target and not done:
            done.append(True)
            save()

    real_snapshot = pipeline.stages.read_snapshot

    def read_snapshot(path: Path) -> tuple[bytes, pipeline.files.Snapshot] | None:
        holding[:] = [path]
        return real_snapshot(path)

    monkeypatch.setattr(pipeline.stages, "read_snapshot", read_snapshot)
    if point == "after-read":  # read, not yet merged
        real_read = pipeline.stages.read_po

        def read_po(*args: Any, **kwargs: Any) -> polib.POFile:
            po = real_read(*args, **kwargs)
            once(holding[0])
            return po

        monkeypatch.setattr(pipeline.stages, "read_po", read_po)
    elif point == "after-merge":
        real_merge = pipeline.stages.merge_catalog

        def merge_catalog(*args: Any, **kwargs: Any) -> polib.POFile:
            po = real_merge(*args, **kwargs)
            once(holding[0])
            return po

        monkeypatch.setattr(pipeline.stages, "merge_catalog", merge_catalog)
    elif point == "while-aside":  # the old file renamed aside and being compared: no file at its name
        real_snapshot_of = pipeline.files._snapshot

        def snapshot_of(path: Path) -> pipeline.files.Snapshot | None:
            if path.suffix == ".aside":
                once(path.parent / path.name[1:].rsplit(".", 2)[0])
            return real_snapshot_of(path)

        monkeypatch.setattr(pipeline.files, "_snapshot", snapshot_of)
    else:  # before-rename: the new bytes are in their temporary file, the rename is next
        real_temporary = pipeline.files._temporary

        def temporary(path: Path, data: bytes, durable: bool) -> Path:
            tmp = real_temporary(path, data, durable)
            once(path)
            return tmp

        monkeypatch.setattr(pipeline.files, "_temporary", temporary)


@pytest.mark.parametrize("point", POINTS)
def test_a_save_during_translate_is_never_overwritten(
    translated: Path, point: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = load_config(translated)
    path = config.po_path("zh_CN", SLUG)  # the first locale: its read is the first one
    saved = _translated(path, "Thank you.", "谢谢。")
    _save_during(monkeypatch, point, path, lambda: translator_save(path, saved))
    assert main(["--root", str(translated), "translate"]) == 1
    err = capsys.readouterr().err
    assert f"catalog: locale/zh_CN/LC_MESSAGES/{SLUG}.po: {CHANGED}" in err
    assert path.read_bytes() == saved  # the save, byte for byte
    # The other locales were merged; the next run merges the save.
    assert polib.pofile(str(config.po_path("fr", SLUG))).find("That is my answer.") is not None
    monkeypatch.undo()
    assert translate_project(config).ok
    po = polib.pofile(str(path))
    assert po.find("Thank you.").msgstr == "谢谢。"
    assert po.find("That is my answer.") is not None


def test_a_catalog_created_during_translate_is_not_replaced(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(project)
    path = config.po_path("fr", SLUG)
    mine = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'

    def create() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        translator_save(path, mine)

    _save_during(monkeypatch, "before-rename", path, create)
    report = translate_project(config)
    assert [str(e) for e in report.errors] == [f"catalog: locale/fr/LC_MESSAGES/{SLUG}.po: {CHANGED}"]
    assert path.read_bytes() == mine


def test_a_broken_save_is_never_rewritten_whatever_the_cache_says(
    translated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The catalog is exactly as translate last wrote it when the run plans (the database's hash
    # shortcut would skip gettext's check); a broken save lands before the catalog is read.
    config = load_config(translated)
    path = config.po_path("es", SLUG)
    good = path.read_bytes()
    start = good.index(b'msgid "Thank you for your question.')
    broken = good[:start] + good[start:].replace(b'msgstr ""', b'msgstr "Gracias por su pregunta.', 1)
    real_extract = pipeline.stages.extract_pot

    def extract_pot(*args: Any, **kwargs: Any) -> polib.POFile:
        translator_save(path, broken)
        return real_extract(*args, **kwargs)

    monkeypatch.setattr(pipeline.stages, "extract_pot", extract_pot)
    assert main(["--root", str(translated), "translate"]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"catalog: locale/es/LC_MESSAGES/{SLUG}.po:\d+: end-of-line within string", err)
    assert path.read_bytes() == broken  # not "repaired", not rewritten


@pytest.mark.slow  # 50 aimed saves, 8 s; the single aimed-save tests stay in the default run
def test_fifty_aimed_saves_lose_nothing(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(translated)
    assert translate_project(config).ok
    lost = kept = 0
    for trial in range(50):
        path = config.po_path(config.locales[trial % len(config.locales)], SLUG)
        saved = _translated(path, "Thank you.", f"save {trial}")
        # each run has something to merge: the source's sentence goes back and forth
        _edit_source(translated, *(("That is", "That's") if trial % 2 == 0 else ("That's", "That is")))
        with monkeypatch.context() as m:
            _save_during(
                m, POINTS[trial % len(POINTS)], path, lambda path=path, saved=saved: translator_save(path, saved)
            )
            report = translate_project(config)
        lost += path.read_bytes() != saved
        assert [e.message for e in report.errors] == [CHANGED], (trial, report)
        assert translate_project(config).ok  # the next run merges the save
        kept += polib.pofile(str(path)).find("Thank you.").msgstr == f"save {trial}"
    assert (lost, kept) == (0, 50)


# -- one writer at a time ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _pipeline(project: Path, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "--root", str(project), *args],
        cwd=ROOT,  # this checkout's package
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture
def holder(project: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the project lock until its standard input closes."""
    code = "import sys; from pathlib import Path; from pipeline.lock import project_lock\n"
    code += "with project_lock(Path(sys.argv[1])):\n    print('held', flush=True); sys.stdin.read()\n"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(project)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


@pytest.mark.parametrize("command", ["translate", "build"])
def test_no_wait_fails_at_once_while_another_run_holds_the_lock(
    project: Path, holder: subprocess.Popen[str], command: str
) -> None:
    run = _pipeline(project, command, "--no-wait")
    _, err = run.communicate(timeout=60)
    assert run.returncode == 3
    assert "lock: .cache/lock: another translate or build is running in this project" in err
    assert not (project / "locale").exists() and not (project / "dist").exists()  # nothing written


def test_a_second_run_waits_for_the_first_then_runs(project: Path, holder: subprocess.Popen[str]) -> None:
    second = _pipeline(project, "translate")
    assert second.stderr is not None
    line = second.stderr.readline()
    assert "waiting for another translate or build of this project to finish (.cache/lock)" in line
    time.sleep(0.5)
    assert second.poll() is None and not (project / "locale").exists()  # still waiting, nothing written
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=10)
    _, rest = second.communicate(timeout=120)
    assert second.returncode == 0, rest
    assert "7 file(s) written" in rest


def test_two_concurrent_translates_give_the_bytes_of_one(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    alone = tmp_path_factory.mktemp("alone")
    shutil.copytree(project, alone, dirs_exist_ok=True)
    assert translate_project(load_config(alone)).ok
    runs = [_pipeline(project, "translate", "--force") for _ in range(2)]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    ours = {p.relative_to(project): p.read_bytes() for p in sorted((project / "locale").rglob("*")) if p.is_file()}
    theirs = {p.relative_to(alone): p.read_bytes() for p in sorted((alone / "locale").rglob("*")) if p.is_file()}
    assert ours == theirs


# -- contained paths, configuration ------------------------------------------------------------------


def _configure(project: Path, old: str, new: str) -> int:
    """Edit pipeline.toml; returns the 1-based line of ``new``."""
    path = project / "pipeline.toml"
    text = path.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("../../etc", "locales: '../../etc' is not a locale code"),
        ("fr/../../../x", "locales: 'fr/../../../x' is not a locale code"),
        ("xx_YY", "locales: unknown locale 'xx_YY' (CLDR, through Babel, does not know it)"),
    ],
)
@pytest.mark.parametrize("command", ["translate", "build", "check"])
def test_a_locale_that_is_not_a_language_tag_is_refused_at_its_line(
    project: Path, locale: str, message: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _configure(project, 'locales = ["zh_CN",', f'locales = ["{locale}", "zh_CN",')
    before = _files(project.parent)
    assert main(["--root", str(project), command]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(f"config: pipeline.toml:{line}: {message}")
    assert _files(project.parent) == before  # nothing written, in or outside the project


@pytest.mark.parametrize("key", ["dist_dir", "locale_dir"])
@pytest.mark.parametrize("where", ["../elsewhere", "/tmp", "."])
def test_an_output_folder_outside_the_project_is_refused(
    project: Path, key: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    default = {"dist_dir": "dist", "locale_dir": "locale"}[key]
    line = _configure(project, f'{key} = "{default}"', f'{key} = "{where}"')
    assert main(["--root", str(project), "translate"]) == 1
    err = capsys.readouterr().err
    assert f"config: pipeline.toml:{line}: {key}: '{Path(where).as_posix()}' is not a folder inside the project" in err


def test_a_misspelt_key_is_an_error_naming_the_known_ones(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _configure(project, "draft_threshold = 40", "draft_treshold = 95")
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert (
        f"config: pipeline.toml:{line}: unknown key 'draft_treshold' in [publish] "
        "(known: final_threshold, draft_threshold, layout, numbers)"
    ) in err
    assert not (project / "dist").exists()


def test_an_unknown_table_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _configure(project, "[segmentation]", "[segmentaton]")
    assert main(["--root", str(project), "translate"]) == 1
    assert f"config: pipeline.toml:{line}: unknown table [segmentaton]" in capsys.readouterr().err


def test_a_toml_syntax_error_gives_the_relative_path_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _configure(project, 'team = "', 'team = "unterminated\n')
    assert main(["--root", str(project), "translate"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"config: pipeline.toml:{line}: ")
    assert str(project) not in err


def test_a_syntax_error_in_the_segmentation_rules_gives_the_relative_path_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = project / "segmentation.toml"
    text = rules.read_text("utf-8") + "bad = = 1\n"
    rules.write_text(text, "utf-8")
    assert main(["--root", str(project), "translate"]) == 1
    assert f"config: segmentation.toml:{text.count(chr(10))}: Invalid value" in capsys.readouterr().err


def test_a_missing_pipeline_toml_is_an_error_for_the_commands_that_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pipeline.toml").unlink()
    for command in ("translate", "build"):
        assert main(["--root", str(project), command]) == 1
        assert "config: pipeline.toml: no pipeline.toml in " in capsys.readouterr().err
    assert not (project / "locale").exists() and not (project / "dist").exists()


def test_an_unknown_key_in_a_sidecar_names_the_key_and_the_known_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = project / "seeds" / f"{SLUG}.meta.toml"
    text = meta.read_text("utf-8").replace('role = "answer"', 'role = "answer"\ntitel = "Mayor"', 1)
    meta.write_text(text, "utf-8")
    line = text.splitlines().index('titel = "Mayor"') + 1
    assert main(["--root", str(project), "translate"]) == 1
    assert (
        f"source: seeds/{SLUG}.meta.toml:{line}: unknown key 'titel' in [[speakers]] "
        "(known: name, role, title, aliases)" in capsys.readouterr().err
    )
    meta.write_text('title = "T"\nlangauge = "en"\n', "utf-8")
    assert main(["--root", str(project), "translate"]) == 1
    assert f"source: seeds/{SLUG}.meta.toml:2: unknown key 'langauge' in the metadata" in capsys.readouterr().err


def test_the_build_database_never_deletes_outside_the_project(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from pipeline.build.run import STEP, _remove_orphans
    from pipeline.cache import BuildDB

    outside = tmp_path_factory.mktemp("outside") / "precious.txt"
    outside.write_text("keep me", "utf-8")
    inside = project / "dist" / "gone.html"
    inside.parent.mkdir()
    inside.write_text("stale", "utf-8")
    config = load_config(project)
    with BuildDB(config.cache_db) as db:
        db.record(f"{STEP}gone:fr", "x", [outside, inside])
        removed = _remove_orphans(config, db, db.steps(STEP), set(), set())
    assert removed == ["dist/gone.html"]
    assert outside.read_text("utf-8") == "keep me"


# -- interface strings -------------------------------------------------------------------------------


class _Desk(gettext.NullTranslations):
    """Interface translations as a translator typed them."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def gettext(self, message: str) -> str:
        return self.table.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.table.get(msgid1 if n == 1 else msgid2, msgid1 if n == 1 else msgid2)


@pytest.mark.parametrize(
    ("msgstr", "shown"),
    [
        ("Afficher à 100% sûr", "Afficher à 100% sûr"),  # "% s" is no placeholder here: kept as typed
        ("Afficher (taux 50 %)", "Afficher (taux 50 %)"),
        ("Afficher {} et {0}", "Afficher {} et {0}"),
        ("100%% sûr", "100% sûr"),  # gettext's own escape, for who knows it
        ("Afficher <b>&", "Afficher &lt;b&gt;&amp;"),
    ],
)
def test_a_translators_percent_or_braces_render_as_written(msgstr: str, shown: str) -> None:
    from pipeline.render.html import render_page

    templates = (("t.j2", '{{ _("Show") }}|{{ _("Translated from %(language)s", language=lang) }}'),)
    desk = _Desk({"Show": msgstr, "Translated from %(language)s": "Traduit de l’%(language)s à 100%"})
    page = render_page(templates, "t.j2", desk, {"lang": "anglais <x>"})
    assert page == f"{shown}|Traduit de l’anglais &lt;x&gt; à 100%"


@pytest.mark.parametrize(
    ("msgstr", "shown"),
    [
        ("Traduit de %(langue)s", "Translated from English"),  # a name the template does not pass: the source
        ("Traduit de %(language)d", "Translated from English"),  # a number for a text: the source
        ("Traduit de %s", "Traduit de %s"),  # no named placeholder: text, as typed (check: an error)
        ("Traduit de %(language)", "Traduit de %(language)"),
        ("De %(language)s", "De English"),
    ],
)
def test_a_placeholder_that_does_not_fit_falls_back_to_the_source(msgstr: str, shown: str) -> None:
    from pipeline.render.html import render_page

    templates = (("t.j2", '{{ _("Translated from %(language)s", language="English") }}'),)
    assert render_page(templates, "t.j2", _Desk({"Translated from %(language)s": msgstr}), {}) == shown


def test_plural_trans_blocks_with_a_stray_percent() -> None:
    from pipeline.render.html import render_page

    src = "{% trans count=n, num=n %}{{ num }} brief{% pluralize %}{{ num }} briefs{% endtrans %}"
    desk = _Desk({"%(num)s brief": "%(num)s dossier à 100%", "%(num)s briefs": "%(num)s dossiers à 100%"})
    assert render_page((("t.j2", src),), "t.j2", desk, {"n": 3}) == "3 dossiers à 100%"


def test_a_percent_in_an_interface_translation_is_published_as_written(tmp_path: Path) -> None:
    from render_support import build, make_project, outputs

    from pipeline.catalogs.pofile import read_po, write_po
    from pipeline.qa.check import check_project

    fr = {"Agency": "Agence", "The river rises.": "Le fleuve monte."}
    make_project(tmp_path, "Agency | July 5, 2024\nThe river rises.\n", {"fr": lambda m, c: fr.get(m)})
    config = load_config(tmp_path)
    ui_path = config.po_path("fr", "pipeline-ui")
    ui = read_po(ui_path)
    ui.find("Show").msgstr = "Afficher à 100% sûr"
    ui.find("Both languages").msgstr = "Les deux (taux 50 %)"
    write_po(ui, ui_path)
    assert [f for f in check_project(config).findings if f.severity == "error"] == []
    report = build(tmp_path, only_html=True)
    assert [r.decision.status for r in report.results] in (["final"], ["draft"])  # published
    page = outputs(tmp_path, "fr")[0].read_text("utf-8")
    assert "Afficher à 100% sûr</legend>" in page and "Les deux (taux 50 %)</label>" in page


def test_check_reports_interface_placeholder_mismatches_as_errors(tmp_path: Path) -> None:
    from render_support import make_project

    from pipeline.catalogs.pofile import read_po, write_po
    from pipeline.qa.check import check_project

    make_project(tmp_path, "Agency | July 5, 2024\nThe river rises.\n", {"fr": lambda m, c: None})
    config = load_config(tmp_path)
    ui_path = config.po_path("fr", "pipeline-ui")
    ui = read_po(ui_path)
    ui.find("Translated from %(language)s").msgstr = "Traduit de %(langue)s"  # python-format: msgfmt -c
    ui.find("Show").msgstr = "Afficher {mode}"  # brace placeholder the source does not have
    entry = ui.find("Page %(page)s of %(pages)s")
    entry.flags.remove("python-format")  # an editor dropped the flag: still checked
    entry.msgstr = "Page %(page)s"
    write_po(ui, ui_path)
    found = [f for f in check_project(config).findings if f.severity == "error"]
    errors = {(f.msgid, f.check) for f in found}
    assert any("'language' doesn't exist in 'msgstr'" in f.message for f in found if f.check == "msgfmt")
    assert errors == {
        ("", "msgfmt"),  # msgfmt's findings are the catalog's, at the entry's line
        ("Show", "markup"),
        ("Page %(page)s of %(pages)s", "markup"),
    }


# -- bad characters, bounded work --------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x0c"])
def test_a_control_character_in_a_source_is_an_error_at_its_line(
    project: Path, char: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert translate_project(load_config(project)).ok
    before = _files(project / "locale")
    src = project / "seeds" / f"{SLUG}.txt"
    lines = src.read_text("utf-8").split("\n")
    lines[4] = lines[4][:10] + char + lines[4][10:]
    src.write_text("\n".join(lines), "utf-8")
    assert main(["--root", str(project), "translate"]) == 1
    assert f"source: seeds/{SLUG}.txt:5: control character U+{ord(char):04X} in the text" in capsys.readouterr().err
    assert _files(project / "locale") == before  # no NUL reached a catalog
    assert main(["--root", str(project), "check"]) == 0  # the catalogs are as they were


def test_a_paragraph_over_the_limit_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = project / "seeds" / f"{SLUG}.txt"
    lines = src.read_text("utf-8").split("\n")
    first_long = next(i for i, line in enumerate(lines) if len(line.strip()) > 300)
    lines.append("Word " * 1001)  # 5,005 characters, one sentence
    src.write_text("\n".join(lines), "utf-8")
    assert main(["--root", str(project), "translate"]) == 1
    err = capsys.readouterr().err
    assert f"source: seeds/{SLUG}.txt:{len(lines)}: paragraph of 5,004 characters, over the limit of 5,000" in err
    assert not (project / "locale").exists()
    # The limit is the project's: lowered to 300 characters, the first longer paragraph is named.
    lines.pop()
    src.write_text("\n".join(lines), "utf-8")
    _configure(project, "[segmentation]\n", "[segmentation]\nmax_length = 300\n")
    assert main(["--root", str(project), "translate"]) == 1
    err = capsys.readouterr().err
    assert f"source: seeds/{SLUG}.txt:{first_long + 1}: paragraph of {len(lines[first_long].strip())} characters" in err


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u202a", "\u2069"])
def test_a_bidi_control_in_a_translation_is_an_error_unless_silenced(tmp_path: Path, char: str) -> None:
    from qa_support import run

    found = run(tmp_path, [("The vote passed.", f"投票{char}通过了。")], only="bidi")
    assert [(f.severity, f.message.split(":")[0]) for f in found] == [
        ("error", f"U+{ord(char):04X} ({unicodedata.name(char).lower()}) in the translation")
    ]
    silenced = {"tcomment": "qa: no-bidi-check the quoted slogan is right-to-left"}
    assert run(tmp_path, [("The vote passed.", f"投票{char}通过了。", silenced)], only="bidi") == []
    assert run(tmp_path, [(f"The {char}vote passed.", f"投票{char}通过了。")], only="bidi") == []  # as in the source


@pytest.mark.slow  # a 1 MB entry through every check, 3 s
def test_check_reads_a_megabyte_entry_in_linear_time(tmp_path: Path) -> None:
    """One entry of about 1 MB, mixed prose, numbers, URLs, brackets and Chinese numerals.

    The alarm only stops a run that hangs (the quadratic version took hours); bench/reliability.py
    measures the time and its growth with the size.
    """
    from qa_support import run

    unit = 'GDP grew 5.3% to 3 trillion yuan in 2023 (see https://example.org/a, "a@b.org"); {{ x }} <b> '
    han = "二〇二三年增长百分之五点三，达到三万亿元（见 https://example.org/a）「一二十」。"
    source, target = unit * (1_000_000 // len(unit)), han * (1_000_000 // len(han.encode()))
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("check took over 120 s on a 1 MB entry"))
    signal.alarm(120)
    try:
        found = run(tmp_path, [(source, target)])
    finally:
        signal.alarm(0)
    assert "numbers" in {f.check for f in found}


def test_the_chinese_numeral_pieces_are_those_of_the_brute_force_search() -> None:
    from pipeline.qa.numbers import _HAN_DIGITS, _HAN_LONGEST, _HAN_UNITS, _han_end, han_value

    rnd = random.Random(15)
    alphabet = [*_HAN_DIGITS, *_HAN_UNITS]
    for _ in range(2000):
        run = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40)))
        for i in range(len(run)):
            ends = range(min(len(run), i + _HAN_LONGEST), i, -1)
            assert _han_end(run, i) == next((j for j in ends if han_value(run[i:j]) is not None), i + 1)


# -- operating-system and database errors --------------------------------------------------------------

NOBODY = 65534


@pytest.fixture
def public(project: Path) -> Iterator[Path]:
    """The project where another user can reach it (pytest's folders are private to their owner)."""
    base = Path(tempfile.mkdtemp(prefix="reliability-"))
    base.chmod(0o755)
    copy = Path(shutil.copytree(project, base / "project"))
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copytree(ROOT / "locale", copy / "locale")  # the desk's catalogs: French is complete
    yield copy
    for folder in [copy, *(p for p in copy.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    shutil.rmtree(base)


def _as_user(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The pipeline run by a user who owns the project (not root: root writes into read-only folders)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        for p in [project, *project.rglob("*")]:
            os.lchown(p, NOBODY, NOBODY)
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    env = {
        **os.environ,
        "HOME": str(project / ".home"),
        "XDG_CACHE_HOME": str(project / ".home"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pipeline", "--root", str(project), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _read_only(*folders: Path) -> None:
    for folder in folders:
        folder.chmod(0o555)


def test_a_read_only_locale_folder(public: Path) -> None:
    assert _as_user(public, "translate").returncode == 0
    _edit_source(public, "That's my answer.", "That is my answer.")
    before = _files(public / "locale")
    _read_only(public / "locale")
    run = _as_user(public, "translate")
    assert run.returncode == 1
    assert f"catalog: locale/{SLUG}.pot: Permission denied" in run.stderr
    assert "Traceback" not in run.stderr
    assert _files(public / "locale") == before


def test_a_read_only_dist_folder(public: Path) -> None:
    assert _as_user(public, "translate").returncode == 0
    assert _as_user(public, "build", "--only-html", "-j", "1", "--locale", "fr").returncode == 0
    before = _files(public / "dist")
    _read_only(public / "dist", *(p for p in (public / "dist").rglob("*") if p.is_dir()))
    run = _as_user(public, "build", "--only-html", "-j", "1", "--locale", "fr", "--force")
    assert run.returncode == 1
    assert f"failed: io: dist/fr/{SLUG}.html: Permission denied" in run.stdout  # the brief's line
    assert re.fullmatch(r"io: dist/\S+: Permission denied\n", run.stderr)  # then publishing, which stops the build
    assert "Traceback" not in run.stderr
    assert _files(public / "dist") == before


@pytest.mark.parametrize("command", ["translate", "build"])
def test_a_read_only_cache_folder(public: Path, command: str) -> None:
    assert _as_user(public, "translate").returncode == 0
    _edit_source(public, "That's my answer.", "That is my answer.")
    _read_only(public / ".cache")
    run = _as_user(public, command, "--only-html", "-j", "1") if command == "build" else _as_user(public, command)
    assert run.returncode == 1
    assert re.search(r"^cache: \.cache/build\.sqlite: .*readonly database", run.stderr, re.M), run.stderr
    assert "Traceback" not in run.stderr


def test_a_read_only_project_without_a_cache_folder(public: Path) -> None:
    _read_only(public)
    run = _as_user(public, "translate")
    assert run.returncode == 1
    assert run.stderr.strip() == "io: .cache: Permission denied"


def test_a_catalog_that_is_a_folder(public: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = public
    config = load_config(project)
    folder = config.po_path("fr", SLUG)
    folder.unlink()
    folder.mkdir()
    assert main(["--root", str(project), "translate"]) == 1
    assert f"catalog: locale/fr/LC_MESSAGES/{SLUG}.po: cannot read: Is a directory" in capsys.readouterr().err
    assert folder.is_dir() and config.po_path("ja", SLUG).is_file()  # the others were written
    assert main(["--root", str(project), "check"]) == 1
    assert f"locale/fr/LC_MESSAGES/{SLUG}.po: error: cannot read: Is a directory [parse]" in capsys.readouterr().out
    assert main(["--root", str(project), "build", "--only-html", "-j", "1", "--locale", "fr"]) == 1
    err = capsys.readouterr().err
    assert f"locale/fr/LC_MESSAGES/{SLUG}.po" in err and "Is a directory" in err and "Traceback" not in err


@pytest.mark.slow  # waits out SQLite's busy timeout, 5 s
def test_a_locked_build_database(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert translate_project(load_config(project)).ok
    _edit_source(project, "That's my answer.", "That is my answer.")
    other = sqlite3.connect(project / ".cache" / "build.sqlite")  # another program, not a pipeline run
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["--root", str(project), "translate"]) == 1
    finally:
        other.rollback()
        other.close()
    assert "cache: .cache/build.sqlite: database is locked" in capsys.readouterr().err


def test_a_full_disk(translated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = _files(translated / "locale")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pipeline.files.os, "fsync", no_space)  # catalogs are flushed to disk before the rename
    assert main(["--root", str(translated), "translate"]) == 1
    err = capsys.readouterr().err
    assert f"catalog: locale/fr/LC_MESSAGES/{SLUG}.po: No space left on device" in err
    after = _files(translated / "locale")
    assert {p: b for p, b in after.items() if p.suffix == ".po"} == {
        p: b for p, b in before.items() if p.suffix == ".po"
    }
    assert not [p for p in (translated / "locale").rglob("*.tmp")]


# -- cleanup -------------------------------------------------------------------------------------------


def test_stale_temporary_files_of_killed_runs_are_removed_at_start(public: Path) -> None:
    stale = [
        public / "locale" / f".{SLUG}.pot.k2j_x9qa.tmp",
        public / "locale" / "fr" / "LC_MESSAGES" / f".{SLUG}.po.abcd1234.tmp",
    ]
    kept = [
        public / "locale" / "fr" / "LC_MESSAGES" / f".{SLUG}.po.swp",  # an editor's
        public / "locale" / "notes.tmp",
        public / "locale" / f".{SLUG}.pot.abc.tmp",  # not mkstemp's eight characters
        public / "seeds" / ".a.txt.abcd1234.tmp",  # not in a folder the command writes
    ]
    for p in stale + kept:
        p.write_bytes(b"half a file")
    assert main(["--root", str(public), "translate"]) == 0
    assert [p.exists() for p in stale + kept] == [False] * len(stale) + [True] * len(kept)
    in_dist = public / "dist" / "fr" / f".{SLUG}.html.0a1b2c3d.tmp"
    in_dist.parent.mkdir(parents=True)
    in_dist.write_bytes(b"<html")
    assert main(["--root", str(public), "build", "--only-html", "-j", "1", "--locale", "fr"]) == 0
    assert not in_dist.exists()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_the_fork_server_and_workers_die_with_a_killed_build(public: Path) -> None:
    build = _pipeline(public, "build", "--only-html", "-j", "2")
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline and not workers:  # the fork server, then a worker forked from it
            servers = _children(build.pid)
            workers = [w for s in servers for w in _children(s)]
            time.sleep(0.05)
        assert workers, "no render worker started"
        os.kill(build.pid, signal.SIGKILL)
        build.communicate(timeout=30)
        left = [*servers, *workers]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in left):
            time.sleep(0.05)
        assert [p for p in left if _alive(p)] == []
    finally:
        if build.poll() is None:
            build.kill()
            build.communicate()


# -- exit codes ----------------------------------------------------------------------------------------


def test_build_exit_codes_for_held_back_briefs(public: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = ["--root", str(public), "build", "--only-html", "-j", "1"]
    assert main([*build, "--locale", "ru"]) == 0  # held back by its coverage (not started): not an error
    assert "held back (coverage" in capsys.readouterr().out
    catalog = load_config(public).po_path("fr", SLUG)
    catalog.write_bytes(catalog.read_bytes().replace(b'msgid "Thank you."', b'<<<<<<< HEAD\nmsgid "Thank you."', 1))
    assert main([*build, "--locale", "fr"]) == 1  # held back by an error, as check and translate say
    captured = capsys.readouterr()
    assert f"[fr]: held back (1 blocking QA finding(s): locale/fr/LC_MESSAGES/{SLUG}.po:" in captured.out
    assert "build: 1 brief(s) held back by errors" in captured.err
    assert main([*build, "--locale", "fr", "--allow-held"]) == 0
    assert main(["--root", str(public), "check", "--locale", "fr"]) == 1
    assert main(["--root", str(public), "translate"]) == 1


def test_an_empty_catalog_is_started_like_a_new_one(project: Path) -> None:
    config = load_config(project)
    assert translate_project(config).ok
    fresh = config.po_path("fr", SLUG).read_bytes()
    config.po_path("fr", SLUG).write_bytes(b"")
    assert translate_project(config).ok
    assert config.po_path("fr", SLUG).read_bytes() == fresh  # the full header, as a new catalog has
    assert subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(config.po_path("fr", SLUG))]).returncode == 0


def test_a_catalog_left_aside_by_a_killed_run_is_put_back(public: Path) -> None:
    config = load_config(public)
    fr, ja = config.po_path("fr", SLUG), config.po_path("ja", SLUG)
    saved = fr.read_bytes()
    fr.rename(fr.with_name(f".{fr.name}.k2j_x9qa.aside"))  # killed between the two steps: no fr catalog
    stale = ja.with_name(f".{ja.name}.abcd1234.aside")
    stale.write_bytes(b"an older version")  # killed after the new ja catalog was in place
    assert main(["--root", str(public), "translate"]) == 0
    assert fr.read_bytes() == saved and not list(fr.parent.glob(".*"))
    assert ja.read_bytes() != b"an older version" and not stale.exists()


# -- hostile translations ------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="file:///etc/passwd">',
    "{{ config }} {% include '/etc/passwd' %}",
    "%(language)s %s {0} 100% ]]> &amp;",
    "\u202egnp.exe\u202c",
]


def test_hostile_translations_are_text_never_markup_nor_files(tmp_path: Path) -> None:
    from render_support import build, make_project, outputs, pdf_text

    from pipeline.qa.check import check_project

    english = ["The river rises.", "The bridge holds.", "The rain stops.", "The road opens.", "The town cheers."]
    source = "\n".join(["Agency | July 5, 2024", *english]) + "\n"
    fr = {"Agency": "Agence", **{m: f"{h} ({i})" for i, (m, h) in enumerate(zip(english, HOSTILE, strict=True))}}
    make_project(tmp_path, source, {"fr": lambda m, c: fr.get(m)})
    config = load_config(tmp_path)
    errors = {f.msgid for f in check_project(config).findings if f.severity == "error"}
    assert errors >= set(english)  # each is an error finding (markup, template syntax, placeholder, bidi)
    report = build(tmp_path)
    assert [r.decision.status for r in report.results] == ["held"]  # held back by them, nothing crashed
    # Silenced (a desk that insists), they are published as text.
    notes = dict.fromkeys(english, "qa: no-markup-check, no-bidi-check, no-numbers-check a test of escaping")
    make_project(tmp_path, source, {"fr": lambda m, c: fr.get(m)}, notes=notes)
    report = build(tmp_path)
    assert [r.decision.status for r in report.results] in (["final"], ["draft"])
    html_path, pdf_path = outputs(tmp_path, "fr")
    page = html_path.read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; (0)" in page
    assert '<img src="file' not in page and "{{ config }}" in page and "100% ]]&gt; &amp;amp; (3)" in page
    text = pdf_text(pdf_path)
    assert "root:" not in text and "{% include '/etc/passwd' %}" in text


def test_init_writes_a_checked_pipeline_toml_and_never_replaces_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_path), "translate"]) == 1
    assert "python -m pipeline init" in capsys.readouterr().err
    assert main(["--root", str(tmp_path), "init", "--locale", "fr,ja"]) == 0
    written = (tmp_path / "pipeline.toml").read_bytes()
    config = load_config(tmp_path, required=True)
    assert config.locales == ("fr", "ja") and config.project == tmp_path.name
    assert main(["--root", str(tmp_path), "init"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "pipeline.toml").read_bytes() == written
    other = tmp_path / "other"
    other.mkdir()
    assert main(["--root", str(other), "init", "--locale", "xx_YY"]) == 1
    assert "unknown locale 'xx_YY'" in capsys.readouterr().err and not list(other.iterdir())


def test_an_unknown_layout_is_an_error_naming_the_layouts(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _configure(project, 'layout = "side-by-side"', 'layout = "facing-pages"')
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert (
        f"config: pipeline.toml:{line}: layout: expected one of side-by-side, interlinear, facing, got 'facing-pages'"
    ) in err
