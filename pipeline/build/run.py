"""``make`` / ``python -m pipeline build``: every source in every target locale -> ``dist/``.

Steps, each logged:

1. **Plan.**  For each source and locale, the digests of what the brief
   depends on (:mod:`pipeline.build.depends`) against the build database
   (:mod:`pipeline.cache`): a brief whose inputs and files are unchanged is
   up to date and is not touched; any other is rebuilt, with the reason
   (new, catalog changed, templates changed, output missing, ...).
2. **Gate.**  For each brief to rebuild, in this process: read the source;
   check its catalog (:func:`pipeline.qa.check.gate_check`, on the bytes the
   planning step hashed, parsed once and then shared with the view), with the
   glossary read once a run and the interface catalog checked once a locale;
   pair source and translation (:mod:`pipeline.render.view`); decide with the
   one publication rule (:mod:`pipeline.qa.gate`) on the coverage ``stats``,
   ``check`` and the index pages show.  A brief held back gets no files (stale
   ones are removed).
3. **Render.**  Each brief to publish becomes a :class:`~pipeline.render.task.RenderJob`
   (pure data: the view, the interface catalog compiled once a locale), run
   here, in a local process pool or on Dask (:mod:`pipeline.build.workers`);
   this process writes the bytes it returns into ``dist/<locale>/`` and
   ``dist/fonts/`` (atomically) and records them.
4. **Publish.**  Index pages, manifest, checksums and per-locale archives
   (:mod:`pipeline.build.publish`), each rewritten only when its inputs changed.

One failing brief never stops the others; each result says what happened and
why.  Deleting ``dist/`` or ``.cache/`` only costs a full build, which gives
the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from pipeline.build.depends import REASONS, InputReader, Inputs
from pipeline.build.publish import BriefRecord, publish_dist
from pipeline.build.workers import run_jobs
from pipeline.cache import BuildDB, damaged
from pipeline.catalogs.pofile import compile_mo
from pipeline.config import UI_DOMAIN, Config
from pipeline.errors import CatalogError, PipelineError, RenderError, os_error
from pipeline.files import atomic_write, read_or_empty
from pipeline.lang import bcp47
from pipeline.model import Document
from pipeline.qa.check import CatalogResult, gate_check, load_glossary
from pipeline.qa.findings import PARSE_CHECK, Finding
from pipeline.qa.gate import DRAFT, FINAL, HELD, Decision, Thresholds, decide
from pipeline.qa.glossary import Glossary as Terms
from pipeline.render.environment import environment
from pipeline.render.html import load_templates, source_date_epoch
from pipeline.render.task import RenderJob, RenderOutput, render_job
from pipeline.render.view import LAYOUTS, Brief, Coverage, bilingual_view
from pipeline.sources.reader import read_document, source_language

log = logging.getLogger("pipeline")

FAILED = "failed"
STEP = "brief:"  # build-database keys: brief:<slug>:<locale>


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What ``python -m pipeline build`` takes besides the project (see :func:`build_project`)."""

    locales: tuple[str, ...] | None = None  # default: every locale of pipeline.toml
    layout: str | None = None  # default: pipeline.toml's
    numbers: bool | None = None  # paragraph and sentence numbers; default: pipeline.toml's
    only_html: bool = False
    jobs: int = 1  # render processes on this machine
    scheduler: str | None = None  # a Dask scheduler's address: render there instead
    force: bool = False  # rebuild every brief
    publish: bool = True  # index pages, manifest, checksums, archives


@dataclass(frozen=True, slots=True)
class _Settings:
    """What every render of one run shares."""

    layout: str
    only_html: bool
    epoch: str | None  # SOURCE_DATE_EPOCH
    numbers: bool = False


