"""The TBX glossary: reading it, choosing a language section, matching terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from qa_support import ROOT

from pipeline.errors import ConfigError
from pipeline.lang import lang_candidates
from pipeline.qa.glossary import contains_term, read_glossary

SEED = {
    "General Secretary Xi Jinping": "习近平总书记",
    "key strategic fulcrum for the development of China's western region in the new era": (
        "新时代西部大开发重要战略支点"
    ),
    "comprehensive hub for inland opening-up": "内陆开放综合枢纽",
    "new quality productive forces": "新质生产力",
    "New International Land-Sea Trade Corridor": "西部陆海新通道",
    "China-Europe Railway Express": "中欧班列",
    "municipality directly under the central government": "直辖市",
    "high-quality development": "高质量发展",
    "rural revitalization": "乡村振兴",
    "urban-rural integration": "城乡融合",
    "super-large city": "超大城市",
    "Beautiful China Initiative": "美丽中国建设",
    "upper reaches of the Yangtze River": "长江上游",
    "Hu Henghua": "胡衡华",
    "China.org.cn": "中国网",
    "CCTV": "中央广播电视总台",
}


def test_the_shipped_glossary_holds_the_seed_terms() -> None:
    glossary = read_glossary(ROOT / "locale" / "glossary.tbx")
    pairs = {e.source[0].text: e.target[0].text for e in glossary.entries("en", "zh_CN")}
    assert pairs.items() >= SEED.items()
    hub = next(e for e in glossary.entries("en", "zh_CN") if e.target[0].text == "内陆开放综合枢纽")
    assert [t.status for t in hub.source] == ["preferred", "admitted"]
    lines = (ROOT / "locale" / "glossary.tbx").read_text(encoding="utf-8").splitlines()
    assert all("<conceptEntry" in lines[c.line - 1] for c in glossary.concepts)


def test_older_tbx_reads_the_same(tmp_path: Path) -> None:
    tbx = tmp_path / "old.tbx"
    tbx.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX" xml:lang="en"><text><body>\n'
        '<termEntry id="t1">\n'
        '<langSet xml:lang="en"><tig><term>rural revitalization</term></tig></langSet>\n'
        '<langSet xml:lang="zh"><ntig><termGrp><term>乡村振兴</term></termGrp></ntig></langSet>\n'
        "</termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    [entry] = read_glossary(tbx).entries("en", "zh_CN")
    assert entry.target[0].text == "乡村振兴" and entry.concept.line == 3


@pytest.mark.parametrize(
    ("text", "line"),
    [("<tbx><text><body><conceptEntry>\n</tbx>", 2), ("<html/>", 1)],
)
def test_a_broken_glossary_is_an_error_at_its_line(tmp_path: Path, text: str, line: int) -> None:
    tbx = tmp_path / "g.tbx"
    tbx.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_glossary(tbx, "g.tbx")
    assert (err.value.path, err.value.line) == ("g.tbx", line)


@pytest.mark.parametrize(
    ("locale", "first", "absent"),
    [("zh_CN", "zh-cn", None), ("zh_TW", "zh-tw", "zh"), ("ja", "ja", None), ("pt_BR", "pt-br", None)],
)
def test_locale_to_language_tags(locale: str, first: str, absent: str | None) -> None:
    tags = lang_candidates(locale)
    assert tags[0] == first
    assert absent is None or absent not in tags


def test_language_sections_match_locales(tmp_path: Path) -> None:
    tbx = tmp_path / "g.tbx"
    tbx.write_text(
        '<tbx xmlns="urn:iso:std:iso:30042:ed-2" xml:lang="en"><text><body><conceptEntry id="c1">'
        '<langSec xml:lang="en"><termSec><term>hub</term></termSec></langSec>'
        '<langSec xml:lang="zh-Hans"><termSec><term>枢纽</term></termSec></langSec>'
        '<langSec xml:lang="zh-Hant"><termSec><term>樞紐</term></termSec></langSec>'
        '<langSec xml:lang="fr-FR"><termSec><term>plaque tournante</term></termSec></langSec>'
        "</conceptEntry></body></text></tbx>",
        encoding="utf-8",
    )
    glossary = read_glossary(tbx)
    assert [e.target[0].text for e in glossary.entries("en", "zh_CN")] == ["枢纽"]
    assert [e.target[0].text for e in glossary.entries("en", "zh_TW")] == ["樞紐"]
    assert [e.target[0].text for e in glossary.entries("en", "fr_FR")] == ["plaque tournante"]
    assert glossary.entries("en", "ja") == []


@pytest.mark.parametrize(
    ("text", "term", "locale", "found"),
    [
        ("这是新时代西部大开发的重要战略支点。", "新时代西部大开发重要战略支点", "zh_CN", True),
        ("西部陆海 新通道", "西部陆海新通道", "zh_CN", True),
        ("西部大开发", "西部陆海新通道", "zh_CN", False),
        ("les nouvelles forces productives de qualité", "nouvelle force productive de qualité", "fr", True),
        ("Ce sont les mégapoles", "mégapole", "fr", True),
        ("والممر التجاري البري-البحري الدولي الجديد", "الممر التجاري البري البحري الدولي الجديد", "ar", True),
        ("сверхкрупного города", "сверхкрупный город", "ru", True),
        ("un port", "plaque tournante", "fr", False),
    ],
)
def test_target_terms_tolerate_spacing_and_endings(text: str, term: str, locale: str, found: bool) -> None:
    assert contains_term(text, term, locale) is found
