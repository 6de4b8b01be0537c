"""Stage 1, read: a source file (+ its metadata sidecar) -> :class:`Document`.

Source format, one item per line::

    Outlet | Date
    Speaker:
    Paragraph...
    Paragraph...

The date is parsed with Babel's CLDR data in the source language (``July 5,
2024``, ``Jan. 14, 2025``, ``2024年7月5日``).  A speaker line is a short name
ending in ``:`` or ``：`` alone on its line; a paragraph that happens to end
with a colon is not one.  Whitespace is normalised (BOM, CRLF, tabs, runs of
spaces, trailing spaces, blank lines) before anything reaches a msgid.

The sidecar ``<name>.meta.toml`` beside the source gives what the transcript
lacks: ``title``, ``language`` and optional ``[[speakers]]`` with ``name``,
``role`` ("question" or "answer") and ``title``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from pipeline.config import Config, key_line, read_toml
from pipeline.errors import ConfigError, SourceError
from pipeline.model import Block, Document, Location, Paragraph, Segment, Speaker
from pipeline.sources.segment import Rules, load_rules, segment_text

_SPACE = re.compile(r"[ \t\u00a0\u3000\u2000-\u200a\u202f\u205f]+")
_SPEAKER = re.compile(r"^(?P<name>[^:：.!?。！？;；,，]{1,60}?)\s*[:：]$")
_SPEAKER_MAX_WORDS = 5
_ROLES = {"question", "answer"}


def normalise_line(line: str) -> str:
    """One line as it may appear in a msgid: NFC, single spaces, stripped."""
    line = unicodedata.normalize("NFC", line)
    return _SPACE.sub(" ", line).strip()


def decode_source(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line
        ) from None


META_KEYS = ("title", "language", "speakers")  # a sidecar's keys; any other is a typo
SPEAKER_KEYS = ("name", "role", "title")  # those of each [[speakers]] entry


def read_metadata(path: Path, shown: str | None = None) -> dict[str, object]:
    """The sidecar ``<name>.meta.toml`` of a source (``shown``: its path as messages give it)."""
    meta = path.with_suffix(".meta.toml")
    shown = shown or meta.as_posix()
    if not meta.exists():
        return {}
    data, text = read_toml(meta, shown, SourceError)
    for key in data:
        if key not in META_KEYS:
            line = key_line(text, "", key) or key_line(text, key)
            raise SourceError(f"unknown key {key!r} in the metadata (known: {', '.join(META_KEYS)})", shown, line)
    speakers = data.get("speakers", [])
    for entry in speakers if isinstance(speakers, list) else []:
        for key in entry if isinstance(entry, dict) else []:
            if key not in SPEAKER_KEYS:
                raise SourceError(
                    f"unknown key {key!r} in [[speakers]] (known: {', '.join(SPEAKER_KEYS)})",
                    shown,
                    key_line(text, "speakers", key),
                )
    return data


@lru_cache(maxsize=32)
def _month_names(locale: Locale) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """The locale's month names (wide and abbreviated, lowercased) and its wide names."""
    names = [
        (name.lower().rstrip("."), num)
        for ctx in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        for num, name in locale.months[ctx][width].items()
    ]
    return names, {name.lower(): num for num, name in locale.months["format"]["wide"].items()}


