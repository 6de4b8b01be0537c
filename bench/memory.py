"""Benchmark: translation memory across documents, at 1,000 sources x 6 locales.

Usage: .venv/bin/python bench/memory.py [--n 1000]

Generates N synthetic transcripts (bench/corpus.py, whose sentences recur
across documents as press-conference sentences do), extracts them for six
locales, translates every catalog (``<locale> <msgid>``), then adds a new
source whose sentences are 20% copies of the corpus's and 10% near copies, and
measures ``translate_project`` in process, with the memory and without it
(``pipeline.stages.project_memory`` replaced), on the same files:

* the run's wall and CPU seconds, and how many entries arrived pre-filled;
* the memory alone: bringing it in step with one locale's N catalogs (a
  stat each when nothing changed) and the lookups of the new catalog's entries;
* the first run builds ``.cache/memory.sqlite`` (every catalog read once);
  the next new source finds it warm.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

import pipeline.stages  # noqa: E402
from pipeline.catalogs import memory as tm  # noqa: E402
from pipeline.catalogs.memorystore import MemoryStore  # noqa: E402
from pipeline.catalogs.pofile import read_po, write_po  # noqa: E402
from pipeline.config import load_config  # noqa: E402

LOCALES = ["zh_CN", "fr", "ar", "es", "ru", "ja"]
NEW = "zz-new-brief"


def fill(paths: list[Path], locale: str) -> None:
    for p in paths:
        po = read_po(p, validated=True)
        for e in po:
            if not e.obsolete and e.msgid and not e.msgid_plural:
                e.msgstr = f"{locale} {e.msgid}"
        write_po(po, p)


def new_source(seeds: Path, rng: random.Random, name: str = NEW) -> tuple[int, int]:
    pool = sorted({e.msgid for e in polib.pofile(str(next(seeds.parent.glob("locale/fr/LC_MESSAGES/*.po"))))})
    pool = [s for s in pool if len(s) > 40]
    n = 40
    copies = rng.sample(pool, n // 5)
    near = [s.replace(" will ", " shall ", 1) if " will " in s else s + " Indeed." for s in rng.sample(pool, n // 10)]
    fresh = [
        f"Remark {i} on a subject no other transcript has touched, number {rng.randint(1, 10**6)}." for i in range(n)
    ]
    lines = copies + near + fresh[: n - len(copies) - len(near)]
    rng.shuffle(lines)
    (seeds / f"{name}.txt").write_text("Xinhua | July 5, 2024\nHu Henghua:\n" + "\n".join(lines) + "\n", "utf-8")
    (seeds / f"{name}.meta.toml").write_text(
        'title = "New"\nlanguage = "en"\n[[speakers]]\nname = "Hu Henghua"\nrole = "answer"\n', "utf-8"
    )
    return len(copies), len(near)


class _NoMemory:
    def fill(self, po: object, locale: str, domain: str) -> int:
        return 0

    def close(self) -> None:
        pass


def run(root: Path) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    report = pipeline.stages.translate_project(load_config(root))
    assert report.ok, report.errors
    return time.perf_counter() - t, time.process_time() - c


def prefilled(root: Path, name: str = NEW) -> int:
    cfg = load_config(root)
    return sum(1 for loc in LOCALES for e in polib.pofile(str(cfg.po_path(loc, name))) if e.msgstr and e.fuzzy)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--write", action="store_true", help="write docs/benchmarks-memory.md")
    args = ap.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = "1720137600"
    work = ROOT / "bench" / "out" / f"memory-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    seeds = write_corpus(work / "seeds", args.n)
    (work / "pipeline.toml").write_text(
        f'[project]\nname = "bench"\nlocales = {LOCALES!r}\n'.replace("'", '"'), "utf-8"
    )
    run(work)
    cfg = load_config(work)
    for loc in LOCALES:
        fill(sorted(cfg.po_path(loc, "x").parent.glob("*.po")), loc)
    run(work)  # catalogs recorded as current
    entries = sum(len(polib.pofile(str(p))) for p in cfg.po_path("fr", "x").parent.glob("*.po"))
    copies, near = new_source(seeds[0].parent, random.Random(3))
    snapshot = work.parent / f"memory-{args.n}-snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(work, snapshot)

    wall_tm, cpu_tm = run(work)  # the memory's cache (.cache/memory.sqlite) is built on this first use
    filled = prefilled(work)
    new_source(seeds[0].parent, random.Random(4), NEW + "-2")
    wall_warm, cpu_warm = run(work)
    filled_warm = prefilled(work, NEW + "-2")
    shutil.rmtree(work)
    shutil.copytree(snapshot, work)
    real = pipeline.stages.project_memory
    pipeline.stages.project_memory = lambda config, **options: _NoMemory()  # type: ignore[assignment,return-value]
    try:
        wall_no, cpu_no = run(work)
        filled_no = prefilled(work)
    finally:
        pipeline.stages.project_memory = real

    catalogs = [(p.stem, p) for p in sorted(cfg.po_path("fr", "x").parent.glob("*.po"))]
    with MemoryStore(work / ".cache" / "memory.sqlite") as store:
        t = time.perf_counter()
        reread = store.sync("fr", catalogs)  # the snapshot has no .cache/memory.sqlite: a cold start
        sync = time.perf_counter() - t
    with MemoryStore(work / ".cache" / "memory.sqlite") as store:
        t = time.perf_counter()
        reread_warm = store.sync("fr", catalogs)  # nothing changed: a stat per catalog
        sync_warm = time.perf_counter() - t
        po = polib.pofile(str(cfg.po_path("fr", NEW)))
        for e in po:
            if e.msgid:
                e.msgstr, e.flags = "", []
        todo = [e for e in po if tm.needs_translation(e)]
        t = time.perf_counter()
        hits = sum(1 for e in todo if store.lookup("fr", e.msgctxt, e.msgid, exclude=NEW) is not None)
        look = time.perf_counter() - t
    db_mb = (work / ".cache" / "memory.sqlite").stat().st_size / 1e6

    lines = [
        f"Corpus: {args.n} sources x {len(LOCALES)} locales, {entries} entries per locale, all translated; "
        f"a new source of ~{len(todo)} entries, {copies} sentences copied from the corpus and {near} near copies.  "
        f"Command: `.venv/bin/python bench/memory.py --n {args.n}`",
        "",
        "| run | wall s | CPU s | entries pre-filled (6 locales) |",
        "|---|---:|---:|---:|",
        f"| translate, new source, with memory (first use: cache built) | {wall_tm:.2f} | {cpu_tm:.2f} | {filled} |",
        f"| translate, another new source, with memory (cache warm) | {wall_warm:.2f} | {cpu_warm:.2f} "
        f"| {filled_warm} |",
        f"| translate, new source, without memory | {wall_no:.2f} | {cpu_no:.2f} | {filled_no} |",
        "",
        f"Memory in step for one locale ({len(catalogs)} catalogs): cold {sync * 1000:.0f} ms ({reread} read), "
        f"warm {sync_warm * 1000:.1f} ms ({reread_warm} read).  "
        f"Lookups: {len(todo)} entries, {hits} hits, {look * 1000 / max(1, len(todo)):.2f} ms an entry.  "
        f"`.cache/memory.sqlite`: {db_mb:.1f} MB.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        out = ROOT / "docs" / "benchmarks-memory.md"
        out.write_text("# Translation memory benchmark\n\n" + text + "\n", "utf-8")


if __name__ == "__main__":
    main()
