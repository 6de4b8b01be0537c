"""Golden QA reports: ``tests/check/<locale>.<name>.po`` beside its ``.expect.txt`` findings.

On a mismatch the actual report is written beside the expected one
(``.actual.txt``), so the difference is one ``diff`` away.  The glossary is
the frozen ``tests/check/glossary.tbx``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from qa_support import TEST_GLOSSARY

from pipeline.qa.check import check_catalog

HERE = Path(__file__).parent / "check"
CASES = sorted(HERE.glob("*.po"))


def report(path: Path) -> str:
    locale = path.name.split(".")[0]
    result = check_catalog(path, shown=path.name, locale=locale, domain="brief", glossary=TEST_GLOSSARY)
    lines = [str(f) for f in result.findings]
    lines += [f"{f} (suppressed: {f.reason})" for f in result.suppressed]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_golden_report(path: Path) -> None:
    got = report(path)
    expected, actual = path.with_suffix(".expect.txt"), path.with_suffix(".actual.txt")
    if not expected.exists() or got != expected.read_text(encoding="utf-8"):
        actual.write_text(got, encoding="utf-8")
        pytest.fail(f"the report of {path.name} differs from {expected.name}; see {actual.name} beside it")
