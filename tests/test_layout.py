"""The package's layout as a checked contract: import rules (import-linter) and change detection by content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.render import environment

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package under ``root`` (its pyproject.toml holds the contracts)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_import_contracts_hold() -> None:
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("sources/segment.py", "import pipeline.catalogs.pofile", "sources import no later stage"),
        ("catalogs/merge.py", "import pipeline.qa.check", "catalogs import no qa, render or build"),
        ("qa/stats.py", "import pipeline.render.view", "qa imports no render or build"),
        ("render/view.py", "import pipeline.catalogs.pofile", "render imports no build and no catalog code"),
        ("build/workers.py", "import pipeline.stages", "build imports no orchestrator or CLI"),
        ("lang.py", "import pipeline.qa.numbers", "the shared base"),
        ("stages.py", "import pipeline.cli", "nothing below the CLI imports it"),
        ("qa/findings.py", "import pipeline.qa.check", "no import cycles"),
    ],
)
def test_a_deliberate_bad_import_breaks_its_contract(
    tmp_path: Path, module: str, bad_import: str, contract: str
) -> None:
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "pipeline" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{bad_import}  # deliberate\n", encoding="utf-8")
    proc = lint_imports(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    broken = [line for line in proc.stdout.splitlines() if "BROKEN" in line]
    assert len(broken) >= 1
    report = " ".join(proc.stdout.split())  # import-linter wraps long contract names
    assert f"{contract}" in report and "BROKEN" in report, proc.stdout


def test_every_module_counts_by_path_and_content() -> None:
    names = [p.relative_to(environment.PACKAGE).as_posix() for p in environment.package_files()]
    assert "qa/gate.py" in names and "render/task.py" in names and "data/segmentation.toml" in names
    assert names == sorted(names)
    for name in environment.NOT_IN_BRIEFS:  # a renamed module must not silently stay excluded
        assert (environment.PACKAGE / name).is_file(), f"NOT_IN_BRIEFS names {name}, which does not exist"
