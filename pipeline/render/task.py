"""The render task: one brief's data in, its files' bytes out, nothing else touched.

In: a :class:`RenderJob`, everything the render needs as plain data: the
bilingual view (:class:`~pipeline.render.view.Brief`, from the source and its
catalog), the ``pipeline-ui`` catalog compiled to ``.mo`` bytes (the task parses
no catalog), the templates' text, the options and the creation stamp.  Out:
a :class:`RenderOutput` with the web page, the finished PDF and the web-font
subsets as bytes.  :func:`render_job` reads no project
file and writes none, so the same call runs in the build's own process, in a
local process pool (:mod:`pipeline.build.workers`) or on a Dask worker on another
machine; the build writes the files and records them.

What a task cannot take as data is the machine: fonts and library versions.
Each output carries :func:`environment`, the worker's fingerprint of them; the
build refuses output from a worker whose fingerprint differs from its own,
so distributing the build never changes a byte.
"""

from __future__ import annotations

import os
import platform
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.render.environment import environment
from pipeline.render.fonts import WebFont, web_fonts
from pipeline.render.html import (
    Templates,
    check_glyphs,
    creation_stamp,
    font_configuration,
    page_text,
    render_html,
    render_pdf,
    translations,
)
from pipeline.render.view import Brief


@dataclass(frozen=True, slots=True)
class RenderJob:
    key: str  # "slug/locale": names the task in logs and on a Dask dashboard
    brief: Brief
    ui_mo: bytes  # the locale's pipeline-ui catalog, compiled (.mo; b"": none): the build parses catalogs
    ui_path: str  # as messages show it
    templates: Templates
    layout: str
    draft: bool
    only_html: bool
    pdf_path: str  # as messages show it
    epoch: str | None  # SOURCE_DATE_EPOCH of the build, not of the worker
    numbers: bool = False  # paragraph and sentence numbers in both columns
    siblings: tuple[str, ...] = ()  # the other locales this brief is published in (the build decides)
    preview: bool = False  # serve's pages: each translated segment carries its id for the inspector


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


def _rss_mb() -> float:
    try:
        with Path("/proc/self/status").open(encoding="ascii") as fh:
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
    ui = translations(job.ui_mo, job.ui_path)
    created = creation_stamp(brief.date, job.epoch)

    def page(*, web: bool, webfonts: Sequence[tuple[WebFont, str]] = ()) -> str:
        return render_html(
            brief,
            job.templates,
            ui,
            layout=job.layout,
            draft=job.draft,
            created=created,
            web=web,
            webfonts=webfonts,
            pdf=not job.only_html,
            numbers=job.numbers,
            siblings=job.siblings,
            preview=job.preview and web,
        )

    probe = page(web=True)
    text = page_text(probe)
    check_glyphs(brief, probe, ui_path=job.ui_path, text=text)
    fonts = web_fonts(text)
    links = [(f, f"../fonts/{f.filename}") for f in fonts]
    web_page = page(web=True, webfonts=links)
    pdf = None
    if not job.only_html:
        printed = page(web=False)
        check_glyphs(brief, printed, ui_path=job.ui_path, content=False)
        if job.layout == "facing":
            from pipeline.render.facing import render_facing

            raw = render_facing(
                brief, job.templates, ui, draft=job.draft, created=created, what=job.pdf_path, numbers=job.numbers
            )
        else:
            raw = render_pdf(printed, what=job.pdf_path)
        facing = job.layout == "facing"
        pdf = finish_pdf(raw, page_lang=brief.target_lang, source_lang=brief.source_lang, facing=facing)
    return RenderOutput(
        key=job.key,
        html=web_page.encode("utf-8"),
        pdf=pdf,
        fonts=tuple((f.filename, f.data) for f in fonts),
        environment=environment(),
        worker=f"{platform.node()}:{os.getpid()}",
        seconds=time.process_time() - start,
        rss_mb=_rss_mb(),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def init_worker() -> None:
    """Start of a render worker: one FontConfiguration for all its renders, fonts resolved once."""
    font_configuration()
    environment()
