"""The one error type of the pipeline.

Every error a user can cause carries a category and, where it has one, a
``path:line`` location (1-based).  The CLI prints ``category: path:line: message``
and exits non-zero without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A user-facing error: bad input, bad configuration, a missing tool."""

    category = "error"

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[type, tuple[str, str | None, int | None]]:
        # Errors cross process boundaries (render workers, Dask): keep the path and line.
        return (type(self), (self.message, self.path, self.line))

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = self.location
        return f"{self.category}: {where}: {self.message}" if where else f"{self.category}: {self.message}"


class SourceError(PipelineError):
    """A source document that cannot be read or does not fit the format."""

    category = "source"


class CatalogError(PipelineError):
    """A gettext catalog that does not parse or cannot be written."""

    category = "catalog"


class ConfigError(PipelineError):
    """A configuration or metadata file that is wrong."""

    category = "config"


class RenderError(PipelineError):
    """A brief that cannot be typeset (a missing font, a missing glyph)."""

    category = "render"


class ToolError(PipelineError):
    """An external tool (msgcat, msgfmt) that is missing or failed."""

    category = "tool"


class FileError(PipelineError):
    """A file or folder the operating system refuses: read-only, missing, a folder for a file, a full disk."""

    category = "io"


class CacheError(PipelineError):
    """The build database (``.cache/build.sqlite``) cannot be used: locked by another program, damaged."""

    category = "cache"


def os_error(exc: OSError, root: Path, category: type[PipelineError] = FileError) -> PipelineError:
    """An :class:`OSError` as a :class:`PipelineError` naming its file relative to ``root``."""
    where: str | None = None
    if exc.filename is not None:
        name = Path(str(exc.filename))
        try:
            where = name.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            where = name.as_posix()
    return category(exc.strerror or str(exc), where)
