"""The termbase: ``locale/glossary.tbx`` -> approved terms, and matching them in text.

The glossary is TBX (ISO 30042:2019, TBX-Basic in the DCA style): one
``conceptEntry`` per concept, one ``langSec`` per language (``xml:lang`` a
BCP 47 tag: ``en``, ``zh-CN``, ``ja``, ``fr``, ``ar``), one ``termSec`` per
term, with ``termNote type="administrativeStatus"`` saying whether a term is
preferred, admitted (a variant, also accepted) or deprecated (to be flagged).
The older TBX 2008 layout (``martif``, ``termEntry``, ``langSet``, ``tig``)
reads the same, so a glossary exported from a CAT tool or Weblate works too.

Matching is tolerant where a reviser would be: in the source, case, plural and
possessive endings and hyphen/space variants (``opening-up`` / ``opening
up``), a leading article; in a Chinese or Japanese translation, spacing,
punctuation and 的; in other scripts, case and short inflectional endings.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from xml.parsers import expat

from pipeline.errors import ConfigError
from pipeline.lang import best_tag

GLOSSARY_NAME = "glossary.tbx"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONCEPT = {"conceptEntry", "termEntry"}
_LANG = {"langSec", "langSet"}
_TERM_GROUP = {"termSec", "tig", "ntig"}
_STATUS = {
    "preferredterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm-admn-sts": "deprecated",
    "preferred": "preferred",
    "admitted": "admitted",
    "deprecated": "deprecated",
    "forbidden": "deprecated",
    "obsolete": "deprecated",
}


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    status: str = "preferred"  # preferred, admitted or deprecated
    part_of_speech: str = ""  # TBX-Basic: noun, properNoun, ...


@dataclass(frozen=True)
class Concept:
    id: str
    line: int
    languages: tuple[tuple[str, tuple[Term, ...]], ...]  # (BCP 47 tag, terms)

    def terms(self, locale: str) -> tuple[Term, ...]:
        """The terms of the ``langSec`` that fits ``locale`` best (``zh_CN``: ``zh-CN``, ``zh_Hans``, ``zh``)."""
        tag = best_tag(locale, [t for t, _ in self.languages])
        return next((terms for t, terms in self.languages if t == tag), ())


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept as a pair of languages: what to look for and what to expect."""

    concept: Concept
    source: tuple[Term, ...]
    target: tuple[Term, ...]  # preferred and admitted
    deprecated: tuple[Term, ...]

    @property
    def is_name(self) -> bool:
        return any(t.part_of_speech == "properNoun" for t in self.source)

    @cached_property
    def source_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{_source_regex(t.text)})" for t in self.source), re.I)

    def expected(self) -> str:
        return " or ".join(f'"{t.text}"' for t in self.target)


