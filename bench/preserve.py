"""Benchmark: the format-preserving catalog write against a plain msgcat-layout write.

Usage: .venv/bin/python bench/preserve.py [--n 200]

Generates N synthetic transcripts (bench/corpus.py), extracts them into French
catalogs, translates every entry, then times, in process and on the same
parsed catalogs (best of 5 runs, CPU seconds):

* ``format_po``: the whole catalog in msgcat's layout (what ``translate`` wrote before issue 13);
* the preserving write (``pofile._preserving``) with nothing to merge;
* the same with one entry's msgstr changed in every catalog;
* the same on catalogs in translate-toolkit's layout (Weblate's), one entry changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # po_styles: the other tools' layouts, as the tests write them

from corpus import write_corpus  # noqa: E402
from po_styles import weblate  # noqa: E402

from pipeline.catalogs.pofile import _preserving, format_po, parse_bytes, write_po  # noqa: E402


def best(run: Callable[[], object], times: int = 5) -> float:
    out = []
    for _ in range(times):
        t = time.process_time()
        run()
        out.append(time.process_time() - t)
    return min(out)


def _format_all(catalogs: list[polib.POFile]) -> None:
    for po in catalogs:
        format_po(po)


def _preserve_all(catalogs: list[polib.POFile], data: list[bytes], olds: list[polib.POFile]) -> None:
    for po, old, old_po in zip(catalogs, data, olds, strict=True):
        _preserving(po, old, old_po)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1720137600")
    work = ROOT / "bench" / "out" / f"preserve-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    write_corpus(work / "seeds", args.n)
    (work / "pipeline.toml").write_text('[project]\nname = "bench"\nlocales = ["fr"]\n', "utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "translate"], cwd=work, check=True, env=env)
    files = sorted((work / "locale" / "fr" / "LC_MESSAGES").glob("*.po"))
    for p in files:
        po = polib.pofile(str(p))
        for e in po:
            if not e.obsolete and e.msgid:
                e.msgstr = "FR " + e.msgid
        write_po(po, p)
    msgcat = [p.read_bytes() for p in files]
    rows = []
    for label, data in (("msgcat's layout", msgcat), ("translate-toolkit's layout", [weblate(d) for d in msgcat])):
        olds = [parse_bytes(d) for d in data]
        same = [parse_bytes(d) for d in data]
        edited = [parse_bytes(d) for d in data]
        for po in edited:
            [e for e in po if not e.obsolete][3].msgstr += " (edited)"
        if label == "msgcat's layout":
            rows.append(("format_po (whole catalog, msgcat's layout)", best(partial(_format_all, edited))))
        rows.append((f"{label}, nothing to merge", best(partial(_preserve_all, same, data, olds))))
        rows.append((f"{label}, one entry changed", best(partial(_preserve_all, edited, data, olds))))
    entries = sum(len(parse_bytes(d)) for d in msgcat)
    print(f"{len(files)} catalogs, {entries} entries; CPU ms, best of 5")
    print("| write | CPU ms |\n|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds * 1000:.0f} |")


if __name__ == "__main__":
    main()
