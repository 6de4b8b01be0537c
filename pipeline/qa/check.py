"""Translation QA: catalogs -> findings, and the publication gate.

One runner, :func:`check_catalog`, applies every check registered in
:data:`pipeline.qa.checks.CHECKS` to one ``.po`` file and returns
:class:`Finding` objects, each with a check id, a severity and the
``path:line`` of the entry (the line of its ``msgid``, as ``msgfmt`` reports
it).  A catalog that does not parse is one ``parse`` finding, not a crash.
:func:`check_project` runs it over every catalog of the project.

A translator silences a known false positive in the file, with a reason::

    # qa: no-numbers-check the official Chinese figure is rounded
    #, no-numbers-check

(either line works: GNU gettext tools drop flags they do not know when they
rewrite a file, translator comments they keep).  Suppressed findings are
still listed in the JSON output, under ``suppressed``.

The publication rule itself is :mod:`pipeline.qa.gate`; :func:`publication_decision`
applies it to one catalog, as the build does.
"""

from __future__ import annotations

import re
import subprocess
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from pipeline.catalogs.pofile import read_po
from pipeline.config import UI_DOMAIN, Config
from pipeline.errors import CatalogError, ConfigError
from pipeline.lang import bcp47, language_of
from pipeline.model import CTX_OUTLET, CTX_SPEAKER, CTX_SPEAKER_TITLE
from pipeline.qa import gate, meaning
from pipeline.qa.checks import (
    CHECKS,
    MSGFMT_BATCH,
    Check,
    Context,
    Hit,
    Message,
    length_model,
    msgfmt_c_accepted,
    msgfmt_c_clean,
    run_msgfmt_c,
)
from pipeline.qa.findings import ERROR, PARSE_CHECK, WARNING, Finding
from pipeline.qa.glossary import GLOSSARY_NAME, Glossary, read_glossary
from pipeline.qa.stats import Stats, catalog_stats, entry_state

EXIT_CLEAN, EXIT_FINDINGS = 0, 1
GLOSSARY_COVERAGE_CHECK = "glossary-locale"  # a configured locale the glossary has no terms for
MEANING_CHECKS = meaning.__name__  # imported for its registrations in CHECKS


@dataclass
class CatalogResult:
    path: str
    locale: str
    domain: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    stats: Stats | None = None
    po: polib.POFile | None = field(default=None, repr=False, compare=False)  # the parsed catalog, for the build
    name_forms: dict[str, str] = field(default_factory=dict)  # source name -> the form its translations use

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


# --- suppression ----------------------------------------------------------------

_QA_COMMENT = re.compile(r"^\s*qa:\s*(.*)$", re.I)
_NO_CHECK = re.compile(r"no-([\w-]+?)-check\b")


def suppressions(entry: polib.POEntry | None) -> dict[str, str]:
    """Check ids silenced on an entry -> the translator's reason ('' when none given)."""
    if entry is None:
        return {}
    out = {m.group(1): "" for flag in entry.flags for m in [_NO_CHECK.fullmatch(flag.strip())] if m}
    for line in (entry.tcomment or "").splitlines():
        m = _QA_COMMENT.match(line)
        if not m:
            continue
        ids = _NO_CHECK.findall(m.group(1))
        reason = _NO_CHECK.sub("", m.group(1)).strip(" ,;:-—")
        for check_id in ids:
            out[check_id] = reason
    return out


# --- the runner -------------------------------------------------------------------


