"""Numbers in text: reading values the way each language writes them, and pairing them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.qa.numbers import compare_numbers, find_numbers, han_value, power_of_ten

T = Decimal(10) ** 12


def values(text: str, locale: str, *, firm_only: bool = True) -> list[Decimal]:
    return [n.value for n in find_numbers(text, locale) if n.firm or not firm_only]


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en", "GDP exceeded 3 trillion yuan.", [3 * T]),
        ("en", "It reached 1.2 billion and 4.5% growth.", [Decimal("1.2e9"), Decimal("4.5")]),
        ("en", "1,200 people by 2027, its 30th anniversary", [1200, 2027, 30]),
        ("en", "between 3 and 4 trillion yuan", [3 * T, 4 * T]),
        ("en", "see https://example.org/2024/5 or desk2@example.org", []),
        ("zh_CN", "地区生产总值突破3万亿元", [3 * T]),
        ("zh_CN", "达到12000亿元", [Decimal("1.2") * T]),
        ("zh_CN", "到2027年，直辖30周年", [2027, 30]),
        ("zh_CN", "增长5%。", [5]),
        ("zh_CN", "3-4万亿元", [3 * T, 4 * T]),
        ("zh_CN", "1亿2000万人", [120_000_000]),
        ("zh_CN", "３万亿元", [3 * T]),  # full-width digits
        ("ja", "3兆元を突破し、4兆元を目指す", [3 * T, 4 * T]),
        ("ja", "3千億円", [Decimal("3e11")]),
        ("fr", "3\u202f000 milliards de yuans", [3 * T]),
        ("fr", "4\u00a0000,5 tonnes, 1,5\u202f%", [Decimal("4000.5"), Decimal("1.5")]),
        ("fr", "le 30e anniversaire", [30]),
        ("es", "3 billones de yuanes", [3 * T]),
        ("es", "3.000 millones y 3 mil millones", [Decimal("3e9"), Decimal("3e9")]),
        ("es", "su 30.º aniversario, 1,2 billones", [30, Decimal("1.2") * T]),
        ("ar", "٣ تريليونات يوان", [3 * T]),  # Arabic-Indic digits
        ("ar", "٤٫٥٪ و۱۲", [Decimal("4.5"), 12]),  # Arabic decimal mark, Extended Arabic-Indic digits
        ("ar", "الذكرى الـ30 عام 2027", [30, 2027]),
        ("ru", "3 трлн юаней, 1\u00a0200 человек, 4,5 %", [3 * T, 1200, Decimal("4.5")]),
        ("ru", "1,5 млрд", [Decimal("1.5e9")]),
    ],
)
def test_values_by_language(locale: str, text: str, expected: list[int | Decimal]) -> None:
    assert values(text, locale) == [Decimal(v) for v in expected]


@pytest.mark.parametrize(
    ("locale", "text", "value"),
    [
        ("zh_CN", "赋予重庆两大定位", 2),
        ("zh_CN", "第一，我们将", 1),
        ("zh_CN", "三万亿元", 3 * T),
        ("zh_CN", "今年4月", 4),  # a date part: soft
        ("ja", "6つの重点区域", 6),  # digits: firm, but small
        ("fr", "deux rôles", 2),
        ("es", "dos funciones", 2),
        ("ar", "اثنين", 2),
        ("ar", "وست مناطق", 6),  # with the conjunction و
        ("ru", "две роли", 2),
        ("en", "in April", 4),
    ],
)
def test_words_and_dates_are_read(locale: str, text: str, value: int) -> None:
    assert Decimal(value) in values(text, locale, firm_only=False)


def test_words_are_soft_and_digits_firm() -> None:
    assert [n.firm for n in find_numbers("两大定位，6个区域", "zh_CN")] == [False, True]
    assert not any(n.firm for n in find_numbers("今年4月", "zh_CN"))


@pytest.mark.parametrize(
    ("text", "value"),
    [("三万亿", 3 * T), ("一百二十", 120), ("二〇二七", 2027), ("十二万五千", 125_000), ("两", 2), ("十", 10)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert han_value(text) == value


def test_chinese_numeral_runs_that_are_not_one_number() -> None:
    assert han_value("十四五") is None


def test_compare_pairs_by_value() -> None:
    diff = compare_numbers(find_numbers("3 trillion yuan", "en"), find_numbers("3亿元", "zh_CN"))
    assert [n.value for n in diff.missing] == [3 * T]
    assert [n.value for n in diff.unexpected] == [Decimal("3e8")]
    assert compare_numbers(find_numbers("1.2 trillion", "en"), find_numbers("12000亿", "zh_CN")).ok


def test_compare_lets_words_stand_for_digits_both_ways() -> None:
    assert compare_numbers(find_numbers("six key zones", "en"), find_numbers("6つの重点区域", "ja")).ok
    assert compare_numbers(find_numbers("6 key zones", "en"), find_numbers("六大区域", "zh_CN")).ok


def test_compare_is_a_multiset() -> None:
    diff = compare_numbers(find_numbers("50 parks, then 50 more", "en"), find_numbers("50个园区", "zh_CN"))
    assert [n.value for n in diff.missing] == [50]


def test_power_of_ten() -> None:
    assert power_of_ten(Decimal("3e8"), Decimal("3e12")) == -4
    assert power_of_ten(Decimal("12"), Decimal("1.2")) == 1
    assert power_of_ten(Decimal("4"), Decimal("3")) is None
