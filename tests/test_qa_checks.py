"""Each QA check on crafted catalogs: cases that must fire and cases that must not."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from qa_support import ROOT, catalog_path, run, write_po

from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.pofile import write_po as write_formatted
from pipeline.config import UI_DOMAIN, load_config
from pipeline.qa.check import check_catalog, check_project, suppressions
from pipeline.qa.checks import CHECKS, batchable, describe, msgfmt_c_clean, run_msgfmt_c
from pipeline.qa.glossary import read_glossary

SPEAKER = {"msgctxt": "speaker"}


def ids(findings: list) -> list[str]:
    return [f.check for f in findings]


def test_every_check_has_an_id_a_severity_and_a_description() -> None:
    seen = [c.id for c in CHECKS]
    assert len(seen) == len(set(seen))
    for check_id, severity, description in describe():
        assert check_id and severity in ("error", "warning") and description


# --- numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "source", "target", "says"),
    [
        ("zh_CN", "GDP exceeded 3 trillion yuan.", "GDP超过3亿元。", ["3 trillion", "3亿", "10,000 times too small"]),
        ("zh_CN", "We will reach 3 trillion yuan.", "我们将达到4万亿元。", ["3 trillion", "4万亿"]),
        ("fr", "It reached 1.2 billion yuan.", "Il a atteint 12 milliards de yuans.", ["10 times too large"]),
        ("es", "Exports rose 4.5%.", "Las exportaciones subieron un 45 %.", ["4.5%", "45 %"]),
        ("ar", "GDP exceeded 3 trillion yuan.", "تجاوز الناتج ٤ تريليونات يوان.", ["3 trillion", "٤ تريليونات"]),
        ("zh_CN", "We reduced the parks to 50.", "我们压减了园区数量。", ["number missing", "50"]),
    ],
)
def test_numbers_fires_on_a_changed_or_missing_value(
    tmp_path: Path, locale: str, source: str, target: str, says: list[str]
) -> None:
    found = run(tmp_path, [(source, target)], locale=locale, only="numbers")
    assert len(found) == 1 and found[0].severity == "error"
    for part in says:
        assert part in found[0].message


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_CN", "Exports grew 5%.", "出口增长5%。"),
        ("zh_CN", "It reached 1.2 trillion yuan.", "达到12000亿元。"),
        ("zh_CN", "Last year, GDP exceeded 3 trillion yuan.", "去年，地区生产总值突破3万亿元。"),
        (
            "zh_CN",
            "We will reach 4 trillion yuan by 2027, its 30th anniversary.",
            "到2027年直辖30周年之际达到4万亿元。",
        ),
        ("zh_CN", "First, we will build a zone.", "首先，我们将建设示范区。"),
        ("zh_CN", "He visited Chongqing in April.", "今年4月，他在重庆考察。"),
        ("zh_CN", "He gave Chongqing two roles.", "他赋予重庆两大定位。"),
        ("ja", "The other role highlights Chongqing.", "もう1つの役割は重慶を際立たせる。"),
        ("ja", "We will prioritize six key zones:", "6つの重点区域に取り組みます："),
        ("ar", "GDP exceeded 3 trillion yuan.", "تجاوز الناتج المحلي ٣ تريليونات يوان."),
        ("ar", "Growth was 4.5%.", "بلغ النمو ٤٫٥٪."),
        ("fr", "GDP exceeded 3 trillion yuan.", "Le PIB a dépassé 3\u202f000 milliards de yuans."),
        ("fr", "its 30th anniversary", "son 30e anniversaire"),
        ("es", "4 trillion yuan by 2027", "4 billones de yuanes para 2027"),
        ("ru", "GDP exceeded 3 trillion yuan.", "ВРП превысил 3 трлн юаней."),
        ("zh_CN", "the 14th Five-Year Plan (2021-2025)", "“十四五”规划（2021—2025年）"),
        ("zh_CN", "the 20th CPC National Congress", "党的二十大"),
        ("zh_CN", "On July 5, 2024, it had 1.3 billion people.", "2024年7月5日，人口为13亿。"),
        ("ja", "It reached $1.5 trillion.", "1兆5000億ドルに達した。"),
        ("zh_CN", "After COVID-19, Q1 growth in 5G was strong.", "新冠疫情后，一季度第五代移动通信增长强劲。"),
    ],
)
def test_numbers_does_not_fire_on_the_same_value_written_another_way(
    tmp_path: Path, locale: str, source: str, target: str
) -> None:
    assert run(tmp_path, [(source, target)], locale=locale, only="numbers") == []


def test_numbers_warns_on_a_value_the_source_does_not_have(tmp_path: Path) -> None:
    found = run(tmp_path, [("Last year, GDP grew.", "2023年，地区生产总值增长。")], only="numbers")
    assert [(f.severity, "2023" in f.message) for f in found] == [("warning", True)]


# --- glossary and names -----------------------------------------------------------


def test_glossary_fires_when_the_approved_term_is_missing(tmp_path: Path) -> None:
    found = run(tmp_path, [("We will govern a super-large city.", "我们将治理特大城市。")], only="glossary")
    assert len(found) == 1 and found[0].severity == "error"
    assert '"超大城市"' in found[0].message and "(glossary.tbx:187)" in found[0].message


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("We will govern super-large cities.", "我们将治理超大城市。"),  # plural
        ("a comprehensive hub for inland opening up", "内陆开放综合枢纽"),  # hyphen/space variant
        ("General Secretary Xi Jinping's visit", "习近平总书记的考察"),  # possessive
        (
            "a key strategic fulcrum for the development of China's western region in the new era",
            "新时代西部大开发的重要战略支点",  # 的 inserted
        ),
        ("HIGH-QUALITY DEVELOPMENT", "高质量发展"),  # case
    ],
)
def test_glossary_tolerates_inflection_and_spelling_variants(tmp_path: Path, source: str, target: str) -> None:
    assert run(tmp_path, [(source, target)], only="glossary") == []


def test_glossary_needs_terms_in_the_target_language(tmp_path: Path) -> None:
    assert run(tmp_path, [("a super-large city", "巨大都市")], locale="ja", only="glossary") == []


def test_glossary_does_not_concern_the_ui_strings(tmp_path: Path) -> None:
    assert run(tmp_path, [("CCTV", "CCTV")], domain=UI_DOMAIN, only="glossary") == []


def test_glossary_flags_a_deprecated_term(tmp_path: Path) -> None:
    tbx = tmp_path / "g.tbx"
    tbx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
        "<text><body>\n"
        '<conceptEntry id="c1">\n'
        '<langSec xml:lang="en"><termSec><term>China-Europe Railway Express</term></termSec></langSec>\n'
        '<langSec xml:lang="zh-CN">\n'
        "<termSec><term>中欧班列</term>"
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>\n'
        "<termSec><term>中欧铁路快线</term>"
        '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>\n'
        "</langSec></conceptEntry>\n</body></text></tbx>\n",
        encoding="utf-8",
    )
    glossary = read_glossary(tbx)
    found = run(tmp_path, [("the China-Europe Railway Express", "中欧铁路快线")], only="glossary", glossary=glossary)
    assert len(found) == 1 and "deprecated" in found[0].message and '"中欧班列"' in found[0].message


def test_names_fires_when_a_label_is_translated_another_way_in_the_text(tmp_path: Path) -> None:
    pairs = [("Hu Henghua", "胡衡华", SPEAKER), ("Mayor Hu Henghua said so.", "胡恒华市长如是说。")]
    found = run(tmp_path, pairs, only="names", glossary=None)
    assert len(found) == 1 and '"胡衡华"' in found[0].message and "label (line" in found[0].message


def test_names_does_not_fire_when_the_text_agrees_with_the_label(tmp_path: Path) -> None:
    pairs = [("Hu Henghua", "هو هنغ هوا", SPEAKER), ("Hu Henghua said so.", "وقال هو هنغ هوا ذلك.")]
    assert run(tmp_path, pairs, locale="ar", only="names", glossary=None) == []


# --- punctuation, brackets, quotes, spaces ---------------------------------------------


@pytest.mark.parametrize(
    ("locale", "source", "target", "says"),
    [
        ("zh_CN", "Could you elaborate?", "请您详细介绍。", "question"),
        ("ar", "Could you elaborate?", "هل يمكنكم التوضيح.", "؟"),
        ("zh_CN", "Thank you.", "谢谢.", "use '。'"),
        ("zh_CN", "Thank you.", "谢谢", "no final punctuation"),
        ("zh_CN", "Mayor of Chongqing", "重庆市市长。", "title or label"),
        ("es", "Could you elaborate?", "Podría explicarlo?", "¿"),
        ("zh_CN", "We will focus on six zones:", "我们将重点建设六个区域。", "':'"),
    ],
)
def test_end_punctuation_fires(tmp_path: Path, locale: str, source: str, target: str, says: str) -> None:
    found = run(tmp_path, [(source, target)], locale=locale, only="end-punctuation")
    assert found and says in found[0].message and found[0].severity == "warning"


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_CN", "Could you elaborate?", "请您详细介绍一下？"),
        ("ja", "Thank you.", "ありがとうございます。"),
        ("ar", "Could you elaborate?", "هل يمكنكم التوضيح؟"),
        ("fr", "Could you elaborate?", "Pourriez-vous préciser\u202f?"),
        ("es", "Could you elaborate?", "¿Podría explicarlo?"),
        ("zh_CN", "We will focus on six zones:", "我们将重点建设六个区域："),
        ("zh_CN", 'He said "yes."', "他说“是的。”"),
        ("zh_CN", "Thank you.", "谢谢！"),
        ("zh_CN", "Mayor of Chongqing", "重庆市市长"),
    ],
)
def test_end_punctuation_does_not_fire(tmp_path: Path, locale: str, source: str, target: str) -> None:
    assert run(tmp_path, [(source, target)], locale=locale, only="end-punctuation") == []


def test_brackets_fires_on_an_unclosed_bracket_or_quote(tmp_path: Path) -> None:
    found = run(
        tmp_path,
        [
            ("Reporters (CCTV) asked.", "记者（中央广播电视总台提问。"),
            ('The role, "a hub," matters.', "“枢纽”定位，“很重要。"),
        ],
        only="brackets",
    )
    assert [("round" in f.message, "quotation" in f.message) for f in found] == [(True, False), (False, True)]


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_CN", 'The role, "a hub," matters.', "“枢纽”这一定位很重要。"),
        ("zh_CN", '"We will do it.', "“我们会做到。"),  # the quote closes in the next segment, in both
        ("fr", 'The role, "a hub," matters.', "Le rôle de «\u202fplaque tournante\u202f» compte."),
        ("ru", 'The role, "a hub," matters.', "Роль „узла“ важна."),
        ("zh_CN", "It is a hub.", "它是一个(交通)枢纽。"),
    ],
)
def test_brackets_does_not_fire_on_balanced_text(tmp_path: Path, locale: str, source: str, target: str) -> None:
    assert run(tmp_path, [(source, target)], locale=locale, only="brackets") == []


def test_straight_quotes_where_the_language_has_its_own_are_typography_with_the_fix(tmp_path: Path) -> None:
    found = run(tmp_path, [('The "hub" role', '"枢纽"定位')])
    assert [f.check for f in found] == ["typography"] and "“…”" in found[0].message
    found = run(tmp_path, [('The "hub" role', 'Le rôle de "plaque tournante"')], locale="fr")
    assert [f.check for f in found] == ["typography"] and "«\u202f…\u202f»" in found[0].message
    assert "narrow no-break spaces (U+202F)" in found[0].message
    found = run(tmp_path, [('The "hub" role', "„Drehkreuz“ und 'Hub'")], locale="de", only="quotes")
    assert len(found) == 0  # German marks are German style; the straight single quotes are typography's


@pytest.mark.parametrize(
    ("locale", "target"),
    [
        ("zh_CN", "“枢纽”定位"),
        ("ja", "「ハブ」の役割"),
        ("fr", "le rôle de «\u202fplaque\u202f»"),
        ("ar", "دور «المحور»"),
    ],
)
def test_quotes_does_not_fire_on_the_language_own_quotes(tmp_path: Path, locale: str, target: str) -> None:
    assert run(tmp_path, [('The "hub" role', target)], locale=locale, only="quotes") == []


@pytest.mark.parametrize(
    ("source", "target", "says"),
    [
        ("Thank you.", "谢谢。 ", "trailing space in the translation"),
        ("Thank you.", " 谢谢。", "leading space in the translation"),
        ("Thank you. ", "谢谢。", "trailing space in the source"),
        ("Thank you very much.", "Merci  beaucoup.", "doubled space"),
    ],
)
def test_whitespace_fires(tmp_path: Path, source: str, target: str, says: str) -> None:
    found = run(tmp_path, [(source, target)], locale="fr", only="whitespace")
    assert [says in f.message for f in found] == [True]


def test_whitespace_does_not_fire_on_spaces_the_source_has_too(tmp_path: Path) -> None:
    pairs = [("Thank you. ", "Merci. "), ("equipment , materials", "équipements , matériaux")]
    assert run(tmp_path, pairs, locale="fr", only="whitespace") == []


@pytest.mark.parametrize("target", ["Pourriez-vous préciser ?", "Pourriez-vous préciser?", "«plaque tournante»"])
def test_typography_fires_on_french_spacing(tmp_path: Path, target: str) -> None:
    assert len(run(tmp_path, [("Could you elaborate?", target)], locale="fr", only="typography")) == 1


def test_typography_does_not_fire_on_correct_french_or_other_languages(tmp_path: Path) -> None:
    pairs = [("Could you elaborate?", "Pourriez-vous préciser\u202f?"), ("At 10:30 sharp.", "À 10:30 précises.")]
    assert run(tmp_path, pairs, locale="fr", only="typography") == []
    assert run(tmp_path, [("Could you elaborate?", "Podría explicarlo?")], locale="es", only="typography") == []


def test_typography_flags_a_straight_apostrophe_with_where_and_the_fix(tmp_path: Path) -> None:
    found = run(tmp_path, [("Last year, Chongqing's GDP grew.", "L'année dernière, le PIB d'hier.")], locale="fr")
    assert [f.check for f in found] == ["typography"]
    f = found[0]
    assert "straight apostrophe ' at character 2" in f.message and "2 in all" in f.message
    assert "use ’ (U+2019)" in f.message
    assert (f.found, f.expected, f.span) == ("'", "’", (1, 2))


@pytest.mark.parametrize(
    ("locale", "source", "target", "says"),
    [
        ("zh_CN", 'He said "very good".', '他说"很好"。', 'straight double quote " at character 3'),
        ("zh_CN", "in Xi'an", "在Xi'an", "use ’ (U+2019)"),
        ("ja", 'The "hub" role', '"ハブ"の役割', "use 「…」"),
        ("es", "The 'hub' role", "El papel de 'hub'", "straight single quote ' at character 13"),
        ("de", 'The "hub" role', 'Die "Drehscheibe"', "use „…“"),
        ("ru", 'The "hub" role', 'Роль "хаба"', "use «…»"),
    ],
)
def test_typography_flags_straight_marks_in_each_language_style(
    tmp_path: Path, locale: str, source: str, target: str, says: str
) -> None:
    found = run(tmp_path, [(source, target)], locale=locale, only="typography")
    assert len(found) == 1 and says in found[0].message, [f.message for f in found]


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        # URLs, placeholders, markup and `code`: their quotes are not typography
        ("fr", "See https://example.org/s?q='hub'.", "Voir https://example.org/s?q='hub'."),
        ("fr", 'Click <a href="/x">here</a>.', 'Cliquez <a href="/x">ici</a>.'),
        ("fr", "Run `pip install 'pipeline[pdf]'`.", "Lancez `pip install 'pipeline[pdf]'`."),
        # code the source has verbatim, outside backticks
        ("fr", "Install it with pip install 'pipeline[pdf]' first.", "Installez d’abord pip install 'pipeline[pdf]'."),
        ("zh_CN", 'Set lang="zh" in the file.', '在文件中设置lang="zh"。'),
        # the language's own marks
        ("fr", "The 'hub' of Xi'an", "La «\u202fplaque\u202f» de Xi’an"),
        ("zh_CN", 'The "hub"', "“枢纽”"),
        ("ja", 'The "hub"', "「ハブ」"),
        # a language the table does not cover
        ("ko", "Chongqing's hub", "충칭의 'hub'"),
    ],
)
def test_typography_leaves_code_urls_and_correct_marks_alone(
    tmp_path: Path, locale: str, source: str, target: str
) -> None:
    assert run(tmp_path, [(source, target)], locale=locale, only="typography") == []


def test_a_straight_word_the_source_has_is_still_flagged(tmp_path: Path) -> None:
    """Xi'an in the source is prose, not code: the French translation writes Xi’an."""
    found = run(tmp_path, [("Xi'an is a city.", "Xi'an est une ville.")], locale="fr", only="typography")
    assert len(found) == 1 and "character 3" in found[0].message


