"""docs/translating.md, as far as a test reaches: its commands parse, its Weblate block fits the repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import polib
import pytest

from pipeline.cli import build_parser
from pipeline.config import load_config
from pipeline.qa.check import suppressions

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "translating.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, flags=re.S)


COMMANDS = sorted(
    {
        line.split("  #")[0].strip()
        for block in _blocks("sh")
        for line in block.splitlines()
        if line.strip().startswith("python -m pipeline")
    }
)


def test_the_doc_is_linked_from_the_readme() -> None:
    assert "docs/translating.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_the_doc_parses(command: str) -> None:
    args = shlex.split(command)[3:]
    build_parser().parse_args(args)  # SystemExit on an unknown command or option


def test_the_doc_shows_the_commands_translators_need() -> None:
    heads = {" ".join(shlex.split(c)[3:5]) for c in COMMANDS}
    assert {"glossary export", "glossary import", "tm export", "tm import", "xliff export", "xliff import"} <= heads


def test_the_weblate_block_fits_the_repository() -> None:
    [block] = _blocks("ini")
    settings = dict(
        (k.strip(), v.split(";")[0].strip())
        for k, _, v in (ln.partition("=") for ln in block.splitlines() if "=" in ln and not ln.startswith("#"))
    )
    config = load_config(ROOT)
    mask = settings["filemask"]
    found = sorted(ROOT.glob(mask))
    assert [p.parent.parent.name for p in found] == sorted(config.locales)
    assert (ROOT / settings["new_base"]).is_file()
    assert settings["file_format"] == "po" and settings["language_code_style"] == "posix"
    assert {"{{branch}}", "{{filename}}", "{{line}}"} <= set(re.findall(r"\{\{\w+\}\}", settings["repoweb"]))


def test_the_example_entry_reads_as_the_doc_explains() -> None:
    [example, qa] = _blocks("po")
    [entry] = polib.pofile('msgid ""\nmsgstr ""\n\n' + example)  # after a header, as in a catalog
    assert entry.fuzzy and entry.previous_msgid and entry.msgctxt == "speaker"
    assert entry.comment == "Speaker label (answer)" and entry.tcomment.startswith("tm: ")
    [silenced] = polib.pofile('msgid ""\nmsgstr ""\n\n' + qa + 'msgid "x"\nmsgstr "y"\n')
    assert suppressions(silenced) == {"numbers": "the official Chinese text gives the rounded figure"}
