"""What ``check`` and ``stats`` print: a report in, text or JSON out.

In: a :class:`pipeline.qa.check.Report` (findings per catalog) or the rows of
:func:`project_stats` (counts per brief and locale).  Out: the human text and
the machine-readable JSON of each command, every status line from the one
publication rule (:mod:`pipeline.qa.gate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.catalogs.pofile import read_po
from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.qa import gate
from pipeline.qa.check import Report, catalog_paths, decision_of
from pipeline.qa.findings import ERROR, WARNING
from pipeline.qa.stats import Stats, catalog_stats


@dataclass(frozen=True, slots=True)
class CatalogStats:
    """One row of ``python -m pipeline stats``: a brief (domain) in a locale."""

    domain: str
    locale: str
    path: str
    stats: Stats | None  # None when the catalog does not parse
    error: str = ""

    def status(self, config: Config) -> str:
        """The gate's decision on the coverage alone: ``check`` also runs the checks whose errors hold a brief."""
        if self.stats is None:
            return gate.HELD
        return gate.decide(self.stats.coverage, thresholds=gate.Thresholds.of(config)).status

    def to_json(self, config: Config) -> dict[str, object]:
        out: dict[str, object] = {"domain": self.domain, "locale": self.locale, "path": self.path}
        if self.stats is not None:
            out.update(self.stats.to_json())
        else:
            out["error"] = self.error
        out["status"] = self.status(config)
        return out


def project_stats(config: Config, locales: list[str] | None = None) -> list[CatalogStats]:
    rows = []
    for locale, domain, path in catalog_paths(config, locales):
        shown = config.rel(path)
        try:
            rows.append(CatalogStats(domain, locale, shown, catalog_stats(read_po(path, shown))))
        except PipelineError as exc:
            rows.append(
                CatalogStats(domain, locale, shown, None, re.sub(r"\s*\(not overwritten[^)]*\)$", "", str(exc)))
            )
    return rows


def format_table(rows: list[CatalogStats], config: Config) -> str:
    """The human table: one line per brief and locale."""
    head = ("brief", "locale", "entries", "words", "translated", "fuzzy", "untranslated", "status")
    lines = [head]
    for r in rows:
        s = r.stats
        if s is None:
            lines.append((r.domain, r.locale, "-", "-", "-", "-", "-", f"held ({r.error})"))
            continue
        lines.append(
            (
                r.domain,
                r.locale,
                str(s.total),
                str(s.source_words),
                f"{s.translated} ({s.percent(s.translated):.1f}%)",
                f"{s.fuzzy} ({s.percent(s.fuzzy):.1f}%)",
                f"{s.untranslated} ({s.percent(s.untranslated):.1f}%)",
                r.status(config),
            )
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(head) - 1)]
    right = {2, 3, 4, 5, 6}
    out = []
    for row in lines:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))]
        out.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(out)


def report_json(report: Report, config: Config, *, strict: bool = False) -> dict[str, object]:
    catalogs = []
    for c in report.catalogs:
        d = decision_of(c, gate.blocking(c.findings), config)
        catalogs.append(
            {
                "path": c.path,
                "locale": c.locale,
                "domain": c.domain,
                "errors": c.count(ERROR),
                "warnings": c.count(WARNING),
                "suppressed": len(c.suppressed),
                "stats": c.stats.to_json() if c.stats else None,
                "status": d.status,
                "reason": d.reason,
            }
        )
    return {
        "version": 1,
        "findings": [f.to_json() for f in report.findings],
        "suppressed": [f.to_json() for f in report.suppressed],
        "catalogs": catalogs,
        "summary": {
            "catalogs": len(report.catalogs),
            "errors": report.count(ERROR),
            "warnings": report.count(WARNING),
            "suppressed": len(report.suppressed),
            "exit_code": report.exit_code(strict=strict),
        },
    }


def report_text(report: Report, config: Config) -> str:
    lines = [str(f) for f in report.findings]
    lines.append(
        f"check: {len(report.catalogs)} catalog(s), {report.count(ERROR)} error(s), "
        f"{report.count(WARNING)} warning(s), {len(report.suppressed)} suppressed"
    )
    width = max((len(c.domain) for c in report.catalogs), default=0)
    for c in report.catalogs:
        d = decision_of(c, gate.blocking(c.findings), config)
        coverage = c.stats.coverage if c.stats else 0.0
        lines.append(f"  {c.locale:<6} {c.domain:<{width}}  {coverage:5.1f}%  {d.status}: {d.reason}")
    return "\n".join(lines)