def test_typography_is_silenced_like_the_others(tmp_path: Path) -> None:
    pair = ("the 'hub'", "le 'hub'", {"tcomment": "qa: no-typography-check the client's style sheet"})
    path = write_po(catalog_path(tmp_path, "fr"), [pair], locale="fr")
    result = check_catalog(path, locale="fr", domain="brief")
    assert [f.check for f in result.findings] == []
    assert [(f.check, f.reason) for f in result.suppressed] == [("typography", "the client's style sheet")]


def test_repeated_word(tmp_path: Path) -> None:
    found = run(tmp_path, [("in the region", "dans la la région")], locale="fr", only="repeated-word")
    assert len(found) == 1 and "'la la'" in found[0].message
    ok = [("we will strive", "nous nous efforcerons"), ("Thank you for it.", "Merci pour pour ainsi dire.")]
    assert len(run(tmp_path, ok, locale="fr", only="repeated-word")) == 1
    assert run(tmp_path, [("Thank you.", "谢谢。")], only="repeated-word") == []


# --- sameness and length -------------------------------------------------------------


def test_unchanged_fires_on_an_untranslated_sentence(tmp_path: Path) -> None:
    found = run(tmp_path, [("This aims to lead development.", "This aims to lead development.")], only="unchanged")
    assert len(found) == 1


