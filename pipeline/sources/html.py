"""Stage 0, import: a saved HTML page of a transcript -> its lines, title, site name and dates.

Main text by a rule of our own over selectolax's HTML5 parser (lexbor), chosen
on measured recall over trafilatura and jusText (``bench/html_extract.py``,
``docs/importing.md``): drop what is never text (scripts, forms, navigation,
header and footer, elements whose id or class says menu, related, share,
footer, ...), take the deepest element that holds nearly all the paragraph
text of the page (so every page of a paginated transcript saved as one file
is kept), then one line per block element, with the text's own spacing
(``Q    Good afternoon.`` keeps the run of spaces that is its colon).

lexbor keeps no source positions, so before parsing every block element's
start tag (and ``<br>``) outside comments, scripts, styles, ``<title>`` and
``<textarea>`` is given its line in the file as an attribute
(:func:`mark_lines`): a line of the report is the line of the block element
(or ``<br>``) its text starts in.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.errors import SourceError
from pipeline.sources.importer import Hints
from pipeline.sources.reader import decode_source

_NEVER_TEXT = "script, style, noscript, template, nav, header, footer, form, aside, button, select, iframe, svg"
_BOILERPLATE = re.compile(
    r"(?i)nav|menu|footer|related|share|social|breadcrumb|search|sidebar|comment|copyright|subscribe|newsletter|"
    r"advert|banner|toolbar|cookie|popup|modal|skip"
)
_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt td th div section article main tr caption figcaption address ul ol"
    " table tbody dl center".split()
)
_LINE = "data-pipeline-line"
# A region whose text must stay as written (no tag in it is an element), or a start tag to mark.
_MARKS = re.compile(
    r"(?is)(?P<keep><!--.*?-->|<(?P<raw>script|style|textarea)\b.*?</(?P=raw)\s*>)"
    r"|<(?P<title>title)(?P<rest>(?=[\s/>]).*?</title\s*>)"  # marked, its text kept as written
    r"|<(?P<tag>" + "|".join(sorted(_BLOCKS | {"br", "meta", "time"}, key=len, reverse=True)) + r")(?=[\s/>])"
)
MAIN_SHARE = 0.85  # the main element holds at least this share of the page's paragraph text
# A page title's site name after " | " or "_" and a CJK name ("..._中华人民共和国外交部"), or after a
# dash when it is a domain ("... - China.org.cn"); "- Page 2" is no site.
_SITE_SUFFIX = re.compile(
    r"^(.{4,}?)(?:\s+\|\s+|\s*_\s*(?=[^\x00-\x7f])|\s+[-–—]\s+(?=[\w-]+\.[a-z]{2,}))([^|_]{2,60})$"
)
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,60}$")


def read_html(path: Path, shown: str) -> tuple[list[str], Hints]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", shown) from None
    return html_lines(decode_source(data, Path(shown)))


def mark_lines(html: str) -> str:
    """``html`` with each block element's start tag, ``<br>``, ``<title>`` and ``<meta>`` carrying its line."""
    line, last = 1, 0

    def mark(m: re.Match[str]) -> str:
        nonlocal line, last
        line += html.count("\n", last, m.start())
        last = m.start()
        if m.group("keep"):
            return m.group(0)
        if m.group("title"):
            return f'<{m.group("title")} {_LINE}="{line}"{m.group("rest")}'
        return f'{m.group(0)} {_LINE}="{line}"'

    return _MARKS.sub(mark, html)


def html_lines(html: str) -> tuple[list[str], Hints]:
    """The page's lines and hints; ``Hints.places``: the line of the file each one starts in."""
    tree = LexborHTMLParser(mark_lines(html))
    hints = _hints(tree)
    for node in tree.css(_NEVER_TEXT):
        node.decompose()
    for node in tree.css("[class], [id]"):
        if _BOILERPLATE.search(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"):
            node.decompose()
    root = tree.body
    if root is None:
        return [], hints
    main = _main_element(root)
    lines: list[tuple[str, str]] = []
    _emit(main, lines, _line_of(main, "1"))
    return [text for text, _ in lines], dataclasses.replace(hints, places=tuple(where for _, where in lines))


def _line_of(node: LexborNode, default: str) -> str:
    return str(node.attributes.get(_LINE) or default)


def _hints(tree: LexborHTMLParser) -> Hints:
    """Title, site name and dates from the page's metadata, each with the line of the file it is on."""

    def meta(*names: str) -> tuple[str | None, str]:
        for name in names:
            node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"]')
            if node is not None and node.attributes.get("content"):
                return str(node.attributes["content"]).strip(), _line_of(node, "")
        return None, ""

    site, site_at = meta("og:site_name", "application-name", "publisher", "author")
    title, title_at = meta("og:title", "dc.title", "title")
    if title is None:
        node = tree.css_first("title")
        if node is not None:
            title, title_at = node.text(strip=True), _line_of(node, "")
            if site and title.endswith(site):
                title = _TITLE_SUFFIX.sub("", title)
            elif site is None and (m := _SITE_SUFFIX.match(title)):  # "Briefing ... | The White House"
                title, site, site_at = m.group(1).strip(), m.group(2).strip(), title_at
    dates = [
        (d, at)
        for d, at in (
            meta("article:published_time", "publishdate", "pubdate", "date", "dc.date", "og:updated_time"),
            *((str(n.attributes.get("datetime") or ""), _line_of(n, "")) for n in tree.css("time[datetime]")),
        )
        if d
    ]
    return Hints(
        title=title or None,
        outlet=site,
        dates=tuple(d[:10] for d, _ in dates),
        title_place=title_at,
        outlet_place=site_at,
        date_places=tuple(at for _, at in dates),
    )


def _text_len(node: LexborNode) -> int:
    return sum(len(p.text(strip=True)) for p in node.css("p"))


def _main_element(root: LexborNode) -> LexborNode:
    """The deepest element holding at least MAIN_SHARE of the paragraph text (the body if none)."""
    total = _text_len(root)
    if not total:
        return root
    best = root
    while True:
        for child in best.iter():
            if child.tag in _BLOCKS and _text_len(child) >= total * MAIN_SHARE:
                best = child
                break
        else:
            return best


def _emit(node: LexborNode, lines: list[tuple[str, str]], line: str) -> None:
    """One line per block element that holds text of its own, with its line in the file; <br> breaks a line."""
    buffer: list[str] = []
    where = line

    def flush() -> None:
        text = "".join(buffer).replace("\r", " ").replace("\n", " ")
        if text.strip():
            lines.append((text.strip(" \t"), where))
        buffer.clear()

    for child in node.iter(include_text=True):
        if child.tag == "-text":
            buffer.append(child.text_content or "")
        elif child.tag == "br":
            flush()
            where = _line_of(child, where)
        elif child.tag in _BLOCKS:
            flush()
            where = _line_of(child, where)
            _emit(child, lines, where)
        else:
            buffer.append(_inline_text(child))
    flush()


def _inline_text(node: LexborNode) -> str:
    return node.text(deep=True, separator="", strip=False)
