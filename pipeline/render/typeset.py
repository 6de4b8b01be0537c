"""Stage 5, render: typographic binding of text before it reaches a template.

In: plain text and its language.  Out: escaped HTML (``Markup``) where the
runs that must not break across lines are wrapped in
``<bdi class="nobr">`` (``white-space: nowrap``; WeasyPrint ignores ``<bdi>``'s
isolation and pdfpost reads it as no language change):

* Chinese and Japanese: a number and its counter or unit (6つ, 30周年, 50カ所,
  3万亿元, 第2), from a data table per language (:data:`COUNTERS`);
* Chinese and Japanese: the first of two full-width punctuation marks in a
  row, set half-width (``<bdi class="halt">``, OpenType ``halt``);
* the last characters of a Chinese or Japanese paragraph, so that its last
  line never holds only one or two of them;
* titles, any language: a hyphenated compound ("Opening-Up"), so a title
  never ends a line on "Opening-" leaving "Up" alone.

The text itself is unchanged (no joiner characters), so it copies out as typed.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

# Counters and units written after a number, longest first within each language.
COUNTERS: dict[str, tuple[str, ...]] = {
    "zh": (
        "周年", "万亿元", "亿元", "万元", "万亿", "公里", "平方公里", "千米", "小时", "分钟",
        "个", "月", "日", "号", "年", "岁", "万", "亿", "元", "人", "次", "家", "项", "条", "座", "所",
        "倍", "%", "％", "名", "届", "期", "天", "吨", "米",
    ),
    "ja": (
        "周年", "カ所", "か所", "ヶ所", "箇所", "カ国", "か国", "ヶ国", "カ月", "か月", "ヶ月", "番目",
        "つ目", "兆元", "億元", "万元", "兆円", "億円", "万円", "時間", "キロ", "メートル",
        "つ", "月", "日", "年", "歳", "兆", "億", "万", "元", "円", "人", "回", "件", "個", "社", "倍",
        "%", "％", "位", "名", "期", "本", "台", "分", "秒",
    ),
}  # fmt: skip
LAST_LINE_MIN = 4  # characters a Chinese or Japanese paragraph's last line holds at least
_NUMBER = r"[0-9０-９]+(?:[.,．][0-9０-９]+)*"
# Full-width punctuation: of two in a row, the first is set half-width (OpenType ``halt``), so "”，" or
# "。」" leaves no hole of a whole em between the marks (clreq/jlreq: adjacent punctuation squeezed).
_PUNCT = "[、。，．：；！？「」『』（）【】〔〕〈〉《》“”‘’]"
_HALT = re.compile(f"(?P<halt>{_PUNCT})(?={_PUNCT})")
_COMPOUND = re.compile(r"\w+(?:-\w+)+")


@functools.cache
def _counter_pattern(primary: str) -> re.Pattern[str] | None:
    counters = COUNTERS.get(primary)
    if not counters:
        return None
    alternatives = "|".join(re.escape(c) for c in sorted(counters, key=len, reverse=True))
    return re.compile(f"第?{_NUMBER}(?:{alternatives})|第{_NUMBER}|(?P<halt>{_PUNCT})(?={_PUNCT})")


def _wrap(text: str, pattern: re.Pattern[str] | None) -> Markup:
    if pattern is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        kind = "halt" if m.lastgroup == "halt" else "nobr"
        out += [str(escape(text[last : m.start()])), f'<bdi class="{kind}">{escape(m.group(0))}</bdi>']
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def bind_numerals(text: str, lang: str, *, last: bool = False) -> Markup:
    """``text`` escaped, each number bound to its counter in Chinese and Japanese.

    ``last``: ``text`` ends a paragraph, whose last :data:`LAST_LINE_MIN` characters are
    then kept together in Chinese and Japanese, so a paragraph never ends on a line of
    one or two characters ("す。").
    """
    text = str(text)
    pattern = _counter_pattern(lang.split("-")[0].split("_")[0].lower())
    if not last or pattern is None or len(text) <= LAST_LINE_MIN * 2:
        return _wrap(text, pattern)
    cut = len(text) - LAST_LINE_MIN
    for m in pattern.finditer(text):
        if m.start() < cut < m.end():
            cut = m.start()  # a number and its counter stay whole: the tail begins with them
    return Markup(
        _wrap(text[:cut], pattern) + Markup('<bdi class="nobr">') + _wrap(text[cut:], _HALT) + Markup("</bdi>")
    )


def bind_compounds(text: str) -> Markup:
    """``text`` escaped, each hyphenated compound kept on one line (for titles)."""
    return _wrap(str(text), _COMPOUND)
