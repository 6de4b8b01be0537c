"""CPU time of ``python -m pipeline check`` on 100 copies of the seed's catalogs.

Usage: .venv/bin/python bench/qa_speed.py [--copies 100]

Builds a throw-away project whose ``locale/`` holds ``--copies`` copies of every
shipped catalog of the seed (each copy its own domain, in every locale, with the
glossary), runs ``check`` on it once and prints the CPU seconds of that process
and its children (msgfmt).  Target (issue 14): under 10 CPU s for 100 copies.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "2024-07-05-chongqing-press-conference"


def make_project(where: Path, copies: int) -> None:
    shutil.copy(ROOT / "pipeline.toml", where / "pipeline.toml")
    shutil.copy(ROOT / "segmentation.toml", where / "segmentation.toml")
    (where / "seeds").mkdir()
    shutil.copy(ROOT / "locale" / "glossary.tbx", (where / "locale").mkdir() or where / "locale" / "glossary.tbx")
    for src in sorted((ROOT / "locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        out = where / "locale" / src.parent.parent.name / "LC_MESSAGES"
        out.mkdir(parents=True)
        data = src.read_bytes()
        for i in range(copies):
            (out / f"brief-{i:03d}.po").write_bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        make_project(project, args.copies)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "check", "--json"],
            cwd=project,
            capture_output=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = len(list((ROOT / "locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po"))) * args.copies
    print(
        f"check on {n} catalogs ({args.copies} copies of the seed's): "
        f"{cpu:.2f} CPU s, {wall:.2f} s wall, exit {proc.returncode}"
    )
    if proc.returncode not in (0, 1):
        print(proc.stderr.decode()[-2000:])
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
