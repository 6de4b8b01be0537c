"""Numbers in running text, for the QA numbers check: text + language -> values.

``find_numbers(text, language)`` returns every number a sentence states, each
normalised to a :class:`~decimal.Decimal` value with its scale applied, so
that ``3 trillion``, ``3万亿``, ``3兆``, ``3 000 milliards``, ``3 billones``,
``٣ تريليونات`` and ``3 трлн`` are all 3·10¹².  Digits are read in any Unicode
script (ASCII, full-width, Arabic-Indic, Extended Arabic-Indic); decimal marks
and digit grouping follow the language (CLDR data through Babel: ``3 000,5``
in French is 3000.5, ``3.000`` in Spanish is 3000).

A number is *firm* when it is written in digits: it must have its match on
the other side.  Words for small numbers (``two``, ``两``, ``deux``,
``اثنين``), Chinese numerals and date parts (``4月``) are *soft*: they can
stand for a firm number of the other side but are never required, because
such words occur in ordinary vocabulary too (``一体化``, ``统一``, ``un``).

``compare_numbers(source, target)`` pairs the two multisets and returns what
is missing and what is unexpected.  Adding a language means adding a
:class:`Style` entry to ``_STYLES``; nothing else changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.core import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from pipeline.lang import language_of

SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_FIRM_KINDS = frozenset({"number", "percent", "ordinal", "year"})


@dataclass(frozen=True, slots=True)
class Number:
    """One number as written in a text."""

    value: Decimal
    text: str  # as written, with its scale word or unit ("3 trillion", "3万亿")
    kind: str = "number"  # number, percent, ordinal, year, date, word
    firm: bool = True  # digits: must be matched; words and date parts: may be
    scale: Decimal = Decimal(1)  # the multiplier a scale word or unit applied
    start: int = 0

    def shown(self) -> str:
        """``3 trillion (3,000,000,000,000)``: as written, and the value when it differs."""
        plain = format_value(self.value)
        same = re.sub(r"\D", "", _ascii_digits(self.text)) == re.sub(r"\D", "", plain)
        return self.text if same else f"{self.text} ({plain})"


def format_value(value: Decimal) -> str:
    v = value.normalize()
    if v == v.to_integral_value():
        return f"{int(v):,}"
    return f"{v:,f}"


@dataclass(frozen=True, slots=True)
class Style:
    """How a language writes numbers: regex fragments, all matched case-insensitively."""

    scales: tuple[tuple[str, int], ...] = ()  # word pattern -> power of ten
    words: tuple[tuple[str, int], ...] = ()  # small cardinal and ordinal words -> value
    months: tuple[str, ...] = ()  # month names, January first
    ordinal_suffix: str = ""  # after digits: 30th, 30e, 30.º, 30-й
    ordinal_prefix: str = ""  # before digits: 第30, الـ30
    percent: str = r"[%％٪]"  # after the number, spaces allowed before
    connectors: str = r"[-–—]|to|or|and"  # ranges: "3 to 4 trillion" scales both ends
    han: bool = False  # Chinese/Japanese units (万, 亿, 兆) and numerals
    clitics: str = ""  # prefixes a word may carry (Arabic و، ب، ال)
    space_groups: bool = False  # a plain space may group digits (3 000)


def _w(*pairs: tuple[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(pairs)


# fmt: off
_EN = Style(
    scales=(("hundred", 2), ("thousand", 3), ("million", 6), ("mn", 6), ("billion", 9), ("bn", 9), ("trillion", 12)),
    words=_w(
        ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7), ("eight", 8),
        ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("twenty", 20), ("thirty", 30), ("forty", 40),
        ("fifty", 50), ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6),
        ("seventh", 7), ("eighth", 8), ("ninth", 9), ("tenth", 10), ("both", 2), ("once", 1), ("twice", 2),
    ),
    months=("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"),
    ordinal_suffix=r"(?:st|nd|rd|th)\b",
    percent=r"[%％]|per ?cent\b",
)
_FR = Style(
    scales=(("mille", 3), ("millions?", 6), ("milliards?", 9), ("mds?", 9), ("billions?", 12), ("trillions?", 18)),
    words=_w(
        ("une?", 1), ("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5), ("six", 6), ("sept", 7), ("huit", 8),
        ("neuf", 9), ("dix", 10), ("onze", 11), ("douze", 12), ("vingt", 20), ("trente", 30), ("quarante", 40),
        ("cinquante", 50), ("cent", 100), ("premi[eè]re?s?(?:ment)?", 1), ("seconde?s?", 2),
        ("deuxi[eè]mes?(?:ment)?", 2), ("troisi[eè]mes?(?:ment)?", 3), ("quatri[eè]mes?(?:ment)?", 4),
        ("cinqui[eè]mes?(?:ment)?", 5), ("sixi[eè]mes?(?:ment)?", 6), ("septi[eè]mes?(?:ment)?", 7),
        ("huiti[eè]mes?(?:ment)?", 8), ("neuvi[eè]mes?(?:ment)?", 9), ("dixi[eè]mes?(?:ment)?", 10),
        ("onzi[eè]mes?", 11), ("douzi[eè]mes?", 12), ("vingti[eè]mes?", 20), ("trenti[eè]mes?", 30),
        ("quaranti[eè]mes?", 40), ("cinquanti[eè]mes?", 50), ("soixanti[eè]mes?", 60), ("centi[eè]mes?", 100),
    ),
    ordinal_suffix=r"(?:ᵉʳ|ʳᵉ|ᵉ|e|er|re|ère|ème|es|èmes)\b",
    percent=r"[%％]|pour ?cent\b",
    connectors=r"[-–—]|à|ou|et",
    space_groups=True,
)
_ES = Style(
    scales=(("mil", 3), ("mill[oó]n(?:es)?", 6), ("millardos?", 9), ("bill[oó]n(?:es)?", 12),
            ("trill[oó]n(?:es)?", 18)),
    words=_w(
        ("un[oa]?", 1), ("dos", 2), ("tres", 3), ("cuatro", 4), ("cinco", 5), ("seis", 6), ("siete", 7),
        ("ocho", 8), ("nueve", 9), ("diez", 10), ("once", 11), ("doce", 12), ("veinte", 20), ("treinta", 30),
        ("cuarenta", 40), ("cincuenta", 50), ("cien(?:to)?", 100), ("primer[oa]?s?", 1), ("segund[oa]s?", 2),
        ("tercer[oa]?s?", 3), ("cuart[oa]s?", 4), ("quint[oa]s?", 5), ("sext[oa]s?", 6), ("s[eé]ptim[oa]s?", 7),
        ("octav[oa]s?", 8), ("noven[oa]s?", 9), ("d[eé]cim[oa]s?", 10), ("ambos", 2), ("ambas", 2),
        ("vig[eé]sim[oa]s?", 20), ("trig[eé]sim[oa]s?", 30), ("cuadrag[eé]sim[oa]s?", 40),
        ("quincuag[eé]sim[oa]s?", 50), ("cent[eé]sim[oa]s?", 100),
    ),
    ordinal_suffix=r"\.?(?:[ºª°]|er\b|ᵉʳ)",
    percent=r"[%％]|por ?ciento\b",
    connectors=r"[-–—]|a|y|o",
    space_groups=True,
)
_RU = Style(
    scales=(("тыс\\.?", 3), ("тысяч[аиуье]?", 3), ("млн", 6), ("миллион\\w*", 6), ("млрд", 9),
            ("миллиард\\w*", 9), ("трлн", 12), ("триллион\\w*", 12)),
    words=_w(
        ("один|одна|одно|одного|одной|одному|одним", 1), ("два|две|двух|двум|двумя", 2),
        ("три|тр[её]х|тр[её]м|тремя", 3), ("четыре|четыр[её]х|четырьмя", 4), ("пять|пяти|пятью", 5),
        ("шесть|шести|шестью", 6), ("семь|семи|семью", 7), ("восемь|восьми", 8), ("девять|девяти", 9),
        ("десять|десяти", 10), ("двадцать", 20), ("тридцать", 30), ("пятьдесят", 50), ("перв\\w*", 1),
        ("втор\\w*", 2), ("трет\\w*", 3), ("четв[её]рт\\w*", 4), ("пят(?:ый|ая|ое|ого|ой|ом|ым)", 5),
        ("шест(?:ой|ая|ое|ого|ом)", 6), ("седьм\\w*", 7), ("восьм\\w*", 8), ("девят(?:ый|ая|ое|ого|ом)", 9),
        ("десят(?:ый|ая|ое|ого|ом)", 10), ("оба|обе|обоих", 2),
    ),
    ordinal_suffix=r"-(?:[а-яё]{1,3}\b|лети\w*|летн\w*)",
    percent=r"[%％]|процент\w*",
    connectors=r"[-–—]|до|или|и",
    space_groups=True,
)
_AR = Style(
    scales=(("ألف|الف|آلاف|ألفا", 3), ("مليون|ملايين|مليونا", 6), ("مليار|مليارات|مليارا|بليون", 9),
            ("تريليون|تريليونات|تريليونا", 12)),
    words=_w(
        ("واحدة?", 1), ("اثنان|اثنين|اثنتان|اثنتين", 2), ("ثلاثة?", 3), ("[أا]ربعة?", 4), ("خمسة?", 5),
        ("ستة?", 6), ("سبعة?", 7), ("ثمانية?|ثمان", 8), ("تسعة?", 9), ("عشرة?", 10), ("عشرون|عشرين", 20),
        ("ثلاثون|ثلاثين", 30), ("[أا]ربعون|[أا]ربعين", 40), ("خمسون|خمسين", 50), ("مائة|مئة", 100),
        ("[أا]ول(?:ى|ا|اً)?", 1), ("ثان(?:ي|ية|يا|ياً)?", 2), ("ثالث(?:ة|ا|اً)?", 3), ("رابع(?:ة|ا|اً)?", 4),
        ("خامس(?:ة|ا|اً)?", 5), ("سادس(?:ة|ا|اً)?", 6), ("سابع(?:ة|ا|اً)?", 7), ("ثامن(?:ة|ا|اً)?", 8),
        ("تاسع(?:ة|ا|اً)?", 9), ("عاشر(?:ة|ا|اً)?", 10),
    ),
    ordinal_prefix=r"الـ ?",
    percent=r"[%％٪]|(?:في ?ال?مائة|في ?ال?مئة|بالمائة|بالمئة)",
    connectors=r"[-–—]|إلى|الى|أو|و",
    clitics=r"(?:[وفبلك]?(?:ال|لل)?)",
)
_ZH = Style(
    ordinal_prefix=r"第",
    ordinal_suffix=r"(?:周年|週年)",
    percent=r"[%％]",
    connectors=r"[-–—~～至到]",
    han=True,
)
_JA = replace(_ZH, ordinal_suffix=r"(?:周年|番目|つ目|回目)")
# fmt: on
_STYLES = {"en": _EN, "fr": _FR, "es": _ES, "ru": _RU, "ar": _AR, "zh": _ZH, "ja": _JA}

# fmt: off
_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}
# fmt: on
_HAN_SMALL = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
_HAN_UNITS = "十百千万萬亿億兆"
_HAN_RUN = re.compile(f"[{''.join(_HAN_DIGITS)}{_HAN_UNITS}]+")
_HAN_DATE = re.compile(r"\s?[月日号號]")
_LATIN_CODE = re.compile(r"[A-Za-z]-?$")
_HAN_UNIT_RUN = re.compile(f"[{_HAN_UNITS}]+")
_NEAR = 16  # characters before a number an ordinal prefix may take (searched there only: linear time)
_LATIN_AFTER = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"\d+(?:[.,'’٫٬．\u00a0\u202f\u2009 ]\d+)*")
# Text whose digits are not numbers of the sentence; each alternative has one of _MASK_HINTS.
_MASK_HINTS = ("://", "www.", "@", "%", "{", "<")
_MASKS = re.compile(
    r"https?://[!-~]+|www\.[!-~]+|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|%\(\w+\)[sdif]|%[sdif]|\{\{[^{}]*\}\}|\{[\w.]*\}|<[^<>]+>"
)


@dataclass(frozen=True, slots=True)
class _Symbols:
    decimal: frozenset[str]
    group: frozenset[str]


@cache
def _symbols(locale: str) -> _Symbols:
    """Decimal marks and group separators of a locale, from CLDR, plus the Arabic ones."""
    try:
        babel_locale = Locale.parse(locale.replace("-", "_"))
        decimal, group = get_decimal_symbol(babel_locale), get_group_symbol(babel_locale)
    except (UnknownLocaleError, ValueError):
        decimal, group = ".", ","
    decimals = {decimal, "٫"}
    groups = {group, "٬", "\u00a0", "\u202f", "\u2009"}
    if decimal == ",":
        groups |= {"."} if group == "." else set()
    else:
        groups.add(",")
        decimals.add("．")
    if _style(language_of(locale)).space_groups:
        groups.add(" ")
    return _Symbols(frozenset(decimals), frozenset(groups - decimals))


def _style(language: str) -> Style:
    return _STYLES.get(language, Style())


def _ascii_digits(text: str) -> str:
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() else c for c in text)


_SEPARATOR = re.compile(r"(\D)")


def _split_digits(token: str, symbols: _Symbols, comma_decimal: bool) -> list[tuple[int, int, Decimal]]:
    """A run of digits and separators -> ``(start, end, value)`` numbers, per the locale's rules."""
    if token.isdigit():  # one run of digits, no separator: the common case
        return [(0, len(token), _dec(token, None))]
    parts = _SEPARATOR.split(token)  # digits, sep, digits, sep, ...
    numbers: list[tuple[int, int, Decimal]] = []
    start, pos = 0, len(parts[0])
    whole, frac = parts[0], None
    first_len = len(parts[0])
    for i in range(1, len(parts), 2):
        sep, nxt = parts[i], parts[i + 1]
        groupable = len(nxt) == 3 and frac is None and first_len <= 3
        if groupable and (sep in symbols.group or (sep == "." and comma_decimal)):
            whole += nxt
        elif frac is None and (sep in symbols.decimal or (sep == "." and comma_decimal and len(nxt) != 3)):
            frac = nxt
        else:
            numbers.append((start, pos, _dec(whole, frac)))
            start = pos + 1
            whole, frac, first_len = nxt, None, len(nxt)
        pos += 1 + len(nxt)
    numbers.append((start, pos, _dec(whole, frac)))
    return numbers


