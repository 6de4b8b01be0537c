"""Small synthetic projects for the renderer's tests: a source, its catalogs, a build.

``make_project`` writes a throwaway project (source, metadata, pipeline.toml,
catalogs filled from a translation function) that uses the real templates and
the real interface translations; ``build`` renders it.  Helpers read PDFs with
poppler (``pdftotext -bbox``) and pikepdf.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from pipeline.build.run import BuildOptions, BuildReport, build_project
from pipeline.catalogs.extract import extract_pot
from pipeline.catalogs.merge import init_po
from pipeline.catalogs.pofile import write_po
from pipeline.config import UI_DOMAIN, load_config
from pipeline.sources.reader import read_document

ROOT = Path(__file__).resolve().parent.parent
SLUG = "brief"

Translate = Callable[[str, str | None], str | None]  # (msgid, msgctxt) -> msgstr, None: untranslated


def make_project(
    root: Path,
    body: str,
    translations: dict[str, Translate],
    *,
    title: str = "Sweep Brief",
    speakers: str = "",
    layout: str = "side-by-side",
    final: int = 100,
    draft: int = 40,
    fuzzy: Callable[[str, str], bool] = lambda locale, msgid: False,
    notes: dict[str, str] | None = None,
    slug: str = SLUG,
) -> Path:
    """A project in ``root`` with one source and a catalog per locale of ``translations``.

    ``notes``: translator comments by msgid, e.g. a ``qa:`` suppression.  Called again with
    another ``slug``, it adds a source to the project.
    """
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "seeds" / f"{slug}.txt").write_text(body, "utf-8")
    (root / "seeds" / f"{slug}.meta.toml").write_text(f'title = "{title}"\nlanguage = "en"\n{speakers}', "utf-8")
    locales = ", ".join(f'"{loc}"' for loc in translations)
    (root / "pipeline.toml").write_text(
        f'[project]\nname = "Test"\nlocales = [{locales}]\ntemplate_dir = "{(ROOT / "templates").as_posix()}"\n'
        f'[publish]\nfinal_threshold = {final}\ndraft_threshold = {draft}\nlayout = "{layout}"\n',
        "utf-8",
    )
    config = load_config(root)
    doc = read_document(config, root / "seeds" / f"{slug}.txt")
    pot = extract_pot(doc)
    for locale, translate in translations.items():
        po = init_po(pot, locale, "")
        for entry in po:
            text = translate(entry.msgid, entry.msgctxt)
            if text is not None:
                entry.msgstr = text
                if fuzzy(locale, entry.msgid):
                    entry.flags.append("fuzzy")
            if notes and entry.msgid in notes:
                entry.tcomment = notes[entry.msgid]
        write_po(po, config.po_path(locale, slug))
        ui = ROOT / "locale" / locale / "LC_MESSAGES" / f"{UI_DOMAIN}.po"
        shutil.copy(ui, config.po_path(locale, UI_DOMAIN))
    return root


def build(root: Path, **options: object) -> BuildReport:
    report = build_project(load_config(root), BuildOptions(**options))  # type: ignore[arg-type]
    assert report.ok, [str(e) for e in report.errors]
    return report


def outputs(root: Path, locale: str) -> tuple[Path, Path]:
    return root / "dist" / locale / f"{SLUG}.html", root / "dist" / locale / f"{SLUG}.pdf"


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdf_words(pdf: Path) -> list[Word]:
    """Every word with its box in points, from poppler's ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", pdf.as_posix(), "-"], capture_output=True, text=True, check=True).stdout
    words: list[Word] = []
    page = 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            continue
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            words.append(Word(page, html.unescape(m.group(5)), x0, y0, x1, y1))
    return words


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, pdf.as_posix(), "-"], capture_output=True, text=True, check=True).stdout


def struct_elements(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, list[str]]]:
    """Every structure element reachable from the root, with the tags of its ancestors."""
    found: list[tuple[pikepdf.Dictionary, list[str]]] = []

    def walk(elem: pikepdf.Dictionary, path: list[str]) -> None:
        found.append((elem, path))
        kids = elem.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, [*path, str(elem.S)])

    for top in pdf.Root.StructTreeRoot.K:
        walk(top, [])
    return found


def squash(text: str) -> str:
    """Text for order comparisons: no whitespace, no hyphens (line-end hyphenation)."""
    return re.sub(r"[\s\-\u2010\u00ad\u2066-\u2069]+", "", text)
