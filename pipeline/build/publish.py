"""Stage 6, publish: the rendered briefs -> a distributable ``dist/``.

In: what the build knows about every current brief (its build-database note:
status, coverage, title, files) and the build database itself (the sha256 of
every file it wrote).  Out, beside the briefs:

* ``dist/index.html``: every brief by source and language, with its status,
  coverage, date, sizes and links, in the interface's source language, with a
  link to each language's page;
* ``dist/<locale>/index.html``: that locale's published briefs, in that
  locale (the strings come from the ``pipeline-ui`` domain, the dates,
  percentages and sizes from CLDR): the page a reader of one language opens;
* ``dist/archives/<locale>.zip``: that page, the locale's published briefs
  and the font subsets they use, for mailing lists (none for a locale with
  nothing published); self-contained: the archived copy of a page leaves out
  its links to the brief in other languages, which the archive does not hold
  (:func:`archived_page`), so every link in it resolves inside it;
* ``dist/manifest.json``: per file its sha256, bytes, source, locale,
  coverage, status and the catalog revision it came from;
* ``dist/SHA256SUMS``: every file the build made, as ``sha256sum -c`` checks it.

Each is rewritten only when what it shows changed (the index pages and
archives are steps in the build database), and everything is deterministic:
sorted, no wall-clock time (archive entries carry ``SOURCE_DATE_EPOCH`` or the
newest source date), so two builds of the same inputs give the same bytes.
Font subsets no page uses any more are removed.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import json
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.units import format_unit
from markupsafe import Markup

from pipeline import __version__
from pipeline.cache import BuildDB
from pipeline.catalogs.pofile import compile_mo
from pipeline.config import UI_DOMAIN, UI_LANGUAGE, Config
from pipeline.errors import RenderError
from pipeline.files import atomic_write, digest, read_or_empty
from pipeline.lang import bcp47, direction, language_name
from pipeline.render.environment import code_identity, font_state
from pipeline.render.fonts import check_text, css_family, font_format, stack_for, web_fonts
from pipeline.render.html import (
    Templates,
    format_coverage,
    load_templates,
    page_text,
    render_page,
    source_date_epoch,
)
from pipeline.render.html import translations as render_translations

INDEX = "index.html.j2"
STEP = "publish:"
ARCHIVE_RULE = "archive-pages:1"  # what archived_page does: part of each archive's step inputs, bump on a change


@dataclass(frozen=True)
class BriefRecord:
    """What the build knows of one brief (a source in one locale), kept in the build database's notes."""

    slug: str
    locale: str
    source: str  # relative to the project root
    source_language: str  # BCP 47
    source_title: str
    outlet: str
    date: str  # ISO 8601
    status: str  # "final", "draft" or "held"
    reason: str  # why, in one sentence
    coverage: float | None = None  # catalog_stats(po).coverage; None without a readable catalog
    translated: int = 0
    fuzzy: int = 0
    total: int = 0
    title: str = ""  # as the brief shows it (the translation, or the source where untranslated)
    title_language: str = ""
    blocking: tuple[str, ...] = ()  # the QA findings that hold it back
    catalog: str = ""
    catalog_revision: str = ""  # PO-Revision-Date
    catalog_sha256: str = ""
    files: tuple[str, ...] = ()  # relative to the project root
    fonts: tuple[str, ...] = ()  # the subsets in dist/fonts/ the web page uses
    inputs: tuple[tuple[str, str], ...] = ()  # depends.Inputs.parts
    render_key: str = ""  # depends.Inputs.render_key of the rendered files

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BriefRecord:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("blocking", "files", "fonts"):
            values[name] = tuple(values.get(name, ()))
        values["inputs"] = tuple(tuple(pair) for pair in values.get("inputs", ()))
        return cls(**values)

    @property
    def published(self) -> bool:
        return self.status in ("final", "draft")