def _dec(whole: str, frac: str | None) -> Decimal:
    return Decimal(_ascii_digits(whole) + ("." + _ascii_digits(frac) if frac else ""))


def han_value(text: str) -> Decimal | None:
    """The value of a run of Chinese numerals (``三万亿``, ``一百二十``, ``二〇二七``), or None."""
    if len(text) > 1 and all(c in _HAN_DIGITS for c in text):
        return Decimal("".join(str(_HAN_DIGITS[c]) for c in text))  # 二〇二七: digit by digit
    total, section, number, last_big = 0, 0, None, 0
    for c in text:
        if c in _HAN_DIGITS:
            if number is not None:
                return None  # 十四五 and the like: not one number
            number = _HAN_DIGITS[c]
        elif c in _HAN_SMALL:
            section += (1 if number is None else number) * _HAN_SMALL[c]
            number = None
        else:
            unit = _HAN_BIG[c]
            value = section + (number or 0)
            if value == 0 and total and last_big < unit:
                total *= unit  # 万亿: the whole amount so far times 亿
            elif value == 0 and not total:
                total = unit
            else:
                total += value * unit
            last_big, section, number = unit, 0, None
    return Decimal(total + section + (number or 0))


_HAN_LONGEST = 32  # numerals in one number (一千二百三十四万亿 is 9): longer runs are read in pieces


