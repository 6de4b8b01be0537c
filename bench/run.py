"""All benchmarks, one command: ``make bench`` (``.venv/bin/python bench/run.py``).

Runs each benchmark (segmentation, catalogs in both edit modes, render,
build), each writing its own ``docs/benchmarks-*.md``, then assembles them
into ``docs/benchmarks.md`` with the machine and the commands.
``--assemble`` only rebuilds docs/benchmarks.md from the parts on disk.
Takes a while (the 1,000-transcript catalog runs include msgmerge and po4a).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PY = sys.executable

STEPS = [
    ("segmentation", [PY, "bench/segmentation.py"], None),
    ("catalogs-sources", [PY, "bench/catalogs.py", "--n", "1000", "--edit", "sources", "--write"], None),
    ("catalogs-messages", [PY, "bench/catalogs.py", "--n", "1000", "--edit", "messages", "--write"], None),
    ("memory", [PY, "bench/memory.py", "--n", "1000", "--write"], None),
    ("render", [PY, "bench/render.py", "--out", "docs/benchmarks-render.md"], None),
    ("build", [PY, "bench/build.py", "--out", "docs/benchmarks-build.md"], None),
]
PARTS = [
    ("Catalogs: extraction + update, 10% of the sources edited", "benchmarks-catalogs-sources.md"),
    ("Catalogs: extraction + update, 10% of all sentences edited", "benchmarks-catalogs-messages.md"),
    ("Translation memory across documents, 1,000 sources x 6 locales", "benchmarks-memory.md"),
    ("Rendering", "benchmarks-render.md"),
    ("Building at scale", "benchmarks-build.md"),
]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def assemble(segmentation: str) -> None:
    out = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}.  Command: `make bench` (`.venv/bin/python bench/run.py`); each part names",
        "its own command.  CPU seconds include child processes (msgmerge, msgcat, po4a's Perl).",
        "",
    ]
    summary = DOCS / "benchmarks-summary.md"
    if summary.exists():  # hand-written reading of the figures against the targets
        out += ["## " + summary.read_text("utf-8").split("\n", 1)[1].strip(), ""]
    if segmentation:
        out += [
            "## Segmentation",
            "",
            "`.venv/bin/python bench/segmentation.py`",
            "",
            "    " + segmentation.replace("\n", "\n    "),
            "",
        ]
    for title, name in PARTS:
        part = DOCS / name
        if part.exists():
            body = part.read_text("utf-8").split("\n", 1)[1].strip()  # without its own title
            out += [f"## {title}", "", body.replace("\n## ", "\n### "), ""]
    (DOCS / "benchmarks.md").write_text("\n".join(out).rstrip() + "\n", "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assemble", action="store_true", help="only rebuild docs/benchmarks.md from the parts")
    args = ap.parse_args()
    segmentation = ""
    if not args.assemble:
        for name, cmd, _ in STEPS:
            print(f"bench: {name}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
            proc = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=(name == "segmentation"), text=True)
            if name == "segmentation":
                segmentation = proc.stdout.strip()
    else:
        segmentation = subprocess.run(
            [PY, "bench/segmentation.py"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    assemble(segmentation)
    print(f"wrote {DOCS / 'benchmarks.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