@dataclass(frozen=True, slots=True)
class File:
    path: str  # relative to dist/
    sha256: str
    bytes: int


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def format_size(n: int, locale: str) -> str:
    """A file size in the locale's words: ``64 kB``, ``64 ko``, ``1,2 Mo``, ``64 كيلوبايت``."""
    loc = locale.replace("-", "_")
    if n < 1_000_000:
        return format_unit(max(1, round(n / 1000)), "digital-kilobyte", "short", locale=loc)
    return format_unit(round(n / 1_000_000, 1), "digital-megabyte", "short", locale=loc)


class Publisher:
    """One run of :func:`publish_dist`: every file the build made in ``dist/``, with its sha256."""

    def __init__(self, config: Config, briefs: list[BriefRecord], db: BuildDB) -> None:
        self.config = config
        self.dist = config.path(config.dist_dir)
        self._abs = self.dist.as_posix() + "/"  # paths as plain strings: tens of thousands of files
        self._proj = config.rel(self.dist) + "/"
        self.db = db
        self.briefs = briefs
        self.files: dict[str, File] = {}  # by path relative to dist/
        self.fonts: dict[str, set[str]] = {}  # the font subsets each web page uses, by page
        self.written: list[str] = []
        self.sums_sha256 = ""
        for _inputs, outputs in db.steps("brief:").values():
            self._add(outputs)
        for b in briefs:
            for page in self.brief_files(b):
                if page.path.endswith(".html"):
                    self.fonts[page.path] = {f"fonts/{n}" for n in b.fonts}

    def _rel(self, p: Path | str) -> str | None:
        """An absolute path as a path in dist/, or None outside it."""
        name = p if isinstance(p, str) else p.as_posix()
        return name[len(self._abs) :] if name.startswith(self._abs) else None

    def _add(self, outputs: dict[str, list[Any]]) -> None:
        for name, (sha, size, _mtime) in outputs.items():
            rel = self._rel(name)
            if rel is not None:
                self.files[rel] = File(rel, str(sha), int(size))

    def _adopt(self, key: str) -> None:
        self._add(self.db.steps(key).get(key, ("", {}))[1])

    def brief_files(self, b: BriefRecord) -> list[File]:
        """The brief's files (recorded relative to the project) as files of dist/."""
        n = len(self._proj)
        return [self.files[f[n:]] for f in b.files if f.startswith(self._proj) and f[n:] in self.files]

    # -- the index pages ----------------------------------------------------------------------------

    def index_pages(self) -> None:
        templates = load_templates(self.config.path(self.config.template_dir), INDEX)
        ui_bytes = {}
        for loc in self.config.locales:
            path = self.config.ui_catalog(loc)
            ui_bytes[loc] = read_or_empty(path) if path is not None else b""
        shown = [
            [b.slug, b.locale, b.source, b.source_language, b.source_title, b.outlet, b.date, b.status, b.reason,
             b.coverage, b.title, b.title_language, [(f.path, f.bytes) for f in self.brief_files(b)]]
            for b in self.briefs
        ]  # fmt: skip
        inputs = digest(
            [json.dumps([shown, self.config.locales, self.config.project])]
            + [f"{name}\0{text}" for name, text in templates]
            + [f"{loc}\0".encode() + ui_bytes[loc] for loc in sorted(ui_bytes)]
            + [code_identity(briefs=False), font_state()]
        )
        key = f"{STEP}index"
        if self.db.fresh(key, inputs):
            used: dict[str, list[str]] = self.db.notes(key).get(key, {}).get("fonts", {})  # type: ignore[assignment]
            for page, names in used.items():
                self.fonts[page] = set(names)
            self._adopt(key)
            return
        pages: list[tuple[str, str | None]] = [("index.html", None)]
        pages += [(f"{loc}/index.html", loc) for loc in self.config.locales]
        fonts_used: dict[str, list[str]] = {}
        outputs: list[Path] = []
        for page, locale in pages:
            data, fonts = self._render_index(templates, locale, ui_bytes)
            for name, font in fonts:
                target = self.dist / "fonts" / name
                if not target.exists():
                    atomic_write(target, font)
                outputs.append(target)
            if _write_if_changed(self.dist / page, data):
                self.written.append(page)
            outputs.append(self.dist / page)
            fonts_used[page] = sorted(f"fonts/{name}" for name, _ in fonts)
            self.fonts[page] = set(fonts_used[page])
        self._remove_stale(key, outputs)
        self.db.record(key, inputs, outputs)
        self.db.note(key, {"fonts": fonts_used})
        self._adopt(key)

    def _remove_stale(self, key: str, outputs: list[Path]) -> None:
        """Pages the step made last time and not this time (a locale dropped from pipeline.toml)."""
        keep = {p.as_posix() for p in outputs}
        for name in self.db.steps(key).get(key, ("", {}))[1]:
            if name not in keep and "/fonts/" not in name and self.config.inside(name):
                Path(name).unlink(missing_ok=True)
                self.files.pop(self._rel(name) or "", None)

    def _render_index(
        self, templates: Templates, locale: str | None, ui_bytes: dict[str, bytes]
    ) -> tuple[bytes, list[tuple[str, bytes]]]:
        page_locale = locale or UI_LANGUAGE
        lang = bcp47(page_locale)
        ui_path = self.config.rel(self.config.po_path(locale, UI_DOMAIN)) if locale else UI_DOMAIN
        translations = render_translations(compile_mo(ui_bytes.get(locale, b"") if locale else b"", ui_path), ui_path)
        languages = [] if locale else self._languages()
        groups = self._groups() if locale is None else []
        rows = self._rows(locale) if locale else []
        count = sum(len(g["rows"]) for g in groups) if locale is None else len(rows)
        used = {lang, UI_LANGUAGE, *(x["lang"] for x in languages)}
        used |= {g["lang"] for g in groups} | {r["lang"] for g in groups for r in g["rows"]}
        used |= {r["title_lang"] for r in rows}
        tags = sorted(t for t in used if t)
        context: dict[str, Any] = {
            "root": locale is None,
            "lang": lang,
            "dir": direction(lang),
            "end": "left" if direction(lang) == "rtl" else "right",  # the Nu checker lacks logical properties
            "project": self.config.project,
            "project_lang": UI_LANGUAGE,
            "generator": f"pipeline {__version__}",
            "languages": languages,
            "groups": groups,
            "rows": rows,
            "count": count,
            "count_text": format_decimal(count, locale=page_locale),
            "fonts": [{"lang": t, "sans": Markup(css_family(stack_for(t).sans))} for t in tags],
            "webfonts": [],
        }
        where = self.config.rel(self.config.path(self.config.template_dir) / INDEX)
        probe = render_page(templates, INDEX, translations, context)
        text = page_text(probe)
        for text_lang, chars in sorted(text.items()):
            check_text(chars, text_lang or lang, where)
        sans = {fam for t in tags for fam in stack_for(t).sans}
        fonts = [f for f in web_fonts(text) if f.family in sans]
        up = "../" if locale else ""
        context["webfonts"] = [
            {
                "family": f.family,
                "weight": f.weight,
                "url": f"{up}fonts/{f.filename}",
                "format": font_format(f.filename),
            }
            for f in fonts
        ]
        page = render_page(templates, INDEX, translations, context)
        return page.encode("utf-8"), [(f.filename, f.data) for f in fonts]

    def _languages(self) -> list[dict[str, str]]:
        out = []
        for loc in self.config.locales:
            tag = bcp47(loc)
            autonym = language_name(tag, loc, label=True)
            out.append(
                {
                    "href": f"{loc}/index.html",
                    "lang": tag,
                    "dir": direction(tag),
                    "autonym": autonym,
                    "name": language_name(tag, UI_LANGUAGE, label=True),
                }
            )
        return out

    def _links(self, b: BriefRecord, page_locale: str, *, in_locale_folder: bool) -> list[dict[str, str]]:
        links = []
        for f in self.brief_files(b):
            kind = "pdf" if f.path.endswith(".pdf") else "html"
            links.append(
                {
                    "href": f.path.split("/", 1)[1] if in_locale_folder else f.path,
                    "kind": kind,
                    "type": "application/pdf" if kind == "pdf" else "text/html",
                    "size": format_size(f.bytes, page_locale),
                }
            )
        return sorted(links, key=lambda x: x["kind"] != "html")

    def _groups(self) -> list[dict[str, Any]]:
        order = {loc: i for i, loc in enumerate(self.config.locales)}
        by_source: dict[str, list[BriefRecord]] = {}
        for b in self.briefs:
            by_source.setdefault(b.slug, []).append(b)
        groups = []
        for slug, items in by_source.items():
            first = items[0]
            src = bcp47(first.source_language or UI_LANGUAGE)
            rows = []
            for b in sorted(items, key=lambda b: order.get(b.locale, len(order))):
                tag = bcp47(b.locale)
                rows.append(
                    {
                        "status": b.status,
                        "reason": "" if b.published else b.reason,
                        "lang": tag,
                        "dir": direction(tag),
                        "autonym": language_name(tag, b.locale, label=True),
                        "name": language_name(tag, UI_LANGUAGE, label=True),
                        "coverage_text": "–" if b.coverage is None else format_coverage(b.coverage, UI_LANGUAGE),
                        "files": self._links(b, UI_LANGUAGE, in_locale_folder=False),
                    }
                )
            date = dt.date.fromisoformat(first.date) if first.date else None
            groups.append(
                {
                    "slug": slug,
                    "title": first.source_title,
                    "lang": src,
                    "dir": direction(src),
                    "outlet": first.outlet,
                    "date": first.date,
                    "date_text": format_date(date, "long", locale=UI_LANGUAGE) if date else "",
                    "source": first.source,
                    "rows": rows,
                }
            )
        return sorted(groups, key=lambda g: (g["date"], g["slug"]), reverse=True)

    def _rows(self, locale: str) -> list[dict[str, Any]]:
        rows = []
        for b in self.briefs:
            if b.locale != locale or not b.published:
                continue
            title_lang = b.title_language or bcp47(locale)
            rows.append(
                {
                    "slug": b.slug,
                    "status": b.status,
                    "title": b.title,
                    "title_lang": title_lang,
                    "title_dir": direction(title_lang),
                    "date": b.date,
                    "date_text": format_date(dt.date.fromisoformat(b.date), "long", locale=locale),
                    "coverage_text": format_coverage(b.coverage or 0.0, locale),
                    "files": self._links(b, locale, in_locale_folder=True),
                }
            )
        return sorted(rows, key=lambda r: (r["date"], r["slug"]), reverse=True)

    # -- archives, manifest, checksums -----------------------------------------------------------

    def archives(self) -> None:
        stamp = _epoch(self.briefs)
        made: list[Path] = []
        for locale in self.config.locales:
            published = [b for b in self.briefs if b.locale == locale and b.published]
            if not published:  # nothing to mail
                continue
            members = {f"{locale}/index.html"} & set(self.files)
            for b in published:
                members.update(f.path for f in self.brief_files(b))
            for page in list(members):
                members.update(self.fonts.get(page, ()))
            entries = sorted(m for m in members if m in self.files)
            target = self.dist / "archives" / f"{locale}.zip"
            key = f"{STEP}archive:{locale}"
            inputs = digest([ARCHIVE_RULE, stamp.isoformat(), *(f"{m} {self.files[m].sha256}" for m in entries)])
            if not self.db.fresh(key, inputs):
                held = frozenset(entries)

                def archived(name: str, data: bytes, held: frozenset[str] = held, zip_name: str = target.name) -> bytes:
                    return archived_page(name, data, held, zip_name) if name.endswith(".html") else data

                if _zip(self.dist, entries, stamp, target, archived):
                    self.written.append(f"archives/{locale}.zip")
                self.db.record(key, inputs, [target])
            self._adopt(key)
            made.append(target)
        folder = self.dist / "archives"
        for stale in sorted(folder.glob("*.zip")) if folder.is_dir() else []:
            if stale not in made:
                stale.unlink()
                self.files.pop(f"archives/{stale.name}", None)
                self.db.forget(f"{STEP}archive:{stale.stem}")

    def manifest(self) -> None:
        files: list[dict[str, Any]] = []
        for b in sorted(self.briefs, key=lambda b: (b.slug, b.locale)):
            for f in self.brief_files(b):
                files.append(
                    {
                        "path": f.path,
                        "sha256": f.sha256,
                        "bytes": f.bytes,
                        "source": b.source,
                        "slug": b.slug,
                        "locale": b.locale,
                        "source_language": b.source_language,
                        "title": b.title,
                        "coverage": None if b.coverage is None else round(b.coverage, 2),
                        "status": b.status,
                        "catalog": b.catalog,
                        "catalog_revision": b.catalog_revision,
                        "catalog_sha256": b.catalog_sha256,
                    }
                )
        listed = {f["path"] for f in files}
        assets = [
            {"path": p, "sha256": f.sha256, "bytes": f.bytes}
            for p, f in sorted(self.files.items())
            if p not in listed and not p.startswith("archives/")
        ]
        archives = [
            {"path": p, "sha256": f.sha256, "bytes": f.bytes, "locale": Path(p).stem}
            for p, f in sorted(self.files.items())
            if p.startswith("archives/")
        ]
        held = [
            {"slug": b.slug, "locale": b.locale, "source": b.source, "reason": b.reason, "blocking": list(b.blocking)}
            for b in sorted(self.briefs, key=lambda b: (b.slug, b.locale))
            if not b.published
        ]
        manifest = {
            "generator": f"pipeline {__version__}",
            "project": self.config.project,
            "files": files,
            "assets": assets,
            "archives": archives,
            "held_back": held,
        }
        data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if _write_if_changed(self.dist / "manifest.json", data):
            self.written.append("manifest.json")
        self.files["manifest.json"] = File("manifest.json", _sha(data), len(data))

    def checksums(self) -> None:
        data = "".join(f"{f.sha256}  {p}\n" for p, f in sorted(self.files.items())).encode("utf-8")
        if _write_if_changed(self.dist / "SHA256SUMS", data):
            self.written.append("SHA256SUMS")
        self.sums_sha256 = _sha(data)

    def remove_unused_fonts(self) -> None:
        folder = self.dist / "fonts"
        used = {name for names in self.fonts.values() for name in names}
        for font in sorted(folder.iterdir()) if folder.is_dir() else []:
            if font.is_file() and f"fonts/{font.name}" not in used:
                font.unlink()
        for rel in [p for p in self.files if p.startswith("fonts/") and p not in used]:
            del self.files[rel]