def _han_end(run: str, i: int) -> int:
    """The end of the longest piece of ``run`` from ``i`` that :func:`han_value` reads, in one scan.

    It reads a run of digits alone (二〇二七) or a run where no two digits touch (十四五 stops
    before 五); the brute-force search over every end gives the same (tests/test_reliability.py).
    """
    limit = min(len(run), i + _HAN_LONGEST)
    j = i
    while j < limit and run[j] in _HAN_DIGITS:
        j += 1
    if j - i >= 2:
        return j
    j = i + 1
    while j < limit and not (run[j] in _HAN_DIGITS and run[j - 1] in _HAN_DIGITS):
        j += 1
    return j


def _han_chunks(run: str) -> list[tuple[int, str]]:
    """A run of numerals that is not one number (十四五: 14 and 5) -> its longest parseable pieces."""
    out, i = [], 0
    while i < len(run):
        j = _han_end(run, i)
        out.append((i, run[i:j]))
        i = j
    return out


def _units_value(units: str) -> Decimal:
    m = Decimal(1)
    for c in units:
        m *= _HAN_SMALL.get(c) or _HAN_BIG[c]
    return m


@cache
def _patterns(language: str) -> dict[str, re.Pattern[str]]:
    st = _style(language)
    scale = "|".join(p for p, _ in st.scales) or r"(?!x)x"
    word = "|".join(f"(?:{p})" for p, _ in st.words) or r"(?!x)x"
    return {
        "scale": re.compile(rf"[{SPACES}]?(?:{scale})(?!\w)", re.I),
        "word": re.compile(rf"(?<!\w){st.clitics}(?:{word})(?!\w)", re.I),
        "percent": re.compile(rf"[{SPACES}]?(?:{st.percent})", re.I),
        "ordinal": re.compile(st.ordinal_suffix, re.I) if st.ordinal_suffix else re.compile(r"(?!x)x"),
        "prefix": re.compile(rf"(?:{st.ordinal_prefix})$") if st.ordinal_prefix else re.compile(r"(?!x)x"),
        "month": re.compile(rf"\b(?:{'|'.join(m.title() for m in st.months)})\b")
        if st.months
        else re.compile(r"(?!x)x"),
        "connector": re.compile(rf"^[{SPACES}]?(?:{st.connectors})[{SPACES}]?$", re.I),
    }