@dataclass(frozen=True, slots=True)
class BriefResult:
    slug: str
    locale: str
    decision: Decision
    coverage: Coverage | None
    files: tuple[str, ...] = ()  # relative to the project root
    error: PipelineError | None = None
    rebuilt: tuple[str, ...] = ()  # why it was rebuilt; empty when it was up to date
    blocking: tuple[str, ...] = ()  # the QA findings that hold it back

    def describe(self) -> str:
        words = {FINAL: "published", DRAFT: "published as draft", HELD: "held back"}
        head = f"{self.slug} [{self.locale}]"
        if self.error is not None:
            return f"{head}: failed: {self.error}"
        files = f" -> {', '.join(self.files)}" if self.files else ""
        return f"{head}: {words[self.decision.status]} ({self.decision.reason}){files}"


@dataclass(frozen=True, slots=True)
class RenderStat:
    key: str  # slug/locale
    worker: str  # host:pid
    seconds: float  # CPU seconds in the worker
    rss_mb: float  # the worker's resident memory after the render


@dataclass
class BuildReport:
    results: list[BriefResult] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    where: str = ""  # where the renders ran
    rendered: int = 0  # briefs typeset in this run
    removed: list[str] = field(default_factory=list)  # files of briefs that no longer exist
    published: list[str] = field(default_factory=list)  # dist/ extras written in this run
    seconds: float = 0.0
    renders: list[RenderStat] = field(default_factory=list)  # one per brief typeset, in the order they finished

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def held_for_errors(self) -> list[BriefResult]:
        """Briefs held back by an error finding (QA, or a catalog gettext cannot read), not by their coverage."""
        return [r for r in self.results if r.error is None and r.decision.status == HELD and r.blocking]

    @property
    def rebuilt(self) -> list[BriefResult]:
        return [r for r in self.results if r.rebuilt]

    @property
    def up_to_date(self) -> list[BriefResult]:
        return [r for r in self.results if not r.rebuilt]

    def summary(self) -> str:
        reasons: dict[str, int] = {}
        for r in self.rebuilt:
            for why in r.rebuilt:
                key = why.split(":")[0]
                reasons[key] = reasons.get(key, 0) + 1
        why = f" ({', '.join(f'{n} {k}' for k, n in sorted(reasons.items()))})" if reasons else ""
        status = {
            s: sum(1 for r in self.results if r.error is None and r.decision.status == s) for s in (FINAL, DRAFT, HELD)
        }
        failed = sum(1 for r in self.results if r.error is not None)
        where = f", rendered {self.rendered} {self.where}" if self.rendered else ""
        return (
            f"build: {len(self.rebuilt)} rebuilt{why}, {len(self.up_to_date)} up to date; "
            f"{status[FINAL]} final, {status[DRAFT]} draft, {status[HELD]} held back, {failed} failed"
            f"{where}; {self.seconds:.1f} s"
        )


class Reporter(Protocol):
    """What the build tells as it goes: how many briefs it rebuilds, then each one as it is done."""

    def start(self, total: int) -> None: ...

    def result(self, result: BriefResult) -> None: ...


class LogReporter:
    """The default: the build's log (the CLI uses :class:`pipeline.build.progress.BuildProgress`)."""

    def start(self, total: int) -> None:
        log.info("Step 2 - gating and rendering %d brief(s)", total)

    def result(self, result: BriefResult) -> None:
        log.info("%s%s", result.describe(), f" [{'; '.join(result.rebuilt)}]" if result.rebuilt else "")


# -- step 2: the gate ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gated:
    decision: Decision
    brief: Brief | None
    coverage: Coverage | None
    blocking: tuple[str, ...]
    revision: str  # PO-Revision-Date of the catalog
    checked: CatalogResult | None = None  # the catalog as the gate checked and parsed it (all findings, ``po``)


Glossary = tuple[Terms | None, list[Finding]]  # load_glossary's answer: the terms (or None) and its own findings