@dataclass(frozen=True)
class Glossary:
    path: str
    concepts: tuple[Concept, ...]
    _entries: dict[tuple[str, str], tuple[GlossaryEntry, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def entries(self, source_language: str, locale: str) -> list[GlossaryEntry]:
        """Concepts that have terms in both languages.

        Worked out once a language pair and kept: every catalog of a locale gets the same entries, whose
        compiled source patterns then serve them all.
        """
        key = (source_language, locale)
        if key not in self._entries:
            out = []
            for c in self.concepts:
                source = tuple(t for t in c.terms(source_language) if t.status != "deprecated")
                target = c.terms(locale)
                ok = tuple(t for t in target if t.status != "deprecated")
                if source and ok:
                    out.append(GlossaryEntry(c, source, ok, tuple(t for t in target if t.status == "deprecated")))
            self._entries[key] = tuple(out)
        return list(self._entries[key])


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _parse(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """Parse XML with expat, keeping the 1-based line of every element."""
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def qname(name: str) -> str:
        uri, _, local = name.rpartition(" ")
        return f"{{{uri}}}{local}" if uri else local

    def start(name: str, attrs: dict[str, str]) -> None:
        elem = builder.start(qname(name), {qname(k): v for k, v in attrs.items()})
        lines[id(elem)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(qname(name))
    parser.CharacterDataHandler = builder.data
    parser.Parse(data, True)
    return builder.close(), lines


def read_glossary(path: Path, shown: str | None = None) -> Glossary:
    """Load a TBX file; a file that is not well-formed TBX is a :class:`ConfigError` at its line."""
    shown = shown or path.as_posix()
    try:
        root, lines = _parse(path.read_bytes())
    except expat.ExpatError as exc:
        raise ConfigError(f"not well-formed XML: {expat.errors.messages[exc.code]}", shown, exc.lineno) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the glossary: {exc.strerror}", shown) from None
    if _local(root.tag) not in {"tbx", "martif"}:
        raise ConfigError(f"not a TBX file (root element <{_local(root.tag)}>)", shown, 1)
    concepts = []
    for elem in root.iter():
        if _local(elem.tag) not in _CONCEPT:
            continue
        languages = []
        for lang_elem in elem:
            if _local(lang_elem.tag) not in _LANG:
                continue
            tag = lang_elem.get(_XML_LANG)
            if not tag:
                raise ConfigError("a language section without xml:lang", shown, lines.get(id(lang_elem)))
            terms = tuple(_terms(lang_elem))
            languages.append((tag, terms))
        concepts.append(Concept(elem.get("id", ""), lines.get(id(elem), 0), tuple(languages)))
    return Glossary(shown, tuple(concepts))


def _terms(lang_elem: ET.Element) -> list[Term]:
    out = []
    for group in lang_elem.iter():
        if _local(group.tag) not in _TERM_GROUP:
            continue
        text = "".join(next((e.itertext() for e in group.iter() if _local(e.tag) == "term"), [])).strip()
        if not text:
            continue
        notes = {
            (e.get("type") or ""): (e.text or "").strip()
            for e in group.iter()
            if _local(e.tag) in {"termNote", "descrip"}
        }
        status = _STATUS.get(notes.get("administrativeStatus", "").lower(), "preferred")
        out.append(Term(text, status, notes.get("partOfSpeech", "")))
    return out


# --- matching ---------------------------------------------------------------

_SEP = r"[\s\-‐‑–]+"
_ARTICLES = {"a", "an", "the"}


_HEAD_FOLLOWERS = {"of", "for", "in", "under", "directly", "on", "to", "with", "from", "at", "by"}


def _plural(w: str) -> str:
    if w.endswith("y") and w[-2:-1] not in "aeiou":
        return re.escape(w[:-1]) + "(?:y|ies)"
    return re.escape(w) + ("(?:es)?" if w.endswith(("s", "x", "ch", "sh")) else "(?:s|es)?")


def _source_regex(term: str) -> str:
    """English term -> pattern: any case, hyphen or space, a plural head noun, a possessive."""
    words = [w for w in re.split(_SEP, term.strip()) if w]
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    parts = []
    for i, w in enumerate(words):
        head = i == len(words) - 1 or words[i + 1].lower() in _HEAD_FOLLOWERS
        if head and w.isalpha() and w.islower() and len(w) >= 3 and w not in _HEAD_FOLLOWERS:
            parts.append(_plural(w))  # "super-large cities", "municipalities directly under ..."
        else:
            parts.append("".join("['’]" if c in "'’" else re.escape(c) for c in w))
    return r"(?<!\w)" + _SEP.join(parts) + r"(?:['’]s)?(?!\w)"


@lru_cache(maxsize=256)
def _is_cjk(locale: str) -> bool:
    return re.split(r"[_-]", locale)[0].lower() in {"zh", "ja", "ko"}


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


@lru_cache(maxsize=4096)
def normalize_target(text: str, locale: str) -> str:
    """Text reduced to what a term comparison should see."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)  # l'Ouest is l’Ouest
    if _is_cjk(locale):
        return "".join(c for c in text if not (c.isspace() or unicodedata.category(c)[0] in "PZ" or c == "的"))
    text = re.sub(r"[«»“”„\"‹›()]", " ", text)
    return re.sub(r"[\s\-‐‑–]+", " ", text).strip()


@lru_cache(maxsize=4096)
def target_regex(term: str, locale: str) -> re.Pattern[str]:
    """A pattern for a target term in a normalised translation."""
    norm = normalize_target(term, locale)
    if _is_cjk(locale):
        return re.compile(re.escape(norm))
    arabic = re.split(r"[_-]", locale)[0].lower() == "ar"
    clitic = r"(?:[وفبلك]|ال|لل)*" if arabic else ""
    parts = []
    for w in norm.split(" "):
        if arabic and w.startswith("ال") and len(w) > 3:
            w = w[2:]  # the article is a clitic: والممر, للممر
        if len(w) >= 5 and w.isalpha():  # inflection: an ending of up to three letters may change
            parts.append(clitic + re.escape(w[:-2]) + r"\w{0,3}")
        else:
            parts.append(clitic + re.escape(w))
    return re.compile(r"(?<!\w)" + " ".join(parts) + r"(?!\w)")


def contains_term(text: str, term: str, locale: str) -> bool:
    return bool(target_regex(term, locale).search(normalize_target(text, locale)))


def load_project_glossary(locale_dir: Path, shown: str | None = None) -> Glossary | None:
    path = locale_dir / GLOSSARY_NAME
    return read_glossary(path, shown) if path.exists() else None