@cache
def _word_values(language: str) -> tuple[tuple[re.Pattern[str], Decimal], ...]:
    """Each number word of the language, compiled to read one match of the ``word`` pattern, and its value."""
    st = _style(language)
    return tuple((re.compile(rf"{st.clitics}(?:{p})", re.I), Decimal(v)) for p, v in st.words)


@cache
def _scale_powers_of(st: Style) -> tuple[tuple[re.Pattern[str], int], ...]:
    """The style's scale words compiled (asked only where a scale word follows a number)."""
    return tuple((re.compile(pat, re.I), power) for pat, power in st.scales)


def _scale_after(text: str, end: int, pats: dict[str, re.Pattern[str]], st: Style) -> tuple[Decimal, int]:
    """Scale words right after a number (``mil millones``, ``mille milliards``) multiply."""
    mult = Decimal(1)
    while m := pats["scale"].match(text, end):
        word = m.group().strip(SPACES).lower()
        power = next(p for pat, p in _scale_powers_of(st) if pat.fullmatch(word))
        mult *= Decimal(10) ** power
        end = m.end()
    return mult, end


def find_numbers(text: str, locale: str = "en") -> list[Number]:
    """Every number ``text`` states, in order, read the way ``locale`` writes numbers."""
    language = language_of(locale)
    st, pats, symbols = _style(language), _patterns(language), _symbols(locale)
    comma_decimal = "," in symbols.decimal
    if any(hint in text for hint in _MASK_HINTS):
        text = _MASKS.sub(lambda m: " " * len(m.group()), text)
    found: list[Number] = []
    if language == "ja":
        text = _era_years(text, found)
    taken = [False] * len(text) if st.han else []  # characters read as digits: not Chinese numerals

    for tok in _DIGITS.finditer(text):
        for s, e, value in _split_digits(tok.group(), symbols, comma_decimal):
            start, end = tok.start() + s, tok.start() + e
            found.append(_digit_number(text, start, end, value, st, pats))
            if st.han:
                for i in range(start, found[-1].start + len(found[-1].text)):
                    taken[i] = True
    if st.han:
        found = _han_compounds(text, found)
        for m in _HAN_RUN.finditer(text):
            if any(taken[m.start() : m.end()]) or (m.start() and text[m.start() - 1].isdigit()):
                continue
            for offset, chunk in _han_chunks(m.group()):
                han = han_value(chunk)
                if han is not None:
                    found.append(Number(han, chunk, "word", firm=False, start=m.start() + offset))
    values = _word_values(language)
    for m in pats["word"].finditer(text):
        word = next((v for p, v in values if p.fullmatch(m.group())), None)
        if word is None:
            continue
        mult, end = _scale_after(text, m.end(), pats, st)
        found.append(Number(word * mult, text[m.start() : end], "word", firm=False, scale=mult, start=m.start()))
    for m in pats["month"].finditer(text) if st.months else ():
        month = st.months.index(m.group().lower()) + 1
        found.append(Number(Decimal(month), m.group(), "date", firm=False, start=m.start()))
    found.sort(key=lambda n: n.start)
    return _propagate_ranges(text, found, pats)