def test_unchanged_does_not_fire_on_names(tmp_path: Path) -> None:
    pairs = [
        ("CCTV", "CCTV", SPEAKER),
        ("China.org.cn", "China.org.cn", {"msgctxt": "outlet"}),
        ("Chongqing", "Chongqing"),
        ("GDP", "GDP"),
    ]
    assert run(tmp_path, pairs, locale="fr", only="unchanged") == []


def test_length_fires_far_outside_the_usual_ratio(tmp_path: Path) -> None:
    source = "We will promote environmental governance such as water, air and soil management."
    found = run(tmp_path, [(source, "我们将推进。")], only="length")
    assert len(found) == 1 and "unusually short" in found[0].message
    found = run(
        tmp_path, [("This park will serve as a base for manufacturing.", "该产业园" * 30 + "。")], only="length"
    )
    assert len(found) == 1 and "unusually long" in found[0].message


def test_length_does_not_fire_on_a_usual_translation(tmp_path: Path) -> None:
    source = "We will promote environmental governance such as water, air and soil management."
    assert (
        run(
            tmp_path,
            [(source, "我们将统筹推进治水、治气、治土等环境治理。"), ("Thank you.", "非常感谢。")],
            only="length",
        )
        == []
    )


# --- markup, control characters, URLs --------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "says"),
    [
        ("The brief.", "<b>简报</b>。", "markup <b>"),
        ("The brief.", "{{ title }}简报。", "template syntax {{ title }}"),
        ("%(count)d briefs", "简报", "placeholder %(count)d of the source is missing"),
        ("The brief.", "简报\x07。", "U+0007"),
        ("The brief.", "简报\ufffd。", "U+FFFD"),
        ("The brief.", "简报\n。", "U+000A"),
    ],
)
def test_markup_fires(tmp_path: Path, source: str, target: str, says: str) -> None:
    found = run(tmp_path, [(source, target)], only="markup")
    assert found and says in found[0].message and found[0].severity == "error"


