"""Main-text extraction from saved transcript pages: trafilatura, jusText and our rule over selectolax.

For each sample page in tests/import/*.html the transcript's own paragraphs are known (the <p>
elements of the containers listed in CONTAINERS); an extractor scores

* recall: transcript paragraphs found as one line of its output (whitespace-normalised),
* leaked: output lines that are neither a transcript paragraph nor the page's title/dateline,
* cues: lines whose run of spaces after ``Q`` survives (the colon of ``Q    Good afternoon.``),
* time per page (best of 20).

    .venv/bin/python bench/html_extract.py
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.sources.html import html_lines  # noqa: E402

CONTAINERS = {
    "scio-paginated-web.html": "#articleBody p, #articleBody2 p",
    "whitehouse-briefing-web.html": ".body-content p",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def ours(html: str) -> list[str]:
    return html_lines(html)[0]


def trafilatura_lines(html: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, output_format="txt", include_comments=False, favor_recall=True) or ""
    return text.splitlines()


def justext_lines(html: str) -> list[str]:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return [p.text for p in paragraphs if not p.is_boilerplate]


EXTRACTORS: dict[str, Callable[[str], list[str]]] = {
    "selectolax + our rule": ours,
    "trafilatura 2.3": trafilatura_lines,
    "jusText 3.0": justext_lines,
}


def main() -> None:
    print(f"{'extractor':24} {'page':32} {'recall':>8} {'leaked':>7} {'Q cues':>7} {'ms/page':>8}")
    for name, extract in EXTRACTORS.items():
        for page in sorted((ROOT / "tests" / "import").glob("*.html")):
            html = page.read_text("utf-8")
            tree = LexborHTMLParser(html)
            expected = [_norm(p.text(deep=True, separator="", strip=False)) for p in tree.css(CONTAINERS[page.name])]
            raw_cues = sum(1 for p in tree.css(CONTAINERS[page.name]) if re.match(r"Q\s{2,}", p.text()))
            best = float("inf")
            for _ in range(20):
                start = time.perf_counter()
                lines = extract(html)
                best = min(best, time.perf_counter() - start)
            got = [_norm(x) for x in lines]
            recall = sum(1 for e in expected if e in got)
            leaked = [g for g in got if g and g not in expected]
            cues = sum(1 for x in lines if re.match(r"Q\s{2,}", x))
            print(
                f"{name:24} {page.name:32} {recall:>3}/{len(expected):<4} {len(leaked):>7} "
                f"{cues:>3}/{raw_cues:<3} {best * 1000:>8.2f}"
            )


if __name__ == "__main__":
    main()