def gate_brief(
    config: Config,
    doc: Document,
    locale: str,
    catalog: bytes,
    extra: Sequence[object] = (),
    *,
    glossary: Glossary | None = None,
) -> Gated:
    """Decide one brief: QA errors (``extra``: the interface catalog's), a catalog in step, coverage.

    ``catalog``: the catalog's bytes, checked and parsed once here; the view is made from that parse.
    """
    result, blocking = gate_check(config, locale, doc.slug, data=catalog, glossary=glossary)
    findings: list[object] = [*blocking, *extra]
    thresholds = Thresholds.of(config)
    if result.po is None or result.stats is None:  # no catalog, or one gettext cannot read
        parse = [f for f in result.findings if f.check == PARSE_CHECK]
        blocked = tuple(str(f) for f in findings)
        return Gated(decide(0.0, parse, thresholds=thresholds), None, None, blocked, "", result)
    brief = bilingual_view(doc, result.po, locale, catalog_path=result.path)
    revision = result.po.metadata.get("PO-Revision-Date", "")
    cov = brief.coverage
    stale = ""
    if not cov.in_step:
        stale = (
            f"catalog {result.path} is out of date with {doc.path} ({cov.missing} segment(s) missing, "
            f"{cov.unused} no longer in the source): run `python -m pipeline translate`"
        )
    decision = decide(result.stats.coverage, findings, thresholds=thresholds, stale=stale)
    return Gated(decision, None if stale else brief, cov, tuple(str(f) for f in findings), revision, result)


# -- the build -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Todo:
    key: str
    path: Path  # the source
    slug: str
    locale: str
    inputs: Inputs
    catalog: bytes
    why: tuple[str, ...]


def _paths(config: Config, slug: str, locale: str) -> tuple[Path, Path]:
    out = config.path(config.dist_dir) / locale
    return out / f"{slug}.html", out / f"{slug}.pdf"


def _result(record: BriefRecord, rebuilt: tuple[str, ...] = ()) -> BriefResult:
    cov = Coverage(record.translated, record.fuzzy, record.total) if record.coverage is not None else None
    decision = Decision(record.status, record.reason)
    return BriefResult(record.slug, record.locale, decision, cov, record.files, None, rebuilt, record.blocking)


