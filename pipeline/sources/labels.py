"""Speaker labels: the clear rules the importer and the reader share.

A label names who speaks, before a colon: ``CCTV: Could you ...`` (inline),
``Zhao Lijian:`` alone on its line, ``MS. JEAN-PIERRE:``, ``主持人：``; or it
is an anonymous mark (``Q``, ``Q.``, ``QUESTION``, ``A``, ``问``, ``答``),
which may also stand before the text with no colon (``Q    Good afternoon.``,
two spaces or a tab).

What is *not* a label, whatever the colon says: a paragraph ending with a
colon (``... six key zones:``: too many words, lowercase ones), a sentence
opening with ``Note:`` or another word of the stop list, a time (``2:46``:
digits), a Chinese clause of saying (``他表示：``), a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Anonymous question and answer marks, by role.
QUESTION_MARKS = frozenset({"Q", "QUESTION", "Question", "问", "记者"})
ANSWER_MARKS = frozenset({"A", "ANSWER", "Answer", "答"})
HOST_WORDS = frozenset({"moderator", "host", "chair", "chairperson", "mc", "主持人", "主持"})
HONORIFICS = frozenset(
    "mr mrs ms mx dr prof sen rep gen adm amb gov sec secretary ambassador admiral general governor president "
    "senator representative minister spokesperson spokesman spokeswoman director the".split()
)
# Words that open a sentence with a colon but never name a speaker.
STOP_WORDS = frozenset(
    "note notes nb ps example examples update updated correction editor editor's editors source sources time "
    "date dates venue location place photo caption translation transcript keywords tags related attachment "
    "warning subject topic topics video audio see also live breaking first second third fourth fifth sixth "
    "finally lastly however moreover therefore meanwhile today yesterday tomorrow question answer questions "
    "answers summary background agenda read more".split()
)
# The same in Chinese: the labels of a page's furniture, not of a speaker.
CJK_STOP_WORDS = frozenset(
    "来源 时间 日期 地点 编辑 责任编辑 注 备注 附件 关键词 标签 发布时间 更新时间 出处 作者 字号 打印 分享 链接".split()
)
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "bin", "al", "da", "du", "la", "le", "di", "y", "el", "of"})
_SAYING = re.compile(r"(说|表示|指出|称|强调|认为|介绍|提到|回答|如下|包括|是|道|问道|答道)$")
_MARK = re.compile(
    r"^(?P<label>QUESTION|ANSWER|Question|Answer|Q|A)(?:\s*[.:：]\s*|\s{2,}|\t\s*)(?P<rest>.*)$"
    r"|^(?P<zh>问|答|记者)\s*[:：]\s*(?P<zrest>.*)$"
)
_NAMED = re.compile(r"^(?P<label>[^:：]{1,60}?)\s*(?P<colon>[:：])(?P<rest>.*)$")
_LATIN_WORD = re.compile(r"^[^\W\d_][\w'’.&-]*$")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·•・A-Za-z]{1,12}$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class LabelMatch:
    label: str  # as written, without the colon
    rest: str  # the text after it on the same line ("" for a label alone on its line)
    how: str  # how it was recognised, for the import report


def is_mark(label: str) -> bool:
    return label in QUESTION_MARKS or label in ANSWER_MARKS


def looks_like_name(label: str) -> bool:
    """Whether ``label`` reads as the name of a speaker or an outlet by the rules above."""
    label = label.strip()
    if not label or any(ch.isdigit() for ch in label) or "://" in label:
        return False
    if _CJK.search(label):
        return bool(_CJK_NAME.match(label)) and not _SAYING.search(label) and label not in CJK_STOP_WORDS
    words = label.split()
    if not 1 <= len(words) <= MAX_WORDS + 1:
        return False
    if words[0].lower().rstrip(".") in STOP_WORDS and len(words) <= 2 and words[0].lower() != "the":
        return False
    if not all(_LATIN_WORD.match(w) for w in words):
        return False
    upper = label.upper() == label
    for i, w in enumerate(words):
        bare = w.rstrip(".").lower()
        if w.endswith(".") and not (bare in HONORIFICS or len(bare) == 1):
            return False  # a full stop inside: a sentence, not a name ("Thank you. Next")
        if upper or w[0].isupper() or (i > 0 and bare in _PARTICLES):
            continue
        return False
    return len(words) <= MAX_WORDS or words[0].lower().rstrip(".") in HONORIFICS


def split_label(line: str) -> LabelMatch | None:
    """The label that opens ``line`` (normalised), if any."""
    m = _MARK.match(line)
    if m:
        if m.group("zh"):
            return LabelMatch(m.group("zh"), m.group("zrest").strip(), "anonymous mark")
        label, rest = m.group("label"), m.group("rest").strip()
        sep = line[len(label) : len(line) - len(m.group("rest"))]
        if "." in sep and label in ANSWER_MARKS:
            return None  # "A. Lincoln": only "Q." is a mark with a full stop
        how = "anonymous mark" if sep.strip() or not rest else "anonymous mark without colon"
        return LabelMatch(label, rest, how)
    m = _NAMED.match(line)
    if not m:
        return None
    label, rest = m.group("label").strip(), m.group("rest")
    if rest and not rest[0].isspace() and m.group("colon") == ":":
        return None  # "2:46", "http://...": a label's colon is followed by a space
    rest = rest.strip()
    if rest[:1] in ("“", '"', "「") and _CJK.search(label):
        return None  # 他说：“...”
    if not looks_like_name(label):
        return None
    return LabelMatch(label, rest, "inline label" if rest else "label alone on its line")


def display_name(label: str) -> str:
    """The speaker's name as the brief shows it: ``MS. JEAN-PIERRE`` -> ``Ms. Jean-Pierre``.

    An all-capitals label of several words, or with an honorific, is a person's name set in capitals;
    a single all-capitals word (``CCTV``, ``PTI``) is an acronym and stays.
    """
    words = label.split()
    if label.upper() != label or _CJK.search(label) or is_mark(label):
        return label
    if len(words) == 1 and words[0].rstrip(".").lower() not in HONORIFICS:
        return label
    return " ".join(_title_word(w) for w in words)


def _title_word(word: str) -> str:
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
