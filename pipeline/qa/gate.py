"""The publication rule, once: final, draft or held, and why.

In: a catalog's coverage (the percentage of translated entries that
:func:`pipeline.qa.stats.catalog_stats` counts), the QA findings that block
publication, the project's two thresholds, and whether the catalog is out of
step with its source.  Out: a :class:`Decision`.

* a catalog out of step with its source (``make translate`` not run since the
  source changed) is **held**: its pages would pair the wrong sentences;
* any blocking finding holds it: an error that is not the coverage's business
  (:func:`blocking`: untranslated and fuzzy entries only lower the coverage);
* else coverage at or above the final threshold is **final**, at or above the
  draft threshold a **draft** (marked as such on every page), below it held.

``check`` and ``stats`` print this decision, the build obeys it and the index
pages show the build's; nothing else decides publication.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from pipeline.config import Config
from pipeline.qa.findings import ERROR

FINAL, DRAFT, HELD = "final", "draft", "held"
COVERAGE_CHECKS = frozenset({"untranslated", "fuzzy"})  # the coverage threshold's business, not the gate's errors


class _Finding(Protocol):
    @property
    def check(self) -> str: ...

    @property
    def severity(self) -> str: ...


F = TypeVar("F", bound=_Finding)


@dataclass(frozen=True, slots=True)
class Thresholds:
    final: float  # percent
    draft: float

    @classmethod
    def of(cls, config: Config) -> Thresholds:
        return cls(config.final_threshold, config.draft_threshold)


@dataclass(frozen=True, slots=True)
class Decision:
    status: str  # FINAL, DRAFT or HELD
    reason: str


def blocking(findings: Iterable[F]) -> list[F]:
    """The findings that hold a brief back: errors, except those that only lower the coverage."""
    return [f for f in findings if f.severity == ERROR and f.check not in COVERAGE_CHECKS]


def decide(coverage: float, findings: Sequence[object] = (), *, thresholds: Thresholds, stale: str = "") -> Decision:
    """The publication decision (see the module docstring); ``findings`` are already :func:`blocking` ones."""
    if stale:
        return Decision(HELD, stale)
    if findings:
        first = str(findings[0])
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return Decision(HELD, f"{len(findings)} blocking QA finding(s): {first}{more}")
    final, draft = thresholds.final, thresholds.draft
    if coverage >= final:
        return Decision(FINAL, f"coverage {coverage:.1f}% >= final threshold {final:g}%")
    if coverage >= draft:
        return Decision(DRAFT, f"coverage {coverage:.1f}% < final threshold {final:g}%, >= draft threshold {draft:g}%")
    return Decision(HELD, f"coverage {coverage:.1f}% < draft threshold {draft:g}%")