class _Run:
    """One run of :func:`build_project`: steps 2 and 3 for the briefs to rebuild."""

    def __init__(
        self, config: Config, db: BuildDB, reader: InputReader, report: BuildReport, reporter: Reporter, run: _Settings
    ) -> None:
        self.config, self.db, self.reader, self.report, self.reporter = config, db, reader, report, reporter
        self.settings = run
        notes = {k: json.loads(v) for k, v in db.raw_notes(STEP).items()}
        self.noted = set(notes)
        self.failed_before = {k for k, v in notes.items() if "failed" in v}
        self.records = {k: BriefRecord.from_json(v) for k, v in notes.items() if "failed" not in v}
        self.pending: dict[str, tuple[_Todo, Document, Gated]] = {}
        self._ui: dict[str, tuple[list[object], bytes]] = {}
        self._glossary: Glossary | None = None
        self._last_commit = time.monotonic()
        self.gates: dict[str, tuple[Document, Gated] | PipelineError] = {}  # gated while planning
        self.siblings: dict[str, tuple[str, ...]] = {}  # per brief: the other locales it is published in
        self._docs: dict[str, Document] = {}

    def document(self, path: Path) -> Document:
        """A source, read once while planning (every changed brief of it is gated then)."""
        name = path.as_posix()
        if name not in self._docs:
            self._docs[name] = read_document(self.config, path)
        return self._docs[name]

    def gate_early(self, key: str, path: Path, locale: str, catalog: bytes) -> None:
        """Gate a changed brief while planning: its decision tells its siblings whether to link to it."""
        try:
            doc = self.document(path)
            ui_blocking, _ui_mo = self.interface(locale)
            gated = gate_brief(self.config, doc, locale, catalog, ui_blocking, glossary=self.glossary)
            # Held until the brief's job: without the parsed catalog, which the build never reads again.
            self.gates[key] = (doc, replace(gated, checked=None))
        except PipelineError as exc:
            self.gates[key] = exc

    def published(self, sources: Sequence[Path], changed: dict[str, list[str]]) -> dict[str, set[str]]:
        """Per source, the locales whose web page this build leaves in ``dist/`` (gated now, or kept)."""
        out: dict[str, set[str]] = {}
        for path in sources:
            slug = path.name.removesuffix(".txt")
            for locale in self.config.locales:
                key = f"{STEP}{slug}:{locale}"
                gate = self.gates.get(key)
                if isinstance(gate, tuple):
                    gated = gate[1]
                    written = gated.brief is not None and gated.decision.status != HELD
                elif gate is not None:  # it fails: no files
                    written = False
                else:  # unchanged, or not built this run (--locale): as recorded
                    record = self.records.get(key)
                    written = record is not None and bool(record.files) and not changed.get(key)
                if written:
                    out.setdefault(slug, set()).add(locale)
        return out

    @property
    def glossary(self) -> Glossary:
        """``locale/glossary.tbx``, read once a run (the first time a brief is gated)."""
        if self._glossary is None:
            self._glossary = load_glossary(self.config)
        return self._glossary

    def interface(self, locale: str) -> tuple[list[object], bytes]:
        """The locale's interface catalog, checked and compiled once a run: its blocking errors and ``.mo`` bytes.

        Errors in it hold back every brief of the locale.
        """
        if locale not in self._ui:
            data = self.reader.interface(locale)[0]
            path = self.config.ui_catalog(locale)
            if path is None or (not data and not path.exists()):
                self._ui[locale] = ([], b"")
            else:
                result, blocking = gate_check(self.config, locale, UI_DOMAIN, data=data, glossary=self.glossary)
                try:
                    mo = bytes(result.po.to_binary()) if result.po is not None else b""
                except (OSError, ValueError) as exc:
                    raise CatalogError(f"cannot compile: {exc}", self.config.rel(path)) from None
                self._ui[locale] = (list(blocking), mo)
        return self._ui[locale]

    # step 2
    def jobs(self, todo: list[_Todo]) -> Iterator[RenderJob]:
        """The render jobs of ``todo``, gating each brief just before its job is needed."""
        doc: Document | None = None
        for item in todo:
            early = self.gates.pop(item.key, None)
            try:
                if isinstance(early, PipelineError):
                    raise early
                ui_blocking, ui_mo = self.interface(item.locale)
                if early is not None:
                    doc, gated = early
                else:
                    if doc is None or doc.path != self.config.rel(item.path):
                        doc = None
                        doc = read_document(self.config, item.path)
                    gated = gate_brief(self.config, doc, item.locale, item.catalog, ui_blocking, glossary=self.glossary)
            except PipelineError as exc:
                self.failed(item, exc)
                continue
            if gated.brief is None or gated.decision.status == HELD:
                self.held(item, doc, gated)
                continue
            draft = gated.decision.status == DRAFT
            if self.reuse(item, doc, gated, draft):
                continue
            _html, pdf = _paths(self.config, item.slug, item.locale)
            job_key = f"{item.slug}/{item.locale}"
            self.pending[job_key] = (item, doc, gated)
            yield RenderJob(
                key=job_key,
                brief=gated.brief,
                ui_mo=ui_mo,
                ui_path=self.config.rel(self.config.po_path(item.locale, UI_DOMAIN)),
                templates=self.reader.templates,
                layout=self.settings.layout,
                draft=draft,
                only_html=self.settings.only_html,
                pdf_path=self.config.rel(pdf),
                epoch=self.settings.epoch,
                numbers=self.settings.numbers,
                siblings=self.siblings.get(item.key, ()),
            )

    def reuse(self, item: _Todo, doc: Document, gated: Gated, draft: bool) -> bool:
        """Only the gate's inputs changed, and it asks for the same pages: keep them, record the new inputs."""
        before = self.records.get(item.key)
        if "forced" in item.why or before is None or before.render_key != item.inputs.render_key(draft):
            return False
        outputs = (self.db.step(item.key) or ("", {}))[1]
        if not outputs or damaged(outputs) is not None:
            return False
        self.finish(item, doc, gated, [Path(p) for p in outputs], before.files, before.fonts)
        return True

    def held(self, item: _Todo, doc: Document | None, gated: Gated) -> None:
        for stale in _paths(self.config, item.slug, item.locale):
            stale.unlink(missing_ok=True)
        self.finish(item, doc, gated, [], (), ())

    def failed(self, item: _Todo, exc: PipelineError) -> None:
        """No files for a brief that failed (``dist/`` never holds a brief older than its inputs); retried next run."""
        for stale in _paths(self.config, item.slug, item.locale):
            with contextlib.suppress(OSError):  # a read-only dist/: the failure is reported all the same
                stale.unlink(missing_ok=True)
        self.db.forget(item.key)
        self.db.note(item.key, {"failed": str(exc)})
        self.records.pop(item.key, None)
        self.report.errors.append(exc)
        result = BriefResult(item.slug, item.locale, Decision(HELD, "build failed"), None, error=exc, rebuilt=item.why)
        self.report.results.append(result)
        self.reporter.result(result)

    # step 3
    def rendered(self, job: RenderJob, out: RenderOutput | BaseException) -> None:
        item, doc, gated = self.pending.pop(job.key)
        if isinstance(out, BaseException):
            assert isinstance(out, PipelineError)
            self.failed(item, out)
            return
        if out.environment != environment():
            message = (
                f"worker {out.worker} renders with other fonts or library versions than this machine: "
                "install the same pipeline, Python packages and fonts on every worker"
            )
            self.failed(item, RenderError(message, self.config.rel(item.path)))
            return
        self.report.rendered += 1
        self.report.renders.append(RenderStat(job.key, out.worker, out.seconds, out.rss_mb))
        html, pdf = _paths(self.config, item.slug, item.locale)
        try:
            outputs, known = self._write(html, pdf, out)
        except OSError as exc:  # a read-only dist/, a full disk: this brief fails, the others go on
            self.failed(item, os_error(exc, self.config.root))
            return
        files = tuple(self.config.rel(p) for p in outputs[: 1 if out.pdf is None else 2])
        self.finish(item, doc, gated, outputs, files, tuple(sorted(n for n, _ in out.fonts)), known)

    def _write(self, html: Path, pdf: Path, out: RenderOutput) -> tuple[list[Path], dict[Path, str]]:
        """A rendered brief's files into ``dist/``: the outputs to record and their sha256."""
        atomic_write(html, out.html)
        outputs, known = [html], {html: hashlib.sha256(out.html).hexdigest()}
        if out.pdf is None:
            pdf.unlink(missing_ok=True)
        else:
            atomic_write(pdf, out.pdf)
            outputs.append(pdf)
            known[pdf] = hashlib.sha256(out.pdf).hexdigest()
        for name, data in out.fonts:  # content-addressed: the same name is the same bytes
            target = self.config.path(self.config.dist_dir) / "fonts" / name
            if not target.exists() or target.stat().st_size != len(data):
                atomic_write(target, data)
            outputs.append(target)
        return outputs, known

    def finish(
        self,
        item: _Todo,
        doc: Document | None,
        gated: Gated,
        outputs: list[Path],
        files: tuple[str, ...],
        fonts: tuple[str, ...],
        known: dict[Path, str] | None = None,
    ) -> None:
        cov, brief = gated.coverage, gated.brief
        record = BriefRecord(
            slug=item.slug,
            locale=item.locale,
            source=self.config.rel(item.path),
            source_language=brief.source_lang if brief else bcp47(doc.language) if doc else "",
            source_title=doc.title if doc else item.slug,
            outlet=doc.outlet if doc else "",
            date=doc.date.isoformat() if doc else "",
            status=gated.decision.status,
            reason=gated.decision.reason,
            coverage=cov.percent if cov is not None else None,
            translated=cov.translated if cov else 0,
            fuzzy=cov.fuzzy if cov else 0,
            total=cov.total if cov else 0,
            title=brief.title.target.text if brief else "",
            title_language=brief.title.target.lang if brief else "",
            blocking=gated.blocking,
            catalog=self.config.rel(self.config.po_path(item.locale, item.slug)),
            catalog_revision=gated.revision,
            catalog_sha256=item.inputs.as_dict()["catalog"],
            files=files,
            fonts=fonts,
            inputs=item.inputs.parts,
            render_key=item.inputs.render_key(gated.decision.status == DRAFT) if files else "",
        )
        self.db.record(item.key, item.inputs.key, outputs, known)
        self.db.note(item.key, record.to_json())
        self.records[item.key] = record
        result = _result(record, rebuilt=item.why)
        self.report.results.append(result)
        self.reporter.result(result)
        if time.monotonic() - self._last_commit > 2:  # an interrupted build keeps what it finished
            self.db.commit()
            self._last_commit = time.monotonic()