@pytest.mark.parametrize(
    ("source", "target", "flags"),
    [
        ("Exports grew 5%.", "出口增长5%。", []),
        ("%(count)d briefs", "%(count)d 份简报", []),
        ("<b>Brief</b>", "<b>简报</b>", []),
        ("%d file", "%d 个文件", ["c-format"]),
    ],
)
def test_markup_does_not_fire(tmp_path: Path, source: str, target: str, flags: list[str]) -> None:
    assert run(tmp_path, [(source, target, {"flags": flags})], only="markup") == []


def test_urls(tmp_path: Path) -> None:
    fire = [("See https://www.china.org.cn/a.htm.", "见 https://china.org.cn/a.htm。")]
    found = run(tmp_path, fire, only="urls")
    assert len(found) == 1 and "https://www.china.org.cn/a.htm" in found[0].message
    keep = [
        ("See https://www.china.org.cn/a.htm.", "详见https://www.china.org.cn/a.htm。"),
        ("Write to desk@briefs.invalid.", "请致信desk@briefs.invalid。"),
        ("China.org.cn", "中国网", {"msgctxt": "outlet"}),
    ]
    assert run(tmp_path, keep, only="urls") == []


# --- catalog checks ----------------------------------------------------------------------


def test_msgfmt_reports_what_msgfmt_c_rejects(tmp_path: Path) -> None:
    found = run(tmp_path, [("%d file", "文件", {"flags": ["c-format"]})], only="msgfmt")
    assert len(found) == 1 and found[0].severity == "error" and found[0].line
    assert run(tmp_path, [("%d file", "%d 个文件", {"flags": ["c-format"]})], only="msgfmt") == []


