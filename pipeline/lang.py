"""Languages, for every stage: locale codes and BCP 47 tags, direction, names.

A project names its locales the gettext way (``zh_CN``, ``pt_BR``); pages,
PDFs, glossaries and fonts speak BCP 47 (``zh-Hans-CN``).  Names and
directions come from CLDR through Babel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from babel import Locale
from babel.core import get_global

_HANT = {"tw", "hk", "mo"}  # regions written in Traditional Chinese


def bcp47(locale: str) -> str:
    """A POSIX/gettext locale as a BCP 47 tag, with the script where fonts depend on it."""
    parts = locale.replace("-", "_").split("_")
    lang = parts[0].lower()
    rest = parts[1:]
    if lang == "zh" and not any(len(p) == 4 for p in rest):
        script = "Hant" if any(p.upper() in {"TW", "HK", "MO"} for p in rest) else "Hans"
        rest = [script, *rest]
    out = [lang]
    for p in rest:
        out.append(p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p)
    return "-".join(out)


def direction(lang: str) -> str:
    try:
        return "rtl" if Locale.parse(lang.replace("-", "_")).text_direction == "rtl" else "ltr"
    except (ValueError, TypeError):
        return "ltr"


@lru_cache(maxsize=256)  # asked for every message a check reads: a handful of distinct locales
def language_of(locale: str) -> str:
    return re.split(r"[_@.-]", locale or "en")[0].lower()


def lang_candidates(locale: str) -> list[str]:
    """BCP 47 tags to look for, most specific first, for a POSIX locale or a tag."""
    parts = [p.lower() for p in re.split(r"[_-]", locale.split("@")[0].split(".")[0]) if p]
    if not parts:
        return []
    lang, rest = parts[0], parts[1:]
    region = next((p for p in rest if len(p) == 2 or p.isdigit()), "")
    script = next((p for p in rest if len(p) == 4), "")
    if lang == "zh" and not script:
        script = "hant" if region in _HANT else "hans"
    out = ["-".join(parts)]
    if region:
        out += [f"{lang}-{region}"] + ([f"{lang}-{script}-{region}"] if script else [])
    if script:
        out.append(f"{lang}-{script}")
    if lang != "zh" or script == "hans":
        out.append(lang)  # bare "zh" is Simplified in practice
    return list(dict.fromkeys(out))


def script_key(tag: str) -> tuple[str, str]:
    """``(language, script)`` of a locale or tag, the script implied for Chinese.

    ``zh_CN``, ``zh-CN``, ``zh_Hans``, ``zh-Hans`` and ``zh`` are all ``("zh", "hans")``
    (Weblate names Simplified Chinese ``zh_Hans``); ``zh_TW`` and ``zh-Hant`` are
    ``("zh", "hant")``; other languages keep an explicit script or none.
    """
    parts = [p.lower() for p in re.split(r"[_-]", tag.split("@")[0].split(".")[0]) if p]
    if not parts:
        return ("", "")
    lang, rest = parts[0], parts[1:]
    script = next((p for p in rest if len(p) == 4), "")
    if lang == "zh" and not script:
        script = "hant" if any(p in _HANT for p in rest) else "hans"
    return (lang, script)


def written_as(locale: str) -> tuple[str, str]:
    """``(language, script)`` of a locale or tag, the script filled in from CLDR's likely subtags.

    ``en`` and ``en_GB`` are ``("en", "latn")``; ``zh``, ``zh_CN`` and ``zh_Hans`` are
    ``("zh", "hans")``; ``zh_TW`` and ``zh_Hant`` ``("zh", "hant")``; ``sr`` is
    ``("sr", "cyrl")`` and ``sr_Latn`` ``("sr", "latn")``.
    """
    parts = [p for p in re.split(r"[_-]", locale.split("@")[0].split(".")[0]) if p]
    if not parts:
        return ("", "")
    lang, rest = parts[0].lower(), parts[1:]
    script = next((p.lower() for p in rest if len(p) == 4 and p.isalpha()), "")
    if not script:
        region = next((p.upper() for p in rest if len(p) == 2 or p.isdigit()), "")
        likely: Mapping[str, str] = get_global("likely_subtags")
        full = (region and likely.get(f"{lang}_{region}")) or likely.get(lang) or ""
        script = next((p.lower() for p in full.split("_")[1:] if len(p) == 4), "")
    return (lang, script)


def same_language(source: str, target: str) -> bool:
    """Whether a text in ``source`` needs no translation into ``target``: same language, same script.

    ``zh`` -> ``zh_CN`` and ``en`` -> ``en_GB`` need none (a catalog of identical strings
    helps no one); ``zh`` (Simplified) -> ``zh_TW`` (Traditional) does: another script is
    another text for its readers, so it stays a translation.
    """
    a, b = written_as(source), written_as(target)
    return bool(a[0]) and a[0] == b[0] and (a[1] == b[1] or not a[1] or not b[1])


def best_tag(locale: str, tags: list[str]) -> str | None:
    """The tag of ``tags`` that best fits ``locale``: the most specific candidate, else one of the same script.

    Tags are compared case-insensitively with ``_`` and ``-`` alike, so a
    glossary written by Weblate (``zh_Hans``) serves the locale ``zh_CN``.
    """
    by_norm = {t.replace("_", "-").lower(): t for t in tags}
    for candidate in lang_candidates(locale):
        if candidate in by_norm:
            return by_norm[candidate]
    key = script_key(locale)
    return next((t for t in tags if script_key(t) == key), None)


def language_name(lang: str, in_locale: str, *, label: bool = False) -> str:
    """``lang``'s name in ``in_locale`` (Babel/CLDR), capitalised when it stands alone as a label."""
    loc = Locale.parse(in_locale.replace("-", "_"))
    name = Locale.parse(lang.replace("-", "_")).get_language_name(loc) or lang
    return name[:1].upper() + name[1:] if label else name