def build_project(
    config: Config, options: BuildOptions | None = None, *, reporter: Reporter | None = None
) -> BuildReport:
    """Every source in every locale (or those of ``options``), rebuilding only what changed."""
    started = time.perf_counter()
    options = options or BuildOptions()
    report = BuildReport()
    reporter = reporter or LogReporter()
    layout = options.layout or config.layout
    only_html, force = options.only_html, options.force
    numbers = config.numbers if options.numbers is None else options.numbers
    if layout not in LAYOUTS:
        report.errors.append(
            RenderError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}", "pipeline.toml")
        )
        return report
    targets = list(options.locales or config.locales)
    epoch = source_date_epoch()
    sources = config.sources
    log.info("Step 1 - planning %d source(s) x %d locale(s)", len(sources), len(targets))
    reader = InputReader(config, layout=layout, only_html=only_html, epoch=epoch, numbers=numbers)
    with BuildDB(config.cache_db) as db:
        steps = db.steps(STEP)
        run = _Run(config, db, reader, report, reporter, _Settings(layout, only_html, epoch, numbers))
        plan: list[tuple[str, Path, str, str, Inputs, bytes]] = []
        current: set[str] = set()
        for path in sources:
            slug = path.name.removesuffix(".txt")
            own = _own_targets(config, path, slug)
            current.update(f"{STEP}{slug}:{loc}" for loc in own)
            source = reader.source(path)
            for locale in (loc for loc in targets if loc in own):
                inputs, catalog = reader.brief(source, slug, locale)
                plan.append((f"{STEP}{slug}:{locale}", path, slug, locale, inputs, catalog))
        # Which briefs changed, their siblings aside: those are gated now, so that every brief's web page
        # links to exactly the languages the same brief is published in, and re-renders when they change.
        changed: dict[str, list[str]] = {}
        for key, path, _slug, locale, inputs, catalog in plan:
            record = run.records.get(key)
            before = dict(record.inputs) if record else None
            changed[key] = _why(
                inputs.recorded_siblings(before), steps.get(key), record, force, key in run.failed_before
            )
            if changed[key]:
                run.gate_early(key, path, locale, catalog)
        published = run.published(sources, changed)
        todo: list[_Todo] = []
        for key, path, slug, locale, inputs, catalog in plan:
            siblings = tuple(loc for loc in config.locales if loc != locale and loc in published.get(slug, ()))
            full = inputs.with_siblings(siblings)
            why = changed[key]
            if not why and dict(run.records[key].inputs).get("siblings") != full.as_dict()["siblings"]:
                why = [REASONS["siblings"]]
            run.siblings[key] = siblings
            if why:
                todo.append(_Todo(key, path, slug, locale, full, catalog, tuple(why)))
            else:
                report.results.append(_result(run.records[key]))
        reporter.start(len(todo))
        workers = min(options.jobs, max(1, len(todo)))
        report.where = run_jobs(run.jobs(todo), run.rendered, workers=workers, scheduler=options.scheduler)
        report.removed = _remove_orphans(config, db, steps, run.noted, current)
        order = {loc: i for i, loc in enumerate(config.locales)}
        report.results.sort(key=lambda r: (r.slug, order.get(r.locale, len(order)), r.locale))
        if options.publish:
            log.info("Step 4 - publishing %s", config.rel(config.path(config.dist_dir)))
            current_records = [r for k, r in sorted(run.records.items()) if k in current]
            report.published = publish_dist(config, current_records, db, current)
    report.seconds = time.perf_counter() - started
    return report