_SEED_FR = ROOT / "locale" / "fr" / "LC_MESSAGES" / "2024-07-05-chongqing-press-conference.po"


def _variants() -> dict[str, bytes]:
    """The shipped French catalog and ways to break it that one gettext run might hide behind others'."""
    ok = _SEED_FR.read_text("utf-8")
    header, body = ok.split("\n\n", 1)
    plural = '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\n'
    out = {
        "ok": ok,
        "crlf": ok.replace("\n", "\r\n"),
        "no header": body,
        "header not first": body.split("\n\n", 1)[0] + "\n\n" + header + "\n\n" + body.split("\n\n", 1)[1],
        "header with msgctxt": ok.replace(
            'msgid ""\nmsgstr ""\n"Project', 'msgctxt "h"\nmsgid ""\nmsgstr ""\n"Project', 1
        ),
        "obsolete header": '#~ msgid ""\n#~ msgstr ""\n\n' + body,
        "empty": "",
        "comment only": "# nothing\n",
        "own domain": ok + '\ndomain "other"\nmsgid "q"\nmsgstr "r"\n',
        "c-format": ok + '\n#, c-format\nmsgid "x %d y"\nmsgstr "x y"\n',
        "duplicate": ok + '\nmsgid "zz"\nmsgstr "a"\n\nmsgid "zz"\nmsgstr "b"\n',
        "no Language": ok.replace('"Language: fr\\n"\n', ""),
        "plural count": ok + plural,
        "plural without Plural-Forms": ok.replace("Plural-Forms:", "X-Plural-Forms:") + plural,
        "unterminated at the end": ok + '\nmsgid "zz"\nmsgstr "a',
        "msgid at the end": ok + '\nmsgid "zz"\n',
        "Latin-1": ok.replace("charset=UTF-8", "charset=ISO-8859-1"),
    }
    return {k: v.encode("utf-8") for k, v in out.items()}


