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
``role`` ("question", "answer", "host" or "statement"), ``title`` and
``aliases`` (other labels for the same speaker: ``MS. JEAN-PIERRE``).

A label may also open its paragraph (``CCTV: Could you ...``) when it names
a declared speaker, or, without declared speakers, when it looks like a name
by the rules of :mod:`pipeline.sources.labels` (never ``Note:`` or ``2:46``).
Text before any label belongs to the sidecar's host.  A line that is a stage
direction or a section header (``pipeline/data/nonspeech.toml``) is its own
paragraph of that kind.  What the reader cannot settle is a warning on the
document (``source: path:line: warning: ...``), never silence.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from pipeline.config import Config, key_line, read_toml
from pipeline.errors import ConfigError, PipelineError, SourceError
from pipeline.model import ROLES, SPEECH, Block, Document, Location, Paragraph, Segment, SourceWarning, Speaker
from pipeline.sources import labels
from pipeline.sources.nonspeech import KEEP, Rule, classify, load_nonspeech
from pipeline.sources.segment import Rules, load_rules, segment_text

_SPACE = re.compile(r"[ \t\u00a0\u3000\u2000-\u200a\u202f\u205f]+")
_SPEAKER = re.compile(r"^(?P<name>[^:：.!?。！？;；,，]{1,60}?)\s*[:：]$")
_SPEAKER_MAX_WORDS = 5
MAX_PARAGRAPH = 2500  # characters: longer is most likely several paragraphs run together


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


def declared_speakers(meta: Path) -> dict[str, Speaker]:
    """The speakers a sidecar declares, by every label they answer to (name and aliases); {} without one."""
    if not meta.exists():
        return {}
    data = read_metadata(meta.with_suffix("").with_suffix(".txt"))
    return _speakers_from_meta(data, meta.as_posix(), _read_text(meta))


META_KEYS = ("title", "language", "speakers")  # a sidecar's keys; any other is a typo
SPEAKER_KEYS = ("name", "role", "title", "aliases")  # those of each [[speakers]] entry


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


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def text_language(text: str) -> str:
    """``zh`` when Han characters make up more than 30% of the letters, else ``en``: what a source without a
    declared language is read as (the importer's guess too)."""
    letters = sum(ch.isalpha() for ch in text) or 1
    return "zh" if len(_HAN.findall(text)) / letters > 0.3 else "en"