def _line_finder(data: bytes) -> Callable[[polib.POEntry], int]:
    """entry -> the 1-based line of its ``msgid`` (polib knows the line where the entry starts)."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    msgid_lines = [i + 1 for i, ln in enumerate(lines) if ln.startswith(("msgid ", "#~ msgid "))]

    def line_of(entry: polib.POEntry) -> int:
        start = entry.linenum or 1
        i = bisect_right(msgid_lines, start - 1)
        return msgid_lines[i] if i < len(msgid_lines) else start

    return line_of


def _messages(po: polib.POFile) -> list[Message]:
    out = []
    for e in po:
        if e.obsolete or entry_state(e) != "translated":
            continue
        if e.msgid_plural:
            for i, text in sorted(e.msgstr_plural.items()):
                if text:
                    out.append(Message(e, e.msgid if i == 0 and len(e.msgstr_plural) > 1 else e.msgid_plural, text, i))
        else:
            out.append(Message(e, e.msgid, e.msgstr))
    return out


def _untouched(msg: Message, source_language: str, locale: str) -> bool:
    return msg.target.strip() == msg.source.strip() and language_of(source_language) != language_of(locale)


def _names(po: polib.POFile) -> dict[str, tuple[str, polib.POEntry]]:
    return {
        e.msgid: (e.msgstr, e)
        for e in po
        if e.msgctxt in (CTX_SPEAKER, CTX_OUTLET, CTX_SPEAKER_TITLE)
        and not e.obsolete
        and entry_state(e) == "translated"
    }


def check_catalog(
    path: Path,
    *,
    shown: str | None = None,
    locale: str | None = None,
    domain: str | None = None,
    glossary: Glossary | None = None,
    checks: list[Check] | None = None,
    data: bytes | None = None,
    msgfmt_c: subprocess.CompletedProcess[str] | None = None,
) -> CatalogResult:
    """Run every check on one catalog; ``data``: its bytes, when already read (the build's gate);
    ``msgfmt_c``: gettext's answer on those bytes, when already asked (:func:`check_project`).

    The catalog is read and parsed once; the result keeps the parsed catalog (``po``).
    """
    shown = shown or path.as_posix()
    in_tree = path.parent.name == "LC_MESSAGES"  # locale/<locale>/LC_MESSAGES/<domain>.po
    locale = locale or (path.parent.parent.name if in_tree else "")
    domain = domain or path.stem
    result = CatalogResult(shown, locale, domain)
    # One gettext run serves both the syntax check of read_po and the msgfmt check.
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        result.findings.append(
            Finding(PARSE_CHECK, ERROR, shown, None, f"cannot read: {exc.strerror}", locale=locale, domain=domain)
        )
        return result
    if msgfmt_c is None and (checks is None or any(c.id == "msgfmt" for c in checks)):
        msgfmt_c = run_msgfmt_c(path, data)
    try:
        po = read_po(path, shown, validated=msgfmt_c is not None and msgfmt_c.returncode == 0, data=data)
    except CatalogError as exc:
        message = re.sub(r"\s*\(not overwritten[^)]*\)$", "", exc.message)  # the translate command's advice
        result.findings.append(
            Finding(PARSE_CHECK, ERROR, exc.path or shown, exc.line, message, locale=locale, domain=domain)
        )
        return result
    if not locale:
        locale = result.locale = po.metadata.get("Language") or "und"
    result.stats = catalog_stats(po)
    result.po = po
    source_language = po.metadata.get("X-Source-Language") or "en"
    ctx = Context(
        path=path,
        shown=shown,
        locale=locale,
        domain=domain,
        source_language=source_language,
        po=po,
        content=domain != UI_DOMAIN,
        glossary=glossary.entries(source_language, locale) if glossary else [],
        glossary_path=glossary.path if glossary else "",
        names=_names(po),
        length_model=length_model(po, locale, source_language),
        line_of=_line_finder(data),
        msgfmt_c=msgfmt_c,
    )
    messages = _messages(po)
    # A translation still identical to its source gets one finding (unchanged), not one per check.
    changed = [m for m in messages if not _untouched(m, source_language, locale)]
    for chk in checks if checks is not None else CHECKS:
        if chk.content_only and not ctx.content:
            continue
        if chk.scope == "catalog":
            hits: list[tuple[polib.POEntry | None, Hit, str | None]] = [(h.entry, h, None) for h in chk.func(ctx)]
        else:
            todo = messages if chk.id == "unchanged" else changed
            hits = [(m.entry, h, m.target) for m in todo for h in chk.func(m, ctx)]
        for entry, hit, target in hits:
            _record(result, ctx, chk, entry, hit, target)
    result.name_forms = ctx.name_forms
    result.findings.sort(key=lambda f: f.line or 0)
    return result


def _record(
    result: CatalogResult, ctx: Context, chk: Check, entry: polib.POEntry | None, hit: Hit, target: str | None
) -> None:
    line = hit.line or ctx.line_of(entry if entry is not None else ctx.po.metadata_as_entry())
    finding = Finding(
        chk.id,
        hit.severity or chk.severity,
        ctx.shown,
        line,
        hit.message,
        msgid=entry.msgid if entry is not None else "",
        msgctxt=entry.msgctxt if entry is not None else None,
        locale=ctx.locale,
        domain=ctx.domain,
        msgstr=target if target is not None else (entry.msgstr if entry is not None else ""),
        expected=hit.expected,
        found=hit.found,
        span=hit.span,
    )
    silenced = suppressions(entry)
    if chk.id in silenced:
        reason = silenced[chk.id] or "(no reason given)"
        result.suppressed.append(replace(finding, reason=reason))
    else:
        result.findings.append(finding)


@dataclass
class Report:
    catalogs: list[CatalogResult] = field(default_factory=list)
    other: list[Finding] = field(default_factory=list)  # e.g. a glossary that does not parse

    @property
    def findings(self) -> list[Finding]:
        return self.other + [f for c in self.catalogs for f in c.findings]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for c in self.catalogs for f in c.suppressed]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def exit_code(self, *, strict: bool = False) -> int:
        """0: clean; 1: errors, or warnings under ``--strict``."""
        failing = {ERROR, WARNING} if strict else {ERROR}
        return EXIT_FINDINGS if any(f.severity in failing for f in self.findings) else EXIT_CLEAN


def load_glossary(config: Config) -> tuple[Glossary | None, list[Finding]]:
    path = config.path(config.locale_dir) / GLOSSARY_NAME
    if not path.exists():
        return None, []
    try:
        return read_glossary(path, config.rel(path)), []
    except ConfigError as exc:
        return None, [Finding(PARSE_CHECK, ERROR, exc.path or config.rel(path), exc.line, exc.message)]


def glossary_coverage(glossary: Glossary | None, locales: list[str]) -> list[Finding]:
    """A warning for each locale the glossary has no terms for: its glossary check would find nothing."""
    if glossary is None:
        return []
    out = []
    for locale in locales:
        if not any(c.terms(locale) for c in glossary.concepts):
            out.append(
                Finding(
                    GLOSSARY_COVERAGE_CHECK,
                    WARNING,
                    glossary.path,
                    None,
                    f"no glossary terms for {locale}: its translations are not checked against the glossary"
                    f" (add a langSec xml:lang={bcp47(locale)!r}, or import one: python -m pipeline glossary import)",
                    locale=locale,
                )
            )
    return out


def catalog_paths(config: Config, locales: list[str] | None = None) -> list[tuple[str, str, Path]]:
    """``(locale, domain, path)`` of every catalog on disk, in locale then domain order."""
    found = []
    for locale in locales or list(config.locales):
        folder = config.po_path(locale, "x").parent
        for path in sorted(folder.glob("*.po")):
            found.append((locale, path.stem, path))
    return found


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders -> the ``.po`` files under them, sorted."""
    out: list[Path] = []
    for p in paths:
        out += sorted(p.rglob("*.po")) if p.is_dir() else [p]
    return out


def check_project(config: Config, *, locales: list[str] | None = None, paths: list[Path] | None = None) -> Report:
    """Check the given catalogs, or every catalog of the given (default: all) locales."""
    glossary, report_other = load_glossary(config)
    report = Report(other=report_other + glossary_coverage(glossary, locales or list(config.locales)))
    targets: list[tuple[str | None, str | None, Path]] = (
        [(None, None, p) for p in paths] if paths else list(catalog_paths(config, locales))
    )
    for start in range(0, len(targets), MSGFMT_BATCH):
        part = targets[start : start + MSGFMT_BATCH]
        data = [_read(path) for _, _, path in part]
        clean = msgfmt_c_clean([d or b"" for d in data])
        for (locale, domain, path), raw, ok in zip(part, data, clean, strict=True):
            report.catalogs.append(
                check_catalog(
                    path,
                    shown=config.rel(path),
                    locale=locale,
                    domain=domain,
                    glossary=glossary,
                    data=raw,
                    msgfmt_c=msgfmt_c_accepted(path) if ok else None,
                )
            )
    _names_across_briefs(report.catalogs)
    return report


def _read(path: Path) -> bytes | None:
    """A catalog's bytes, or None when it cannot be read (:func:`check_catalog` then says why)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def _names_across_briefs(catalogs: list[CatalogResult]) -> None:
    """The same source name rendered one way in most briefs of a locale and another way in a few: a warning on
    each of the few (``name-forms``), with the majority's form; a tie says nothing."""
    by_locale: dict[str, list[CatalogResult]] = {}
    for c in catalogs:
        by_locale.setdefault(c.locale, []).append(c)
    for group in by_locale.values():
        names = {n for c in group for n in c.name_forms}
        for name in sorted(names):
            forms = [(c, c.name_forms[name]) for c in group if name in c.name_forms]
            counts: dict[str, int] = {}
            for _, form in forms:
                counts[form] = counts.get(form, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            if len(ranked) < 2 or ranked[0][1] == ranked[1][1]:
                continue
            major, n = ranked[0]
            for c, form in forms:
                if form == major or form in major or major in form:
                    continue  # 重庆 and 重庆市: one form inside the other is the same name
                c.findings.append(
                    Finding(
                        "name-forms",
                        WARNING,
                        c.path,
                        None,
                        f'name "{name}" is "{form}" in this brief but "{major}" in {n} other brief(s) of {c.locale}',
                        locale=c.locale,
                        domain=c.domain,
                        expected=major,
                        found=form,
                    )
                )


# --- the publication gate -----------------------------------------------------------


def gate_check(
    config: Config,
    locale: str,
    domain: str,
    *,
    data: bytes | None = None,
    glossary: tuple[Glossary | None, list[Finding]] | None = None,
) -> tuple[CatalogResult, list[Finding]]:
    """One catalog checked for the gate: its result (with the parsed catalog) and the findings that block it.

    ``data``: the catalog's bytes (b"" or None with no file: "no catalog"); ``glossary``:
    :func:`load_glossary`'s answer, read once a run by the caller (else read here).
    """
    path = config.po_path(locale, domain)
    shown = config.rel(path)
    if not data and not path.exists():
        missing = Finding(PARSE_CHECK, ERROR, shown, None, "no catalog", locale=locale, domain=domain)
        return CatalogResult(shown, locale, domain, [missing]), [missing]
    terms, broken = glossary if glossary is not None else load_glossary(config)
    result = check_catalog(path, shown=shown, locale=locale, domain=domain, glossary=terms, data=data)
    return result, broken + gate.blocking(result.findings)


def blocking_findings(config: Config, locale: str, domain: str) -> list[Finding]:
    """Errors that hold the brief ``domain`` back in ``locale`` (untranslated and fuzzy are coverage's)."""
    return gate_check(config, locale, domain)[1]


def decision_of(result: CatalogResult, blocking: list[Finding], config: Config) -> gate.Decision:
    """The gate's decision on a checked catalog (a catalog that does not parse has coverage 0)."""
    coverage = result.stats.coverage if result.stats else 0.0
    return gate.decide(coverage, blocking, thresholds=gate.Thresholds.of(config))


def publication_decision(config: Config, locale: str, domain: str) -> gate.Decision:
    """Whether the build may publish a brief in a locale: final, draft or held, and why."""
    return decision_of(*gate_check(config, locale, domain), config)
