"""What a brief depends on: its inputs, each identified by content hash.

In: the configuration, a source and a target locale.  Out: :class:`Inputs`,
one digest per kind of input, so the build can both tell whether a brief is
up to date (all equal) and say why it is not (which ones changed):

========== =====================================================================
source     the source text, its ``.meta.toml``, the segmentation rules
catalog    the locale's catalog of the source (``locale/<locale>/LC_MESSAGES/<slug>.po``)
interface  the locale's ``pipeline-ui`` catalog (the templates' strings)
glossary   ``locale/glossary.tbx`` (the QA gate reads it)
templates  ``brief.html.j2`` and every template it includes
fonts      every face the font stacks resolve to (family, file, size, mtime)
pipeline   the pipeline's version and code, the libraries' versions
settings   the locale, layout, PDF or not, ``SOURCE_DATE_EPOCH``, project name
gate       the publication thresholds
========== =====================================================================

The glossary and the thresholds only feed the publication gate: when nothing
else changed, the build re-runs the gate and keeps the rendered files if the
decision still asks for the same pages (:attr:`Inputs.render_key`).

Nothing here reads a timestamp of a project file, and nothing imports
WeasyPrint: a build with nothing to do stays fast.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import importlib.metadata
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.config import UI_DOMAIN, Config
from pipeline.files import digest, read_or_empty
from pipeline.qa.glossary import GLOSSARY_NAME
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
}
GATE_ONLY = frozenset({"glossary", "gate"})
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "pyphen", "fonttools", "pikepdf",
             "jinja2", "babel", "polib", "sentencex")  # fmt: skip


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

    def changed(self, before: dict[str, str] | None) -> list[str]:
        """Why a brief built with ``before`` is out of date: one reason per kind of input that changed."""
        if before is None:
            return ["new"]
        return [REASONS[kind] for kind, value in self.parts if before.get(kind) != value] or ["inputs changed"]


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _c_version(library: str, function: str) -> str:
    found = ctypes.util.find_library(library)
    if not found:
        return "-"
    try:
        fn = getattr(ctypes.CDLL(found), function)
    except (OSError, AttributeError):
        return "-"
    fn.restype = ctypes.c_char_p
    value = fn()
    return value.decode() if value else "-"


# Modules that cannot change a brief's bytes or its publication, by path inside the package: editing
# them re-renders no brief.  Every other file of the package, in any subpackage, counts by path and
# content, so a new or moved module is included until it is named here (tests check each name exists).
NOT_IN_BRIEFS = frozenset(
    {
        "__main__.py",
        "cli.py",
        "build/preload.py",
        "build/progress.py",
        "build/publish.py",
        "build/workers.py",
        "catalogs/merge.py",
        "catalogs/poformat.py",
    }
)
PACKAGE = Path(__file__).resolve().parent.parent  # pipeline/


def package_files() -> list[Path]:
    """Every module and data file of the package, in every subpackage, sorted by path."""
    found = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in {".py", ".toml"}]
    return sorted(found, key=lambda p: p.relative_to(PACKAGE).as_posix())


@functools.lru_cache(maxsize=2)
def code_identity(*, briefs: bool = True) -> str:
    """The pipeline's version and code, the Python libraries and the C text stack that shape a page.

    ``briefs``: only the modules a brief depends on; else every module (the index pages, which are cheap).
    """
    files = [(p.relative_to(PACKAGE).as_posix(), p) for p in package_files()]
    if briefs:
        files = [(name, p) for name, p in files if name not in NOT_IN_BRIEFS]
    parts = [f"pipeline {__version__}"]
    parts += [f"{name} {_sha(p.read_bytes())}" for name, p in files]
    parts += [f"{name} {_version(name)}" for name in LIBRARIES]
    parts += [
        f"pango {_c_version('pango-1.0', 'pango_version_string')}",
        f"harfbuzz {_c_version('harfbuzz', 'hb_version_string')}",
    ]
    return "\n".join(parts)


def _faces() -> list[tuple[str, int, str, int]]:
    """Every face the stacks resolve to: (family, weight, file, index)."""
    from pipeline.render.fonts import ROLES, STACKS, WEIGHTS, resolve

    out = []
    for stack in STACKS.values():
        for role in ROLES:
            for weight in WEIGHTS[role]:
                for family in stack.families(role):
                    face = resolve(family, weight)
                    out.append((family, weight, face.file, face.index))
    return sorted(set(out))


@functools.lru_cache(maxsize=1)
def font_identity() -> str:
    """The faces as another machine would have to have them: family, weight, file name, index, size."""
    return "\n".join(f"{fam} {w} {os.path.basename(f)} {i} {os.path.getsize(f)}" for fam, w, f, i in _faces())


@functools.lru_cache(maxsize=1)
def font_state() -> str:
    """The faces on this machine, with their paths and modification times (an upgraded font file)."""
    lines = []
    for fam, w, f, i in _faces():
        st = os.stat(f)
        lines.append(f"{fam} {w} {f} {i} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(lines)


class InputReader:
    """Digests of a project's inputs, each file read once per build."""

    def __init__(self, config: Config, *, layout: str, only_html: bool, epoch: str | None) -> None:
        from pipeline.render.html import load_templates

        self.config = config
        self.templates = load_templates(config.path(config.template_dir))
        rules = config.path(config.segmentation_rules) if config.segmentation_rules else None
        self._rules = read_or_empty(rules) + b"\0" + default_rules_bytes()
        self._shared = {
            "glossary": _sha(read_or_empty(config.path(config.locale_dir) / GLOSSARY_NAME)),
            "templates": digest([f"{name}\0{text}" for name, text in self.templates]),
            "fonts": digest([font_state()]),
            "pipeline": digest([code_identity()]),
            "settings": digest([repr((layout, only_html, epoch, config.project))]),
            "gate": digest([repr((config.final_threshold, config.draft_threshold))]),
        }
        self._ui: dict[str, tuple[bytes, str]] = {}
        self._locale_dir = config.path(config.locale_dir).as_posix()  # strings: 6,000 catalogs in a no-op
        self._root = config.root.as_posix() + "/"
        self._settings = {loc: digest([self._shared["settings"], loc]) for loc in config.locales}

    def interface(self, locale: str) -> tuple[bytes, str]:
        """The locale's pipeline-ui catalog: bytes and digest."""
        if locale not in self._ui:
            data = read_or_empty(self.config.po_path(locale, UI_DOMAIN))
            self._ui[locale] = (data, _sha(data))
        return self._ui[locale]

    def source(self, path: Path) -> str:
        name = path.as_posix()
        shown = name.removeprefix(self._root) if name.startswith(self._root) else self.config.rel(path)
        return digest([shown, path.read_bytes(), read_or_empty(path.with_suffix(".meta.toml")), self._rules])

    def brief(self, source_digest: str, slug: str, locale: str) -> tuple[Inputs, bytes]:
        """A brief's inputs, and its catalog's bytes (b"" when there is none)."""
        try:
            with open(f"{self._locale_dir}/{locale}/LC_MESSAGES/{slug}.po", "rb") as fh:
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
        return Inputs(tuple((kind, values[kind]) for kind in REASONS)), catalog
