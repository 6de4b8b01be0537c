"""Benchmark of the build: render overhead, no-op rebuild, 1 -> 2 workers, memory.

Usage: ``.venv/bin/python bench/build.py [--sources 1000] [--out docs/benchmarks-build.md]``

Measures, on this machine:

1. **Render overhead**: our whole render of a brief (web page, glyph check,
   font subsets, PDF, post-processing: :func:`pipeline.render.task.render_job`)
   against WeasyPrint alone writing the PDF of the same HTML
   (``HTML(string=...).write_pdf()``), CPU seconds, median of ``--rounds``,
   for the seed in five locales.
2. **No-op rebuild** of ``--sources`` synthetic sources x 6 locales (bench/corpus.py,
   catalogs made by ``translate`` and filled with pseudo-translations in each
   script), built once with ``--only-html`` (6,000 PDFs would take hours
   here), then ``python -m pipeline build --only-html`` again with nothing
   changed, and with one catalog changed; and the same for 20 sources built
   in full (HTML and PDF).
3. **Speed-up** from 1 to 2 workers: ``build --force -j1`` and ``-j2`` on 12
   and on 48 briefs (PDFs), wall seconds, end to end.
4. **Memory**: the parent's peak RSS and each worker's RSS after every render,
   over 30 and 90 briefs, with 2 workers.
5. **Full build at scale** (``--sections 5``, not in the default run: about
   half an hour at 1,000 sources): every brief of ``--sources`` x 6 locales
   with its PDF on 2 workers; wall and CPU seconds, the build's and the
   workers' memory, then a no-op rebuild and one catalog changed.

A benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

from pipeline.build.workers import MAX_TASKS_PER_CHILD  # noqa: E402
from pipeline.config import UI_DOMAIN  # noqa: E402

PY = sys.executable
LOCALES = ["zh_CN", "fr", "ar", "es", "ru", "ja"]
EPOCH = "1720137600"
KEEP = {"trillion", "billion", "million", "percent"}
# Pseudo-translations: each Latin word becomes a word in the target's script, the same word
# always the same way; numbers, URLs, abbreviations with dots and punctuation stay as they are.
_RU = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхийклмнопкрстуввхыз", strict=True))
_AR = dict(zip("abcdefghijklmnopqrstuvwxyz", "ابتدهفغحيجكلمنوقرسطويخيزشث"[:26], strict=True))
_HAN = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))  # CJK unified ideographs, in every CJK face
_KANA = "".join(chr(c) for c in range(0x3042, 0x3094))  # hiragana


def _h(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.lower().encode(), digest_size=4).digest(), "big")


def _word(word: str, locale: str) -> str:
    lower = word.lower()
    if locale == "ru":
        return "".join(_RU.get(c, c) for c in lower)
    if locale == "ar":
        return "".join(_AR.get(c, c) for c in lower)
    if locale == "zh_CN":
        h = _h(word)
        return "".join(_HAN[(h >> (8 * i)) % len(_HAN)] for i in range(1 + h % 3))
    if locale == "ja":
        h = _h(word)
        return _HAN[h % len(_HAN)] + "".join(_KANA[(h >> (6 * i)) % len(_KANA)] for i in range(1, 1 + h % 3))
    accents = {"fr": str.maketrans("ae", "âé"), "es": str.maketrans("ao", "áó")}[locale]
    return word.translate(accents)


def pseudo(text: str, locale: str) -> str:
    out = []
    for token in text.split(" "):
        core = token.strip(".,;:?!\"'()")
        if core.isalpha() and core.lower() not in KEEP:
            token = token.replace(core, _word(core, locale))
        out.append(token)
    joiner = "" if locale in ("zh_CN", "ja") else " "
    return joiner.join(out)


def make_project(root: Path, sources: int) -> Path:
    """``sources`` synthetic transcripts, their catalogs in 6 locales filled with pseudo-translations."""
    write_corpus(root / "seeds", sources)
    locales = ", ".join(f'"{loc}"' for loc in LOCALES)
    (root / "pipeline.toml").write_text(
        f'[project]\nname = "Bench"\nlocales = [{locales}]\ntemplate_dir = "{(ROOT / "templates").as_posix()}"\n'
        "[publish]\nfinal_threshold = 100\ndraft_threshold = 40\n",
        "utf-8",
    )
    subprocess.run([PY, "-m", "pipeline", "--root", str(root), "translate"], check=True, capture_output=True)
    for locale in LOCALES:
        for path in sorted((root / "locale" / locale / "LC_MESSAGES").glob("*.po")):
            if path.stem == UI_DOMAIN:
                continue
            po = polib.pofile(str(path), wrapwidth=0)
            for entry in po:
                entry.msgstr = pseudo(entry.msgid, locale)
                # The pseudo-translation keeps "1.2 trillion" in English words: not a number slip.
                entry.tcomment = "qa: no-numbers-check synthetic benchmark text"
            po.save(str(path))
        shutil.copy(
            ROOT / "locale" / locale / "LC_MESSAGES" / f"{UI_DOMAIN}.po", root / "locale" / locale / "LC_MESSAGES"
        )
    return root


def build(root: Path, *args: str) -> float:
    """Wall seconds of ``python -m pipeline build`` (a fresh interpreter, as a user runs it)."""
    start = time.perf_counter()
    proc = subprocess.run([PY, "-m", "pipeline", "--root", str(root), "build", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return wall


def edit_one_catalog(root: Path) -> None:
    path = sorted((root / "locale" / "fr" / "LC_MESSAGES").glob("doc-*.po"))[0]
    po = polib.pofile(str(path), wrapwidth=0)
    po[0].msgstr += " (révisé)"
    po.save(str(path))


# -- 1. overhead ---------------------------------------------------------------------------------


def overhead(rounds: int) -> list[str]:
    from weasyprint import HTML

    from pipeline.build.run import gate_brief
    from pipeline.catalogs.pofile import compile_mo
    from pipeline.config import load_config
    from pipeline.qa.gate import DRAFT
    from pipeline.render.html import creation_stamp, font_configuration, load_templates, render_html, translations
    from pipeline.render.task import RenderJob, render_job
    from pipeline.sources.reader import read_document

    config = load_config(ROOT)
    doc = read_document(config, config.sources[0])
    templates = load_templates(config.path(config.template_dir))
    rows = [
        "| locale | pages | ours: whole brief (CPU s) | WeasyPrint `write_pdf()` (CPU s) | overhead "
        "| WeasyPrint, our options (CPU s) | overhead |",
        "|---|---|---|---|---|---|---|",
    ]
    for locale in ("fr", "zh_CN", "ar", "es", "ja"):
        gated = gate_brief(config, doc, locale, config.po_path(locale, doc.slug).read_bytes())
        assert gated.brief is not None
        ui = compile_mo(config.po_path(locale, UI_DOMAIN).read_bytes(), "ui")
        job = RenderJob("bench", gated.brief, ui, "ui", templates, config.layout, gated.decision.status == DRAFT,
                        False, "bench.pdf", EPOCH)  # fmt: skip
        printed = render_html(gated.brief, templates, translations(ui, "ui"), web=False, draft=job.draft,
                              created=creation_stamp(gated.brief.date, EPOCH))  # fmt: skip
        fns = {
            "ours": lambda job=job: render_job(job),
            "raw": lambda printed=printed: HTML(string=printed).write_pdf(),
            "same": lambda printed=printed: HTML(string=printed).write_pdf(
                font_config=font_configuration(), pdf_tags=True
            ),
        }
        times: dict[str, list[float]] = {k: [] for k in fns}
        for fn in fns.values():  # warm: fonts loaded, caches filled
            fn()
        for _ in range(rounds):  # interleaved, so a busy machine slows all three alike
            for name, fn in fns.items():
                t = time.process_time()
                fn()
                times[name].append(time.process_time() - t)
        best = {k: min(v) for k, v in times.items()}  # the least disturbed run of each
        out = render_job(job)
        assert out.pdf is not None
        with pikepdf.open(io.BytesIO(out.pdf)) as pdf:
            pages = len(pdf.pages)
        over_raw, over_same = 100 * (best["ours"] / best["raw"] - 1), 100 * (best["ours"] / best["same"] - 1)
        rows.append(
            f"| {locale} | {pages} | {best['ours']:.3f} | {best['raw']:.3f} | {over_raw:+.0f}% "
            f"| {best['same']:.3f} | {over_same:+.0f}% |"
        )
    return rows


# -- 2. no-op ------------------------------------------------------------------------------------


def noop(tmp: Path, sources: int, *, only_html: bool, runs: int = 3) -> dict[str, float]:
    root = tmp / f"noop-{sources}"
    t = time.perf_counter()
    make_project(root, sources)
    setup = time.perf_counter() - t
    opts = ["--only-html"] if only_html else []
    full = build(root, *opts)
    again = statistics.median(build(root, *opts) for _ in range(runs))
    edit_one_catalog(root)
    one = build(root, *opts)
    files = sum(1 for p in (root / "dist").rglob("*") if p.is_file())
    return {"setup": setup, "full": full, "noop": again, "one": one, "files": files, "briefs": sources * 6}


# -- 3. speed-up ----------------------------------------------------------------------------------


def speedup(tmp: Path, sources: int, runs: int) -> dict[int, float]:
    root = tmp / f"speed-{sources}"
    make_project(root, sources)
    build(root)  # fonts and caches of the OS warm, the database filled
    return {j: statistics.median(build(root, "--force", "-j", str(j)) for _ in range(runs)) for j in (1, 2)}


# -- 4. memory ------------------------------------------------------------------------------------


def memory_run(root: Path) -> None:
    """In a child process: a 2-worker build; prints the parent's peak RSS and each render's worker RSS."""
    import json

    import pipeline.build.run
    from pipeline.build.run import BuildOptions, build_project
    from pipeline.config import load_config

    before_publish: list[float] = []
    publish = pipeline.build.run.publish_dist

    def measured_publish(*args: Any, **kwargs: Any) -> Any:
        before_publish.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return publish(*args, **kwargs)

    pipeline.build.run.publish_dist = measured_publish  # type: ignore[assignment]
    report = build_project(load_config(root), BuildOptions(jobs=2, publish=True))
    own = resource.getrusage(resource.RUSAGE_SELF)  # workers are the fork server's children: see render_cpu
    renders = [(r.worker, r.rss_mb) for r in report.renders]
    print(
        json.dumps(
            {
                "parent_peak_mb": own.ru_maxrss / 1024,
                "parent_peak_before_publish_mb": before_publish[0] if before_publish else 0.0,
                "renders": renders,
                "render_cpu": sum(r.seconds for r in report.renders),
                "seconds": report.seconds,
                "parent_cpu": own.ru_utime + own.ru_stime,
                "errors": len(report.errors),
            }
        )
    )


def memory(tmp: Path, sources: int) -> dict[str, object]:
    import json

    root = tmp / f"memory-{sources}"
    make_project(root, sources)
    proc = subprocess.run([PY, __file__, "--memory-run", str(root)], capture_output=True, text=True, check=True)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    per_worker: dict[str, list[float]] = {}
    for worker, rss in data["renders"]:
        per_worker.setdefault(worker, []).append(rss)
    data["per_worker"] = per_worker
    return data


def scale_section(tmp: Path, sources: int, say: Callable[..., None]) -> None:
    """A full build of every brief with its PDF, ``-j2``, then a no-op and one catalog changed."""
    import json

    say(f"## 5. Full build at scale: {sources} sources x 6 locales, HTML and PDF, 2 workers")
    say()
    root = tmp / f"scale-{sources}"
    t = time.perf_counter()
    make_project(root, sources)
    setup = time.perf_counter() - t
    proc = subprocess.run([PY, __file__, "--memory-run", str(root)], capture_output=True, text=True, check=True)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    per_worker: dict[str, list[float]] = {}
    for worker, rss in data["renders"]:
        per_worker.setdefault(worker, []).append(rss)
    noop = statistics.median(build(root) for _ in range(3))
    edit_one_catalog(root)
    one = build(root)
    files = [p for p in (root / "dist").rglob("*") if p.is_file()]
    pdfs = [p for p in files if p.suffix == ".pdf"]
    say(f"Corpus made in {setup:.0f} s (translate, then pseudo-translations in six scripts).")
    say()
    say("| measure | value |")
    say("|---|---|")
    say(f"| briefs rendered | {len(data['renders'])} ({data['errors']} errors) |")
    each = data["seconds"] / max(1, len(data["renders"]))
    say(f"| full build, wall | {data['seconds']:.0f} s ({each:.3f} s a brief) |")
    say(f"| CPU: the build process (plan, gate, write, publish) | {data['parent_cpu']:.0f} s |")
    say(f"| CPU: the render tasks, summed over the workers | {data['render_cpu']:.0f} s |")
    say(
        f"| build process peak RSS: rendering / with the publish step | {data['parent_peak_before_publish_mb']:.0f} MB"
        f" / {data['parent_peak_mb']:.0f} MB |"
    )
    say(f"| worker processes (recycled every {MAX_TASKS_PER_CHILD} renders) | {len(per_worker)} |")
    firsts = [rss[0] for rss in per_worker.values()]
    lasts = [rss[-1] for rss in per_worker.values()]
    peak = max(max(rss) for rss in per_worker.values())
    say(f"| worker RSS after its first / last render; max | {min(firsts):.0f}-{max(firsts):.0f} / "
        f"{min(lasts):.0f}-{max(lasts):.0f}; {peak:.0f} MB |")  # fmt: skip
    size = sum(p.stat().st_size for p in files) / 1e6
    say(f"| dist/: files, PDFs, bytes | {len(files)}, {len(pdfs)}, {size:.0f} MB |")
    say(f"| no-op rebuild (median of 3, fresh interpreter) | {noop:.2f} s |")
    say(f"| one catalog changed | {one:.2f} s |")
    say()
    shutil.rmtree(root)


def noop_section(tmp: Path, sources_big: int, say: Callable[..., None]) -> None:
    say("## 2. No-op rebuild (`python -m pipeline build`, wall seconds, a fresh interpreter each time)")
    say()
    say("| corpus | briefs | files in dist/ | full build (s) | no-op rebuild (s) | one catalog changed (s) |")
    say("|---|---|---|---|---|---|")
    for sources, only_html in ((20, False), (sources_big, True)):
        r = noop(tmp, sources, only_html=only_html)
        kind = "HTML only" if only_html else "HTML + PDF"
        say(f"| {sources} sources x 6 locales, {kind} | {r['briefs']:.0f} | {r['files']:.0f} | {r['full']:.1f} "
            f"| {r['noop']:.2f} | {r['one']:.2f} |")  # fmt: skip
        shutil.rmtree(tmp / f"noop-{sources}")
    say()


def speedup_section(tmp: Path, say: Callable[..., None]) -> None:
    say("## 3. Speed-up from 1 to 2 workers (`python -m pipeline build --force -jN`, wall seconds)")
    say()
    say("| briefs | runs (median) | -j1 (s) | -j2 (s) | speed-up |")
    say("|---|---|---|---|---|")
    for sources, runs in ((2, 3), (8, 3), (20, 1)):
        t = speedup(tmp, sources, runs)
        say(f"| {sources * 6} | {runs} | {t[1]:.1f} | {t[2]:.1f} | {t[1] / t[2]:.2f}x |")
    say()


def memory_section(tmp: Path, say: Callable[..., None]) -> None:
    say("## 4. Memory with 2 workers (each worker's RSS after each of its renders)")
    say()
    say("| briefs | parent peak RSS (MB) | worker | renders | RSS after 1st (MB) | after last (MB) | max (MB) |")
    say("|---|---|---|---|---|---|---|")
    for sources in (5, 15):
        m = memory(tmp, sources)
        for i, (_worker, rss) in enumerate(sorted(m["per_worker"].items())):  # type: ignore[attr-defined]
            head = f"| {sources * 6} | {m['parent_peak_mb']:.0f}" if i == 0 else "| |"
            say(f"{head} | {i + 1} | {len(rss)} | {rss[0]:.0f} | {rss[-1]:.0f} | {max(rss):.0f} |")
    say()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000, help="sources of the no-op corpus (x 6 locales)")
    parser.add_argument("--rounds", type=int, default=7, help="renders per locale for the overhead (default 7)")
    parser.add_argument("--sections", default="1234", help="which measurements to run (default: 1234)")
    parser.add_argument("--out", type=Path, help="also write the report as Markdown here")
    parser.add_argument("--memory-run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    if args.memory_run:
        memory_run(args.memory_run)
        return 0
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        tmp = Path(folder)
        if "1" in args.sections:
            say("## 1. Render overhead: our brief against WeasyPrint alone on the same HTML")
            say()
            for row in overhead(args.rounds):
                say(row)
            say()
        if "2" in args.sections:
            noop_section(tmp, args.sources, say)
        if "3" in args.sections:
            speedup_section(tmp, say)
        if "4" in args.sections:
            memory_section(tmp, say)
        if "5" in args.sections:
            scale_section(tmp, args.sources, say)
    cpu = platform.processor() or platform.machine()
    head = (
        "# Build benchmark\n\n"
        f"Command: `.venv/bin/python bench/build.py --sources {args.sources} --out docs/benchmarks-build.md`\n\n"
        f"Machine: {cpu}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.release()}.\n\n"
    )
    if args.out:
        args.out.write_text(head + "\n".join(lines) + "\n", "utf-8")
    return 0


if __name__ == "__main__":  # the render pool's fork server imports this module: nothing may run on import
    raise SystemExit(main())