def _own_targets(config: Config, path: Path, slug: str) -> tuple[str, ...]:
    """The locales a source has briefs in: not its own language (no zh -> zh_CN brief, no en -> en)."""
    language = source_language(path)
    own = config.targets(language)
    if len(own) < len(config.locales):
        skipped = ", ".join(loc for loc in config.locales if loc not in own)
        log.info("skipped: source language: %s [%s] (the source is in %s)", slug, skipped, language)
    return own


def _why(
    inputs: Inputs,
    step: tuple[str, dict[str, list[Any]]] | None,
    record: BriefRecord | None,
    force: bool,
    failed: bool,
) -> list[str]:
    """Why a brief must be rebuilt; empty when it is up to date."""
    if force:
        return ["forced"]
    if failed:
        return ["failed last time"]
    if step is None or record is None:
        return ["new"]
    if step[0] != inputs.key:
        return inputs.changed(dict(record.inputs))
    broken = damaged(step[1])
    if broken is None:
        return []
    return [f"output {'changed' if Path(broken).exists() else 'missing'}: {broken}"]


def _remove_orphans(
    config: Config, db: BuildDB, steps: dict[str, tuple[str, dict[str, list[Any]]]], noted: set[str], current: set[str]
) -> list[str]:
    """Files of briefs whose source or locale is gone: removed, like any output nothing makes any more."""
    removed = []
    for key, (_inputs, outputs) in sorted(steps.items()):
        if key in current:
            continue
        for name in outputs:
            p = Path(name)
            if "/fonts/" not in name and config.inside(p) and p.exists():  # a database never deletes elsewhere
                p.unlink()
                removed.append(config.rel(p))
        db.forget(key)
    for key in sorted(noted - current):
        db.drop_note(key)
    return removed