def test_msgfmt_in_batches_accepts_only_what_one_run_each_accepts(tmp_path: Path) -> None:
    """check runs gettext on a hundred catalogs at once: a batch must never pass a catalog its own run rejects."""
    variants = _variants()
    ok = variants["ok"]
    for name, data in variants.items():
        alone = run_msgfmt_c(tmp_path / f"{name}.po", data)
        alone_clean = alone.returncode == 0 and not alone.stderr.strip()
        for batch in ([ok, data, ok], [data, ok], [ok, data]):
            clean = msgfmt_c_clean(batch)
            assert clean[batch.index(data) if data != ok else 0] <= alone_clean, name
            if not alone_clean:
                assert not clean[batch.index(data)], name
    assert msgfmt_c_clean([ok, ok, ok]) == [True, True, True]  # the batch does run (each in its own domain)
    assert msgfmt_c_clean([ok]) == [False]  # a single catalog: its own run, which names the file
    assert not batchable(variants["no header"]) and not batchable(variants["own domain"])
    assert not batchable(variants["Latin-1"]) and batchable(variants["crlf"])


def test_a_batch_with_one_bad_catalog_still_names_its_line(tmp_path: Path) -> None:
    """The catalogs of a batch gettext did not pass are checked one by one: the bad one gets its finding."""
    (tmp_path / "pipeline.toml").write_text('[project]\nlocales = ["zh_CN"]\n', encoding="utf-8")
    for i in range(5):
        pairs = [("Thank you.", "谢谢。"), ("%d file", "%d 个文件" if i != 3 else "文件", {"flags": ["c-format"]})]
        write_po(catalog_path(tmp_path, "zh_CN", f"brief-{i}"), pairs)
    report = check_project(load_config(tmp_path))
    found = [(c.domain, f.check, f.line) for c in report.catalogs for f in c.findings]
    assert [(d, c) for d, c, _ in found] == [("brief-3", "msgfmt")] and found[0][2]


