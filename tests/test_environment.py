"""The machine: every Debian package of ``system-packages.txt`` is installed, every shared library found.

A fresh Debian 12 root once passed ``make`` and then failed nine browser tests
with ``playwright/driver/node: error while loading shared libraries:
libatomic.so.1``.  These tests name such a library (and a missing package) by
itself, before the browser tests fail on it.  They run ``ldd`` on the two
binaries and ``dpkg-query`` once: a few milliseconds.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "system-packages.txt"
CHROMIUM = Path("/usr/lib/chromium/chromium")  # the ELF binary that Debian's /usr/bin/chromium script runs
HINT = "add the Debian package that provides each to system-packages.txt (`apt-file search NAME` names it)"


def browser_binary(name: str) -> Path:
    """Playwright's bundled node driver (found without importing playwright), or Debian's Chromium."""
    if name == "chromium":
        return CHROMIUM
    spec = importlib.util.find_spec("playwright")
    assert spec is not None and spec.origin, "playwright is not installed: make setup (pip install -e '.[test]')"
    return Path(spec.origin).parent / "driver" / "node"


def system_packages() -> list[str]:
    """The package names of system-packages.txt, as scripts/ensure-system-packages reads them."""
    return [w for line in PACKAGES.read_text("utf-8").splitlines() for w in line.split("#", 1)[0].split()]


@pytest.mark.parametrize("name", ["playwright-driver", "chromium"])
def test_every_shared_library_of_the_browser_is_found(name: str) -> None:
    path = browser_binary(name)
    assert path.is_file(), f"{path} is missing: make setup installs it (system-packages.txt, '.[test]')"
    proc = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
    missing = re.findall(r"^\s*(\S+) => not found", proc.stdout, re.MULTILINE)
    assert not missing, f"{path} needs shared libraries that are not installed: {', '.join(missing)}; {HINT}"
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian machine (make needs Debian)")
def test_every_system_package_is_installed() -> None:
    wanted = system_packages()
    assert wanted, f"no package found in {PACKAGES}"
    # Unknown names go to stderr (and exit 1); each known one prints a line, once per installed architecture.
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${Status}\n", *wanted], capture_output=True, text=True, check=False
    )
    installed = {
        name
        for name, status in (line.split("\t", 1) for line in proc.stdout.splitlines())
        if status.split()[-1:] == ["installed"]
    }
    missing = [p for p in wanted if p not in installed]
    assert not missing, (
        f"Debian packages of system-packages.txt not installed: {' '.join(missing)} (run make setup as root)"
    )
