"""Benchmark: extraction + catalog update at scale, against msgmerge and po4a.

Usage: .venv/bin/python bench/catalogs.py [--n 1000] [--no-po4a]

Generates N synthetic transcripts (bench/corpus.py), extracts them, fills the
French catalogs, edits 10% of the sources, then measures on that same corpus:

* ours: ``python -m pipeline translate`` (incremental, and ``--force`` full);
* ``msgmerge --previous`` on every document's catalog (one process each), and
  on one concatenated catalog of the whole corpus, as the issue measured it;
* po4a 0.69 (``po4a --no-translations``, text format) updating one catalog;
* the no-op rerun.

CPU seconds include child processes.  Prints a Markdown table; with
``--write`` it also writes docs/benchmarks.md's catalog section.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import mutate, mutate_sentences, write_corpus  # noqa: E402

from pipeline.catalogs.pofile import write_po  # noqa: E402

PY = sys.executable
LOCALE = "fr"


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (with its children) and peak RSS MB of one command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def counts(files: list[Path]) -> tuple[int, int, int, int]:
    t = f = u = o = 0
    for p in files:
        for e in polib.pofile(str(p)):
            if e.obsolete:
                o += 1
            elif e.fuzzy:
                f += 1
            elif e.msgstr:
                t += 1
            else:
                u += 1
    return t, f, u, o


def fill(po_files: list[Path]) -> None:
    for p in po_files:
        po = polib.pofile(str(p))
        for e in po:
            if not e.obsolete and e.msgid:
                e.msgstr = "FR " + e.msgid
        write_po(po, p)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--no-po4a", action="store_true")
    ap.add_argument(
        "--edit",
        choices=["sources", "messages"],
        default="sources",
        help="sources: 10%% of the sources get one edit; messages: 10%% of all sentences are edited",
    )
    ap.add_argument("--write", action="store_true", help="write docs/benchmarks-catalogs.md")
    args = ap.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1720137600")
    os.environ.update(env)
    work = ROOT / "bench" / "out" / f"catalogs-{args.n}-{args.edit}"
    shutil.rmtree(work, ignore_errors=True)
    ours = work / "ours"
    seeds = write_corpus(ours / "seeds", args.n)
    (ours / "pipeline.toml").write_text(f'[project]\nname = "bench"\nlocales = ["{LOCALE}"]\n', "utf-8")
    size = sum(p.stat().st_size for p in seeds)
    subprocess.run([PY, "-m", "pipeline", "translate"], cwd=ours, check=True, env=env, stderr=subprocess.DEVNULL)
    po_files = sorted((ours / "locale" / LOCALE / "LC_MESSAGES").glob("*.po"))
    fill(po_files)
    # The desk's own `make translate` after the translators' work: catalogs recorded as current.
    subprocess.run([PY, "-m", "pipeline", "translate"], cwd=ours, check=True, env=env, stderr=subprocess.DEVNULL)
    messages = sum(len(polib.pofile(str(p))) for p in po_files)
    # Snapshot v1 catalogs for the peers.
    v1 = work / "v1"
    shutil.copytree(ours / "locale", v1)
    edit = mutate if args.edit == "sources" else mutate_sentences
    changed = edit(seeds)
    rows = []

    w, c, m = timed([PY, "-m", "pipeline", "translate"], ours)
    rows.append(("ours: translate, incremental (10% changed)", w, c, m))
    ours_counts = counts(po_files)
    w, c, m = timed([PY, "-m", "pipeline", "translate"], ours)
    rows.append(("ours: no-op rerun", w, c, m))
    # Full update from the v1 catalogs, every source re-extracted.
    shutil.rmtree(ours / "locale")
    shutil.copytree(v1, ours / "locale")
    w, c, m = timed([PY, "-m", "pipeline", "translate", "--force"], ours)
    rows.append(("ours: translate --force (all sources)", w, c, m))
    assert counts(po_files) == ours_counts

    # msgmerge per document, with our new POTs as its templates.
    mm = work / "msgmerge-doc"
    shutil.copytree(v1, mm)
    script = mm / "run.sh"
    script.write_text(
        "set -e\nfor pot in " + str(ours / "locale") + "/*.pot; do d=$(basename $pot .pot); "
        f"msgmerge -q --previous -U --backup=none {LOCALE}/LC_MESSAGES/$d.po $pot; done\n",
        "utf-8",
    )
    w, c, m = timed(["sh", str(script)], mm)
    rows.append(("msgmerge --previous, per document", w, c, m))
    mm_counts = counts(sorted((mm / LOCALE / "LC_MESSAGES").glob("*.po")))

    # msgmerge on one catalog of the whole corpus (the measurement).
    one = work / "msgmerge-one"
    one.mkdir()
    subprocess.run(
        ["msgcat", "--use-first", "-o", one / "old.po", *sorted((v1 / LOCALE / "LC_MESSAGES").glob("*.po"))], check=True
    )
    subprocess.run(
        ["msgcat", "--use-first", "-o", one / "new.pot", *sorted((ours / "locale").glob("*.pot"))], check=True
    )
    w, c, m = timed(["msgmerge", "-q", "--previous", "-o", "new.po", "old.po", "new.pot"], one)
    rows.append(("msgmerge --previous, one catalog", w, c, m))
    one_mm = counts([one / "new.po"])
    merge_one = (  # our reader, with gettext's syntax check of both files, as translate reads a catalog
        "from pipeline.catalogs.merge import merge_catalog; from pipeline.catalogs.pofile import read_po, write_po; "
        "from pathlib import Path; "
        "write_po(merge_catalog(read_po(Path('old.po')), read_po(Path('new.pot'))), Path('ours.po'))"
    )
    w, c, m = timed([PY, "-c", merge_one], one)
    rows.append(("ours: merge one catalog (same files as msgmerge)", w, c, m))
    one_ours = counts([one / "ours.po"])

    if not args.no_po4a:
        p4 = work / "po4a"
        write_corpus(p4 / "src", args.n)
        cfg = ["[po4a_langs] fr", "[po4a_paths] po/bench.pot $lang:po/$lang.po"]
        cfg += [f"[type: text] src/{p.name} $lang:out/$lang/{p.name}" for p in sorted((p4 / "src").glob("*.txt"))]
        (p4 / "po4a.cfg").write_text("\n".join(cfg) + "\n", "utf-8")
        (p4 / "po").mkdir()
        subprocess.run(["po4a", "--no-translations", "po4a.cfg"], cwd=p4, check=True, capture_output=True)
        fill([p4 / "po" / "fr.po"])
        edit(sorted((p4 / "src").glob("*.txt")))
        w, c, m = timed(["po4a", "--no-translations", "po4a.cfg"], p4)
        rows.append(("po4a 0.69 update (one catalog)", w, c, m))

    lines = [
        f"Corpus: {args.n} transcripts, {size / 1e6:.1f} MB, {messages} messages in the {LOCALE} catalogs, "
        f"{len(changed)} sources edited ({args.edit} mode).  Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.  "
        f"Command: `.venv/bin/python bench/catalogs.py --n {args.n} --edit {args.edit}`",
        "",
        "| step | wall s | CPU s | peak RSS MB |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {w:.2f} | {c:.2f} | {m} |" for name, w, c, m in rows]
    lines += [
        "",
        "Outcome (translated / fuzzy / untranslated / obsolete):",
        f"per document: ours {ours_counts}; msgmerge {mm_counts}",
        f"one catalog: ours {one_ours}; msgmerge {one_mm}",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        out = ROOT / "docs" / f"benchmarks-catalogs-{args.edit}.md"
        out.write_text(f"# Catalog benchmark ({args.edit} edited)\n\n" + text + "\n", "utf-8")


if __name__ == "__main__":
    main()
