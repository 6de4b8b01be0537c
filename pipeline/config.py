"""Project configuration: ``pipeline.toml`` at the project root.

Everything a desk may want to change without touching code lives there: the
target locales, the folders, the publication thresholds, the layout.  Missing
keys take the defaults below.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigError

CONFIG_NAME = "pipeline.toml"
UI_DOMAIN = "pipeline-ui"  # the templates' own strings


@dataclass(frozen=True)
class Config:
    root: Path
    project: str = "pipeline"
    source_dir: Path = Path("seeds")
    locale_dir: Path = Path("locale")
    dist_dir: Path = Path("dist")
    template_dir: Path = Path("templates")
    locales: tuple[str, ...] = ("zh_CN", "fr", "ar", "es", "ru", "ja")
    bugs_address: str = ""
    team: str = ""
    # Publication gate: percent of translated segments.
    final_threshold: float = 100.0
    draft_threshold: float = 50.0
    layout: str = "side-by-side"  # or "interlinear"
    segmentation_rules: Path | None = None  # per-project extra rules
    extra: dict[str, object] = field(default_factory=dict)

    def path(self, p: Path) -> Path:
        return p if p.is_absolute() else self.root / p

    @property
    def sources(self) -> list[Path]:
        return sorted(self.path(self.source_dir).glob("*.txt"))

    @property
    def cache_db(self) -> Path:
        return self.root / ".cache" / "build.sqlite"

    def pot_path(self, domain: str) -> Path:
        return self.path(self.locale_dir) / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.path(self.locale_dir) / locale / "LC_MESSAGES" / f"{domain}.po"

    @functools.cached_property
    def _real_root(self) -> Path:
        return self.root.resolve()

    def rel(self, p: Path) -> str:
        """A path as references and messages show it: relative to the root."""
        if p.is_absolute() and ".." not in p.parts:  # the common case, without a system call
            try:
                return p.relative_to(self._real_root).as_posix()
            except ValueError:
                pass
        try:
            return p.resolve().relative_to(self._real_root).as_posix()
        except ValueError:
            return p.as_posix()


def load_config(root: Path | None = None) -> Config:
    root = (root or Path.cwd()).resolve()
    file = root / CONFIG_NAME
    if not file.exists():
        return Config(root=root)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(exc), file) from None
    proj = data.get("project", {})
    pub = data.get("publish", {})
    seg = data.get("segmentation", {})
    try:
        locales = tuple(str(x) for x in proj.get("locales", Config.locales))
        rules = seg.get("rules")
        return Config(
            root=root,
            project=str(proj.get("name", Config.project)),
            source_dir=Path(proj.get("source_dir", "seeds")),
            locale_dir=Path(proj.get("locale_dir", "locale")),
            dist_dir=Path(proj.get("dist_dir", "dist")),
            template_dir=Path(proj.get("template_dir", "templates")),
            locales=locales,
            bugs_address=str(proj.get("bugs_address", "")),
            team=str(proj.get("team", "")),
            final_threshold=float(pub.get("final_threshold", Config.final_threshold)),
            draft_threshold=float(pub.get("draft_threshold", Config.draft_threshold)),
            layout=str(pub.get("layout", Config.layout)),
            segmentation_rules=Path(rules) if rules else None,
            extra={k: v for k, v in data.items() if k not in {"project", "publish", "segmentation"}},
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad value: {exc}", file) from None
