"""`check` and `stats` on the command line, exit codes, the publication gate, and pofilter."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from qa_support import ROOT, catalog_path, write_po

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.qa.check import blocking_findings, check_project, publication_decision
from pipeline.qa.stats import catalog_stats

GOOD = [("Thank you.", "谢谢。"), ("Last year, GDP exceeded 3 trillion yuan.", "去年，地区生产总值突破3万亿元。")]
WRONG_NUMBER = ("GDP exceeded 3 trillion yuan.", "GDP超过3亿元。")


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A project with a zh_CN and a fr catalog and the shipped glossary."""
    (tmp_path / "pipeline.toml").write_text(
        '[project]\nlocales = ["zh_CN", "fr"]\n[publish]\nfinal_threshold = 100\ndraft_threshold = 50\n',
        encoding="utf-8",
    )
    (tmp_path / "locale").mkdir()
    shutil.copy(Path(__file__).parent / "check" / "glossary.tbx", tmp_path / "locale" / "glossary.tbx")
    write_po(catalog_path(tmp_path, "zh_CN"), GOOD)
    write_po(catalog_path(tmp_path, "fr"), [("Thank you.", "Merci.")], locale="fr")
    return tmp_path


def check(desk: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(desk), "check", *args])
    return code, capsys.readouterr().out