_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}  # year 1 of the era - 1
_ERA_YEAR = re.compile(rf"({'|'.join(_ERAS)})\s*([0-9０-９]+|元)\s*年")


def _era_years(text: str, found: list[Number]) -> str:
    """``令和9年`` is the year 2027: found as that year; its digits are masked from the rest."""
    for m in _ERA_YEAR.finditer(text):
        n = 1 if m.group(2) == "元" else int(_ascii_digits(m.group(2)))
        found.append(Number(Decimal(_ERAS[m.group(1)] + n), m.group(), "year", start=m.start()))
        text = text[: m.start(2)] + " " * len(m.group(2)) + text[m.end(2) :]
    return text


# --- ordinals of an enumeration (First, 第二, ثانيا, premièrement, ②) -------------------------

_ORDINAL_WORDS: dict[str, tuple[tuple[str, int], ...]] = {
    "en": (
        *tuple(
            (rf"{w}(?:ly)?", i + 1)
            for i, w in enumerate(
                ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
            )
        ),
        ("tenth", 10),
    ),
    "fr": (
        ("premi[eè]re?s?(?:ment)?", 1),
        ("second(?:e|es|s)?(?:ment)?", 2),
        *tuple(
            (rf"{w}i[eè]mes?(?:ment)?", i + 2)
            for i, w in enumerate(("deux", "trois", "quatr", "cinqu", "six", "sept", "huit", "neuv", "dix"))
        ),
    ),
    "es": tuple(
        (rf"{w}", i + 1)
        for i, w in enumerate(
            ("primer[oa]?", "segund[oa]", "tercer[oa]?", "cuart[oa]", "quint[oa]", "sext[oa]", "s[eé]ptim[oa]")
        )
    ),
    "ar": tuple(
        (rf"(?:{a}|{b})", i + 1)
        for i, (a, b) in enumerate(
            (
                ("أولا|أولاً", "الأول|الأولى"),
                ("ثانيا|ثانياً", "الثاني|الثانية"),
                ("ثالثا|ثالثاً", "الثالث|الثالثة"),
                ("رابعا|رابعاً", "الرابع|الرابعة"),
                ("خامسا|خامساً", "الخامس|الخامسة"),
                ("سادسا|سادساً", "السادس|السادسة"),
                ("سابعا|سابعاً", "السابع|السابعة"),
                ("ثامنا|ثامناً", "الثامن|الثامنة"),
                ("تاسعا|تاسعاً", "التاسع|التاسعة"),
                ("عاشرا|عاشراً", "العاشر|العاشرة"),
            )
        )
    ),
}
_HAN_ORDINAL = re.compile(
    r"第\s*([0-9０-９]+|[一二三四五六七八九十]+)|([0-9０-９]+|[一二三四五六七八九十]+)\s*(?:つ目|番目)"
)
_CIRCLED = re.compile("[\u2460-\u2473]")


