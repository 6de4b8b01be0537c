"""What revisers catch (issue 14): meaning flips, leftover source text, names, ordinals, doubling,
length outliers, unchanged copies; and the score on the injected-error set against the clean catalogs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from qa_support import ROOT, run

from pipeline.qa.numbers import compare_numbers, find_numbers, find_ordinals

sys.path.insert(0, str(ROOT / "bench"))
from qa_recall import LOCALES, load_items, score_check

# --- the injected-error set -------------------------------------------------------------


def test_the_injected_set_is_large_enough_and_matches_the_shipped_catalogs(tmp_path: Path) -> None:
    items = load_items()
    assert len(items) >= 100
    assert {i.locale for i in items} == set(LOCALES)
    assert all(i.wrong != i.correct for i in items)
    assert len({i.kind for i in items}) >= 11


def test_recall_on_the_injected_set_and_no_finding_on_the_clean_catalogs(tmp_path: Path) -> None:
    items = load_items()
    score = score_check(items, tmp_path)
    assert score.clean_findings == [], [str(f) for f in score.clean_findings]
    caught, total = score.recall(items)
    assert caught / total >= 0.9, f"recall {caught}/{total}"


# --- false alarms of before, and severity ------------------------------------------------


def test_an_era_year_is_the_year() -> None:
    assert compare_numbers(find_numbers("by 2027", "en"), find_numbers("令和9年までに", "ja")).ok
    assert compare_numbers(find_numbers("in 2019", "en"), find_numbers("令和元年に", "ja")).ok
    assert not compare_numbers(find_numbers("by 2027", "en"), find_numbers("令和8年までに", "ja")).ok


def test_an_ordinal_word_is_its_value() -> None:
    assert compare_numbers(
        find_numbers("its 30th anniversary", "en"), find_numbers("son trentième anniversaire", "fr")
    ).ok
    assert compare_numbers(
        find_numbers("its 30th anniversary", "en"), find_numbers("su trigésimo aniversario", "es")
    ).ok


def test_an_unchanged_sentence_is_an_error_a_short_label_a_warning(tmp_path: Path) -> None:
    found = run(tmp_path, [("We will build six zones.", "We will build six zones.")], locale="ja", only="unchanged")
    assert [f.severity for f in found] == ["error"]
    found = run(tmp_path / "b", [("Hub port", "Hub port")], locale="ja", only="unchanged")
    assert [f.severity for f in found] == ["warning"]


# --- ordinals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_CN", "Second, we will build a zone.", "第三，我们将建设一个区。"),
        ("ja", "The first role is clear.", "2つ目の役割は明確です。"),
        ("ar", "First, we will build a zone.", "ثانيا، سنبني منطقة."),
        ("fr", "Fifth, we will build a zone.", "Sixièmement, nous bâtirons une zone."),
        ("zh_CN", "Third, reform.", "② 改革。"),
    ],
)
def test_a_renumbered_enumeration_is_a_numbers_error(tmp_path: Path, locale: str, source: str, target: str) -> None:
    found = run(tmp_path, [(source, target)], locale=locale, only="numbers")
    assert len(found) == 1 and "ordinal changed" in found[0].message and found[0].severity == "error"


def test_ordinals_are_read_in_every_script() -> None:
    assert [int(n.value) for n in find_ordinals("第二个定位，第3に，2つ目", "ja")] == [2, 3, 2]
    assert [int(n.value) for n in find_ordinals("فالدور الأول، ثانيا", "ar")] == [1, 2]
    assert [int(n.value) for n in find_ordinals("Premièrement, le deuxième", "fr")] == [1, 2]


def test_the_same_enumeration_passes(tmp_path: Path) -> None:
    assert run(tmp_path, [("Second, we act.", "第二，我们行动。")], only="numbers") == []


# --- meaning flips (warnings, from the lexicon) -----------------------------------------------


@pytest.mark.parametrize(
    ("check", "locale", "source", "target"),
    [
        ("polarity", "zh_CN", "Achieving this target won't be easy.", "实现这一目标很容易。"),
        ("polarity", "fr", "This requires a strong role.", "Cela n'exige pas un rôle fort."),
        ("direction", "fr", "A park in the western part of the city.", "Un parc dans la partie est de la ville."),
        ("direction", "ja", "We reduced the parks to 50.", "パークを50カ所に増やしました。"),
        ("direction", "ar", "In the upper reaches of the river.", "في المجرى الأدنى للنهر."),
        ("role-title", "zh_CN", "Mayor of Chongqing", "重庆市委书记"),
        ("role-title", "fr", "the Mayor said", "le secrétaire a dit"),
    ],
)
def test_meaning_flips_warn(tmp_path: Path, check: str, locale: str, source: str, target: str) -> None:
    found = run(tmp_path, [(source, target)], locale=locale, only=check)
    assert len(found) == 1 and found[0].severity == "warning"


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_CN", "Achieving this target won't be easy.", "实现这一目标并非易事。"),
        ("zh_CN", "We will continue to improve.", "我们将不断改进。"),
        ("ja", "We must promote innovation.", "イノベーションを推進していかなければなりません。"),
        ("fr", "A park in the western part of the city.", "Un parc dans la partie ouest de la ville."),
        ("fr", "This is an example.", "C'est un exemple."),
        ("ar", "The main urban area.", "المنطقة الحضرية الرئيسية."),
    ],
)
def test_meaning_checks_pass_faithful_translations(tmp_path: Path, locale: str, source: str, target: str) -> None:
    found = run(tmp_path, [(source, target)], locale=locale)
    assert [f for f in found if f.check in ("polarity", "direction", "role-title")] == []


# --- leftover source text ----------------------------------------------------------------------


def test_leftover_english_in_chinese_is_an_error_with_its_span(tmp_path: Path) -> None:
    target = "我们正在建设hub port产业园。"
    found = run(tmp_path, [("We are building a hub port industrial park.", target)], only="leftover-source")
    assert len(found) == 1 and found[0].severity == "error" and found[0].found == "hub port"
    start, end = found[0].span or (0, 0)
    assert target[start:end] == "hub port"


@pytest.mark.parametrize(
    "target", ["去年重庆GDP突破3万亿元。", "详见 https://example.org/a 。", "《China Daily》报道。", "%(name)s 说。"]
)
def test_acronyms_urls_names_and_placeholders_are_not_leftovers(tmp_path: Path, target: str) -> None:
    assert run(tmp_path, [("Source text of the sentence %(name)s.", target)], only="leftover-source") == []


# --- doubling -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "target"),
    [
        ("zh_CN", "这要求发挥有力的的支撑作用。"),
        ("ja", "支えとしてのの役割です。"),
        ("fr", "le développement d'un d'un secteur"),
    ],
)
def test_doubled_words_in_chinese_japanese_and_after_elision(tmp_path: Path, locale: str, target: str) -> None:
    assert len(run(tmp_path, [("A source sentence.", target)], locale=locale, only="repeated-word")) == 1


@pytest.mark.parametrize(
    ("locale", "target"), [("zh_CN", "谢谢。重庆市市长常常说。"), ("ja", "いろいろな国、それぞれの道、ここ数年。")]
)
def test_doubling_that_is_grammar_passes(tmp_path: Path, locale: str, target: str) -> None:
    assert run(tmp_path, [("A source sentence.", target)], locale=locale, only="repeated-word") == []


# --- names and length learned from the catalog ---------------------------------------------------


def _catalog(n: int, name_fr: str = "Chongqing") -> list[tuple[str, str]]:
    pairs = [
        (
            f"In zone {i}, Chongqing will build the western region.",
            f"Dans la zone {i}, {name_fr} bâtira l'Ouest.",
        )
        for i in range(n)
    ]
    pairs.append(
        ("Chongqing will open up the inland regions to the world.", "Chongquing ouvrira l'intérieur au monde.")
    )
    return pairs


def test_a_name_written_otherwise_than_in_the_rest_of_the_catalog(tmp_path: Path) -> None:
    found = run(tmp_path, _catalog(6), locale="fr", only="name-forms")
    assert len(found) == 1 and found[0].expected == "Chongqing" and "Chongquing" in found[0].msgstr


def test_a_name_needs_several_occurrences_to_be_learned(tmp_path: Path) -> None:
    assert run(tmp_path, _catalog(1), locale="fr", only="name-forms") == []


def test_length_flags_a_truncated_translation_by_the_catalogs_own_spread(tmp_path: Path) -> None:
    pairs = [
        (
            f"We will improve the system number {i} and build a smart hub for the city.",
            f"我们将完善第{i}个体系，建设城市智能中枢。",
        )
        for i in range(12)
    ]
    pairs.append(("We will improve the urban system and build a smart hub for city operations.", "我们将完善。"))
    found = run(tmp_path, pairs, only="length")
    assert len(found) == 1 and "short" in found[0].message and found[0].msgstr == "我们将完善。"


# --- clearer findings -------------------------------------------------------------------------------


def test_json_findings_carry_msgstr_expected_found(tmp_path: Path) -> None:
    found = run(tmp_path, [("Achieving this won't be easy.", "实现这一目标很容易。")], only="polarity")
    data = json.loads(json.dumps(found[0].to_json(), ensure_ascii=False))
    assert data["msgstr"] == "实现这一目标很容易。" and data["expected"] == "won't" and data["found"] == ""


def test_an_unbalanced_quote_is_named_with_its_place(tmp_path: Path) -> None:
    found = run(tmp_path, [('He said "go" now.', "彼は「行け と言った。")], locale="ja", only="brackets")
    assert len(found) == 1 and "'「' at character 3" in found[0].message and found[0].span == (2, 3)


# --- swapped or misplaced translations -----------------------------------------------------------

_NEIGHBOURS = [
    ("Last year, the city's GDP exceeded 3 trillion yuan.", "去年，该市地区生产总值突破3万亿元。"),
    ("We will reach 4 trillion yuan by 2027.", "我们将力争到2027年达到4万亿元。"),
    ("Achieving this target won't be easy for anyone.", "实现这一目标并非易事。"),
    ("We will build a modernized industrial system for the region.", "我们将为该地区构建现代化产业体系。"),
]


def test_a_translation_pasted_under_the_neighbouring_msgid_is_a_duplicate(tmp_path: Path) -> None:
    pairs = list(_NEIGHBOURS)
    pairs[2] = (pairs[2][0], pairs[3][1])
    found = run(tmp_path, pairs, only="misaligned")
    assert sorted(f.msgid for f in found) == sorted([_NEIGHBOURS[2][0], _NEIGHBOURS[3][0]])


def test_two_exchanged_translations_fit_each_others_source(tmp_path: Path) -> None:
    pairs = list(_NEIGHBOURS)
    pairs[0], pairs[1] = (pairs[0][0], pairs[1][1]), (pairs[1][0], pairs[0][1])
    found = run(tmp_path, pairs, only="misaligned")
    assert {f.msgid for f in found} == {_NEIGHBOURS[0][0], _NEIGHBOURS[1][0]}
    assert all("fits the source of the entry" in f.message for f in found)


def test_aligned_neighbours_pass(tmp_path: Path) -> None:
    assert run(tmp_path, list(_NEIGHBOURS), only="misaligned") == []


def test_the_speaker_title_is_the_one_used_in_the_text(tmp_path: Path) -> None:
    label = ("Mayor of Chongqing", "重庆市市长", {"msgctxt": "speaker-title"})
    text = ("The mayor of Chongqing said so.", "重庆市委书记这样说。")
    found = run(tmp_path, [label, text], only="names")
    assert len(found) == 1 and "role title" in found[0].message and found[0].expected == "重庆市市长"
    assert run(tmp_path / "ok", [label, ("The mayor of Chongqing said so.", "重庆市市长这样说。")], only="names") == []


def test_an_untranslated_sentence_copy_holds_the_brief_back(tmp_path: Path) -> None:
    from pipeline.qa import gate

    pairs = [
        ("Thank you for your question.", "ご質問ありがとうございます。"),
        ("We will build six key zones in the western region.", "We will build six key zones in the western region."),
    ]
    blocking = gate.blocking(run(tmp_path, pairs, locale="ja"))
    assert [f.check for f in blocking] == ["unchanged"]


def test_the_projects_latin_allow_list_is_honoured(tmp_path: Path) -> None:
    pair = [("Download the app for the briefs now.", "现在下载briefs app。")]
    assert len(run(tmp_path / "a", pair, only="leftover-source")) == 1
    (tmp_path / "b" / "locale").mkdir(parents=True)
    (tmp_path / "b" / "locale" / "qa-latin-allow.txt").write_text("# kept in English\napp briefs\n", "utf-8")
    assert run(tmp_path / "b", pair, only="leftover-source") == []


def test_a_name_rendered_otherwise_in_one_brief_than_in_the_others(tmp_path: Path) -> None:
    from render_support import make_project

    from pipeline.config import load_config
    from pipeline.qa.check import check_project

    lines = [f"In zone {i}, Chongqing will build the western region." for i in range(4)]
    body = "Agency | July 5, 2024\nAlpha Desk:\n" + " ".join(lines) + "\n"

    def translating(name: str):
        def tr(msgid: str, ctxt: str | None) -> str:
            if msgid.startswith("In zone"):
                i = int(msgid[8])
                opening = ("Dans la zone 0,", "Ensuite, en zone 1,", "Puis, pour la zone 2,", "Enfin (zone 3),")[i]
                return f"{opening} {name} {('bâtira', 'ouvrira', 'reliera', 'servira')[i]} l'Ouest."
            return f"(fr) {msgid}"

        return tr

    for slug, name in (("one", "Chongqing"), ("two", "Chongqing"), ("three", "Chongquing")):
        make_project(tmp_path, body, {"fr": translating(name)}, slug=slug)
    report = check_project(load_config(tmp_path))
    across = [f for f in report.findings if f.check == "name-forms"]
    assert [(f.domain, f.found, f.expected) for f in across] == [("three", "Chongquing", "Chongqing")]
