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

from pipeline import __version__
from pipeline.config import CACHE_DB, Config, load_config
from pipeline.errors import CacheError, PipelineError, os_error
from pipeline.files import remove_stale_temporaries
from pipeline.lock import LockedError, project_lock
from pipeline.qa.check import check_project, expand_paths
from pipeline.qa.report import format_table, project_stats, report_json, report_text
from pipeline.sources.reader import read_document
from pipeline.stages import translate_project

log = logging.getLogger("pipeline")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3  # --no-wait and another translate or build holds the project lock


def _cmd_segment(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    doc = read_document(config, Path(args.file), language=args.language)
    json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


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
        report = translate_project(config, force=args.force)
    print(
        f"translate: {len(report.written)} file(s) written, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} source(s) up to date, "
        f"{len(report.errors)} error(s)",
        file=sys.stderr,
    )
    for err in report.errors:
        print(err, file=sys.stderr)
    return 0 if report.ok else EXIT_ERROR


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


_NO_WAIT = "if another translate or build of the project is running, fail at once (exit 3) instead of waiting"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pipeline {__version__}")
    parser.add_argument("--root", type=Path, default=None, help="project root (default: current folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="report every step and file")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("segment", help="print a source's parsed, segmented structure as JSON")
    p.add_argument("file", help="source file (e.g. seeds/2024-07-05-chongqing-press-conference.txt)")
    p.add_argument("--language", help="source language, overriding the metadata (e.g. en, zh)")
    p.set_defaults(func=_cmd_segment)

    p = sub.add_parser("translate", help="extract every source into locale/*.pot and update each locale's .po")
    p.add_argument("--force", action="store_true", help="re-extract every source even if nothing changed")
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
    p.add_argument("--layout", choices=["side-by-side", "interlinear"], help="override pipeline.toml's layout")
    p.add_argument("--only-html", action="store_true", help="write the web pages, skip the PDFs")
    p.add_argument("-j", "--jobs", type=int, help="render processes on this machine (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="render on a Dask cluster instead (tcp://host:8786)")
    p.add_argument("--force", action="store_true", help="rebuild every brief even if nothing changed")
    p.add_argument("--no-wait", action="store_true", help=_NO_WAIT)
    p.add_argument("--allow-held", action="store_true", help="exit 0 even if a brief is held back by an error finding")
    p.set_defaults(func=_cmd_build)

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
