"""Shared fixtures: the project root, a throwaway project, a copy of the shipped one, frozen dates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "2024-07-05-chongqing-press-conference.txt"


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _frozen_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    # Dates in written files come from SOURCE_DATE_EPOCH: tests are time-independent.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1720137600")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's configuration and seed in a temporary folder."""
    (tmp_path / "seeds").mkdir()
    for name in ("pipeline.toml", "segmentation.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    shutil.copy(SEED.with_suffix(".meta.toml"), tmp_path / "seeds" / SEED.with_suffix(".meta.toml").name)
    return tmp_path


def copy_shipped(dest: Path) -> Path:
    """The shipped project (configuration, seeds, catalogs, templates) copied into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("pipeline.toml", "segmentation.toml"):
        shutil.copy(ROOT / name, dest / name)
    for name in ("seeds", "locale", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped project: seeds, catalogs, templates and configuration."""
    return copy_shipped(tmp_path)
