"""Benchmark of the render stage: CPU time per page and memory, per locale and for a 50-page brief.

Usage: ``.venv/bin/python bench/render.py [--rounds N] [--out docs/benchmarks-render.md]``

Renders the seed in every locale with a catalog, ``--rounds`` times in one
process (one shared FontConfiguration, as ``build`` does), then a synthetic
brief of about 50 pages (French).  Reports CPU seconds per page (HTML, glyph
check, WeasyPrint, post-processing) and the resident memory after each render,
so growth across renders shows.  A benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.build.run import build_brief  # noqa: E402
from pipeline.catalogs.extract import extract_pot  # noqa: E402
from pipeline.catalogs.merge import init_po  # noqa: E402
from pipeline.catalogs.pofile import write_po  # noqa: E402
from pipeline.config import UI_DOMAIN, load_config  # noqa: E402
from pipeline.sources.reader import read_document  # noqa: E402

EN = [
    "The committee reviewed the plan for the river port and the rail corridor.",
    "Officials said the new logistics park would open next spring.",
    "Investment in the western region grew faster than expected last year.",
    "The city will improve services for residents in the administrative area.",
]
FR = [
    "Le comité a examiné le plan du port fluvial et du corridor ferroviaire.",
    "Les responsables ont indiqué que le nouveau parc logistique ouvrirait au printemps prochain.",
    "L’investissement dans la région occidentale a progressé plus vite que prévu l’an dernier.",
    "La ville améliorera les services aux habitants de la zone administrative.",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def long_project(root: Path, paragraphs: int) -> Path:
    """A French brief of ``paragraphs`` numbered paragraphs in two speaker turns."""
    (root / "seeds").mkdir(parents=True)
    lines = ["Agency | July 5, 2024", "Alpha Desk:"]
    for i in range(paragraphs):
        if i == paragraphs // 2:
            lines.append("Beta Office:")
        lines.append(f"Paragraph {i + 1} opens here. " + " ".join(EN[(i + j) % 4] for j in range(2 + i % 9)))
    (root / "seeds" / "long.txt").write_text("\n".join(lines) + "\n", "utf-8")
    (root / "seeds" / "long.meta.toml").write_text('title = "Long Brief"\nlanguage = "en"\n', "utf-8")
    (root / "pipeline.toml").write_text(
        f'[project]\nlocales = ["fr"]\ntemplate_dir = "{(ROOT / "templates").as_posix()}"\n', "utf-8"
    )
    config = load_config(root)
    doc = read_document(config, root / "seeds" / "long.txt")
    po = init_po(extract_pot(doc), "fr", "")
    table = dict(zip(EN, FR, strict=True))
    for entry in po:
        if entry.msgid.startswith("Paragraph "):
            entry.msgstr = entry.msgid.replace("Paragraph", "Le paragraphe").replace("opens here", "commence ici")
        else:
            entry.msgstr = table.get(entry.msgid, entry.msgid)
    write_po(po, config.po_path("fr", "long"))
    ui = polib.pofile(str(ROOT / "locale" / "fr" / "LC_MESSAGES" / f"{UI_DOMAIN}.po"))
    ui.save(str(config.po_path("fr", UI_DOMAIN)))
    return root


def measure(config, doc, locale: str) -> tuple[float, float, int, float]:  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    result = build_brief(config, doc, locale, layout=config.layout)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pdf = next((config.root / f for f in result.files if f.endswith(".pdf")), None)
    n = pages(pdf) if pdf else 0
    return cpu, wall, n, rss_mb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="renders of the seed per locale (default 3)")
    parser.add_argument("--paragraphs", type=int, default=190, help="paragraphs of the long brief (about 50 pages)")
    parser.add_argument("--out", type=Path, help="also write the table as Markdown here")
    args = parser.parse_args()

    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        seed_config = load_config(ROOT)
        from dataclasses import replace

        seed_config = replace(seed_config, dist_dir=Path(tmp) / "dist")
        doc = read_document(seed_config, seed_config.sources[0])
        start = rss_mb()
        rows.append("| brief | locale | render | pages | CPU s | CPU s/page | wall s | RSS after (MB) |")
        rows.append("|---|---|---|---|---|---|---|---|")
        locales = [loc for loc in seed_config.locales if seed_config.po_path(loc, doc.slug).exists()]
        for r in range(1, args.rounds + 1):
            for loc in locales:
                cpu, wall, n, rss = measure(seed_config, doc, loc)
                if n:
                    rows.append(f"| seed | {loc} | {r} | {n} | {cpu:.2f} | {cpu / n:.3f} | {wall:.2f} | {rss:.0f} |")
                else:
                    rows.append(f"| seed | {loc} | {r} | held back | {cpu:.2f} | - | {wall:.2f} | {rss:.0f} |")
        long_root = long_project(Path(tmp) / "long", args.paragraphs)
        config = load_config(long_root)
        long_doc = read_document(config, config.sources[0])
        for r in (1, 2):
            cpu, wall, n, rss = measure(config, long_doc, "fr")
            rows.append(f"| long | fr | {r} | {n} | {cpu:.2f} | {cpu / n:.3f} | {wall:.2f} | {rss:.0f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = "\n".join(rows)
    summary = f"RSS before the first render: {start:.0f} MB; peak RSS of the process: {peak:.0f} MB."
    print(table)
    print(summary)
    if args.out:
        text = (
            "# Render benchmark\n\n"
            "Command: `.venv/bin/python bench/render.py --out docs/benchmarks-render.md` "
            f"({args.rounds} rounds of the seed per locale, then a {args.paragraphs}-paragraph French brief twice, "
            "all in one process with one shared FontConfiguration).\n\n"
            f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
            "2 cores. CPU seconds cover the whole brief: HTML, glyph check, font subsets, WeasyPrint, "
            "post-processing.\n\n"
            f"{table}\n\n{summary}\n"
        )
        args.out.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