def _epoch(briefs: Iterable[BriefRecord]) -> dt.datetime:
    epoch = source_date_epoch()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    dates = [dt.date.fromisoformat(b.date) for b in briefs if b.date] or [dt.date(1980, 1, 1)]
    return dt.datetime.combine(max(dates), dt.time(), dt.UTC)


# The two kinds of link from a brief's page to its other languages (templates/brief.html.j2): the head's
# ``<link rel="alternate" hreflang>`` and an item of the links list.
_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="[^"]*" href="([^"]*)">\n?')
_LINK_ITEM = re.compile(r'<li><a href="([^"]*)"[^>]*>[^<]*</a></li>\n?')
_REFERENCE = re.compile(r'(?:href|src)="([^"]*)"|url\("([^"]*)"\)')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _resolve(page: str, link: str) -> str | None:
    """Where a relative ``link`` of ``page`` (both relative to dist/) points; None for a URL or a fragment."""
    path = link.split("#", 1)[0].split("?", 1)[0]
    if not path or _SCHEME.match(path) or path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


def archived_page(name: str, data: bytes, members: frozenset[str], archive: str = "archive") -> bytes:
    """The page ``name`` (relative to dist/) as an archive holding ``members`` carries it.

    The archive is one locale's: a brief's links to the same brief in other languages (the ``hreflang``
    alternates and their items in the links list) point at pages it does not hold, so its copy of the page
    leaves them out; the page in dist/ keeps them.  Any other link that would leave the archive is an error
    (a template linking somewhere new must say what its archived copy does).  Deterministic: same page and
    members, same bytes.
    """
    text = data.decode("utf-8")

    def keep(match: re.Match[str]) -> str:
        target = _resolve(name, match.group(1))
        return match.group(0) if target is None or target in members else ""

    text = _LINK_ITEM.sub(keep, _ALTERNATE.sub(keep, text))
    for match in _REFERENCE.finditer(text):
        target = _resolve(name, match.group(1) or match.group(2))
        if target is not None and target not in members:
            line = text.count("\n", 0, match.start()) + 1
            raise RenderError(
                f"{archive}: {name} links to {match.group(0)!r}, which the archive does not hold", name, line
            )
    return text.encode("utf-8")


def _zip(
    dist: Path,
    members: list[str],
    stamp: dt.datetime,
    target: Path,
    transform: Callable[[str, bytes], bytes] | None = None,
) -> bool:
    """Write a byte-reproducible zip to ``target`` unless it holds the same bytes; returns whether it wrote.

    Sorted members, one fixed date, fixed modes; PDFs stored (already compressed).  ``transform``: a
    member's bytes as the archive holds them (name, bytes in dist/ -> bytes).
    The archive goes to a temporary file beside the target, one member in memory at
    a time (a locale's archive of 1,000 briefs is about 500 MB), then an atomic rename.
    """
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fh, zipfile.ZipFile(fh, "w") as zf:
            for name in members:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.external_attr = 0o644 << 16
                info.create_system = 3  # Unix, whatever the building machine
                info.compress_type = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
                data = (dist / name).read_bytes()
                zf.writestr(info, transform(name, data) if transform else data, compresslevel=9)
        if target.exists() and filecmp.cmp(tmp, target, shallow=False):
            tmp.unlink()
            return False
        tmp.chmod(0o644)
        tmp.replace(target)
        return True
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def publish_dist(config: Config, briefs: list[BriefRecord], db: BuildDB, current: set[str]) -> list[str]:
    """Write the index pages, archives, manifest and checksums; returns what was (re)written.

    ``current``: the build-database keys of the briefs.  When neither they, nor their
    files, nor what the pages are made of changed, nothing is read or written.
    """
    templates = load_templates(config.path(config.template_dir), INDEX)
    ui = [config.po_path(loc, UI_DOMAIN) for loc in config.locales]
    notes = db.raw_notes("brief:")
    rows = [(k, inputs, outputs) for k, inputs, outputs in db.raw_steps("brief:") if k in current]
    state = digest(
        [f"{k}\0{inputs}\0{outputs}\0{notes.get(k, '')}" for k, inputs, outputs in rows]
        + [f"{name}\0{text}" for name, text in templates]
        + [p.read_bytes() if p.exists() else b"" for p in ui]
        + [code_identity(briefs=False), font_state(), repr((config.locales, config.project, source_date_epoch()))]
    )  # fmt: skip
    key = f"{STEP}dist"
    if db.fresh(key, state):
        return []
    pub = Publisher(config, briefs, db)
    pub.index_pages()
    pub.remove_unused_fonts()
    pub.archives()
    pub.manifest()
    pub.checksums()
    made = [p for p in sorted(pub.files) if p.endswith("index.html") or p.startswith("archives/")]
    made += sorted({f for page in made if page.endswith("index.html") for f in pub.fonts.get(page, ())})
    made += ["manifest.json", "SHA256SUMS"]
    known = {pub.dist / p: f.sha256 for p, f in pub.files.items()} | {pub.dist / "SHA256SUMS": pub.sums_sha256}
    db.record(key, state, [pub.dist / p for p in made], known)
    return pub.written
