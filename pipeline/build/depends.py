"""What a brief depends on: its inputs, each identified by content hash.

In: the configuration, a source and a target locale.  Out: :class:`Inputs`,
one digest per kind of input, so the build can both tell whether a brief is
up to date (all equal) and say why it is not (which ones changed):

========== =====================================================================
source     the source text, its ``.meta.toml``, the segmentation rules
catalog    the locale's catalog of the source (``locale/<locale>/LC_MESSAGES/<slug>.po``)
interface  the locale's ``pipeline-ui`` catalog (the templates' strings)
glossary   ``locale/glossary.tbx`` and ``locale/qa-latin-allow.txt`` (the QA gate reads them)
templates  ``brief.html.j2`` and every template it includes
fonts      every face the font stacks resolve to (family, file, size, mtime)
pipeline   the pipeline's version and code, the libraries' versions
settings   the locale, layout, numbers or not, PDF or not, ``SOURCE_DATE_EPOCH``, project name
gate       the publication thresholds
siblings   the other locales in which the same brief is published (its web page
           links to each): decided by the build's planning, after every changed
           brief of the source is gated (:meth:`Inputs.with_siblings`)
========== =====================================================================

The glossary and the thresholds only feed the publication gate: when nothing
else changed, the build re-runs the gate and keeps the rendered files if the
decision still asks for the same pages (:attr:`Inputs.render_key`).

Nothing here reads a timestamp of a project file, and nothing imports
WeasyPrint: a build with nothing to do stays fast.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.files import digest, read_or_empty
from pipeline.qa.glossary import GLOSSARY_NAME
from pipeline.qa.meaning import LATIN_ALLOW
from pipeline.render.environment import code_identity, font_state
from pipeline.sources.segment import default_rules_bytes

REASONS = {
    "source": "source changed",
    "catalog": "catalog changed",
    "interface": "interface strings changed",
    "glossary": "glossary changed",
    "templates": "templates changed",
    "fonts": "fonts changed",
    "pipeline": "pipeline or library version changed",
    "settings": "settings changed",
    "gate": "publication thresholds changed",
    "siblings": "the brief's other published languages changed",
}
GATE_ONLY = frozenset({"glossary", "gate"})


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Inputs:
    parts: tuple[tuple[str, str], ...]  # (kind, digest), in the order of REASONS

    @property
    def key(self) -> str:
        return digest([f"{kind}={value}" for kind, value in self.parts])

    def render_key(self, draft: bool) -> str:
        """What the rendered pages depend on: every input but the gate's own, and the draft mark."""
        return digest([f"{k}={v}" for k, v in self.parts if k not in GATE_ONLY] + [f"draft={draft}"])

    def as_dict(self) -> dict[str, str]:
        return dict(self.parts)

    def with_siblings(self, locales: tuple[str, ...] | None) -> Inputs:
        """These inputs with the brief's published siblings (None: as recorded before, unknown: "")."""
        value = "" if locales is None else digest([repr(locales)])
        return Inputs((*tuple((k, v) for k, v in self.parts if k != "siblings"), ("siblings", value)))

    def recorded_siblings(self, before: dict[str, str] | None) -> Inputs:
        """These inputs with the siblings part a previous build recorded (to tell what else changed)."""
        value = (before or {}).get("siblings", "")
        return Inputs((*tuple((k, v) for k, v in self.parts if k != "siblings"), ("siblings", value)))

    def changed(self, before: dict[str, str] | None) -> list[str]:
        """Why a brief built with ``before`` is out of date: one reason per kind of input that changed."""
        if before is None:
            return ["new"]
        return [REASONS[kind] for kind, value in self.parts if before.get(kind) != value] or ["inputs changed"]


class InputReader:
    """Digests of a project's inputs, each file read once per build."""

    def __init__(
        self, config: Config, *, layout: str, only_html: bool, epoch: str | None, numbers: bool = False
    ) -> None:
        from pipeline.render.html import load_templates

        self.config = config
        self.templates = load_templates(config.path(config.template_dir))
        rules = config.path(config.segmentation_rules) if config.segmentation_rules else None
        self._rules = read_or_empty(rules) + b"\0" + default_rules_bytes()
        self._shared = {
            # The glossary and the project's Latin allow list both feed the QA gate only.
            "glossary": _sha(
                read_or_empty(config.path(config.locale_dir) / GLOSSARY_NAME)
                + b"\0"
                + read_or_empty(config.path(config.locale_dir) / LATIN_ALLOW)
            ),
            "templates": digest([f"{name}\0{text}" for name, text in self.templates]),
            "fonts": digest([font_state()]),
            "pipeline": digest([code_identity()]),
            "settings": digest([repr((layout, only_html, epoch, config.project, numbers))]),
            "gate": digest([repr((config.final_threshold, config.draft_threshold))]),
        }
        self._ui: dict[str, tuple[bytes, str]] = {}
        self._locale_dir = config.path(config.locale_dir).as_posix()  # strings: 6,000 catalogs in a no-op
        self._root = config.root.as_posix() + "/"
        self._settings = {loc: digest([self._shared["settings"], loc]) for loc in config.locales}

    def interface(self, locale: str) -> tuple[bytes, str]:
        """The locale's pipeline-ui catalog: bytes and digest."""
        if locale not in self._ui:
            path = self.config.ui_catalog(locale)
            data = read_or_empty(path) if path is not None else b""
            self._ui[locale] = (data, _sha(data))
        return self._ui[locale]

    def source(self, path: Path) -> str:
        name = path.as_posix()
        shown = name.removeprefix(self._root) if name.startswith(self._root) else self.config.rel(path)
        return digest([shown, path.read_bytes(), read_or_empty(path.with_suffix(".meta.toml")), self._rules])

    def brief(self, source_digest: str, slug: str, locale: str) -> tuple[Inputs, bytes]:
        """A brief's inputs but its siblings (see :meth:`Inputs.with_siblings`), and its catalog's bytes."""
        try:
            with open(f"{self._locale_dir}/{locale}/LC_MESSAGES/{slug}.po", "rb") as fh:  # noqa: PTH123 - see _locale_dir
                catalog = fh.read()
        except FileNotFoundError:
            catalog = b""
        settings = self._settings.get(locale) or digest([self._shared["settings"], locale])
        values = {
            "source": source_digest,
            "catalog": _sha(catalog),
            "interface": self.interface(locale)[1],
            **self._shared,
            "settings": settings,
        }
        return Inputs(tuple((kind, values[kind]) for kind in REASONS if kind != "siblings")), catalog