def source_language(path: Path) -> str | None:
    """A source's language: as its sidecar declares it, else detected from its text; None when unreadable.

    Cheap (no segmentation): the build plans which briefs a source has from it, and
    ``translate`` which catalogs.  A bad sidecar or source is reported when the source itself is read.
    """
    try:
        declared = read_metadata(path).get("language")
        return str(declared) if declared else text_language(decode_source(path.read_bytes(), path))
    except (PipelineError, OSError):
        return None


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
    nonspeech_file: Path | None = None,
    require_title: bool = True,
    max_paragraph: int = MAX_PARAGRAPH,
    max_length: int = Config.max_length,
) -> Document:
    """Read, normalise, parse and segment one source document.

    ``require_title=False`` (``segment FILE``) reads a file without a sidecar: no title, speakers inferred.
    A paragraph longer than ``max_paragraph`` characters is a warning (likely several run together);
    one (so also a sentence) longer than ``max_length`` is an error at its line, before it is
    segmented: no transcript has one, and every later step (segmentation, QA, typesetting) would
    pay for it.
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
    lang = language or str(meta.get("language") or text_language(text))
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
    if not title and require_title:
        raise SourceError('the brief needs a title: add title = "..." to the metadata sidecar', meta_path, 1)
    meta_text = _read_text(path.with_suffix(".meta.toml"))
    known = _speakers_from_meta(meta, meta_path, meta_text)
    rules = load_rules(lang, rules_file)
    for no, line in numbered:
        if len(line) > max_length:
            raise SourceError(
                f"paragraph of {len(line):,} characters, over the limit of {max_length:,}: split it "
                "(or raise [segmentation] max_length in pipeline.toml)",
                shown,
                no,
            )
    body = _Body(shown, lang, rules, known, load_nonspeech(nonspeech_file), max_paragraph)
    blocks = body.parse(numbered[1:])
    if not any(b.paragraphs for b in blocks):
        raise SourceError("no paragraphs after the header line", shown, first_no)
    body.check(blocks, meta_path)
    if meta and not language and not meta.get("language") and lang != "en":  # the default would be en: say so
        body.warn(
            f'no language in the sidecar: read as {lang!r} (mostly Chinese characters); add language = "{lang}"',
            1,
            meta_path,
        )
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
        warnings=tuple(body.warnings),
    )


def _meta_line(meta: Path, key: str) -> int:
    try:
        for i, line in enumerate(meta.read_text("utf-8").splitlines(), 1):
            if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
                return i
    except OSError:
        pass
    return 1


def _read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of(text: str, value: str) -> int:
    """The sidecar line that declares ``name = "value"`` (1 if not found)."""
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("name") and value in line:
            return i
    return 1


def _speakers_from_meta(meta: dict[str, object], meta_path: str, meta_text: str = "") -> dict[str, Speaker]:
    """Every label a declared speaker answers to (its name and its aliases) -> that speaker."""
    out: dict[str, Speaker] = {}
    entries = meta.get("speakers", [])
    if not isinstance(entries, list):
        raise SourceError("[[speakers]] must be an array of tables", meta_path, 1)
    for entry in entries:
        if not isinstance(entry, dict) or "name" not in entry:
            raise SourceError("each [[speakers]] entry needs a name", meta_path, 1)
        name = normalise_line(str(entry["name"]))
        line = _line_of(meta_text, str(entry["name"]))
        role = entry.get("role")
        if role is not None and role not in ROLES:
            raise SourceError(f"speaker role must be one of {list(ROLES)}, got {role!r}", meta_path, line)
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list):
            raise SourceError("aliases must be a list of labels", meta_path, line)
        speaker = Speaker(name=name, role=role, title=entry.get("title"), location=Location(meta_path, line))
        for label in [name, *(normalise_line(str(a)) for a in aliases)]:
            out[label] = speaker
    return out


class _Body:
    """The lines after the header -> blocks, and the warnings found on the way."""

    def __init__(
        self,
        shown: str,
        lang: str,
        rules: Rules,
        known: dict[str, Speaker],
        nonspeech: tuple[Rule, ...],
        max_paragraph: int,
    ) -> None:
        self.shown, self.lang, self.rules, self.known = shown, lang, rules, known
        self.nonspeech = tuple(r for r in nonspeech if r.action == KEEP)
        self.max_paragraph = max_paragraph
        self.warnings: list[SourceWarning] = []
        self.found: set[str] = set()

    def warn(self, message: str, line: int, path: str | None = None) -> None:
        self.warnings.append(SourceWarning(message, Location(path or self.shown, line)))

    def _alone(self, line: str) -> str | None:
        """A label alone on its line (the canonical form)."""
        if self.known and line.endswith((":", "：")):
            return line[:-1].rstrip() if line[:-1].rstrip() in self.known else None
        m = _SPEAKER.match(line)
        if not m:
            return None
        name = m.group("name").strip()
        if self.known:
            return name if name in self.known else None
        if len(name.split()) > _SPEAKER_MAX_WORDS:
            return None
        return name

    def _inline(self, line: str) -> labels.LabelMatch | None:
        found = labels.split_label(line)
        if found is None or not found.rest:
            return None
        if self.known:
            return found if found.label in self.known else None
        return found

    def _speaker(self, name: str, no: int) -> Speaker:
        base = self.known.get(name)
        if base is None:
            return Speaker(name, location=Location(self.shown, no))
        self.found.add(base.name)
        return Speaker(base.name, base.role, base.title, Location(self.shown, no))

    def _paragraph(self, text: str, no: int) -> Paragraph:
        loc = Location(self.shown, no)
        kind = classify(text, self.nonspeech)
        if kind is not None:
            seg = Segment(kind.text, loc, 0, len(kind.text), kind.kind)
            return Paragraph(kind.text, loc, (seg,), kind.kind)
        if len(text) > self.max_paragraph:
            self.warn(f"paragraph of {len(text)} characters (limit {self.max_paragraph}): several run together?", no)
        segs = tuple(Segment(text[a:b], loc, a, b) for a, b in segment_text(text, self.lang, self.rules))
        return Paragraph(text, loc, segs)

    def parse(self, lines: list[tuple[int, str]]) -> list[Block]:
        blocks: list[Block] = []
        speaker: Speaker | None = None
        paragraphs: list[Paragraph] = []

        def turn(new: Speaker) -> None:
            nonlocal speaker, paragraphs
            if speaker is not None or paragraphs:
                blocks.append(Block(speaker, tuple(paragraphs)))
            speaker, paragraphs = new, []

        for idx, (no, line) in enumerate(lines):
            name = self._alone(line)
            nxt = lines[idx + 1][1] if idx + 1 < len(lines) else None
            if name is not None and nxt is not None and self._alone(nxt) is None:
                turn(self._speaker(name, no))
                continue
            if name is not None and nxt is None and self.known:
                raise SourceError(f"speaker line {line!r} is not followed by a paragraph", self.shown, no)
            inline = self._inline(line)
            if inline is not None:
                turn(self._speaker(inline.label, no))
                line = inline.rest
            elif self.known and (guess := labels.split_label(line)) and classify(line, self.nonspeech) is None:
                self.warn(
                    f"{guess.label!r} looks like a speaker label but is not declared in the sidecar: "
                    "read as text of the turn above (declare it, or add it to a speaker's aliases)",
                    no,
                )
            paragraphs.append(self._paragraph(line, no))
        if speaker is not None or paragraphs:
            blocks.append(Block(speaker, tuple(paragraphs)))
        return self._number(blocks)

    def _number(self, blocks: list[Block]) -> list[Block]:
        """The opening turn to the host; anonymous questions numbered 1, 2, ..."""
        hosts = [sp for sp in self.known.values() if sp.role == "host"]
        out, number = [], 0
        for block in blocks:
            sp = block.speaker
            if sp is None:
                if hosts:
                    first = block.paragraphs[0].location
                    sp = Speaker(hosts[0].name, hosts[0].role, hosts[0].title, first)
                    self.found.add(hosts[0].name)
                elif any(p.kind == SPEECH for p in block.paragraphs):
                    self.warn(
                        "text before any speaker label: unattributed (declare a speaker with "
                        'role = "host" in the sidecar to give it to them)',
                        block.paragraphs[0].location.line,
                    )
            num = None
            if sp is not None and sp.role == "question" and (sp.name in labels.QUESTION_MARKS or not self.known):
                number += 1
                num = number
            out.append(Block(sp, block.paragraphs, num))
        return out

    def check(self, blocks: list[Block], meta_path: str) -> None:
        """Declared speakers never found, questions with no answer, speakers with no role."""
        declared = {sp.name: sp for sp in self.known.values()}
        for name, sp in declared.items():
            where = sp.location.line if sp.location else 1
            if name not in self.found:
                self.warn(f"speaker {name!r} is declared but never speaks (no label names them)", where, meta_path)
            elif sp.role is None:
                self.warn(f"speaker {name!r} has no role: question, answer, host or statement?", where, meta_path)
        for a, b in zip(blocks, [*blocks[1:], None], strict=True):
            if a.speaker is None or a.speaker.role != "question":
                continue
            if b is None or (b.speaker is not None and b.speaker.role == "question"):
                line = a.speaker.location.line if a.speaker.location else 1
                self.warn(f"question by {a.speaker.name!r} has no answer after it", line)


def read_document(config: Config, path: Path, language: str | None = None, *, require_title: bool = True) -> Document:
    """A project's source, with the project's segmentation rules and its path as messages show it."""
    rules = config.path(config.segmentation_rules) if config.segmentation_rules else None
    try:
        return read_source(
            path,
            language=language,
            display_path=config.rel(path),
            rules_file=rules,
            require_title=require_title,
            nonspeech_file=config.path(config.nonspeech_rules) if config.nonspeech_rules else None,
            max_paragraph=config.max_paragraph,
            max_length=config.max_length,
        )
    except ConfigError as exc:  # the project's segmentation rules: named as the project sees them
        if rules is None or exc.path != rules.as_posix():
            raise
        raise ConfigError(exc.message, config.rel(rules), exc.line) from None
