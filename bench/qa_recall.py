"""Recall of ``check`` on injected translator errors, false alarms on the clean catalogs, and pofilter's.

Usage: .venv/bin/python bench/qa_recall.py [--no-pofilter] [--show-missed] [--markdown]

The set is ``tests/qa_injected/errors.toml``: each item is one entry of a
shipped catalog with its shipped translation (``correct``) and an erroneous
one (``wrong``).  Each item is injected alone into a copy of its catalog; it
is *caught* when the check reports on that entry a finding (error or warning)
the clean catalog does not have.  False alarms: every finding on the clean,
complete shipped catalogs (zh_CN, ja, fr, ar).  pofilter (Translate Toolkit,
default tests, ``--language``) is scored the same way on the same files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.qa.check import check_catalog  # noqa: E402
from pipeline.qa.findings import Finding  # noqa: E402
from pipeline.qa.glossary import read_glossary  # noqa: E402

SET = ROOT / "tests" / "qa_injected" / "errors.toml"
DOMAIN = "2024-07-05-chongqing-press-conference"
LOCALES = ("zh_CN", "ja", "fr", "ar")


@dataclass(frozen=True)
class Item:
    id: int
    locale: str
    kind: str
    msgid: str
    msgctxt: str | None
    correct: str
    wrong: str


def load_items(path: Path = SET) -> list[Item]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Item(e["id"], e["locale"], e["kind"], e["msgid"], e.get("msgctxt"), e["correct"], e["wrong"])
        for e in data["error"]
    ]


def shipped(locale: str, root: Path = ROOT) -> Path:
    return root / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def inject(item: Item, out: Path, root: Path = ROOT) -> Path:
    """A copy of the item's catalog with its one error in it, at ``out/<locale>/LC_MESSAGES/<domain>.po``."""
    po = polib.pofile(shipped(item.locale, root).as_posix(), wrapwidth=79)
    entry = po.find(item.msgid, msgctxt=item.msgctxt)
    if entry is None or entry.msgstr != item.correct:
        raise ValueError(f"item {item.id}: the shipped catalog no longer has its correct translation")
    entry.msgstr = item.wrong
    path = out / str(item.id) / item.locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(path.as_posix())
    return path


def _on(findings: list[Finding], item: Item) -> set[tuple[str, str, str]]:
    return {(f.check, f.message, f.severity) for f in findings if f.msgid == item.msgid and f.msgctxt == item.msgctxt}


@dataclass
class Score:
    caught: dict[int, list[str]]  # item id -> the checks that caught it (empty: missed)
    clean_findings: list[Finding]
    blocked: set[int] = field(default_factory=set)  # items caught by an error (publication held back)

    def recall(self, items: list[Item], kind: str | None = None) -> tuple[int, int]:
        chosen = [i for i in items if kind is None or i.kind == kind]
        return sum(1 for i in chosen if self.caught[i.id]), len(chosen)


def score_check(items: list[Item], work: Path, root: Path = ROOT) -> Score:
    glossary = read_glossary(root / "locale" / "glossary.tbx", "locale/glossary.tbx")
    clean = {
        loc: check_catalog(shipped(loc, root), locale=loc, domain=DOMAIN, glossary=glossary).findings for loc in LOCALES
    }
    caught: dict[int, list[str]] = {}
    blocked: set[int] = set()
    for item in items:
        path = inject(item, work, root)
        found = check_catalog(path, locale=item.locale, domain=DOMAIN, glossary=glossary).findings
        new = _on(found, item) - _on(clean[item.locale], item)
        caught[item.id] = sorted({c for c, _, _ in new})
        if any(sev == "error" for _, _, sev in new):
            blocked.add(item.id)
    return Score(caught, [f for loc in LOCALES for f in clean[loc]], blocked)


def _pofilter_hits(out: Path) -> dict[tuple[str | None, str], set[str]]:
    hits: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    if not out.exists():
        return hits
    for e in polib.pofile(out.as_posix()):
        for line in (e.tcomment or "").splitlines() + (e.comment or "").splitlines():
            if "(pofilter)" in line:
                hits[(e.msgctxt, e.msgid)].add(line.split("(pofilter)", 1)[1].split(":", 1)[0].strip())
    return hits


def score_pofilter(items: list[Item], work: Path, root: Path = ROOT) -> Score:
    pofilter = shutil.which("pofilter") or str(Path(sys.executable).parent / "pofilter")
    caught: dict[int, list[str]] = {}
    clean_count = 0
    for loc in LOCALES:
        src, dst = work / "pofilter-in" / loc, work / "pofilter-out" / loc
        src.mkdir(parents=True)
        dst.mkdir(parents=True)
        shutil.copy(shipped(loc, root), src / "clean.po")
        for item in items:
            if item.locale == loc:
                shutil.copy(inject(item, work / "pofilter-tmp", root), src / f"{item.id}.po")
        subprocess.run(
            [pofilter, "--progress=none", f"--language={loc}", "-i", str(src), "-o", str(dst)],
            check=True,
            capture_output=True,
        )
        clean = _pofilter_hits(dst / "clean.po")
        clean_count += sum(len(v) for v in clean.values())
        for item in items:
            if item.locale == loc:
                key = (item.msgctxt, item.msgid)
                caught[item.id] = sorted(_pofilter_hits(dst / f"{item.id}.po")[key] - clean[key])
    score = Score(caught, [])
    score.clean_findings = [Finding("pofilter", "warning", "", None, "")] * clean_count
    return score


def table(items: list[Item], ours: Score, theirs: Score | None) -> str:
    kinds = sorted(Counter(i.kind for i in items))
    head = "| kind | items | check | of which errors |" + (" pofilter |" if theirs else "")
    rows = [head, "|---|---:|---:|---:|" + ("---:|" if theirs else "")]

    def cell(s: Score, kind: str | None) -> str:
        got, n = s.recall(items, kind)
        return f"{got}/{n} ({100 * got / n:.0f}%)"

    for kind in [*kinds, None]:
        n = ours.recall(items, kind)[1]
        name = kind or "**all**"
        errors = sum(1 for i in items if (kind is None or i.kind == kind) and i.id in ours.blocked)
        rows.append(
            f"| {name} | {n} | {cell(ours, kind)} | {errors} |" + (f" {cell(theirs, kind)} |" if theirs else "")
        )
    clean = f"| findings on the clean catalogs | | {len(ours.clean_findings)} | |"
    rows.append(clean + (f" {len(theirs.clean_findings)} |" if theirs else ""))
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pofilter", action="store_true")
    parser.add_argument("--show-missed", action="store_true")
    args = parser.parse_args()
    items = load_items()
    with tempfile.TemporaryDirectory() as tmp:
        ours = score_check(items, Path(tmp) / "check")
        theirs = None if args.no_pofilter else score_pofilter(items, Path(tmp) / "pofilter")
    print(table(items, ours, theirs))
    for f in ours.clean_findings:
        print(f"false alarm: {f}")
    if args.show_missed:
        for i in items:
            if not ours.caught[i.id]:
                print(f"missed #{i.id} {i.locale} {i.kind}: {i.wrong}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
