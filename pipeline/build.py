"""``make`` / ``python -m pipeline build``: every source in every target locale -> ``dist/``.

For each source and locale: read the catalog (read-only), assemble the
bilingual view (:mod:`pipeline.view`), decide publication
(:func:`decide_publication`), then render (:mod:`pipeline.render`) and finish
the PDF (:mod:`pipeline.pdfpost`) into ``dist/<locale>/<slug>.html`` and
``.pdf``; font subsets for the web pages go to ``dist/fonts/``.  A brief held
back gets no files (stale ones are removed).  One failing brief never stops
the others; each result says what happened and why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import UI_DOMAIN, Config
from .errors import PipelineError, RenderError
from .fonts import WebFont, web_fonts
from .model import Document
from .pdfpost import finish_pdf
from .pofile import atomic_write, read_po
from .render import check_glyphs, page_text, render_html, render_pdf
from .stages import read_document
from .ui import load_translations
from .view import LAYOUTS, Brief, Coverage, bilingual_view

log = logging.getLogger("pipeline")

FINAL, DRAFT, HELD = "final", "draft", "held"


@dataclass(frozen=True, slots=True)
class Decision:
    status: str  # FINAL, DRAFT or HELD
    reason: str


def decide_publication(
    coverage: float, findings: Sequence[object] = (), *, final_threshold: float, draft_threshold: float
) -> Decision:
    """The publication gate: blocking QA findings hold a brief back; else its coverage decides."""
    if findings:
        first = str(findings[0])
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return Decision(HELD, f"{len(findings)} blocking QA finding(s): {first}{more}")
    if coverage >= final_threshold:
        return Decision(FINAL, f"coverage {coverage:.1f}% >= final threshold {final_threshold:g}%")
    if coverage >= draft_threshold:
        return Decision(
            DRAFT,
            f"coverage {coverage:.1f}% < final threshold {final_threshold:g}%, >= draft threshold {draft_threshold:g}%",
        )
    return Decision(HELD, f"coverage {coverage:.1f}% < draft threshold {draft_threshold:g}%")


@dataclass(frozen=True, slots=True)
class BriefResult:
    slug: str
    locale: str
    decision: Decision
    coverage: Coverage | None
    files: tuple[str, ...] = ()  # relative to the project root
    error: PipelineError | None = None

    def describe(self) -> str:
        words = {FINAL: "published", DRAFT: "published as draft", HELD: "held back"}
        head = f"{self.slug} [{self.locale}]"
        if self.error is not None:
            return f"{head}: failed: {self.error}"
        files = f" -> {', '.join(self.files)}" if self.files else ""
        return f"{head}: {words[self.decision.status]} ({self.decision.reason}){files}"


@dataclass
class BuildReport:
    results: list[BriefResult] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _catalog_view(config: Config, doc: Document, locale: str) -> Brief:
    path = config.po_path(locale, doc.slug)
    shown = config.rel(path)
    catalog = read_po(path, shown) if path.exists() else None
    return bilingual_view(doc, catalog, locale, catalog_path=shown)


def _write_web_fonts(config: Config, page: str) -> list[tuple[WebFont, str]]:
    fonts_dir = config.path(config.dist_dir) / "fonts"
    out: list[tuple[WebFont, str]] = []
    for font in web_fonts(page_text(page)):
        target = fonts_dir / font.filename
        if not target.exists():
            atomic_write(target, font.data)
        out.append((font, Path("..", "fonts", font.filename).as_posix()))
    return out


def build_brief(
    config: Config,
    doc: Document,
    locale: str,
    *,
    layout: str,
    only_html: bool = False,
    findings: Sequence[object] = (),
) -> BriefResult:
    """Render one source in one locale, or hold it back; writes into ``dist/<locale>/``."""
    brief = _catalog_view(config, doc, locale)
    decision = decide_publication(
        brief.coverage.percent,
        findings,
        final_threshold=config.final_threshold,
        draft_threshold=config.draft_threshold,
    )
    out_dir = config.path(config.dist_dir) / locale
    html_path, pdf_path = out_dir / f"{doc.slug}.html", out_dir / f"{doc.slug}.pdf"
    if decision.status == HELD:
        for stale in (html_path, pdf_path):
            stale.unlink(missing_ok=True)
        return BriefResult(doc.slug, locale, decision, brief.coverage)
    translations = load_translations(config, locale)
    ui_path = config.rel(config.po_path(locale, UI_DOMAIN))
    template_dir = config.path(config.template_dir)
    draft = decision.status == DRAFT
    probe = render_html(brief, template_dir, translations, layout=layout, draft=draft, web=True)
    check_glyphs(brief, probe, ui_path=ui_path)
    fonts = _write_web_fonts(config, probe)
    page = render_html(brief, template_dir, translations, layout=layout, draft=draft, web=True, webfonts=fonts)
    atomic_write(html_path, page.encode("utf-8"))
    files = [config.rel(html_path)]
    if only_html:
        pdf_path.unlink(missing_ok=True)
    else:
        printed = render_html(brief, template_dir, translations, layout=layout, draft=draft, web=False)
        check_glyphs(brief, printed, ui_path=ui_path)
        raw = render_pdf(printed, base_url=out_dir.as_uri() + "/", what=config.rel(pdf_path))
        atomic_write(pdf_path, finish_pdf(raw, page_lang=brief.target_lang, source_lang=brief.source_lang))
        files.append(config.rel(pdf_path))
    return BriefResult(doc.slug, locale, decision, brief.coverage, tuple(files))


def build_project(
    config: Config,
    *,
    locales: Sequence[str] | None = None,
    layout: str | None = None,
    only_html: bool = False,
) -> BuildReport:
    """Every source in every locale (or those given); a failing brief never stops the rest."""
    report = BuildReport()
    layout = layout or config.layout
    if layout not in LAYOUTS:
        report.errors.append(
            RenderError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}", "pipeline.toml")
        )
        return report
    targets = list(locales or config.locales)
    sources = config.sources
    log.info("Step 1 - reading %d source(s)", len(sources))
    docs: list[Document] = []
    for path in sources:
        try:
            docs.append(read_document(config, path))
        except PipelineError as exc:
            report.errors.append(exc)
    log.info(
        "Step 2 - rendering %d brief(s) into %s", len(docs) * len(targets), config.rel(config.path(config.dist_dir))
    )
    for doc in docs:
        for locale in targets:
            try:
                result = build_brief(config, doc, locale, layout=layout, only_html=only_html)
            except PipelineError as exc:
                report.errors.append(exc)
                result = BriefResult(doc.slug, locale, Decision(HELD, "render failed"), None, error=exc)
            log.info("%s", result.describe())
            report.results.append(result)
    _remove_unused_fonts(config)
    return report


def _remove_unused_fonts(config: Config) -> None:
    """Drop font subsets no page in ``dist/`` refers to any more (they are content-addressed)."""
    dist = config.path(config.dist_dir)
    fonts = dist / "fonts"
    if not fonts.is_dir():
        return
    used: set[str] = set()
    for page in dist.glob("*/*.html"):
        used.update(re.findall(r'url\("\.\./fonts/([^"/]+)"\)', page.read_text("utf-8")))
    for font in fonts.iterdir():
        if font.is_file() and font.name not in used:
            font.unlink()