def single_job(
    config: Config, brief: Brief, *, draft: bool, layout: str, only_html: bool, numbers: bool = False
) -> RenderJob:
    """The render job of one brief outside a build run (``build_brief``, the preview): its files read here."""
    ui_path = config.ui_catalog(brief.locale)
    _html, pdf = _paths(config, brief.slug, brief.locale)
    return RenderJob(
        key=f"{brief.slug}/{brief.locale}",
        brief=brief,
        ui_mo=compile_mo(read_or_empty(ui_path), config.rel(ui_path)) if ui_path is not None else b"",
        ui_path=config.rel(config.po_path(brief.locale, UI_DOMAIN)),
        templates=load_templates(config.path(config.template_dir)),
        layout=layout,
        draft=draft,
        only_html=only_html,
        pdf_path=config.rel(pdf),
        epoch=source_date_epoch(),
        numbers=numbers,
    )


def build_brief(
    config: Config,
    doc: Document,
    locale: str,
    *,
    layout: str,
    only_html: bool = False,
    findings: Sequence[object] = (),
    numbers: bool = False,
) -> BriefResult:
    """One brief, gated and rendered in this process, outside the build database (benchmarks, tests)."""
    gated = gate_brief(config, doc, locale, read_or_empty(config.po_path(locale, doc.slug)), findings)
    html, pdf = _paths(config, doc.slug, locale)
    if gated.brief is None or gated.decision.status == HELD:
        for stale in (html, pdf):
            stale.unlink(missing_ok=True)
        return BriefResult(doc.slug, locale, gated.decision, gated.coverage, blocking=gated.blocking)
    job = single_job(
        config, gated.brief, draft=gated.decision.status == DRAFT, layout=layout, only_html=only_html, numbers=numbers
    )
    out = render_job(job)
    atomic_write(html, out.html)
    for name, data in out.fonts:
        target = config.path(config.dist_dir) / "fonts" / name
        if not target.exists():
            atomic_write(target, data)
    files = [config.rel(html)]
    if out.pdf is not None:
        atomic_write(pdf, out.pdf)
        files.append(config.rel(pdf))
    return BriefResult(doc.slug, locale, gated.decision, gated.coverage, tuple(files))
