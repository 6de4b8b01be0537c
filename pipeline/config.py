"""Project configuration: ``pipeline.toml`` at the project root.

Everything a desk may want to change without touching code lives there: the
target locales, the folders, the publication thresholds, the layout.  Missing
keys take the defaults below; an unknown key, a locale CLDR does not know or a
folder outside the project is an error at its line (``config:
pipeline.toml:LINE: ...``), so a typo never silently falls back to a default
and no path in it can make a run write or delete outside the project.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from pipeline.errors import ConfigError, PipelineError
from pipeline.files import atomic_write
from pipeline.lang import same_language

CONFIG_NAME = "pipeline.toml"
UI_DOMAIN = "pipeline-ui"  # the templates' own strings
UI_LANGUAGE = "en"  # the language of the templates' msgids: an English interface needs no catalog
CACHE_DB = Path(".cache") / "build.sqlite"  # the build database, relative to the project root


# The brief layouts: two columns, source above translation, facing pages (the web page of "facing" is side by side)
LAYOUTS = ("side-by-side", "interlinear", "facing")


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
    layout: str = "side-by-side"  # one of LAYOUTS
    numbers: bool = False  # [publish] numbers: paragraph and sentence numbers in both columns
    segmentation_rules: Path | None = None  # per-project extra rules
    max_length: int = 5000  # characters in a source paragraph or sentence; longer is an error
    nonspeech_rules: Path | None = None  # [sources] nonspeech: the project's extra non-speech rules
    max_paragraph: int = 2500  # [sources] max_paragraph: a longer paragraph is a warning (several run together?)

    def path(self, p: Path) -> Path:
        return p if p.is_absolute() else self.root / p

    def targets(self, source_language: str | None) -> tuple[str, ...]:
        """The locales a text in ``source_language`` is translated into: every one but its own language.

        A Chinese source gets no ``zh_CN`` catalog nor brief, an English one (and the interface,
        :data:`UI_LANGUAGE`) no ``en`` one: see :func:`pipeline.lang.same_language`.  ``None``
        (a sidecar that cannot be read): every locale, so the reader's error is reported per brief.
        """
        if not source_language:
            return self.locales
        return tuple(loc for loc in self.locales if not same_language(source_language, loc))

    @property
    def sources(self) -> list[Path]:
        return sorted(self.path(self.source_dir).glob("*.txt"))

    @property
    def cache_db(self) -> Path:
        return self.root / CACHE_DB

    def pot_path(self, domain: str) -> Path:
        return self.path(self.locale_dir) / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.path(self.locale_dir) / locale / "LC_MESSAGES" / f"{domain}.po"

    def ui_catalog(self, locale: str) -> Path | None:
        """The locale's interface catalog; None in the templates' own language (:data:`UI_LANGUAGE`),
        whose interface is their msgids, whatever file an older ``translate`` left there."""
        return None if same_language(UI_LANGUAGE, locale) else self.po_path(locale, UI_DOMAIN)

    @functools.cached_property
    def _real_root(self) -> Path:
        return self.root.resolve()

    def inside(self, p: Path | str) -> bool:
        """Whether ``p``, symbolic links resolved, is inside the project: the only place a run writes or deletes."""
        return self.path(Path(p)).resolve().is_relative_to(self._real_root)

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


# Every key pipeline.toml may have, by table: anything else is a typo, reported with the known ones.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "project": ("name", "source_dir", "locale_dir", "dist_dir", "template_dir", "locales", "bugs_address", "team"),
    "publish": ("final_threshold", "draft_threshold", "layout", "numbers"),
    "segmentation": ("rules", "max_length"),
    "sources": ("nonspeech", "max_paragraph"),
}
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]{1,8})?$")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def key_line(text: str, table: str, key: str | None = None) -> int | None:
    """The 1-based line of ``[table]`` (or of its ``key``) in a TOML text; None if not found."""
    current = ""
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    assign = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=") if key else None
    for no, line in enumerate(text.splitlines(), 1):
        m = header.match(line)
        if m:
            current = m.group(1)
            if key is None and current == table:
                return no
            continue
        if assign is not None and current == table and assign.match(line):
            return no
    return None


def read_toml(path: Path, shown: str, error: type[PipelineError] = ConfigError) -> tuple[dict[str, Any], str]:
    """A TOML file and its text; a syntax error names ``shown`` and its line."""
    try:
        text = path.read_text(encoding="utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise error("not valid UTF-8; save the file as UTF-8", shown, line) from None
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_AT.search(str(exc))
        raise error(_TOML_AT.sub("", str(exc)), shown, int(m.group(1)) if m else None) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", shown) from None


def unknown_keys(
    data: dict[str, Any], known: dict[str, tuple[str, ...]], text: str, shown: str, error: type[PipelineError]
) -> None:
    """Raise ``error`` at the first key (or table) of ``data`` that ``known`` does not list."""
    for table, values in data.items():
        if table not in known:
            raise error(
                f"unknown table [{table}] (known: {', '.join(f'[{t}]' for t in known)})",
                shown,
                key_line(text, table),
            )
        if not isinstance(values, dict):
            raise error(f"{table} must be a table: [{table}]", shown, key_line(text, "", table))
        for key in values:
            if key not in known[table]:
                raise error(
                    f"unknown key {key!r} in [{table}] (known: {', '.join(known[table])})",
                    shown,
                    key_line(text, table, key),
                )


def load_config(root: Path | None = None, *, required: bool = False) -> Config:
    """``pipeline.toml`` of ``root``, checked: no unknown key, locales CLDR knows, folders inside the project.

    ``required``: a missing file is an error (the commands that write: a run in the wrong folder must
    not write catalogs with the defaults); else the defaults apply.
    """
    root = (root or Path.cwd()).resolve()
    file = root / CONFIG_NAME
    if not file.exists() and not required:
        return Config(root=root)
    if not file.is_file():
        raise ConfigError(
            f"no {CONFIG_NAME} in {root}: run in the project's folder, pass --root, "
            "or start a project here with `python -m pipeline init`",
            CONFIG_NAME,
        )
    data, text = read_toml(file, CONFIG_NAME)
    unknown_keys(data, KNOWN_KEYS, text, CONFIG_NAME, ConfigError)
    proj = data.get("project", {})
    pub = data.get("publish", {})
    seg = data.get("segmentation", {})
    src = data.get("sources", {})

    def bad(table: str, key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", CONFIG_NAME, key_line(text, table, key))

    def string(table: dict[str, Any], name: str, key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise bad(name, key, f"expected a string, got {value!r}")
        return value

    def number(table: dict[str, Any], name: str, key: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise bad(name, key, f"expected a percentage from 0 to 100, got {value!r}")
        return float(value)

    def characters(table: dict[str, Any], name: str, key: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad(name, key, f"expected a number of characters, got {value!r}")
        return value

    def folder(key: str, default: str, *, written: bool) -> Path:
        """A folder; one the pipeline writes into (and deletes from) must be inside the project."""
        value = Path(string(proj, "project", key, default))
        where = (root / value).resolve()
        if written and (not where.is_relative_to(root) or where == root):
            raise bad("project", key, f"{value.as_posix()!r} is not a folder inside the project ({root})")
        return value

    raw_locales = proj.get("locales", list(Config.locales))
    if not isinstance(raw_locales, list) or not all(isinstance(x, str) for x in raw_locales):
        raise bad("project", "locales", f"expected a list of locale codes, got {raw_locales!r}")
    for loc in raw_locales:
        if not _LOCALE.match(loc):
            raise bad("project", "locales", f"{loc!r} is not a locale code (such as zh_CN, fr, pt_BR)")
        try:
            Locale.parse(loc.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise bad("project", "locales", f"unknown locale {loc!r} (CLDR, through Babel, does not know it)") from None
    if len(set(raw_locales)) != len(raw_locales):
        raise bad("project", "locales", "a locale is listed twice")
    rules = seg.get("rules")
    if rules is not None and not isinstance(rules, str):
        raise bad("segmentation", "rules", f"expected a file name, got {rules!r}")
    max_length = characters(seg, "segmentation", "max_length", Config.max_length)
    nonspeech = src.get("nonspeech")
    if nonspeech is not None and not isinstance(nonspeech, str):
        raise bad("sources", "nonspeech", f"expected a file name, got {nonspeech!r}")
    max_paragraph = characters(src, "sources", "max_paragraph", Config.max_paragraph)
    layout = string(pub, "publish", "layout", Config.layout)
    numbers = pub.get("numbers", Config.numbers)
    if not isinstance(numbers, bool):
        raise bad("publish", "numbers", f"expected true or false, got {numbers!r}")
    if layout not in LAYOUTS:
        raise bad("publish", "layout", f"expected one of {', '.join(LAYOUTS)}, got {layout!r}")
    return Config(
        root=root,
        project=string(proj, "project", "name", Config.project),
        source_dir=folder("source_dir", "seeds", written=False),
        locale_dir=folder("locale_dir", "locale", written=True),
        dist_dir=folder("dist_dir", "dist", written=True),
        template_dir=folder("template_dir", "templates", written=False),
        locales=tuple(raw_locales),
        bugs_address=string(proj, "project", "bugs_address", ""),
        team=string(proj, "project", "team", ""),
        final_threshold=number(pub, "publish", "final_threshold", Config.final_threshold),
        draft_threshold=number(pub, "publish", "draft_threshold", Config.draft_threshold),
        layout=layout,
        numbers=numbers,
        segmentation_rules=Path(rules) if rules else None,
        max_length=max_length,
        nonspeech_rules=Path(nonspeech) if nonspeech else None,
        max_paragraph=max_paragraph,
    )


_NEW_CONFIG = """\
# Project configuration of the pipeline (`python -m pipeline init` wrote it; see README for every key).
[project]
name = {name}
source_dir = "seeds"
locale_dir = "locale"
dist_dir = "dist"
template_dir = "templates"
locales = {locales}

