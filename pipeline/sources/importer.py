"""Stage 0, import: a transcript as received -> a canonical source and its sidecar.

``import_transcript(path, ...)`` reads plain text (inline labels, labels alone
on their line, ``Q``/``A`` marks with or without a colon, uppercase honorific
labels, full-width colons, hard-wrapped or one paragraph per line, CRLF, BOM,
no-break spaces), finds the title, outlet and dates, drops or keeps non-speech
lines by the rules of :mod:`pipeline.sources.nonspeech`, infers each speaker's
role, and returns the canonical text (``Outlet | Date``, ``Name:`` lines,
paragraphs) with its ``.meta.toml`` and a note for every decision, with the
input's ``path:line``.  ``write_import`` writes both files, never over an
existing source unless asked.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.files import atomic_write
from pipeline.model import Speaker
from pipeline.sources import labels as lb
from pipeline.sources.nonspeech import DROP, KEEP, NonSpeech, Rule, classify, load_nonspeech
from pipeline.sources.reader import decode_source, normalise_line, text_language

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?P<m>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    re.compile(rf"(?i)\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"),
    re.compile(rf"(?i)\b(?P<d>\d{{1,2}})\s+{_MONTH},?\s+(?P<y>\d{{4}})\b"),
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
]
_TIME = re.compile(
    r"(?i)(?:\bat\s+)?\b\d{1,2}(?::\d{2})+\s*(?:[ap]\.?\s?m\.?)?(?:\s+\(?[A-Z]{2,4}\)?)?(?=\W|$)|\d{1,2}[:：]\d{2}|[上下]午\d{1,2}[时点:：]\d{0,2}分?"
)
_DATE_WORDS = re.compile(
    r"(?i)\b(?:updated|published|released|posted|held|on|date|time|dated|last|modified|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b|星期.|周.|发布时间|更新时间|时间|日期"
)
_TERMINAL = tuple('.?!。？！…"”’)」』）:：')
_OUTLET_DATE = re.compile(r"^(?P<outlet>[^|]{2,60}?)\s*\|\s*(?P<date>.{4,60})$")
_CAST_KEY = re.compile(
    r"(?i)^(?P<key>speakers?|chairperson|chair|moderator|host|presided by|guests?|participants?|panelists?|"
    r"主持人|发布人|出席人?)\s*[:：]\s*(?P<rest>.*)$"
)
_CAST_ENTRY = re.compile(
    r"^(?:(?:Mr|Ms|Mrs|Dr|Prof|Madam|Mx)\.?\s+)?(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})\s*[,，]\s*(?P<title>.+)$"
)
_HOST_KEYS = ("chairperson", "chair", "moderator", "host", "presided by", "主持人")
_SOURCE_LINE = re.compile(r"(?i)^(?:source|from|outlet|published by|来源)\s*[:：]\s*(?P<outlet>.{1,80})$")
_SPOKESPERSON = re.compile(r"Spokesperson\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})(?:'s|’s)")
_OUTLET_WORDS = re.compile(
    r"(?i)\b(?:tv|news|daily|agency|times|post|press|radio|media|network|broadcasting|journal|channel|"
    r"reuters|bloomberg|xinhua|tribune|herald|gazette|observer|telegraph|service|weekly|magazine|review|"
    r"television|newspaper|online|global|wire)\b|社$|台$|报$|网$|记者$"
)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A bracketed piece between sentences: at the start, or after a sentence's end; then the end or a new sentence.
# Chinese puts no space between sentences: 实施。（笑声）我们会 ...
_DIRECTION = re.compile(
    r"(?:^|(?<=[.?!。？！\"”’)]\s)|(?<=[。？！”]))(?P<d>[(\[（][^()\[\]（）]{1,60}[)\]）]\.?)"
    r"(?=$|\s+[\"“‘(\[]?[A-Z\u3400-\u9fff]|[\u3400-\u9fff“‘])"
)
_MARK_NO_COLON = re.compile(r"^\s*(Q|A|QUESTION|ANSWER)(?:\t|\s{2,})\s*(\S.*)$")
WRAP_WIDTH = 100  # lines no longer than this, with blank lines between paragraphs: hard-wrapped text


@dataclass(frozen=True, slots=True)
class Note:
    """One decision of the importer, at a line of the input."""

    line: int
    message: str
    warning: bool = False


@dataclass(frozen=True, slots=True)
class Drop:
    """An input line left out of the source, and why."""

    line: int
    text: str
    reason: str


@dataclass
class _Para:
    line: int
    text: str
    kind: str = "speech"  # or a kept non-speech kind, written as ``raw``
    raw: str = ""


@dataclass
class _Turn:
    label: str | None
    line: int
    how: str = ""
    paragraphs: list[_Para] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    name: str
    role: str
    aliases: tuple[str, ...]
    line: int
    reason: str
    title: str | None = None  # from the page's list of speakers ("vice governor of ...")


@dataclass
class Imported:
    """What ``import`` makes of a transcript."""

    path: str
    slug: str
    outlet: str
    date: dt.date
    title: str
    language: str
    speakers: list[SpeakerInfo]
    source_text: str
    meta_text: str
    notes: list[Note]
    drops: list[Drop]
    places: tuple[str, ...] = ()  # where each line read is in the file (see Hints.places); empty: line i is line i
    meta_places: dict[int, str] = field(default_factory=dict)  # a metadata note's line (< 0) -> its place

    def where(self, line: int) -> str:
        """Where the ``line``-th line read (1-based) is in the file: its line number, or ``¶N`` in a Word file.

        A line below 1 is a fact of the file's metadata (:func:`meta_line`): the line of the HTML
        element that holds it, else the first line read (a Word file's properties).
        """
        if line < 1:
            return self.meta_places.get(line) or self.where(1)
        return self.places[line - 1] if line <= len(self.places) else str(line)

    def report(self) -> list[str]:
        """The notes as ``path:line: message`` lines: the metadata's first, then in input order."""
        out = []
        for n in sorted(self.notes, key=lambda n: (n.line > 0, abs(n.line))):
            kind = "warning: " if n.warning else ""
            out.append(f"{self.path}:{self.where(n.line)}: {kind}{n.message}")
        return out


def meta_line(what: str, index: int = 0) -> int:
    """The line number (below 1) a note about the file's metadata carries: title, outlet, or the index-th date."""
    return {"title": -1, "outlet": -2}.get(what, -3 - index)


def _meta_places(hints: Hints) -> dict[int, str]:
    places = {meta_line("title"): hints.title_place, meta_line("outlet"): hints.outlet_place}
    places.update((meta_line("date", i), at) for i, at in enumerate(hints.date_places))
    return {k: v for k, v in places.items() if v}


@dataclass(frozen=True, slots=True)
class Hints:
    """What the file itself says beyond its lines (an HTML page's <title>, site name, date)."""

    title: str | None = None
    outlet: str | None = None
    dates: tuple[str, ...] = ()  # ISO dates the page's metadata gives (published, modified, <time>)
    # Where each line the reader gives is in the file, as the report shows it: the source line of
    # its HTML block element or Markdown block ("12"), the paragraph of a Word file ("¶3").
    places: tuple[str, ...] = ()
    # The lines of an HTML page's metadata: its title, site name, and each of its dates ("": unknown).
    title_place: str = ""
    outlet_place: str = ""
    date_places: tuple[str, ...] = ()


def find_dates(line: str) -> list[dt.date]:
    found = []
    for pat in _DATES:
        for m in pat.finditer(line):
            month = m.group("m")
            num = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
            try:
                found.append(dt.date(int(m.group("y")), num, int(m.group("d"))))
            except ValueError:
                continue
    return found


def _is_dateline(line: str) -> bool:
    """A line that is a date (with a time, a weekday, a time zone, a prefix) and nothing more."""
    rest = line
    for pat in _DATES:
        rest = pat.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = _DATE_WORDS.sub(" ", rest)
    rest = re.sub(r"\b(?:[A-Z]{2,4}|[AP]\.?M\.?)\b|[\W_]", "", rest)
    return len(rest) <= 2 and rest != line


def detect_language(lines: list[str]) -> str:
    return text_language("".join(lines))


def _slug_words(text: str) -> list[str]:
    """The ASCII words of ``text`` (accents dropped; any other character, a CJK one too, separates words)."""
    folded = "".join(
        c if c.isascii() else " " for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    words = [w for w in re.findall(r"[a-z0-9]+", folded.lower()) if w not in {"s", "the", "a", "an", "of", "on", "and"}]
    return [w for w in words if not re.fullmatch(r"\d{4}|\d{1,2}", w) and w not in _MONTHS]


def slugify(title: str, date: dt.date, fallback: str = "") -> str:
    """``<date>-<words of the title>``; a title with no Latin words (Chinese) takes those of ``fallback``."""
    words = _slug_words(title) or _slug_words(fallback)
    kept: list[str] = []
    for w in words[:8]:
        if len("-".join([*kept, w])) > 60:
            break
        kept.append(w)
    slug = "-".join(kept)
    return f"{date.isoformat()}-{slug or 'transcript'}"


def read_text_lines(path: Path, shown: str) -> list[str]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", shown) from None
    return decode_source(data, Path(shown)).splitlines()


def _join(a: str, b: str) -> str:
    if _CJK.match(b[:1]) and _CJK.match(a[-1:]):
        return a + b
    return f"{a} {b}"


class _Importer:
    def __init__(self, shown: str, rules: tuple[Rule, ...]) -> None:
        self.shown = shown
        self.rules = rules
        self.notes: list[Note] = []
        self.drops: list[Drop] = []
        self.dates: list[tuple[dt.date, int]] = []

    def note(self, line: int, message: str, *, warning: bool = False) -> None:
        self.notes.append(Note(line, message, warning))

    def drop(self, line: int, text: str, reason: str) -> None:
        self.drops.append(Drop(line, text, reason))
        self.note(line, f"dropped ({reason}): {text[:70]!r}")

    # --- lines --------------------------------------------------------------------------------
    def clean(self, raw: list[str]) -> list[tuple[int, str]]:
        out, unescaped = [], 0
        for i, line in enumerate(raw, 1):
            new = _MD_ESCAPE.sub(r"\1", line)
            if new != line:
                unescaped += 1
                if unescaped == 1:
                    self.note(i, "backslash escapes removed (\\[sic\\] -> [sic]); first of the lines with them")
            mark = _MARK_NO_COLON.match(new.replace("\u00a0", " "))
            if mark:  # "Q    Good afternoon.": the run of spaces is the colon; normalising would lose it
                new = f"{mark.group(1)}: {mark.group(2)}"
                self.note(i, f"{mark.group(1)!r} without a colon, before the text: read as a label")
            out.append((i, normalise_line(new)))
        return out

    # --- header ---------------------------------------------------------------------------------
    def header(self, lines: list[tuple[int, str]], first_label: int) -> tuple[str | None, str | None, set[int]]:
        """Title, outlet and dates from the lines before the first label; returns the lines used."""
        title = outlet = None
        used: set[int] = set()
        for no, text in lines:
            if no >= first_label or not text:
                continue
            dates = find_dates(text)
            for d in dates:
                self.dates.append((d, no))
            m = _OUTLET_DATE.match(text)
            if m and dates and outlet is None:
                outlet = m.group("outlet").strip()
                used.add(no)
                self.note(no, f"outlet {outlet!r} and date from this 'Outlet | Date' line")
                continue
            m = _SOURCE_LINE.match(text)
            if m and outlet is None:
                outlet = re.split(r"\s+[·•|—–-]\s+", m.group("outlet").strip())[0]
                used.add(no)
                self.note(no, f"outlet {outlet!r} from this line")
                continue
            if dates and _is_dateline(text):
                used.add(no)
                self.drop(no, text, "dateline")
                continue
            kind = classify(text, self.rules)
            if (
                title is None
                and len(text) <= 200
                and not text.endswith((".", "。", ":", "："))
                and (kind is None or kind.kind == "section")  # "# Briefing on ...": a heading
            ):
                title = kind.text if kind else text
                used.add(no)
                self.note(no, f"title {title!r} from this line")
        return title, outlet, used

    def cast(self, lines: list[tuple[int, str]]) -> tuple[dict[str, tuple[str, str, str]], set[int]]:
        """A page's list of who takes part (``Speakers:`` / ``Chairperson:`` and ``Mr. Name, title`` lines).

        Returns name -> (role, title, key) and the lines used.
        """
        cast: dict[str, tuple[str, str, str]] = {}
        used: set[int] = set()
        key: str | None = None
        for no, text in lines:
            if not text:
                continue
            m = _CAST_KEY.match(text)
            if m:
                rest = m.group("rest").strip()
                if rest and not _CAST_ENTRY.match(rest):
                    break  # "Moderator: Good morning.": a label with speech, the transcript has begun
                key = m.group("key").lower()
                used.add(no)
                text = rest
                if not text:
                    continue
            if key is None:
                if lb.split_label(text):
                    break
                continue
            entry = _CAST_ENTRY.match(text)
            if not entry:
                key = None
                if lb.split_label(text):
                    break
                continue
            role = "host" if key in _HOST_KEYS else "answer"
            cast[entry.group("name")] = (role, entry.group("title").strip(), key)
            used.add(no)
            self.note(
                no, f"{entry.group('name')!r} listed as {key}: role {role}, title {entry.group('title').strip()!r}"
            )
        return cast, used

    # --- body -----------------------------------------------------------------------------------
    def turns(self, lines: list[tuple[int, str]], used: set[int], wrapped: bool) -> list[_Turn]:
        turns = [_Turn(None, 0)]
        open_para: _Para | None = None
        prev_blank = True
        first_label = next((no for no, t in lines if t and lb.split_label(t)), None)
        for no, text in lines:
            if no in used:
                continue
            if not text:
                prev_blank, open_para = True, None
                continue
            blank_before, prev_blank = prev_blank, False
            kind = classify(text, self.rules)
            if kind is not None and wrapped and open_para is not None and not blank_before and text[:1].islower():
                kind = None  # "next" or "print" wrapped onto a line of its own is speech, not navigation
            if kind is not None:
                open_para = None
                self._nonspeech(turns[-1], no, text, kind)
                continue
            if find_dates(text) and _is_dateline(text):
                open_para = None
                for d in find_dates(text):
                    self.dates.append((d, no))
                self.drop(no, text, "dateline")
                continue
            if (
                first_label is not None
                and no < first_label
                and len(text) <= 120
                and (not text.endswith(_TERMINAL) or re.fullmatch(r"[\w ]{1,30}[:：]", text))
            ):
                self.drop(no, text, "header line before the first speaker")
                continue
            label = lb.split_label(text)
            if label is not None:
                turns.append(_Turn(label.label, no, label.how))
                open_para = None
                if not label.rest:
                    continue
                text = label.rest
            elif open_para is not None and self._continues(open_para, text, blank_before, wrapped):
                open_para.text = _join(open_para.text, text)
                self.note(no, "line joined to the paragraph above (hard-wrapped)")
                continue
            open_para = _Para(no, text)
            turns[-1].paragraphs.append(open_para)
        for turn in turns:
            turn.paragraphs = [q for p in turn.paragraphs for q in self._split_directions(p)]
        return turns

    def _continues(self, para: _Para, text: str, blank_before: bool, wrapped: bool) -> bool:
        if blank_before or para.kind != "speech":
            return False
        if wrapped:
            return True
        # One paragraph a line: only a line that breaks mid-sentence continues.
        return not para.text.endswith(_TERMINAL) and text[:1].islower()

    def _nonspeech(self, turn: _Turn, no: int, text: str, kind: NonSpeech) -> None:
        if kind.action == DROP:
            self.drop(no, text, kind.reason)
            return
        turn.paragraphs.append(_Para(no, kind.text, kind.kind, text))
        self.note(no, f"kept as {kind.kind} ({kind.reason}), not speech: {text[:60]!r}")

    def _split_directions(self, para: _Para) -> list[_Para]:
        """A stage direction between sentences of a speech becomes its own paragraph.

        ``... in communication. (Laughter.) I have ...`` -> three paragraphs; a bracket inside a sentence
        (``we will [inaudible] the policy``) stays where it is.
        """
        if para.kind != "speech":
            return [para]
        for m in _DIRECTION.finditer(para.text):
            k = classify(m.group("d"), self.rules)
            if k is None or k.action != KEEP or k.kind != "stage-direction":
                continue
            before, after = para.text[: m.start()].strip(), para.text[m.end() :].strip()
            where = "start" if not before else "end" if not after else "middle"
            self.note(para.line, f"stage direction {m.group('d')!r} split off the {where} of the paragraph")
            out = [_Para(para.line, before)] if before else []
            out.append(_Para(para.line, k.text, k.kind, m.group("d")))
            return out + (self._split_directions(_Para(para.line, after)) if after else [])
        return [para]


def _wrapped(lines: list[tuple[int, str]]) -> bool:
    texts = [t for _, t in lines]
    nonblank = [t for t in texts if t]
    if not nonblank or len(nonblank) == len(texts):
        return False
    long = sum(len(t) > WRAP_WIDTH for t in nonblank)
    runs = sum(1 for a, b in itertools.pairwise(texts) if a and b and not a.endswith(_TERMINAL))
    return long <= len(nonblank) * 0.05 and runs > 0


def _asks(label: str, turns: list[_Turn]) -> bool:
    """Whether most of ``label``'s turns end with a question mark (and it is not a person with an honorific)."""
    if label.split()[0].rstrip(".").lower() in lb.HONORIFICS:
        return False
    mine = [t for t in turns if t.label == label and t.paragraphs]
    asking = sum(1 for t in mine if t.paragraphs[-1].text.rstrip().endswith(("?", "？")))
    return bool(mine) and asking * 2 > len(mine)


def _roles(
    turns: list[_Turn],
    title: str,
    cast: dict[str, tuple[str, str, str]],
    imp: _Importer,
    declared: Mapping[str, Speaker],
) -> dict[str, SpeakerInfo]:
    labelled = [t for t in turns if t.label is not None]
    count = Counter(t.label for t in labelled)
    after_question: Counter[str] = Counter()
    before_question: Counter[str] = Counter()
    questions: set[str] = set()
    kinds: dict[str, tuple[str, str]] = {}
    for label in count:
        assert label is not None
        if label in lb.QUESTION_MARKS:
            kinds[label] = ("question", "anonymous question mark")
        elif label in lb.ANSWER_MARKS:
            kinds[label] = ("answer", "anonymous answer mark")
        elif label.lower() in lb.HOST_WORDS:
            kinds[label] = ("host", "a moderator's title")
        elif (re.fullmatch(r"[A-Z]{2,6}", label) and label not in lb.HONORIFICS) or _OUTLET_WORDS.search(label):
            kinds[label] = ("question", "an outlet's name: outlets ask")
        elif _asks(label, labelled):
            kinds[label] = ("question", "its turns end with a question")
        if kinds.get(label, ("",))[0] == "question":
            questions.add(label)
    for a, b in itertools.pairwise(labelled):
        if a.label in questions and b.label is not None:
            after_question[b.label] += 1
        if b.label in questions and a.label is not None:
            before_question[a.label] += 1
    first = labelled[0].label if labelled else None
    text = "\n".join(p.text for t in turns for p in t.paragraphs)
    out: dict[str, SpeakerInfo] = {}
    spokes = _SPOKESPERSON.search(title or "")
    for turn in labelled:
        label = turn.label
        assert label is not None
        if label in out:
            continue
        listed = cast.get(lb.display_name(label))
        if listed:
            role, why = listed[0], f"listed as {listed[2]}"
        elif label in kinds:
            role, why = kinds[label]
        elif label == first and not after_question[label] and before_question[label]:
            role, why = "host", "speaks first, before the questions, never after one"
        elif after_question[label]:
            role, why = "answer", f"speaks after a question {after_question[label]} time(s)"
        else:
            role, why = "statement", "a person who never follows a question"
            imp.note(turn.line, f"role of {label!r} is a guess (statement): check it in the sidecar", warning=True)
        name = lb.display_name(label)
        full = _full_name(name, title, text)
        if full:
            why += f"; {full[1]} gives the full name {full[0]!r}"
            name = full[0]
        if label in lb.ANSWER_MARKS and spokes:
            name = spokes.group("name")
            why += f"; the title names the spokesperson {name!r}"
        speaker_title = listed[1] if listed else None
        known = declared.get(label) or declared.get(lb.display_name(label))
        if known is not None:  # a reviewer's word beats an inference
            name, speaker_title = known.name, known.title or speaker_title
            role, why = known.role or role, f"declared in the existing sidecar (inferred: {role}, {why})"
        aliases = (label,) if name != label else ()
        out[label] = SpeakerInfo(name, role, aliases, turn.line, why, speaker_title)
        shown = f"{label!r} -> {name!r}" if aliases else repr(label)
        imp.note(turn.line, f"speaker {shown}, role {role} ({why}); first {turn.how}, {count[label]} turn(s)")
    return out


def _full_name(name: str, title: str, text: str = "") -> tuple[str, str] | None:
    """``Ms. Jean-Pierre`` -> ``Karine Jean-Pierre`` when the title names her so.

    Or when the transcript does, with the same honorific (``Ms. Karine Jean-Pierre``).
    Returns the name and where it was found.
    """
    words = name.split()
    if len(words) < 2 or words[0].rstrip(".").lower() not in lb.HONORIFICS:
        return None
    surname = " ".join(words[1:])
    m = re.search(rf"\b((?:[A-Z][\w’'-]+\s+){{1,2}}){re.escape(surname)}\b", title)
    if m:
        given = [w for w in m.group(1).split() if w.rstrip(".").lower() not in lb.HONORIFICS]
        if given:
            return " ".join([given[-1], surname]), "the title"
    m = re.search(rf"\b{re.escape(words[0])}\s+([A-Z][\w’'-]+)\s+{re.escape(surname)}\b", text)
    if m:
        return f"{m.group(1)} {surname}", "the transcript"
    return None


def import_transcript(
    path: Path,
    *,
    display_path: str | None = None,
    outlet: str | None = None,
    date: str | None = None,
    title: str | None = None,
    language: str | None = None,
    slug: str | None = None,
    rules_file: Path | None = None,
    lines: list[str] | None = None,
    hints: Hints | None = None,
    declared: Mapping[str, Speaker] | None = None,
) -> Imported:
    """Read a plain-text transcript (or ``lines`` another reader took from a file) into a canonical source.

    ``declared``: labels (names and aliases) of speakers a sidecar already declares, whose name, role
    and title win over what the importer would infer (``import --force`` over a reviewed sidecar).
    """
    shown = display_path or path.as_posix()
    imp = _Importer(shown, load_nonspeech(rules_file))
    raw = lines if lines is not None else read_text_lines(path, shown)
    numbered = imp.clean(raw)
    places = hints.places if hints is not None and lines is not None else ()
    if places and places[0].startswith("¶"):
        imp.note(1, f"{path.suffix} file: ¶N is its Nth paragraph (empty ones counted, tables not)")
    if not any(t for _, t in numbered):
        raise SourceError("empty transcript", shown, 1)
    lang = language or detect_language([t for _, t in numbered])
    cast, cast_used = imp.cast(numbered)
    first_label = next(
        (no for no, t in numbered if t and no not in cast_used and lb.split_label(t) and not classify(t, imp.rules)),
        None,
    )
    found_title, found_outlet, used = imp.header([x for x in numbered if x[0] not in cast_used], first_label or 10**9)
    used |= cast_used
    hints = hints or Hints()
    wrapped = _wrapped([(n, t) for n, t in numbered if n not in used])
    if wrapped:
        imp.note(1, "hard-wrapped text: lines between blank lines are joined into paragraphs")
    turns = imp.turns(numbered, used, wrapped)
    if not title and hints.title and hints.title != found_title:  # the same title on a line: that line's note
        imp.note(meta_line("title"), f"title {hints.title!r} from the file's metadata (its <title> or properties)")
    title = title or hints.title or found_title
    if not title:
        raise SourceError("no title found in the file: pass --title", shown, 1)
    if not outlet and hints.outlet and hints.outlet != found_outlet:
        imp.note(meta_line("outlet"), f"outlet {hints.outlet!r} from the file's metadata (the site's name)")
    outlet = outlet or hints.outlet or found_outlet
    if not outlet:
        raise SourceError("no outlet found in the file: pass --outlet (who published the transcript)", shown, 1)
    when = _choose_date(imp, date, hints, shown)
    speakers = _roles(turns, title, cast, imp, declared or {})
    opening = turns[0]
    if opening.paragraphs and any(p.kind == "speech" for p in opening.paragraphs):
        hosts = [s for s in speakers.values() if s.role == "host"]
        if hosts:
            imp.note(
                opening.paragraphs[0].line, f"opening statement with no label: given to the host {hosts[0].name!r}"
            )
            opening.label = next(k for k, v in speakers.items() if v is hosts[0])
        elif answers := Counter(t.label for t in turns if t.label and speakers[t.label].role == "answer"):
            label = answers.most_common(1)[0][0]
            imp.note(
                opening.paragraphs[0].line,
                f"opening statement with no label: given to {speakers[label].name!r}, who answers most "
                "(the spokesperson's announcements)",
            )
            opening.label = label
        else:
            imp.note(
                opening.paragraphs[0].line,
                "opening statement with no label and no host: left unattributed (declare a host in the sidecar)",
                warning=True,
            )
    for turn in turns[1:]:
        if not turn.paragraphs:
            imp.note(turn.line, f"label {turn.label!r} with no text after it: left out", warning=True)
    if not slug:
        slug = slugify(title, when, path.stem)
        if not _slug_words(title):
            imp.note(1, f"slug {slug!r} from the file name (the title has no Latin words): --slug sets another")
    source_text = _canonical(outlet, when, turns, speakers)
    meta_text = _sidecar(title, lang, speakers, shown)
    return Imported(
        shown,
        slug,
        outlet,
        when,
        title,
        lang,
        list(speakers.values()),
        source_text,
        meta_text,
        imp.notes,
        imp.drops,
        places,
        _meta_places(hints),
    )


def _choose_date(imp: _Importer, given: str | None, hints: Hints, shown: str) -> dt.date:
    if given:
        try:
            return dt.date.fromisoformat(given)
        except ValueError:
            found = find_dates(given)
            if not found:
                raise SourceError(f"cannot read --date {given!r}: write it as YYYY-MM-DD", shown) from None
            return found[0]
    for i, text in enumerate(hints.dates):
        for d in find_dates(text):
            imp.dates.append((d, meta_line("date", i)))
    distinct = sorted({d for d, _ in imp.dates})
    if not distinct:
        raise SourceError("no date found in the file: pass --date YYYY-MM-DD (the day it was held)", shown, 1)
    for d, no in sorted(set(imp.dates), key=lambda x: (x[1], x[0])):
        imp.note(no, f"date found: {d.isoformat()}" + (" (the file's metadata)" if no < 1 else ""))
    chosen = distinct[0]
    if len(distinct) > 1:
        where = min(no for d, no in imp.dates if d == chosen)
        others = ", ".join(d.isoformat() for d in distinct[1:])
        imp.note(
            where,
            f"{len(distinct)} dates found: using the earliest, {chosen.isoformat()}, as the day it was held "
            f"(later: {others}, taken as publication); pass --date to choose",
        )
    return chosen


def _canonical(outlet: str, when: dt.date, turns: list[_Turn], speakers: dict[str, SpeakerInfo]) -> str:
    out = [f"{outlet} | {when.isoformat()}"]
    for turn in turns:
        if not turn.paragraphs:
            continue
        if turn.label is not None:
            name = speakers[turn.label].name
            out.append(f"{name}：" if _CJK.search(name) else f"{name}:")
        out.extend(p.raw if p.kind != "speech" else p.text for p in turn.paragraphs)
    return "\n".join(out) + "\n"


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _sidecar(title: str, language: str, speakers: dict[str, SpeakerInfo], shown: str) -> str:
    out = [
        f"# Written by `python -m pipeline import {shown}`: review the roles, then commit.",
        f"title = {_toml_str(title)}",
        f"language = {_toml_str(language)}",
    ]
    seen: set[str] = set()
    for sp in speakers.values():
        if sp.name in seen:
            continue
        seen.add(sp.name)
        aliases = sorted({a for s in speakers.values() if s.name == sp.name for a in s.aliases})
        out += ["", "[[speakers]]", f"name = {_toml_str(sp.name)}", f"role = {_toml_str(sp.role)}"]
        if sp.title:
            out.append(f"title = {_toml_str(sp.title)}")
        if aliases:
            out.append(f"aliases = [{', '.join(_toml_str(a) for a in aliases)}]")
    return "\n".join(out) + "\n"


def write_import(result: Imported, seeds: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write ``seeds/<slug>.txt`` and its sidecar; an existing source stays unless ``force``."""
    src = seeds / f"{result.slug}.txt"
    meta = seeds / f"{result.slug}.meta.toml"
    for p in (src, meta):
        if p.exists() and not force:
            raise SourceError("already exists: pass --force to replace it, or --slug to import under another name", p)
    seeds.mkdir(parents=True, exist_ok=True)
    atomic_write(src, result.source_text.encode("utf-8"))
    atomic_write(meta, result.meta_text.encode("utf-8"))
    return src, meta
