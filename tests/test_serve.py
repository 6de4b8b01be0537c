"""`serve`: the live preview in Chromium; a saved catalog shows in the open page without a manual reload."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from pipeline.build import serve
from pipeline.build.run import gate_brief
from pipeline.config import load_config
from pipeline.sources.reader import read_document

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SLUG = "2024-07-05-chongqing-press-conference"


@pytest.fixture
def server(shipped: Path) -> Iterator[serve.Server]:
    running = serve.start(load_config(shipped), port=0)
    yield running
    running.close()


def test_changed_files_drop_the_pages_they_feed(shipped: Path) -> None:
    preview = serve.Preview(load_config(shipped))
    page = f"/es/{SLUG}.html"
    assert preview.affected([shipped / "locale" / "es" / "LC_MESSAGES" / f"{SLUG}.po"]) == [page]
    assert preview.affected([shipped / "locale" / "es" / "LC_MESSAGES" / "pipeline-ui.po"]) == [page]
    assert len(preview.affected([shipped / "seeds" / f"{SLUG}.txt"])) == len(load_config(shipped).locales)
    assert preview.affected([shipped / "templates" / "brief.html.j2"]) == ["*"]


def test_a_saved_translation_appears_in_the_open_page(shipped: Path, server: serve.Server) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    catalog = load_config(shipped).po_path("es", SLUG)
    po = polib.pofile(str(catalog), wrapwidth=0)
    entry = next(e for e in po if not e.msgstr and not e.msgctxt and not e.obsolete)
    new = "Frase recién traducida en el editor."
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{server.url}/es/{SLUG}.html")
        page.wait_for_load_state("load")
        assert new not in page.inner_text("body")
        # Each segment of the translation tells where it comes from and its status, on hover (title) and click.
        info = page.eval_on_selector_all("table.pairs td.tgt .seg", "segs => segs.map(s => s.title)")
        config = load_config(shipped)
        doc = read_document(config, config.path(config.source_dir) / f"{SLUG}.txt")
        brief = gate_brief(config, doc, "es", catalog.read_bytes()).brief
        assert brief is not None
        total = sum(len(p.target) for p in brief.pairs)
        assert len(info) == total
        assert all(i for i in info)
        assert any(i.startswith(f"locale/es/LC_MESSAGES/{SLUG}.po:") and i.endswith(" untranslated") for i in info)
        assert any(i.endswith(" translated") for i in info)
        page.click("table.pairs td.tgt .seg-untranslated")
        opened = page.eval_on_selector(".serve-open", "s => getComputedStyle(s, '::after').content")
        assert f"{SLUG}.po:" in opened
        page.wait_for_timeout(300)  # the page's event stream is open

        entry.msgstr = new
        po.save(str(catalog))
        saved = time.monotonic()
        page.wait_for_function(f"document.body.innerText.includes({new!r})", timeout=15000)
        shown = time.monotonic() - saved
        browser.close()
    print(f"saved -> shown in {shown:.2f} s")
    assert shown < 10