[publish]
# A brief is published as final at or above final_threshold percent of
# translated segments, as a draft at or above draft_threshold, else held back.
final_threshold = {final:g}
draft_threshold = {draft:g}
layout = "side-by-side"   # or "interlinear", "facing" (PDF: source on the verso, translation on the recto)
numbers = false           # true: paragraph (¶) and sentence numbers in both columns, for citing
"""


def init_config(root: Path, *, name: str, locales: tuple[str, ...] = Config.locales) -> Path:
    """Write a new ``pipeline.toml`` in ``root`` with the defaults; never replaces one.

    The file is then read back as every command reads it, so a bad locale is refused before
    anything is left behind.
    """
    file = root / CONFIG_NAME
    if file.exists():
        raise ConfigError(f"{CONFIG_NAME} already exists: edit it (init never replaces one)", CONFIG_NAME)
    text = _NEW_CONFIG.format(
        name=json.dumps(name, ensure_ascii=False),  # a TOML basic string is a JSON string
        locales=json.dumps(list(locales), ensure_ascii=False),
        final=Config.final_threshold,
        draft=Config.draft_threshold,
    )
    with tempfile.TemporaryDirectory() as tmp:  # checked before it is written
        (Path(tmp) / CONFIG_NAME).write_text(text, encoding="utf-8")
        load_config(Path(tmp), required=True)
    atomic_write(file, text.encode("utf-8"))
    return file
