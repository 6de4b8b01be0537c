"""Stage 4, merge: old ``.po`` + new POT -> updated ``.po``, with GNU msgmerge's semantics.

As ``msgmerge --previous`` does:

* an entry whose (msgctxt, msgid) is in the old file keeps its msgstr,
  translator comments and flags; references and extracted comments come from
  the template; an obsolete entry that comes back is revived with its
  translation;
* a new entry gets the translation of the most similar old entry (same
  context, similarity >= 0.6, as msgmerge's ``FUZZY_THRESHOLD``) marked
  ``fuzzy`` with ``#|`` holding the old msgid;
* an old entry no longer in the template becomes obsolete (``#~``) when it
  carries a translation or a translator comment, unless its translation was
  carried into a fuzzy entry (msgmerge drops it then too);
* the header keeps everything the translators set; only ``POT-Creation-Date``
  follows the template.

Unlike msgmerge, fuzzy matching is indexed (:class:`FuzzyMatcher`): in a large
catalog candidates are ranked by shared informative words and length before
rapidfuzz scores them, so an update stays in seconds on catalogs of tens of
thousands of entries.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import polib
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from rapidfuzz import fuzz
from rapidfuzz import process as rf_process

from pipeline.catalogs.extract import creation_date
from pipeline.errors import ConfigError

FUZZY_THRESHOLD = 60.0  # percent, as msgmerge's 0.6
_WORD = re.compile(r"\w+", re.UNICODE)
Key = tuple[str | None, str]


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid)


class FuzzyMatcher:
    """Find the most similar translated msgid, like msgmerge, without its quadratic scan.

    As in msgmerge, a translation may come from an entry of another context
    (the suggestion keeps its ``#| msgctxt``).  A small pool (a document's catalog) is
    scored whole.  In a large pool, an inverted index of words (character
    bigrams for scripts written without spaces) ranks candidates by how many of
    the query's informative tokens they share (numpy ``bincount`` over posting
    lists), and only the best ``TOP_K`` of possible length are scored.  Scores
    are rapidfuzz's normalised Indel similarity, msgmerge's measure (2 x
    matches / total length); ties go to the earliest entry, as in msgmerge.
    """

    EXHAUSTIVE_MAX = 3000
    TOP_K = 400
    COMMON = 0.08  # tokens in more than this share of a large pool are not informative

    def __init__(self, entries: Iterable[polib.POEntry]) -> None:
        self._by_ctx: dict[str | None, list[polib.POEntry]] = defaultdict(list)
        for e in entries:
            if e.msgstr or any(e.msgstr_plural.values() if e.msgstr_plural else []):
                self._by_ctx[None].append(e)  # one pool: msgmerge matches across contexts
        self._ids: dict[str | None, list[str]] = {c: [e.msgid for e in p] for c, p in self._by_ctx.items()}
        self._lens: dict[str | None, np.ndarray] = {}
        self._postings: dict[str | None, dict[str, np.ndarray]] = {}

    @staticmethod
    @functools.lru_cache(maxsize=1 << 17)
    def _tokens(text: str) -> frozenset[str]:
        # Cached: the translation memory indexes the same source sentences once per locale.
        out: set[str] = set()
        words = _WORD.findall(text.lower())
        for w in words:
            if len(w) > 3 and not w.isascii():
                out.update(w[i : i + 2] for i in range(len(w) - 1))  # unspaced scripts: bigrams
            elif len(w) > 1:
                out.add(w)
        # Word pairs carry order: the sentence an edit came from shares most of them.
        out.update(f"{a} {b}" for a, b in itertools.pairwise(words))
        return frozenset(out)

    def _index(self, ctx: str | None) -> dict[str, np.ndarray]:
        if ctx not in self._postings:
            lists: dict[str, list[int]] = defaultdict(list)
            for i, msgid in enumerate(self._ids[ctx]):
                for tok in self._tokens(msgid):
                    lists[tok].append(i)
            self._postings[ctx] = {t: np.asarray(v, dtype=np.int32) for t, v in lists.items()}
            self._lens[ctx] = np.fromiter((len(m) for m in self._ids[ctx]), dtype=np.int32)
        return self._postings[ctx]

    def _candidates(self, msgid: str, ctx: str | None) -> list[int]:
        ids = self._ids[ctx]
        n = len(msgid)
        lo, hi = n * 0.42, n / 0.42 + 1  # outside, similarity 0.6 is out of reach
        if len(ids) <= self.EXHAUSTIVE_MAX:
            return [i for i, m in enumerate(ids) if lo <= len(m) <= hi]
        postings = self._index(ctx)
        limit = max(16, int(len(ids) * self.COMMON))
        arrays = [a for t in self._tokens(msgid) if (a := postings.get(t)) is not None]
        rare = [a for a in arrays if len(a) <= limit] or arrays
        if not rare:
            return []
        counts = np.bincount(np.concatenate(rare), minlength=len(ids))
        lens = self._lens[ctx]
        counts[(lens < lo) | (lens > hi)] = 0
        k = min(self.TOP_K, int(np.count_nonzero(counts)))
        if k == 0:
            return []
        top = np.argpartition(-counts, k - 1)[:k]
        return sorted(int(i) for i in top if counts[i] > 0)

    def ranked(self, msgid: str, *, threshold: float = FUZZY_THRESHOLD) -> list[tuple[float, polib.POEntry]]:
        """Every candidate scoring at or above ``threshold`` percent, best first (the earliest among equals)."""
        if None not in self._by_ctx:
            return []
        cand = self._candidates(msgid, None)
        if not cand:
            return []
        ids = self._ids[None]
        scores = rf_process.cdist([msgid], [ids[i] for i in cand], scorer=fuzz.ratio, score_cutoff=threshold)[0]
        order = sorted((-float(scores[j]), cand[j]) for j in range(len(cand)) if scores[j] >= threshold)
        return [(-neg, self._by_ctx[None][i]) for neg, i in order]

    def best(
        self, msgid: str, msgctxt: str | None = None, *, threshold: float = FUZZY_THRESHOLD
    ) -> polib.POEntry | None:
        """The most similar translated entry at or above ``threshold`` percent (msgmerge's 60 by default)."""
        msgctxt = None  # see the class docstring
        if msgctxt not in self._by_ctx:
            return None
        cand = self._candidates(msgid, msgctxt)
        if not cand:
            return None
        ids = self._ids[msgctxt]
        scores = rf_process.cdist([msgid], [ids[i] for i in cand], scorer=fuzz.ratio, score_cutoff=threshold)[0]
        j = int(np.argmax(scores))  # first maximum: the earliest entry wins a tie
        if scores[j] < threshold:
            return None
        return self._by_ctx[msgctxt][cand[j]]


def similarity_tokens(text: str) -> frozenset[str]:
    """The tokens the fuzzy index ranks candidates by (words, bigrams of unspaced scripts, word pairs)."""
    return FuzzyMatcher._tokens(text)


def po_header_for(locale: str, team: str) -> dict[str, str]:
    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"unknown target locale {locale!r} in pipeline.toml") from None
    nplurals, expr = get_plural(locale)
    name = loc.get_display_name("en") or locale
    return {
        "Last-Translator": team or "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": f"{name} <{team.split('<')[-1].rstrip('>')}>" if "<" in team else f"{name}",
        "Language": locale,
        "Plural-Forms": f"nplurals={nplurals}; plural={expr};",
    }