@cache
def _ordinal_pattern(language: str) -> re.Pattern[str] | None:
    words = _ORDINAL_WORDS.get(language)
    if not words:
        return None
    clitic = "(?:[وفبلك]?)" if language == "ar" else ""
    return re.compile(rf"(?<![^\W\d_]){clitic}(?:{'|'.join(f'({p})' for p, _ in words)})(?![^\W\d_])", re.I)


def find_ordinals(text: str, locale: str = "en") -> list[Number]:
    """Ordinals that number the parts of an enumeration or a list: First, 第二, 2つ目, ثانيا, deuxième, ②."""
    language = language_of(locale)
    out: list[Number] = []
    pattern = _ordinal_pattern(language)
    if pattern is not None:
        values = [v for _, v in _ORDINAL_WORDS[language]]
        for m in pattern.finditer(text):
            group = next(i for i, g in enumerate(m.groups()) if g)
            out.append(Number(Decimal(values[group]), m.group(), "ordinal", start=m.start()))
    if language in ("zh", "ja"):
        for m in _HAN_ORDINAL.finditer(text):
            raw = m.group(1) or m.group(2)
            value = Decimal(_ascii_digits(raw)) if raw[0].isdigit() else han_value(raw)
            if value is not None:
                out.append(Number(value, m.group(), "ordinal", start=m.start()))
    for m in _CIRCLED.finditer(text):
        out.append(Number(Decimal(ord(m.group()) - 0x245F), m.group(), "ordinal", start=m.start()))
    return sorted(out, key=lambda n: n.start)


