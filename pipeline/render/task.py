"""The render task: one brief's data in, its files' bytes out, nothing else touched.

In: a :class:`RenderJob`, everything the render needs as plain data: the
bilingual view (:class:`~pipeline.render.view.Brief`, from the source and its catalog),
the ``pipeline-ui`` catalog's bytes, the templates' text, the options and the
creation stamp.  Out: a :class:`RenderOutput` with the web page, the finished
PDF and the web-font subsets as bytes.  :func:`render_job` reads no project
file and writes none, so the same call runs in the build's own process, in a
local process pool (:mod:`pipeline.build.workers`) or on a Dask worker on another
machine; the build writes the files and records them.

What a task cannot take as data is the machine: fonts and library versions.
Each output carries :func:`environment`, the worker's fingerprint of them; the
build refuses output from a worker whose fingerprint differs from its own,
so distributing the build never changes a byte.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import platform
import resource
import time
from dataclasses import dataclass

from pipeline.catalogs.pofile import parse_bytes
from pipeline.errors import CatalogError
from pipeline.files import digest
from pipeline.render.fonts import web_fonts
from pipeline.render.html import (
    Templates,
    check_glyphs,
    creation_stamp,
    font_configuration,
    page_text,
    render_html,
    render_pdf,
)
from pipeline.render.view import Brief


@dataclass(frozen=True, slots=True)
class RenderJob:
    key: str  # "slug/locale": names the task in logs and on a Dask dashboard
    brief: Brief
    ui_catalog: bytes  # the locale's pipeline-ui .po file
    ui_path: str  # as messages show it
    templates: Templates
    layout: str
    draft: bool
    only_html: bool
    pdf_path: str  # as messages show it
    epoch: str | None  # SOURCE_DATE_EPOCH of the build, not of the worker


@dataclass(frozen=True, slots=True)
class RenderOutput:
    key: str
    html: bytes
    pdf: bytes | None
    fonts: tuple[tuple[str, bytes], ...]  # (file name in dist/fonts/, bytes)
    environment: str  # :func:`environment` of the worker that rendered it
    worker: str  # host:pid
    seconds: float  # CPU seconds of the render
    rss_mb: float  # the worker's resident memory after the render
    peak_rss_mb: float  # the worker's peak resident memory so far


@functools.lru_cache(maxsize=16)
def _translations(data: bytes, shown: str) -> gettext.NullTranslations:
    if not data:
        return gettext.NullTranslations()
    try:
        po = parse_bytes(data)
        return gettext.GNUTranslations(io.BytesIO(po.to_binary()))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot load translations: {exc}", shown) from None


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def render_job(job: RenderJob) -> RenderOutput:
    """Render one brief: web page, PDF, font subsets (see the module docstring)."""
    from pipeline.render.pdfpost import finish_pdf  # pikepdf: only where PDFs are made

    start = time.process_time()
    brief = job.brief
    translations = _translations(job.ui_catalog, job.ui_path)
    created = creation_stamp(brief.date, job.epoch)
    options = {"layout": job.layout, "draft": job.draft, "created": created}
    probe = render_html(brief, job.templates, translations, web=True, **options)  # type: ignore[arg-type]
    text = page_text(probe)
    check_glyphs(brief, probe, ui_path=job.ui_path, text=text)
    fonts = web_fonts(text)
    links = [(f, f"../fonts/{f.filename}") for f in fonts]
    page = render_html(brief, job.templates, translations, web=True, webfonts=links, **options)  # type: ignore[arg-type]
    pdf = None
    if not job.only_html:
        printed = render_html(brief, job.templates, translations, web=False, **options)  # type: ignore[arg-type]
        check_glyphs(brief, printed, ui_path=job.ui_path, content=False)
        raw = render_pdf(printed, what=job.pdf_path)
        pdf = finish_pdf(raw, page_lang=brief.target_lang, source_lang=brief.source_lang)
    return RenderOutput(
        key=job.key,
        html=page.encode("utf-8"),
        pdf=pdf,
        fonts=tuple((f.filename, f.data) for f in fonts),
        environment=environment(),
        worker=f"{platform.node()}:{os.getpid()}",
        seconds=time.process_time() - start,
        rss_mb=_rss_mb(),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


@functools.lru_cache(maxsize=1)
def environment() -> str:
    """What a render depends on besides its job: the pipeline, the libraries, the fonts (not their paths)."""
    from pipeline.build.depends import code_identity, font_identity

    return digest([code_identity(), font_identity()])


def init_worker() -> None:
    """Start of a render worker: one FontConfiguration for all its renders, fonts resolved once."""
    font_configuration()
    environment()