def init_po(pot: polib.POFile, locale: str, team: str = "") -> polib.POFile:
    """A new catalog for ``locale`` from the template, as msginit would make it."""
    po = polib.POFile(wrapwidth=0)
    name = Locale.parse(locale).get_display_name("en")
    title = pot.header.split("\n", 1)[0].removeprefix("Source strings of ")
    po.header = (
        f"{name} translation of {title}\n"
        "Translators fill in msgstr; `make translate` keeps every translation, comment and flag."
    )
    meta = dict(pot.metadata)
    meta.update(po_header_for(locale, team))
    meta["PO-Revision-Date"] = creation_date()
    order = [
        "Project-Id-Version",
        "Report-Msgid-Bugs-To",
        "POT-Creation-Date",
        "PO-Revision-Date",
        "Last-Translator",
        "Language-Team",
        "Language",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Plural-Forms",
    ]
    po.metadata = {k: meta[k] for k in order if k in meta} | {k: v for k, v in meta.items() if k not in order}
    return merge_catalog(po, pot)


def _copy(entry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
        obsolete=entry.obsolete,
    )


def merge_catalog(old: polib.POFile, pot: polib.POFile) -> polib.POFile:
    """Update ``old`` to the template ``pot``; never loses a translation."""
    new = polib.POFile(wrapwidth=0)
    new.header = old.header
    new.metadata = dict(old.metadata)
    if "POT-Creation-Date" in pot.metadata:
        new.metadata["POT-Creation-Date"] = pot.metadata["POT-Creation-Date"]
    new.metadata_is_fuzzy = old.metadata_is_fuzzy

    old_entries = list(old)  # polib lists obsolete entries too
    by_key: dict[Key, polib.POEntry] = {}
    for e in old_entries:
        by_key.setdefault(key_of(e), e)
    used: set[Key] = set()
    matcher: FuzzyMatcher | None = None

    for tmpl in pot:
        k = key_of(tmpl)
        prev = by_key.get(k)
        entry = _copy(tmpl)
        entry.obsolete = False
        entry.flags = [f for f in tmpl.flags if f != "fuzzy"]
        if prev is not None:
            used.add(k)
            entry.msgstr = prev.msgstr
            entry.msgstr_plural = dict(prev.msgstr_plural)
            entry.tcomment = prev.tcomment
            entry.flags = _union(prev.flags, entry.flags)
            if "fuzzy" in prev.flags:
                entry.previous_msgid = prev.previous_msgid
                entry.previous_msgctxt = prev.previous_msgctxt
            else:
                entry.previous_msgid = entry.previous_msgctxt = None
        else:
            if matcher is None:
                matcher = FuzzyMatcher(old_entries)
            near = matcher.best(tmpl.msgid, tmpl.msgctxt or None)
            if near is not None:
                used.add(key_of(near))  # as msgmerge: the old entry lives on in the fuzzy one
                entry.msgstr = near.msgstr
                entry.msgstr_plural = dict(near.msgstr_plural)
                entry.tcomment = near.tcomment
                entry.flags = _union(["fuzzy"], [f for f in near.flags if f != "fuzzy"], entry.flags)
                # Keep the oldest source the translation was made for, as msgmerge does.
                if "fuzzy" in near.flags and near.previous_msgid:
                    entry.previous_msgid = near.previous_msgid
                    entry.previous_msgctxt = near.previous_msgctxt
                else:
                    entry.previous_msgid = near.msgid
                    entry.previous_msgctxt = near.msgctxt
            else:
                entry.previous_msgid = entry.previous_msgctxt = None
        new.append(entry)

    for e in old_entries:
        if key_of(e) in used:
            continue
        if not (e.msgstr or e.tcomment or any(e.msgstr_plural.values() if e.msgstr_plural else [])):
            continue
        gone = _copy(e)
        gone.obsolete = True
        gone.occurrences = []
        gone.comment = ""
        new.append(gone)
    return new


def _union(*lists: list[str]) -> list[str]:
    out: list[str] = []
    for lst in lists:
        for f in lst:
            if f not in out:
                out.append(f)
    return out
