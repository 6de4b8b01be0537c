"""The command line: ``python -m pipeline <command>``.

Parses arguments, calls the library, maps errors to exit codes.  A
:class:`~pipeline.errors.PipelineError` prints ``category: path:line: message``
and exits 1; anything else is a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.config import CACHE_DB, LAYOUTS, Config, init_config, load_config
from pipeline.errors import CacheError, PipelineError, os_error
from pipeline.files import atomic_write, remove_stale_temporaries
from pipeline.lock import LockedError, project_lock
from pipeline.qa.check import check_project, expand_paths, load_glossary
from pipeline.qa.glossary import GLOSSARY_NAME
from pipeline.qa.report import format_table, project_stats, report_json, report_text
from pipeline.sources.importer import Hints, import_transcript, write_import
from pipeline.sources.reader import declared_speakers, read_document
from pipeline.stages import translate_project

log = logging.getLogger("pipeline")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3  # --no-wait and another translate or build holds the project lock


def _cmd_segment(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    doc = read_document(config, Path(args.file), language=args.language, require_title=False)
    json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    for warning in doc.warnings:
        print(warning, file=sys.stderr)
    return EXIT_ERROR if args.strict and doc.warnings else 0


def _cmd_init(args: argparse.Namespace) -> int:
    root = (args.root or Path.cwd()).resolve()
    locales = tuple(loc for item in args.locale or [] for loc in item.split(",") if loc) or Config.locales
    written = init_config(root, name=args.name or root.name, locales=locales)
    print(
        f"init: wrote {written.name} ({', '.join(locales)}); put sources in seeds/, then `python -m pipeline translate`"
    )
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from pipeline.sources.formats import read_lines  # format readers load only for this command

    config = load_config(args.root)
    path = Path(args.file)
    shown = config.rel(path.resolve()) if path.exists() else args.file
    lines, hints = read_lines(path, shown)
    options: dict[str, Any] = {
        "display_path": shown,
        "outlet": args.outlet,
        "date": args.date,
        "title": args.title,
        "language": args.language,
        "slug": args.slug,
        "lines": lines,
        "hints": hints or Hints(),
        **_nonspeech_option(config),
    }
    result = import_transcript(path, **options)
    seeds = config.path(config.source_dir)
    sidecar = seeds / f"{result.slug}.meta.toml"
    if args.force and sidecar.exists():  # keep what a reviewer declared: names, roles, titles, aliases
        declared = declared_speakers(sidecar)
        if declared:
            result = import_transcript(path, **options, declared=declared)
    for line in result.report():
        print(line)
    with project_lock(config.root, wait=not args.no_wait, on_wait=_waiting):
        src, meta = write_import(result, seeds, force=args.force)
    doc = read_document(config, src)  # what translate will make of it, with its warnings
    for warning in doc.warnings:
        print(warning, file=sys.stderr)
    turns = sum(1 for b in doc.blocks if b.speaker is not None)
    drops = len(result.drops)
    print(
        f"import: wrote {config.rel(src)} and {config.rel(meta)}: {len(result.speakers)} speaker(s), {turns} turn(s), "
        f"{len(doc.paragraphs)} paragraph(s), {drops} line(s) dropped; review them, then `python -m pipeline translate`"
    )
    warned = doc.warnings or any(n.warning for n in result.notes)
    return EXIT_ERROR if args.strict and warned else 0


def _nonspeech_option(config: Config) -> dict[str, Path]:
    return {"rules_file": config.path(config.nonspeech_rules)} if config.nonspeech_rules else {}


def _waiting(message: str) -> None:
    print(f"{message}...", file=sys.stderr, flush=True)


def _clean(config: Config, folder: Path) -> None:
    """Under the project lock: the temporary files of runs that were killed mid-write."""
    for tmp in remove_stale_temporaries(config.path(folder)):
        log.info("removed %s, left by an interrupted run", config.rel(tmp))


def _cmd_translate(args: argparse.Namespace) -> int:
    config = load_config(args.root, required=True)
    with project_lock(config.root, wait=not args.no_wait, on_wait=_waiting):
        _clean(config, config.locale_dir)
        report = translate_project(config, force=args.force, tm_exact_final=args.tm_exact_final, warnings=args.strict)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(
        f"translate: {len(report.written)} file(s) written, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} source(s) up to date, "
        f"{len(report.errors)} error(s)",
        file=sys.stderr,
    )
    if report.same_language:  # a source's own language: nothing to translate
        print(f"translate: skipped: source language: {', '.join(report.same_language)}", file=sys.stderr)
    for note in report.unused:
        print(f"translate: {note}", file=sys.stderr)
    for err in report.errors:
        print(err, file=sys.stderr)
    return EXIT_ERROR if not report.ok or (args.strict and report.warnings) else 0


def _locales(args: argparse.Namespace, known: tuple[str, ...]) -> list[str] | None:
    wanted = [loc for item in args.locale or [] for loc in item.split(",") if loc]
    unknown = [loc for loc in wanted if loc not in known]
    if unknown:
        print(
            f"{args.command}: unknown locale(s) {', '.join(unknown)} (configured: {', '.join(known)})", file=sys.stderr
        )
        raise SystemExit(EXIT_USAGE)
    return wanted or None


def _cmd_check(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    locales = _locales(args, config.locales)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"check: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    paths = expand_paths([Path(p) for p in args.paths])
    report = check_project(config, locales=locales, paths=paths or None)
    if args.json:
        json.dump(report_json(report, config, strict=args.strict), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(report_text(report, config))
    return report.exit_code(strict=args.strict)


def _cmd_stats(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    rows = project_stats(config, _locales(args, config.locales))
    if args.json:
        data = {"version": 1, "catalogs": [r.to_json(config) for r in rows]}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table(rows, config))
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build.progress import BuildProgress
    from pipeline.build.run import BuildOptions, build_project  # the renderer loads only for this command
    from pipeline.build.workers import default_jobs

    config = load_config(args.root, required=True)
    if args.jobs is not None and args.jobs < 1:
        print("build: -j needs a number of workers of at least 1", file=sys.stderr)
        return EXIT_USAGE
    progress = BuildProgress()
    locales = _locales(args, config.locales)
    options = BuildOptions(
        locales=tuple(locales) if locales else None,
        layout=args.layout,
        numbers=True if args.numbers else None,
        only_html=args.only_html,
        jobs=args.jobs or default_jobs(),
        scheduler=args.scheduler,
        force=args.force,
    )
    with project_lock(config.root, wait=not args.no_wait, on_wait=_waiting):
        _clean(config, config.dist_dir)
        report = build_project(config, options, reporter=progress)
    progress.close()
    for err in report.errors:
        if not any(r.error is err for r in report.results):
            print(err, file=sys.stderr)
    print(report.summary())
    if report.removed:
        print(f"build: removed {len(report.removed)} file(s) of briefs that no longer exist")
    if report.published:
        print(f"build: wrote {', '.join(report.published)}")
    held = report.held_for_errors
    if held and not args.allow_held:
        print(
            f"build: {len(held)} brief(s) held back by errors (see above; `python -m pipeline check` lists them); "
            "--allow-held accepts that",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return 0 if report.ok else EXIT_ERROR


def _write_out(data: bytes, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write(Path(output), data, durable=False)


def _one_locale(args: argparse.Namespace, known: tuple[str, ...]) -> str | None:
    locales = _locales(args, known)
    if locales and len(locales) > 1:
        print(f"{args.command}: one --locale at a time", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return locales[0] if locales else None


def _cmd_glossary_export(args: argparse.Namespace) -> int:
    from pipeline.qa import glossary_interchange as gi

    config = load_config(args.root)
    glossary, broken = load_glossary(config)
    if broken:
        print(broken[0], file=sys.stderr)
        return EXIT_ERROR
    if glossary is None:
        print(f"glossary: no {config.rel(config.path(config.locale_dir) / GLOSSARY_NAME)}", file=sys.stderr)
        return EXIT_ERROR
    locales = _locales(args, config.locales)
    if args.format == "csv":
        if not locales or len(locales) != 1:
            print("glossary: --format csv holds one language: give one --locale", file=sys.stderr)
            return EXIT_USAGE
        data = gi.export_csv(glossary, locales[0])
    else:
        data = gi.export_tbx(glossary, locales=locales)
    _write_out(data, args.output)
    return 0


def _cmd_glossary_import(args: argparse.Namespace) -> int:
    from pipeline.qa import glossary_interchange as gi

    config = load_config(args.root)
    locale = _one_locale(args, config.locales)
    path = _input_file(args, "glossary")
    if path is None:
        return EXIT_USAGE
    target = config.path(config.locale_dir) / GLOSSARY_NAME
    incoming = gi.read_any_glossary(path, locale=locale)
    with project_lock(config.root, wait=not args.no_wait, on_wait=_waiting):
        report = gi.import_glossary(
            target, incoming, [locale] if locale else list(config.locales), dry_run=args.dry_run
        )
    for line in report.added_concepts:
        print(f"added concept: {line}")
    for line in report.added_terms:
        print(f"added term: {line}")
    for line in report.conflicts:
        print(f"conflict (not imported): {line}")
    for line in report.skipped:
        print(f"skipped (no source term): {line}")
    print(
        f"glossary: {len(report.added_concepts)} concept(s) and {len(report.added_terms)} term(s) added, "
        f"{report.unchanged} already there, {len(report.conflicts)} conflict(s)"
        + (" (dry run: nothing written)" if args.dry_run else ""),
        file=sys.stderr,
    )
    return EXIT_ERROR if report.conflicts else 0


def _input_file(args: argparse.Namespace, command: str) -> Path | None:
    """The file an import command reads, or None after saying it does not exist."""
    path = Path(args.file)
    if path.is_file():
        return path
    print(f"{command}: no such file: {args.file}", file=sys.stderr)
    return None


def _cmd_tm_export(args: argparse.Namespace) -> int:
    from pipeline.catalogs import interchange  # translate-toolkit loads only for these commands

    config = load_config(args.root)
    locales = _locales(args, config.locales) or list(config.locales)
    _write_out(interchange.export_project_tmx(config, locales), args.output)
    return 0


def _cmd_tm_import(args: argparse.Namespace) -> int:
    from pipeline.catalogs import interchange  # translate-toolkit loads only for these commands

    config = load_config(args.root)
    locales = _locales(args, config.locales) or list(config.locales)
    path = _input_file(args, "tm")
    if path is None:
        return EXIT_USAGE
    with project_lock(config.root, wait=not args.no_wait, on_wait=_waiting):
        result = interchange.import_project_tmx(config, path, locales)
    for shown, n in result.filled.items():
        print(f"{shown}: {n} entr{'y' if n == 1 else 'ies'} filled as fuzzy from {path.name}")
    print(f"tm: {sum(result.filled.values())} entries filled, {len(result.written)} file(s) written", file=sys.stderr)
    return 0


def _cmd_merge_driver(args: argparse.Namespace) -> int:
    """git's merge driver for catalogs: exit 0 merged (conflicts kept as fuzzy), else git's own markers."""
    import subprocess

    from pipeline.catalogs.gitmerge import THEIRS, merge_files

    shown = args.path or args.ours
    try:
        result = merge_files(Path(args.base), Path(args.ours), Path(args.theirs), shown)
    except PipelineError as exc:  # a side gettext cannot read: git's line merge, with its markers
        print(f"merge-driver: {exc}; falling back to a line merge", file=sys.stderr)
        labels = ["-L", "ours", "-L", "base", "-L", "theirs"]
        return subprocess.run(["git", "merge-file", *labels, args.ours, args.base, args.theirs]).returncode and 1
    for msgid in result.conflicts:
        first = msgid.split("\n", 1)[0]
        print(
            f"{shown}: both sides translated {first[:60]!r}: kept ours, fuzzy, theirs in '# {THEIRS}'", file=sys.stderr
        )
    return 0


def _cmd_xliff_export(args: argparse.Namespace) -> int:
    from pipeline.catalogs import interchange  # translate-toolkit loads only for these commands

    config = load_config(args.root)
    locale = _one_locale(args, config.locales)
    if locale is None:
        print("xliff: give the --locale to export", file=sys.stderr)
        return EXIT_USAGE
    domains = [d for item in args.domain or [] for d in item.split(",") if d] or None
    _write_out(interchange.export_project_xliff(config, locale, domains), args.output)
    return 0


def _cmd_xliff_import(args: argparse.Namespace) -> int:
    from pipeline.catalogs import interchange  # translate-toolkit loads only for these commands

    config = load_config(args.root)
    locales = _locales(args, config.locales) or list(config.locales)
    path = _input_file(args, "xliff")
    if path is None:
        return EXIT_USAGE
    with project_lock(config.root, wait=not args.no_wait, on_wait=_waiting):
        report, written = interchange.import_project_xliff(config, path.read_bytes(), locales)
    for original in report.unknown_files:
        print(f"xliff: {original}: no such catalog in the project (its units are not imported)", file=sys.stderr)
    for original, ctx, msgid in report.unmatched:
        where = f" (msgctxt {ctx!r})" if ctx else ""
        print(f"{original}: not imported, no longer in the catalog{where}: {msgid!r}")
    print(
        f"xliff: {len(report.updated)} updated, {report.unchanged} unchanged, {len(report.unmatched)} unmatched; "
        f"{len(written)} file(s) written",
        file=sys.stderr,
    )
    return EXIT_ERROR if report.unmatched else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.build import serve  # the renderer and watchfiles load only for this command

    config = load_config(args.root)
    server = serve.start(config, port=args.port, layout=args.layout, numbers=args.numbers)
    print(f"serve: {server.url}/ (watching locale/, seeds/, templates/; Ctrl-C to stop)", file=sys.stderr)
    serve.wait(server)
    return 0


_NO_WAIT = "if another run that writes the project (translate, build, an import) holds its lock, fail at once (exit 3)"
_NUMBERS = "number each paragraph (¶) and sentence in both columns, so a reviser can cite them (pipeline.toml: numbers)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pipeline {__version__}")
    parser.add_argument("--root", type=Path, default=None, help="project root (default: current folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="report every step and file")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("segment", help="print a source's parsed, segmented structure as JSON")
    p.add_argument("file", help="source file (e.g. seeds/2024-07-05-chongqing-press-conference.txt)")
    p.add_argument("--language", help="source language, overriding the metadata (e.g. en, zh)")
    p.add_argument("--strict", action="store_true", help="warnings about the source fail too")
    p.set_defaults(func=_cmd_segment)

    p = sub.add_parser("init", help="start a project here: write pipeline.toml with the defaults (never replaces one)")
    p.add_argument("--name", help="the project's name (default: the folder's)")
    p.add_argument("--locale", action="append", help="target locales (repeat or comma-separate; default: six)")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("import", help="a transcript as received (text, HTML, .docx, Markdown) -> seeds/<slug>.txt")
    p.add_argument("file", help="the transcript: .txt, .html, .docx or .md")
    p.add_argument("--outlet", help="who published it, when the file does not say")
    p.add_argument("--date", help="the day it was held (YYYY-MM-DD), when the file does not say or says two")
    p.add_argument("--title", help="the brief's title, when the file has none")
    p.add_argument("--language", help="source language (default: detected, en or zh)")
    p.add_argument("--slug", help="the file name in seeds/ (default: date and title)")
    p.add_argument("--force", action="store_true", help="replace an existing source of that name")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1, files still written)")
    p.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("translate", help="extract every source into locale/*.pot and update each locale's .po")
    p.add_argument("--force", action="store_true", help="re-extract every source even if nothing changed")
    p.add_argument(
        "--tm-exact-final",
        action="store_true",
        help="accept exact translation-memory matches as translated (default: fuzzy, for a translator to confirm)",
    )
    p.add_argument("--strict", action="store_true", help="warnings about a source fail too")
    p.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    p.set_defaults(func=_cmd_translate)

    p = sub.add_parser("check", help="translation QA of the catalogs; exit 1 on errors (or warnings with --strict)")
    p.add_argument("paths", nargs="*", help=".po files or folders (default: every catalog of every locale)")
    p.add_argument("--locale", action="append", help="only these locales (repeat or comma-separate)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("stats", help="translated, fuzzy and untranslated counts per brief and locale")
    p.add_argument("--locale", action="append", help="only these locales (repeat or comma-separate)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("build", help="render every brief in every locale into dist/ (HTML and PDF)")
    p.add_argument("--locale", action="append", help="only these locales (repeat or comma-separate)")
    p.add_argument("--layout", choices=list(LAYOUTS), help="override pipeline.toml's layout")
    p.add_argument("--numbers", action="store_true", help=_NUMBERS)
    p.add_argument("--only-html", action="store_true", help="write the web pages, skip the PDFs")
    p.add_argument("-j", "--jobs", type=int, help="render processes on this machine (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="render on a Dask cluster instead (tcp://host:8786)")
    p.add_argument("--force", action="store_true", help="rebuild every brief even if nothing changed")
    p.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    p.add_argument("--allow-held", action="store_true", help="exit 0 even if a brief is held back by an error finding")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("serve", help="live bilingual preview on 127.0.0.1: pages reload when a catalog is saved")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    p.add_argument("--layout", choices=list(LAYOUTS), help="override pipeline.toml's layout")
    p.add_argument("--numbers", action="store_true", help=_NUMBERS)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("glossary", help="exchange locale/glossary.tbx with Weblate and CAT tools")
    gsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    g = gsub.add_parser("export", help="write the glossary as TBX martif (Weblate, translate-toolkit) or CSV")
    g.add_argument("--format", choices=["tbx-v2", "csv"], default="tbx-v2", help="tbx-v2: martif/termEntry/langSet")
    g.add_argument("--locale", action="append", help="only these target locales (csv: exactly one)")
    g.add_argument("-o", "--output", help="file to write (default: standard output)")
    g.set_defaults(func=_cmd_glossary_export)
    g = gsub.add_parser("import", help="merge a Weblate/translate-toolkit TBX or CSV export into the glossary")
    g.add_argument("file", help="a .tbx (TBX 2019 or martif) or .csv (source,target columns) file")
    g.add_argument("--locale", action="append", help="the file's target locale (needed for CSV)")
    g.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    g.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    g.set_defaults(func=_cmd_glossary_import)

    p = sub.add_parser("tm", help="translation memory: export the catalogs as TMX, fill drafts from a TMX file")
    tsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = tsub.add_parser("export", help="every confirmed translation as TMX 1.4b (OmegaT, Trados, memoQ)")
    t.add_argument("--format", choices=["tmx"], default="tmx")
    t.add_argument("--locale", action="append", help="only these locales (repeat or comma-separate)")
    t.add_argument("-o", "--output", help="file to write (default: standard output)")
    t.set_defaults(func=_cmd_tm_export)
    t = tsub.add_parser("import", help="fill untranslated entries from a TMX file, as fuzzy (never overwrites)")
    t.add_argument("file", help="a .tmx file")
    t.add_argument("--locale", action="append", help="only these locales (repeat or comma-separate)")
    t.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    t.set_defaults(func=_cmd_tm_import)

    p = sub.add_parser("xliff", help="exchange a locale's catalogs with CAT tools as XLIFF 1.2")
    xsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    x = xsub.add_parser("export", help="one locale's catalogs as one XLIFF 1.2 file")
    x.add_argument("--locale", action="append", required=True, help="the locale to export")
    x.add_argument("--domain", action="append", help="only these domains (default: every catalog of the locale)")
    x.add_argument("-o", "--output", help="file to write (default: standard output)")
    x.set_defaults(func=_cmd_xliff_export)
    x = xsub.add_parser("import", help="merge an XLIFF file's translations back; exit 1 if units no longer match")
    x.add_argument("file", help="a .xlf/.xliff file exported by `xliff export`")
    x.add_argument("--locale", action="append", help="only catalogs of these locales")
    x.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    x.set_defaults(func=_cmd_xliff_import)

    p = sub.add_parser(
        "merge-driver", help="git merge driver for .po files: keeps both sides' translations (docs/translating.md)"
    )
    p.add_argument("base", help="%%O: the common ancestor's version")
    p.add_argument("ours", help="%%A: our version, replaced by the result")
    p.add_argument("theirs", help="%%B: their version")
    p.add_argument("path", nargs="?", help="%%P: the catalog's path, for messages")
    p.set_defaults(func=_cmd_merge_driver)

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args))
    except LockedError as exc:
        print(exc, file=sys.stderr)
        return EXIT_LOCKED
    except PipelineError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # a read-only folder, a full disk, a folder where a file should be
        print(os_error(exc, (args.root or Path.cwd())), file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.Error as exc:  # the build database, locked by another program or damaged
        print(CacheError(str(exc), CACHE_DB.as_posix()), file=sys.stderr)
        return EXIT_ERROR