def test_untranslated_and_fuzzy_report_exactly_their_entries(tmp_path: Path) -> None:
    pairs = [
        ("Thank you.", "谢谢。"),
        ("Thank you for your question.", ""),
        ("GDP exceeded 3 trillion yuan.", "GDP超过3亿元。", {"flags": ["fuzzy"]}),
    ]
    found = run(tmp_path, pairs)
    assert ids(found) == ["untranslated", "fuzzy"]  # the fuzzy draft's wrong number waits for review
    assert all(f.severity == "warning" for f in found)


def test_a_catalog_not_started_is_one_finding(tmp_path: Path) -> None:
    found = run(tmp_path, [("Thank you.", ""), ("Thank you for your question.", "")], only="untranslated")
    assert len(found) == 1 and "not started" in found[0].message


def test_partially_translated_plural(tmp_path: Path) -> None:
    entry = polib.POEntry(msgid="%d brief", msgid_plural="%d briefs", msgstr_plural={0: "%d brief", 1: ""})
    found = run(tmp_path, [entry, ("Thank you.", "Merci.")], locale="fr", only="untranslated")
    assert len(found) == 1 and "msgstr[1]" in found[0].message


def test_obsolete_and_previous_msgid_noise(tmp_path: Path) -> None:
    pairs = [
        ("Thank you.", "谢谢。", {"previous_msgid": "Thanks."}),
        ("Old sentence.", "旧句子。", {"obsolete": True}),
    ]
    found = run(tmp_path, pairs, only="obsolete")
    assert sorted(("#|" in f.message, "#~" in f.message) for f in found) == [(False, True), (True, False)]


