"""The stage order, in one place.

``translate_project``: read -> segment -> extract -> merge, for every source
and every target locale.  ``build_project`` (:mod:`pipeline.build.run`) adds
gate -> render -> publish.  Each step reports progress through ``logging``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.cache import BuildDB
from pipeline.catalogs.extract import extract_pot
from pipeline.catalogs.memorystore import ProjectMemory, project_memory
from pipeline.catalogs.merge import init_po, merge_catalog
from pipeline.catalogs.pofile import format_po, read_po, same_but_dates, valid_catalogs, write_bytes, write_po
from pipeline.catalogs.ui import ui_domains
from pipeline.config import UI_LANGUAGE, Config
from pipeline.errors import CatalogError, PipelineError, os_error
from pipeline.files import ChangedMeanwhileError, digest, file_digest, read_or_empty, read_snapshot
from pipeline.model import SourceWarning
from pipeline.sources.reader import read_document, source_language
from pipeline.sources.segment import default_rules_bytes

log = logging.getLogger("pipeline")


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # domains whose inputs did not change
    errors: list[PipelineError] = field(default_factory=list)
    warnings: list[SourceWarning] = field(default_factory=list)  # what the reader could not settle
    # "<domain> [<locale>]" left out because the source is in the locale's language (no catalog, no brief)
    same_language: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # such catalogs found on disk: nothing reads them

    @property
    def ok(self) -> bool:
        return not self.errors


CHANGED = "changed while translate ran; run it again"  # compare before replace found a save
_CREATION = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.M)


def _keep_creation_date(pot: polib.POFile, path: Path) -> tuple[bytes, bytes | None]:
    """Reuse the old POT-Creation-Date when nothing but the date would change.

    Returns the bytes to write and the file's current bytes (None: no file), read once.
    """
    data = format_po(pot)
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        return data, None
    m = _CREATION.search(old.partition(b"\n\n")[0])
    if m and same_but_dates(old, data, _CREATION):
        pot.metadata["POT-Creation-Date"] = m.group(1).decode("utf-8")
        return old, old
    return data, old


def update_domain(
    config: Config,
    domain: str,
    pot: polib.POFile,
    report: Report,
    validated: dict[Path, str] | None = None,
    memory: ProjectMemory | None = None,
    locales: Sequence[str] | None = None,
) -> bool:
    """Write the domain's POT, then merge it into each locale's ``.po``; False on an error.

    ``locales``: the target locales (default: every one of the project; see :meth:`Config.targets`).

    ``validated``: catalogs gettext already accepted, with the sha256 of the bytes it accepted.
    Each catalog is read once: gettext checks those bytes (unless they are the ones it
    accepted), they are parsed and merged, and the result replaces the file only if it is
    still those bytes (compare before replace): a translator's save is never overwritten.
    ``memory``: the other documents' translations, which fill untranslated entries as drafts.
    """
    ok = True
    validated = validated or {}
    pot_path = config.pot_path(domain)
    try:
        data, old = _keep_creation_date(pot, pot_path)
        _record(report, config, pot_path, write_bytes(data, pot_path, durable=False, old=old))
    except OSError as exc:  # a read-only locale/, a full disk: the domain's catalogs wait for the next run
        err = os_error(exc, config.root, CatalogError)
        log.error("%s", err)
        report.errors.append(err)
        return False
    for locale in config.locales if locales is None else locales:
        po_path = config.po_path(locale, domain)
        shown = config.rel(po_path)
        try:
            try:
                current = read_snapshot(po_path)
            except OSError as exc:
                raise CatalogError(f"cannot read: {exc.strerror or exc}", shown) from None
            if current is None:
                updated, old_po, read = init_po(pot, locale, config.team), None, None
                parsed = None
            elif not current[0].strip():  # an empty file: started as a new catalog, full header and all
                old_po, read = current
                updated, parsed = init_po(pot, locale, config.team), None
            else:
                old_po, read = current
                accepted = validated.get(po_path) == read.sha256
                parsed = read_po(po_path, shown, validated=accepted, data=old_po)
                updated = merge_catalog(parsed, pot)
            if memory is not None:
                memory.fill(updated, locale, domain)
            written = write_po(updated, po_path, old=old_po, read=read, old_po=parsed)
            _record(report, config, po_path, written)
        except (ChangedMeanwhileError, PipelineError, OSError) as exc:
            if isinstance(exc, PipelineError):
                err = exc
            elif isinstance(exc, ChangedMeanwhileError):
                err = CatalogError(CHANGED, shown)
            else:
                err = os_error(exc, config.root, CatalogError)
            log.error("%s", err)
            report.errors.append(err)
            ok = False
    return ok


def _record(report: Report, config: Config, path: Path, changed: bool) -> None:
    (report.written if changed else report.unchanged).append(config.rel(path))
    log.info("%s %s", "wrote" if changed else "unchanged", config.rel(path))


ExtraDomains = Callable[[Config], dict[str, polib.POFile]]
extra_domains: list[ExtraDomains] = [ui_domains]  # the templates' own strings (pipeline-ui)


def run_digest(config: Config) -> bytes:
    """What every source's catalogs depend on: segmentation rules and settings (read once a run)."""
    rules = config.path(config.segmentation_rules) if config.segmentation_rules else None
    settings = repr((config.project, config.bugs_address, config.team, config.locales))
    return read_or_empty(rules) + b"\0" + default_rules_bytes() + b"\0" + settings.encode()


