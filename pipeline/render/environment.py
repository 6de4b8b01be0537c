"""What a render depends on besides its job: the pipeline's code, the libraries, the fonts.

In: the installed package, the Python and C libraries, the faces the font
stacks resolve to.  Out: text identities, hashed by the build
(:mod:`pipeline.build.depends`) to tell whether a brief is out of date, and by
each render worker (:func:`environment`) so the build can refuse output from a
worker set up differently from itself.

The code counts by content: every module and data file of the package, in
every subpackage, by its path inside the package (:func:`package_files`);
:data:`NOT_IN_BRIEFS` names the few that cannot change a brief's bytes.
Nothing here imports WeasyPrint: a build with nothing to do stays fast.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import importlib.metadata
from pathlib import Path

from pipeline import __version__
from pipeline.files import digest
from pipeline.render.fonts import ROLES, STACKS, WEIGHTS, resolve

LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "pyphen", "fonttools", "pikepdf",
             "jinja2", "babel", "polib", "sentencex")  # fmt: skip


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
        "lock.py",
        "build/lifeline.py",
        "build/preload.py",
        "build/progress.py",
        "build/publish.py",
        "build/serve.py",
        "build/workers.py",
        "catalogs/gitmerge.py",
        "catalogs/interchange.py",
        "catalogs/memory.py",
        "catalogs/memorystore.py",
        "catalogs/merge.py",
        "catalogs/poformat.py",
        "catalogs/preserve.py",
        "qa/glossary_interchange.py",
        "sources/docx.py",
        "sources/formats.py",
        "sources/html.py",
        "sources/markdown.py",
        "sources/importer.py",
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
    return "\n".join(f"{fam} {w} {Path(f).name} {i} {Path(f).stat().st_size}" for fam, w, f, i in _faces())


@functools.lru_cache(maxsize=1)
def font_state() -> str:
    """The faces on this machine, with their paths and modification times (an upgraded font file)."""
    lines = []
    for fam, w, f, i in _faces():
        st = Path(f).stat()
        lines.append(f"{fam} {w} {f} {i} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def environment() -> str:
    """What a render depends on besides its job: the pipeline, the libraries, the fonts (not their paths)."""
    return digest([code_identity(), font_identity()])
