"""CPU time of ``python -m pipeline check`` on 100 copies of the seed's catalogs.

Usage: .venv/bin/python bench/qa_speed.py [--copies 100] [--runs 1] [--keep DIR] [--profile FILE]

Builds a throw-away project whose ``locale/`` holds ``--copies`` copies of every
shipped catalog of the seed (each copy its own domain, in every locale, with the
glossary; each copy's texts prefixed "B<i>: " so that no two briefs share a
sentence), runs ``check`` on it once and prints the CPU seconds of that process
and its children (msgfmt).  Target (issue 14): under 10 CPU s for 100 copies.
``--root /work/main`` runs another checkout's pipeline on the same project; ``--runs 3`` measures three
times and prints each; ``--keep DIR`` builds the project in DIR (kept, for a profiler);
``--profile FILE`` runs the check under cProfile and writes its statistics to FILE.
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

import polib

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "2024-07-05-chongqing-press-conference"


def _distinct(data: bytes, i: int) -> bytes:
    """The catalog with every source and translation prefixed "B<i>: ": no two copies share a text, as no two
    briefs do, so nothing the check remembers from one brief's sources serves another's."""
    po = polib.pofile(data.decode("utf-8"), wrapwidth=79)
    for e in po:
        e.msgid = f"B{i}: {e.msgid}"
        if e.msgstr:
            e.msgstr = f"B{i}: {e.msgstr}"
    return str(po).encode("utf-8")


def make_project(where: Path, copies: int, *, distinct: bool = True) -> None:
    shutil.copy(ROOT / "pipeline.toml", where / "pipeline.toml")
    shutil.copy(ROOT / "segmentation.toml", where / "segmentation.toml")
    (where / "seeds").mkdir()
    shutil.copy(ROOT / "locale" / "glossary.tbx", (where / "locale").mkdir() or where / "locale" / "glossary.tbx")
    for src in sorted((ROOT / "locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        out = where / "locale" / src.parent.parent.name / "LC_MESSAGES"
        out.mkdir(parents=True)
        data = src.read_bytes()
        for i in range(copies):
            (out / f"brief-{i:03d}.po").write_bytes(_distinct(data, i) if distinct else data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--same-text", action="store_true", help="byte-identical copies (texts shared by all)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose pipeline runs (to compare)")
    parser.add_argument("--runs", type=int, default=1, help="measure this many times")
    parser.add_argument("--keep", type=Path, help="build the project in this (new) folder and keep it")
    parser.add_argument("--profile", type=Path, help="run under cProfile, statistics written to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        if args.keep:
            project = args.keep.resolve()
            project.mkdir(parents=True)
        make_project(project, args.copies, distinct=not args.same_text)
        n = len(list((ROOT / "locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po"))) * args.copies
        profile = ["-m", "cProfile", "-o", str(args.profile.resolve())] if args.profile else []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, *profile, "-m", "pipeline", "check", "--json"],
                cwd=project,
                capture_output=True,
                env={"PYTHONPATH": str(args.root), "PATH": "/usr/bin:/bin"},
            )
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(
                f"check on {n} catalogs ({args.copies} copies of the seed's): "
                f"{cpu:.2f} CPU s, {wall:.2f} s wall, exit {proc.returncode}",
                flush=True,
            )
            if proc.returncode not in (0, 1):
                print(proc.stderr.decode()[-2000:])
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
