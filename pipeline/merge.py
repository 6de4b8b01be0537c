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

Unlike msgmerge, fuzzy matching is indexed (:class:`FuzzyMatcher`): candidates
are prefiltered by shared rare words and length before rapidfuzz scores them,
so an update stays in seconds on catalogs of tens of thousands of entries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import polib
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from rapidfuzz import fuzz
from rapidfuzz import process as rf_process

from .errors import ConfigError
from .extract import creation_date

FUZZY_THRESHOLD = 60.0  # percent, as msgmerge's 0.6
_WORD = re.compile(r"\w+", re.UNICODE)
Key = tuple[str | None, str]


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid)


class FuzzyMatcher:
    """Find the most similar translated msgid, like msgmerge, without its quadratic scan.

    Candidates are grouped by context; a query is scored only against entries
    that share one of its rarer words (or, for text without word breaks such as
    Chinese, a character bigram) and whose length could reach the threshold.
    """

    def __init__(self, entries: Iterable[polib.POEntry]) -> None:
        self._by_ctx: dict[str | None, list[polib.POEntry]] = defaultdict(list)
        self._index: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        for e in entries:
            if not e.msgstr and not any(e.msgstr_plural.values() if e.msgstr_plural else []):
                continue
            ctx = e.msgctxt or None
            idx = len(self._by_ctx[ctx])
            self._by_ctx[ctx].append(e)
            for tok in self._tokens(e.msgid):
                self._index[(ctx, tok)].append(idx)

    @staticmethod
    def _tokens(text: str) -> set[str]:
        words = {w.lower() for w in _WORD.findall(text) if len(w) > 1}
        # Scripts without spaces: single long "words"; index bigrams instead.
        out = set()
        for w in words:
            if len(w) > 12 and not w.isascii():
                out.update(w[i : i + 2] for i in range(len(w) - 1))
            else:
                out.add(w)
        return out

    def best(self, msgid: str, msgctxt: str | None) -> polib.POEntry | None:
        pool = self._by_ctx.get(msgctxt)
        if not pool:
            return None
        toks = self._tokens(msgid)
        counts: dict[int, int] = defaultdict(int)
        # Rarest words first; stop once enough candidate lists were read.
        lists = sorted((self._index.get((msgctxt, t), []) for t in toks), key=len)
        for lst in lists[: max(3, len(lists) // 2 + 1)]:
            for i in lst:
                counts[i] += 1
        if toks:
            cand_idx = sorted(counts)
        else:
            cand_idx = list(range(len(pool)))
        n = len(msgid)
        lo, hi = n * 0.42, n / 0.42 + 1
        choices = {i: pool[i].msgid for i in cand_idx if lo <= len(pool[i].msgid) <= hi}
        if not choices:
            return None
        found = rf_process.extractOne(msgid, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if found is None:
            return None
        # Ties go to the earliest entry, as msgmerge's scan keeps the first best.
        best_score = found[1]
        tied = [i for i, s in choices.items() if fuzz.ratio(msgid, s) == best_score]
        return pool[min(tied)]


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
        "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
        "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "Plural-Forms",
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