def source_digest(config: Config, path: Path, shared: bytes | None = None) -> str:
    """Everything a source's catalogs depend on, besides the catalogs themselves."""
    shared = run_digest(config) if shared is None else shared
    meta = read_or_empty(path.with_suffix(".meta.toml"))
    return digest([path.read_bytes(), meta, shared, config.rel(path)])


def _outputs(config: Config, domain: str, locales: Sequence[str]) -> list[Path]:
    return [config.pot_path(domain), *(config.po_path(loc, domain) for loc in locales)]


def _skip_own_language(config: Config, domain: str, language: str | None, report: Report) -> tuple[str, ...]:
    """The domain's target locales; the others (its own language) logged and reported, with any file left there."""
    targets = config.targets(language)
    for loc in config.locales:
        if loc in targets:
            continue
        report.same_language.append(f"{domain} [{loc}]")
        log.info("skipped: source language: %s [%s] (the source is in %s)", domain, loc, language)
        path = config.po_path(loc, domain)
        if path.exists():
            report.unused.append(
                f"{config.rel(path)}: not used: the source is in {language}, the language of {loc}; delete it"
            )
    return targets


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:  # no file, or not one (read_snapshot names the problem)
        return None


def translate_project(
    config: Config, *, force: bool = False, tm_exact_final: bool = False, warnings: bool = False
) -> Report:
    """``make translate``: every source into its catalogs; a bad file never stops the rest.

    A source whose inputs (source, metadata, rules, settings) and catalogs are
    unchanged since the last run is skipped: see :mod:`pipeline.cache`; with
    ``warnings`` (``--strict``) it is still read, for its warnings.
    """
    report = Report()
    sources = config.sources
    log.info("Step 1 - reading and segmenting %d source(s)", len(sources))
    shared = run_digest(config)
    memory = project_memory(config, exact_final=tm_exact_final)
    with BuildDB(config.cache_db) as db:
        due = []
        for path in sources:
            slug = path.name.removesuffix(".txt")
            key = f"translate:{slug}"
            inputs = source_digest(config, path, shared)
            if not force and db.fresh(key, inputs):
                report.skipped.append(slug)
                _skip_own_language(config, slug, source_language(path), report)
                if warnings:
                    try:
                        report.warnings.extend(read_document(config, path).warnings)
                    except PipelineError as exc:  # cannot happen for a source read cleanly before; say so anyway
                        report.errors.append(exc)
            else:
                due.append((path, slug, key, inputs))
        # A catalog still exactly as this pipeline last wrote it is valid; gettext checks
        # the others, in one pass (see pofile.valid_catalogs).  Each is known by the sha256 of
        # its bytes: update_domain trusts the check only for the bytes it then reads.
        validated: dict[Path, str] = {}
        others: dict[Path, str] = {}
        for path, slug, key, _ in due:
            recorded = db.outputs(key)
            for loc in config.targets(source_language(path)):
                p = config.po_path(loc, slug)
                sha = _sha_or_none(p)
                if sha is None:
                    continue
                if recorded.get(p.as_posix()) == sha:
                    validated[p] = sha
                else:
                    others[p] = sha
        for p in valid_catalogs(list(others)):
            if _sha_or_none(p) == others[p]:  # not saved again while gettext read it
                validated[p] = others[p]
        for path, slug, key, inputs in due:
            try:
                doc = read_document(config, path)
            except PipelineError as exc:
                log.error("%s", exc)
                report.errors.append(exc)
                continue
            report.warnings.extend(doc.warnings)
            targets = _skip_own_language(config, doc.slug, doc.language, report)
            log.info("Step 2 - extracting %s and merging it for %s", slug, ", ".join(targets))
            pot = extract_pot(doc, project=config.project, bugs_address=config.bugs_address)
            if update_domain(config, doc.slug, pot, report, validated, memory, targets):
                db.record(key, inputs, _outputs(config, doc.slug, targets))
            else:
                db.forget(key)
    memory.close()
    for provider in extra_domains:
        for domain, pot in provider(config).items():
            # small: always merged; an English interface is the templates' own strings
            update_domain(config, domain, pot, report, locales=_skip_own_language(config, domain, UI_LANGUAGE, report))
    return report