def _digit_number(
    text: str, start: int, end: int, value: Decimal, st: Style, pats: dict[str, re.Pattern[str]]
) -> Number:
    kind, firm, mult = "number", True, Decimal(1)
    if st.han and (m := _HAN_UNIT_RUN.match(text, end)):
        mult, end = _units_value(m.group()), m.end()
    else:
        mult, end = _scale_after(text, end, pats, st)
    if m := pats["percent"].match(text, end):
        kind, end = "percent", m.end()
    elif m := pats["ordinal"].match(text, end):
        kind, end = "ordinal", m.end()
    elif pats["prefix"].search(text, max(0, start - _NEAR), start):
        kind = "ordinal"
    elif st.han and _HAN_DATE.match(text, end) and value <= 31 and mult == 1:
        kind, firm = "date", False  # 4月, 5日: date parts the source may spell as a month name
    elif mult == 1 and (_LATIN_CODE.search(text, max(0, start - 2), start) or _LATIN_AFTER.match(text, end)):
        kind, firm = "code", False  # COVID-19, G20, 5G, Q1: part of a name, which a translation may not repeat
    elif mult == 1 and value == value.to_integral_value() and 1000 <= value <= 2999 and len(text[start:end]) == 4:
        kind = "year"
    return Number(value * mult, text[start:end].strip(SPACES), kind, firm, mult, start)


def _han_compounds(text: str, found: list[Number]) -> list[Number]:
    """``1亿2000万``: an adjacent group with a smaller unit adds to the one before."""
    out: list[Number] = []
    for n in found:
        prev = out[-1] if out else None
        if prev is not None and prev.scale > n.scale > 1 and prev.start + len(prev.text) == n.start:
            out[-1] = replace(prev, value=prev.value + n.value, text=prev.text + n.text, scale=n.scale)
        else:
            out.append(n)
    return out


def _propagate_ranges(text: str, found: list[Number], pats: dict[str, re.Pattern[str]]) -> list[Number]:
    """``3 to 4 trillion``, ``3-4万亿``: the scale of the second end applies to the first."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        between = text[a.start + len(a.text) : b.start]
        if a.scale == 1 and b.scale > 1 and a.kind != "year" and pats["connector"].match(between):
            out[i] = replace(a, value=a.value * b.scale, scale=b.scale)
    return out


@dataclass(frozen=True, slots=True)
class NumberDiff:
    missing: tuple[Number, ...]  # firm source numbers the translation lacks
    unexpected: tuple[Number, ...]  # firm translation numbers the source lacks
    unmatched_words: tuple[Number, ...]  # soft translation numbers nothing used (for messages)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected


class _Pool:
    """Numbers to pair by value, first come first taken, in constant time a take (linear in all)."""

    def __init__(self, numbers: list[Number]) -> None:
        self.numbers = numbers
        self.by_value: dict[Decimal, deque[int]] = {}
        for i, n in enumerate(numbers):
            self.by_value.setdefault(n.value, deque()).append(i)
        self.taken: set[int] = set()

    def take(self, value: Decimal) -> bool:
        queue = self.by_value.get(value)
        if not queue:
            return False
        self.taken.add(queue.popleft())
        return True

    def left(self) -> tuple[Number, ...]:
        return tuple(n for i, n in enumerate(self.numbers) if i not in self.taken)


def compare_numbers(source: list[Number], target: list[Number]) -> NumberDiff:
    """Pair source and translation numbers by value (multisets)."""
    if not target:
        return NumberDiff(tuple(n for n in source if n.firm), (), ())
    t_firm = _Pool([n for n in target if n.firm])
    t_soft = _Pool([n for n in target if not n.firm])
    pending = [n for n in source if n.firm and not t_firm.take(n.value)]
    missing = [n for n in pending if not t_soft.take(n.value)]
    for n in source:
        if not n.firm:
            t_firm.take(n.value)  # "two roles" may be written 2つ
    return NumberDiff(tuple(missing), t_firm.left(), t_soft.left())


def power_of_ten(a: Decimal, b: Decimal) -> int | None:
    """``k`` when ``a == b * 10**k`` for some non-zero ``k`` (a shifted decimal or a wrong unit)."""
    if not a or not b:
        return None
    try:
        ratio = (a / b).normalize()
    except InvalidOperation:
        return None
    digits = ratio.as_tuple()
    if digits.digits == (1,) and isinstance(digits.exponent, int) and digits.exponent != 0:
        return digits.exponent
    return None