def parse_date(text: str, language: str, path: Path, line: int) -> dt.date:
    """A date written in ``language``, read with the locale's CLDR month names and field order."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise SourceError(f"unknown source language {language!r}", path, line) from None
    raw = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise SourceError(f"invalid date {raw!r}", path, line) from None
    s = raw.lower()
    month = None
    names, full = _month_names(locale)
    for word in re.findall(r"[^\W\d_]+\.?", s):
        w = word.rstrip(".")
        hits = {num for name, num in names if name == w}
        if not hits and len(w) >= 3:  # "Sept" for "September"
            hits = {num for name, num in full.items() if name.startswith(w)}
        if len(hits) == 1:
            month = hits.pop()
            s = s.replace(word, " ", 1)
            break
    numbers = [int(n) for n in re.findall(r"\d+", s)]
    pattern = locale.date_formats["long"].pattern
    order = [c for c in re.findall(r"([yMd])\1*", re.sub(r"'[^']*'", "", pattern))]
    fields: dict[str, int] = {}
    if month is not None:
        order = [c for c in order if c != "M"]
        fields["M"] = month
    if len(numbers) != len(order):
        raise SourceError(f"cannot read the date {raw!r} in language {language!r}", path, line)
    fields.update(zip(order, numbers, strict=True))
    try:
        return dt.date(fields["y"], fields["M"], fields["d"])
    except (KeyError, ValueError):
        raise SourceError(f"invalid date {raw!r}", path, line) from None


# C0 controls (NUL included) and DEL: never text; a tab, a line feed or a carriage return is layout.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_controls(text: str, shown: str) -> None:
    """A control character in a source is a :class:`SourceError` at its line (it would reach every catalog)."""
    m = _CONTROL.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise SourceError(
            f"control character U+{ord(m.group()):04X} in the text: remove it (a binary or damaged file?)", shown, line
        )


def read_source(
    path: Path,
    *,
    language: str | None = None,
    display_path: str | None = None,
    rules_file: Path | None = None,
    max_length: int = Config.max_length,
) -> Document:
    """Read, normalise, parse and segment one source document.

    A paragraph (so also a sentence) longer than ``max_length`` characters is an error at its
    line, before it is segmented: no transcript has one, and every later step (segmentation,
    QA, typesetting) would pay for it.
    """
    shown = display_path or path.as_posix()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such source file", shown) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", shown) from None
    text = decode_source(data, Path(shown))
    check_controls(text, shown)
    meta_path = (Path(display_path) if display_path else path).with_suffix(".meta.toml").as_posix()
    meta = read_metadata(path, meta_path)
    lang = language or str(meta.get("language", "en"))
    lines = text.splitlines()  # handles CRLF, CR and LF alike
    numbered = [(i + 1, normalise_line(raw)) for i, raw in enumerate(lines)]
    numbered = [(n, s) for n, s in numbered if s]
    if not numbered:
        raise SourceError("empty source: expected a first line 'Outlet | Date'", shown, 1)
    first_no, first = numbered[0]
    if first.count("|") != 1:
        raise SourceError(f"expected a first line 'Outlet | Date', got {first[:60]!r}", shown, first_no)
    outlet, date_text = (part.strip() for part in first.split("|"))
    if not outlet or not date_text:
        raise SourceError("expected a first line 'Outlet | Date' with both parts", shown, first_no)
    date = parse_date(date_text, lang, Path(shown), first_no)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise SourceError('the brief needs a title: add title = "..." to the metadata sidecar', meta_path, 1)
    known = _speakers_from_meta(meta, meta_path)
    rules = load_rules(lang, rules_file)
    for no, line in numbered:
        if len(line) > max_length:
            raise SourceError(
                f"paragraph of {len(line):,} characters, over the limit of {max_length:,}: split it "
                "(or raise [segmentation] max_length in pipeline.toml)",
                shown,
                no,
            )
    blocks = _parse_body(numbered[1:], shown, lang, rules, known)
    if not any(b.paragraphs for b in blocks):
        raise SourceError("no paragraphs after the header line", shown, first_no)
    return Document(
        path=shown,
        slug=path.name.removesuffix(".txt"),
        language=lang,
        outlet=outlet,
        date=date,
        title=normalise_line(title),
        header_location=Location(shown, first_no),
        title_location=Location(meta_path, _meta_line(path.with_suffix(".meta.toml"), "title")),
        blocks=tuple(blocks),
    )


def _meta_line(meta: Path, key: str) -> int:
    try:
        for i, line in enumerate(meta.read_text("utf-8").splitlines(), 1):
            if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
                return i
    except OSError:
        pass
    return 1


def _speakers_from_meta(meta: dict[str, object], meta_path: str) -> dict[str, Speaker]:
    out: dict[str, Speaker] = {}
    entries = meta.get("speakers", [])
    if not isinstance(entries, list):
        raise SourceError("[[speakers]] must be an array of tables", meta_path, 1)
    for entry in entries:
        if not isinstance(entry, dict) or "name" not in entry:
            raise SourceError("each [[speakers]] entry needs a name", meta_path, 1)
        role = entry.get("role")
        if role is not None and role not in _ROLES:
            raise SourceError(f"speaker role must be one of {sorted(_ROLES)}, got {role!r}", meta_path, 1)
        name = normalise_line(str(entry["name"]))
        out[name] = Speaker(name=name, role=role, title=entry.get("title"))
    return out


def _speaker_name(line: str, known: dict[str, Speaker]) -> str | None:
    m = _SPEAKER.match(line)
    if not m:
        return None
    name = m.group("name").strip()
    if known:
        return name if name in known else None
    if len(name.split()) > _SPEAKER_MAX_WORDS:
        return None
    return name


def _parse_body(
    lines: list[tuple[int, str]], shown: str, lang: str, rules: Rules, known: dict[str, Speaker]
) -> list[Block]:
    blocks: list[Block] = []
    speaker: Speaker | None = None
    paragraphs: list[Paragraph] = []
    for idx, (no, line) in enumerate(lines):
        name = _speaker_name(line, known)
        nxt = lines[idx + 1][1] if idx + 1 < len(lines) else None
        if name is not None and nxt is not None and _speaker_name(nxt, known) is None:
            if speaker is not None or paragraphs:
                blocks.append(Block(speaker, tuple(paragraphs)))
            base = known.get(name, Speaker(name))
            speaker = Speaker(base.name, base.role, base.title, Location(shown, no))
            paragraphs = []
            continue
        if name is not None and nxt is None and known:
            raise SourceError(f"speaker line {line!r} is not followed by a paragraph", shown, no)
        loc = Location(shown, no)
        segs = tuple(Segment(line[a:b], loc, a, b) for a, b in segment_text(line, lang, rules))
        paragraphs.append(Paragraph(line, loc, segs))
    if speaker is not None or paragraphs:
        blocks.append(Block(speaker, tuple(paragraphs)))
    return blocks


def read_document(config: Config, path: Path, language: str | None = None) -> Document:
    """A project's source, with the project's segmentation rules and its path as messages show it."""
    rules = config.path(config.segmentation_rules) if config.segmentation_rules else None
    try:
        return read_source(
            path, language=language, display_path=config.rel(path), rules_file=rules, max_length=config.max_length
        )
    except ConfigError as exc:  # the project's segmentation rules: named as the project sees them
        if rules is None or exc.path != rules.as_posix():
            raise
        raise ConfigError(exc.message, config.rel(rules), exc.line) from None