def test_clean_catalogs_exit_0(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(desk, capsys=capsys)
    # The one warning: the test glossary has no French terms (glossary-locale).
    assert code == 0 and "0 error(s), 1 warning(s)" in out and "no glossary terms for fr" in out


def test_errors_exit_1_with_path_line_and_id(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_po(catalog_path(desk, "zh_CN"), [*GOOD, WRONG_NUMBER])
    code, out = check(desk, capsys=capsys)
    assert code == 1
    assert "locale/zh_CN/LC_MESSAGES/brief.po:" in out and ": error: number changed:" in out and "[numbers]" in out


def test_warnings_fail_only_with_strict(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_po(catalog_path(desk, "fr"), [("Thank you.", "Merci."), ("Thank you for your question.", "")], locale="fr")
    assert check(desk, capsys=capsys)[0] == 0
    assert check(desk, "--strict", capsys=capsys)[0] == 1


def test_usage_errors_exit_2(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(desk), "check", "--locale", "xx"])
    assert exc.value.code == 2
    assert main(["--root", str(desk), "check", "no/such.po"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(desk), "check", "--no-such-option"])
    assert exc.value.code == 2


def test_locale_and_paths_select_catalogs(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_po(catalog_path(desk, "zh_CN"), [*GOOD, WRONG_NUMBER])
    assert check(desk, "--locale", "fr", capsys=capsys)[0] == 0
    assert check(desk, str(catalog_path(desk, "fr")), capsys=capsys)[0] == 0
    assert check(desk, str(desk / "locale" / "zh_CN"), capsys=capsys)[0] == 1


def test_json_output(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_po(catalog_path(desk, "zh_CN"), [*GOOD, (*WRONG_NUMBER, {"flags": ["no-glossary-check"]})])
    comment = "qa: no-numbers-check figure as in the official text"
    write_po(catalog_path(desk, "fr"), [("GDP exceeded 3 trillion yuan.", "PIB : 3 milliards.", {"tcomment": comment})])
    code, out = check(desk, "--json", capsys=capsys)
    data = json.loads(out)
    assert code == 1 and data["summary"]["exit_code"] == 1
    [finding] = [f for f in data["findings"] if f["id"] == "numbers"]
    assert set(finding) >= {"id", "severity", "path", "line", "msgid", "message"}
    assert (finding["severity"], finding["path"], finding["msgid"]) == (
        "error",
        "locale/zh_CN/LC_MESSAGES/brief.po",
        WRONG_NUMBER[0],
    )
    assert [(s["id"], s["reason"]) for s in data["suppressed"]] == [("numbers", "figure as in the official text")]
    assert {c["locale"]: c["status"] for c in data["catalogs"]} == {"zh_CN": "held", "fr": "final"}


def test_a_broken_catalog_does_not_stop_the_others(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = catalog_path(desk, "zh_CN")
    broken.write_text(broken.read_text(encoding="utf-8") + 'msgid "dangling"\n', encoding="utf-8")
    write_po(catalog_path(desk, "fr"), [("Thank you.", "Merci")], locale="fr")
    code, out = check(desk, capsys=capsys)
    assert code == 1
    assert "locale/zh_CN/LC_MESSAGES/brief.po:" in out and "[parse]" in out
    assert "locale/fr/LC_MESSAGES/brief.po:" in out and "[end-punctuation]" in out


def test_a_broken_glossary_is_a_finding(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (desk / "locale" / "glossary.tbx").write_text("<tbx>\n<text>\n", encoding="utf-8")
    code, out = check(desk, capsys=capsys)
    assert code == 1 and "locale/glossary.tbx:3: error:" in out and "[parse]" in out


def test_stats_table_and_json(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_po(catalog_path(desk, "fr"), [("Thank you.", "Merci."), ("Thank you for your question.", "")], locale="fr")
    assert main(["--root", str(desk), "stats"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["brief", "locale", "entries", "words"]
    assert "1 (50.0%)" in table[2] and table[2].endswith("draft")
    assert main(["--root", str(desk), "stats", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["catalogs"]
    assert [(r["locale"], r["translated"], r["untranslated"], r["coverage"], r["status"]) for r in rows] == [
        ("zh_CN", 2, 0, 100.0, "final"),
        ("fr", 1, 1, 50.0, "draft"),
    ]


# --- the gate -----------------------------------------------------------------------


def test_gate_api(desk: Path) -> None:
    config = load_config(desk)
    assert blocking_findings(config, "zh_CN", "brief") == []
    assert publication_decision(config, "zh_CN", "brief").status == "final"

    write_po(catalog_path(desk, "zh_CN"), [*GOOD, WRONG_NUMBER, ("Thank you for your question.", "")])
    [blocking] = blocking_findings(config, "zh_CN", "brief")  # the untranslated entry is coverage's business
    assert blocking.check == "numbers"
    decision = publication_decision(config, "zh_CN", "brief")
    assert decision.status == "held" and "number changed" in decision.reason

    write_po(catalog_path(desk, "fr"), [("Thank you.", "Merci."), ("Thank you for your question.", "")], locale="fr")
    decision = publication_decision(config, "fr", "brief")
    assert decision.status == "draft" and "coverage 50.0% < final threshold" in decision.reason

    write_po(catalog_path(desk, "fr"), [("Thank you.", ""), ("Thank you for your question.", "")], locale="fr")
    decision = publication_decision(config, "fr", "brief")
    assert decision.status == "held" and "draft threshold" in decision.reason
    assert publication_decision(config, "fr", "missing").status == "held"


# --- the shipped catalogs -------------------------------------------------------------


def test_shipped_catalogs_pass_and_partial_ones_report_exactly_their_gaps() -> None:
    config = load_config(ROOT)
    report = check_project(config)
    assert report.exit_code() == 0
    for result in report.catalogs:
        stats = catalog_stats(polib.pofile((ROOT / result.path).as_posix()))
        kinds = [f.check for f in result.findings]
        if stats.translated == 0:
            assert kinds == ["untranslated"]  # "not started": one finding, not one per entry
        else:
            assert kinds.count("untranslated") == stats.untranslated
            assert kinds.count("fuzzy") == stats.fuzzy
            assert len(kinds) == stats.untranslated + stats.fuzzy, result.findings


# --- Translate Toolkit's pofilter, on the same catalog -------------------------------------

UNIT_ERROR = ("GDP exceeded 3 trillion yuan.", "地区生产总值超过3亿元。")  # digit kept, value wrong
SAME_VALUE = ("Exports reached 1.2 trillion yuan.", "出口达到12000亿元。")  # digits differ, value right


def test_pofilter_misses_the_unit_error_and_flags_the_right_value_ours_does_the_opposite(tmp_path: Path) -> None:
    path = write_po(tmp_path / "locale" / "zh_CN" / "LC_MESSAGES" / "t.po", [UNIT_ERROR, SAME_VALUE])
    out = tmp_path / "pofilter.po"
    proc = subprocess.run(
        [sys.executable, "-m", "translate.filters.pofilter", "--test", "numbers", path, out],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr  # pofilter exits 0 even on failures
    flagged = {e.msgid for e in polib.pofile(out.as_posix()) if e.msgid}
    assert flagged == {SAME_VALUE[0]}

    config = load_config(tmp_path)
    ours = {f.msgid for f in check_project(config, paths=[path]).findings if f.check == "numbers"}
    assert ours == {UNIT_ERROR[0]}