def test_findings_point_at_the_msgid_line(tmp_path: Path) -> None:
    path = write_po(
        catalog_path(tmp_path, "zh_CN"), [("Thank you.", "谢谢。"), ("GDP exceeded 3 trillion yuan.", "3亿元。")]
    )
    [finding] = [f for f in check_catalog(path, locale="zh_CN").findings if f.check == "numbers"]
    assert path.read_text(encoding="utf-8").splitlines()[finding.line - 1] == 'msgid "GDP exceeded 3 trillion yuan."'


def test_a_broken_catalog_is_one_finding_with_its_line(tmp_path: Path) -> None:
    path = write_po(catalog_path(tmp_path, "zh_CN"), [("Thank you.", "谢谢。")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] = 'msgstr "谢谢。'  # unterminated string
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    msgfmt = subprocess.run(["msgfmt", "-o", os.devnull, path], capture_output=True, text=True).stderr
    gettext_line = int(msgfmt.split(":")[1])  # where gettext itself places the error
    result = check_catalog(path, shown="x.po", locale="zh_CN")
    assert [(f.check, f.severity, f.path, f.line) for f in result.findings] == [
        ("parse", "error", "x.po", gettext_line)
    ]


# --- suppression -----------------------------------------------------------------------------

WRONG = ("GDP exceeded 3 trillion yuan.", "GDP超过3亿元")  # a changed number and no final 。


def test_a_flag_silences_one_check(tmp_path: Path) -> None:
    found = run(tmp_path, [(*WRONG, {"flags": ["no-numbers-check"]})])
    assert ids(found) == ["end-punctuation"]


def test_a_qa_comment_silences_with_a_reason(tmp_path: Path) -> None:
    comment = "qa: no-numbers-check, no-end-punctuation-check the official text rounds the figure"
    path = write_po(catalog_path(tmp_path, "zh_CN"), [(*WRONG, {"tcomment": comment})])
    result = check_catalog(path, locale="zh_CN")
    assert result.findings == []
    assert [(f.check, f.reason) for f in result.suppressed] == [
        ("numbers", "the official text rounds the figure"),
        ("end-punctuation", "the official text rounds the figure"),
    ]


def test_the_flag_survives_a_gettext_rewrite(tmp_path: Path) -> None:
    path = write_po(catalog_path(tmp_path, "zh_CN"), [(*WRONG, {"flags": ["no-numbers-check"]})])
    write_formatted(read_po(path), path)  # as `make translate` rewrites it, through msgcat
    assert "#, no-numbers-check" in path.read_text(encoding="utf-8")
    assert "numbers" not in ids(check_catalog(path, locale="zh_CN").findings)


def test_suppressions_parser() -> None:
    entry = polib.POEntry(msgid="x", flags=["fuzzy", "no-glossary-check"], tcomment="note\nqa: no-length-check long ok")
    assert suppressions(entry) == {"glossary": "", "length": "long ok"}


# --- the shipped catalogs ---------------------------------------------------------------------


def test_shipped_catalogs_have_no_false_alarms() -> None:
    glossary = read_glossary(ROOT / "locale" / "glossary.tbx", "locale/glossary.tbx")
    for path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        result = check_catalog(path, locale=path.parent.parent.name, glossary=glossary)
        content = [f for f in result.findings if f.check not in ("untranslated", "fuzzy")]
        assert content == [], f"{path}: {content}"
