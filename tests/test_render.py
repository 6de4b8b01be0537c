"""The renderer: view model, publication gate, HTML and PDF of small synthetic briefs.

One project with four locales is built once per session: French complete,
Chinese complete, Arabic complete (with a phone number and Latin names),
Spanish partial (untranslated and fuzzy segments: a draft).  Any WeasyPrint
warning fails the build itself (pipeline.render.html.weasyprint_warnings_fail).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import polib
import pytest
from render_support import make_project, outputs, pdf_text, squash, struct_elements

from pipeline.catalogs.ui import extract_ui_pot
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import RenderError
from pipeline.model import Location
from pipeline.qa.gate import DRAFT, FINAL, HELD, Thresholds, decide
from pipeline.render.html import css_content, css_string, render_pdf, weasyprint_warnings_fail
from pipeline.render.view import FUZZY, TRANSLATED, UNTRANSLATED, Piece, _separator, ltr_runs

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1720137600"  # 2024-07-05

EN = [
    "The committee reviewed the plan for the river port and the rail corridor.",
    "Officials said the new logistics park would open next spring.",
    "Investment in the western region grew faster than expected last year.",
]
BANKS = {
    "fr": [
        "Le comité a examiné le plan du port fluvial et du corridor ferroviaire.",
        "Les responsables ont indiqué que le nouveau parc logistique ouvrirait au printemps prochain.",
        "L’investissement dans la région occidentale a progressé plus vite que prévu l’an dernier.",
    ],
    "zh_CN": [
        "委员会审议了内河港口和铁路走廊的规划。",
        "官员表示，新的物流园区将于明年春季启用。",
        "去年西部地区的投资增速超出预期。",
    ],
    "ar": [
        "راجعت اللجنة خطة ميناء النهر وممر السكك الحديدية.",
        "قال المسؤولون إن المنطقة اللوجستية الجديدة ستفتح في الربيع المقبل.",
        "نما الاستثمار في المنطقة الغربية أسرع من المتوقع في العام الماضي.",
    ],
    "es": [
        "El comité examinó el plan del puerto fluvial y del corredor ferroviario.",
        "Los responsables dijeron que el nuevo parque logístico abriría la próxima primavera.",
        None,
    ],
}
MARKERS = {
    "fr": "T{} ouvre le paragraphe.",
    "zh_CN": "T{}段开始。",
    "ar": "T{} تبدأ الفقرة.",
    "es": "T{} abre el párrafo.",
}
LABELS = {
    "fr": {
        "title": "Dossier de test",
        "outlet": "Agence",
        "speaker": {"Alpha Desk": "Bureau Alpha", "Beta Office": "Office Bêta"},
    },
    "zh_CN": {
        "title": "测试简报",
        "outlet": "通讯社",
        "speaker": {"Alpha Desk": "阿尔法台", "Beta Office": "贝塔办公室"},
    },
    "ar": {
        "title": "موجز اختبار",
        "outlet": "الوكالة",
        "speaker": {"Alpha Desk": "مكتب ألفا", "Beta Office": "مكتب بيتا"},
    },
    "es": {"title": "Informe de prueba", "outlet": "Agencia", "speaker": {"Alpha Desk": "Mesa Alfa"}},
}
PHONE_EN = "Call the press office at +86 (23) 6395-1234 or visit China.org.cn for details."
PHONE_AR = "اتصلوا بالمكتب الصحفي على الرقم +86 (23) 6395-1234 أو زوروا China.org.cn للتفاصيل."
NASTY_EN = "The spokesman quoted the template markers verbatim."
NASTY = "<script>alert(1)</script> {{ 7*7 }} {% if x %} & done."
# The QA gate holds back a translation with markup its source lacks; these tests need it rendered.
# A sentence copied unchanged is an error too (untranslated text); fr and zh_CN keep this one in English on purpose.
QA_NOTES = {
    NASTY_EN: "qa: no-markup-check the renderer's escaping test",
    PHONE_EN: "qa: no-unchanged-check kept in English to test mixed-direction text",
}


def body(pairs: int, sizes: list[int]) -> str:
    lines = ["Agency | July 5, 2024", "Alpha Desk:"]
    for i in range(1, pairs + 1):
        k = sizes[(i - 1) % len(sizes)]
        sentences = [f"S{i:02d} opens the paragraph."] + [EN[j % 3] for j in range(k)]
        if i == 2:
            sentences += [PHONE_EN, NASTY_EN]
        lines.append(" ".join(sentences))
        if i == pairs // 2:
            lines.append("Beta Office:")
    return "\n".join(lines) + "\n"


SPEAKERS = '[[speakers]]\nname = "Alpha Desk"\nrole = "question"\n[[speakers]]\nname = "Beta Office"\nrole = "answer"\n'


def translator(locale: str):
    bank = dict(zip(EN, BANKS[locale], strict=True))
    labels = LABELS[locale]

    def tr(msgid: str, ctxt: str | None) -> str | None:
        if ctxt == "title":
            return labels["title"]
        if ctxt == "outlet":
            return labels["outlet"]
        if ctxt == "speaker":
            return labels["speaker"].get(msgid)
        m = re.fullmatch(r"S(\d+) opens the paragraph\.", msgid)
        if m:
            return MARKERS[locale].format(m.group(1))
        if msgid == PHONE_EN:
            return PHONE_AR if locale == "ar" else None if locale == "es" else PHONE_EN
        if msgid == NASTY_EN:
            return NASTY
        return bank.get(msgid)

    return tr


def build_test_brief(root: Path) -> Path:
    """The test brief in fr, zh_CN, ar and es (es with one fuzzy entry), built in ``root``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        make_project(
            root,
            body(6, [2, 5, 3]),
            {loc: translator(loc) for loc in ("fr", "zh_CN", "ar", "es")},
            title="Test Brief",
            speakers=SPEAKERS,
            fuzzy=lambda locale, msgid: locale == "es" and msgid == EN[1],
            notes=QA_NOTES,
        )
        assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_brief(tmp_path_factory.mktemp("render"))


# -- units ------------------------------------------------------------------------------------------


def test_gate() -> None:
    gate = Thresholds(final=100.0, draft=40.0)
    assert decide(100.0, thresholds=gate).status == FINAL
    assert decide(40.0, thresholds=gate).status == DRAFT
    held = decide(39.9, thresholds=gate)
    assert held.status == HELD and "39.9% < draft threshold 40%" in held.reason
    blocked = decide(100.0, ["numbers: 3 trillion vs 4"], thresholds=gate)
    assert blocked.status == HELD and "numbers" in blocked.reason
    stale = decide(100.0, ["numbers: 3 trillion vs 4"], thresholds=gate, stale="catalog out of date")
    assert (stale.status, stale.reason) == (HELD, "catalog out of date")


def test_ltr_runs_isolate_numbers_urls_and_latin_names() -> None:
    runs = ltr_runs(PHONE_AR)
    assert ("+86 (23) 6395-1234", True) in runs
    assert ("China.org.cn", True) in runs
    assert "".join(t for t, _ in runs) == PHONE_AR


def test_sentences_join_without_space_in_cjk_but_source_sentences_keep_one() -> None:
    loc = Location("x", 1)
    zh, en = Piece("一。", "zh-Hans-CN", TRANSLATED, loc), Piece("One.", "en", UNTRANSLATED, loc)
    assert _separator(zh, zh, True) == ""
    assert _separator(zh, en, True) == ""
    assert _separator(en, Piece("Two.", "en", FUZZY, loc), True) == " "
    assert _separator(zh, zh, False) == " "


def test_css_strings_cannot_break_out_of_the_stylesheet() -> None:
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'
    assert css_content("Page \ue000 of \ue001") == '"Page " counter(page) " of " counter(pages)'


def test_weasyprint_warning_is_an_error() -> None:
    page = '<html lang="en"><style>p { unicode-bidi: isolate; frobnicate: 1 }</style><p>x</p></html>'
    with pytest.raises(RenderError, match="WeasyPrint warned"):
        render_pdf(page, base_url=ROOT.as_uri() + "/")
    import logging

    with pytest.raises(RenderError), weasyprint_warnings_fail("x"):
        logging.getLogger("weasyprint").warning("something")


def test_ui_strings_are_extracted_and_translated_for_every_locale() -> None:
    config = load_config(ROOT)
    pot = extract_ui_pot(config)
    ids = {e.msgid for e in pot}
    assert {"Question", "Answer", "Page %(page)s of %(pages)s", "Translated from %(language)s", "Draft"} <= ids
    assert all("python-format" in e.flags for e in pot if "%(" in e.msgid)
    for locale in config.locales:
        po = polib.pofile(config.po_path(locale, "pipeline-ui").as_posix())
        assert {e.msgid for e in po} == ids, locale
        assert po.percent_translated() == 100 and not po.fuzzy_entries(), locale
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(config.po_path(locale, "pipeline-ui"))], check=True)


# -- the built briefs --------------------------------------------------------------------------------


def test_gate_decides_per_brief(built: Path) -> None:
    for loc in ("fr", "zh_CN", "ar"):
        assert all(p.exists() for p in outputs(built, loc))
    html, pdf = outputs(built, "es")
    assert pdf.exists()
    pages = pdf_text(pdf).split("\f")[:-1]
    assert pages and all("Borrador" in p for p in pages), "a draft is marked on every page"
    assert "Borrador: no publicar" in html.read_text("utf-8")


def test_held_back_brief_has_no_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_project(tmp_path, body(2, [1]), {"fr": lambda msgid, ctxt: None})
    (tmp_path / "dist" / "fr").mkdir(parents=True)
    for stale in outputs(tmp_path, "fr"):
        stale.write_text("stale")
    assert main(["--root", str(tmp_path), "build"]) == 0
    assert "held back (coverage 0.0% < draft threshold 40%)" in capsys.readouterr().out
    assert not any(p.exists() for p in outputs(tmp_path, "fr"))


def test_catalog_text_is_text_never_markup(built: Path) -> None:
    page = outputs(built, "fr")[0].read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if x %} &amp; done." in page
    body = page.split("</style>", 1)[1]  # font file names in the stylesheet are hashes, digits and all
    assert "<script>alert" not in page and page.count("<script") == 1 and "49" not in body
    text = squash(pdf_text(outputs(built, "fr")[1]))
    assert squash("<script>alert(1)</script> {{ 7*7 }} {% if x %} & done.") in text


def test_html_columns_carry_lang_and_dir_and_nothing_leaves_the_page(built: Path) -> None:
    page = outputs(built, "ar")[0].read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert page.count('<td class="src" lang="en" dir="ltr">') == page.count('<td class="tgt" lang="ar" dir="rtl">') == 6
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//|url\(["']?(?:https?:)?//|@import""", page)
    for url in re.findall(r'url\("([^"]+)"\)', page):
        assert (outputs(built, "ar")[0].parent / url).resolve().is_file(), url
    assert '<bdi dir="ltr">+86 (23) 6395-1234</bdi>' in page


def test_untranslated_and_fuzzy_are_marked_with_a_legend(built: Path) -> None:
    page = outputs(built, "es")[0].read_text("utf-8")
    assert '<sup class="mark">†</sup><span class="untranslated" lang="en" dir="ltr"' in page
    assert '<sup class="mark">‡</sup><span class="fuzzy" lang="en" dir="ltr"' in page
    assert "Sin traducir: se muestra en inglés." in page and "pendiente de revisión: se muestra en inglés." in page
    assert re.search(r"Segmentos traducidos: \d+ de \d+ \(\d+\s?%\)", page)


def test_pdf_fonts_embedded_and_subset(built: Path) -> None:
    for loc in ("fr", "zh_CN", "ar"):
        out = subprocess.run(["pdffonts", str(outputs(built, loc)[1])], capture_output=True, text=True, check=True)
        rows = out.stdout.splitlines()[2:]
        assert rows
        for row in rows:
            name, *_, emb, sub, _uni, _obj, _gen = row.split()
            assert (emb, sub) == ("yes", "yes") and "+" in name, row
    zh = subprocess.run(["pdffonts", str(outputs(built, "zh_CN")[1])], capture_output=True, text=True).stdout
    assert "CJK-SC" in zh and "CJK-JP" not in zh


def test_pdf_metadata(built: Path) -> None:
    with pikepdf.open(outputs(built, "zh_CN")[1]) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "测试简报"
        assert str(info.Author) == "通讯社"
        assert str(info.Subject) == "译自英语: Test Brief"
        assert "Agency" in str(info.Keywords) and "Alpha Desk" in str(info.Keywords)
        assert str(info.CreationDate).startswith("D:20240705000000")
        assert str(pdf.Root.Lang) == "zh-Hans-CN"
        assert pdf.Root.MarkInfo.Marked
        titles = [item.title for item in pdf.open_outline().root[0].children]
        assert titles == ["阿尔法台", "贝塔办公室"]  # one bookmark per speaker turn


def test_every_structure_element_has_its_language(built: Path) -> None:
    with pikepdf.open(outputs(built, "es")[1]) as pdf:
        elems = struct_elements(pdf)
        assert elems and all("/Lang" in e for e, _ in elems)
        cells = [(e, path) for e, path in elems if e.S == "/TD"]
        assert len(cells) >= 12 and len(cells) % 2 == 0  # a pair split across pages is two rows of cells
        for e, _ in cells[0::2]:
            assert str(e.Lang) == "en"
        for e, _ in cells[1::2]:
            assert str(e.Lang) == "es"
        inline = [
            e
            for e, path in elems
            if e.S == "/Span" and "/TD" in path and any("/S" in k for k in e.K if isinstance(k, pikepdf.Dictionary))
        ]
        assert inline and all(str(e.Lang) == "en" for e in inline), "untranslated words are tagged English"
        assert str(next(e for e, _ in elems if e.S == "/H1").Lang) == "es"


def test_running_heads_and_page_numbers_are_artifacts(built: Path) -> None:
    with pikepdf.open(outputs(built, "fr")[1]) as pdf:
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            tags = [str(o[0]) for o, op in ops if str(op) == "BDC"]
            assert tags.count("/Artifact") >= 3  # title, language pair, page number
        tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        reachable = {e.objgen for e, _ in struct_elements(pdf)}
        for i in range(1, len(tree), 2):
            if isinstance(tree[i], pikepdf.Array):
                assert all(k is None or k.objgen in reachable for k in tree[i])


def test_pdftotext_raw_gives_source_then_translation(built: Path) -> None:
    raw = squash(pdf_text(outputs(built, "fr")[1], "-raw"))
    position = 0
    for i in range(1, 7):
        src, tgt = raw.find(f"S{i:02d}", position), raw.find(f"T{i:02d}", position)
        assert 0 <= src < tgt, i
        position = tgt
    first = squash("T01 ouvre le paragraphe. " + " ".join(BANKS["fr"][:2]))
    assert first in raw


def test_build_is_byte_reproducible(built: Path, tmp_path: Path) -> None:
    again = build_test_brief(tmp_path / "again")  # the same locales: each page links to the others
    for a, b in zip(outputs(built, "fr"), outputs(again, "fr"), strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_missing_glyph_fails_with_the_text(tmp_path: Path) -> None:
    def tr(msgid: str, ctxt: str | None) -> str:
        # The rest marked as French, not copied: an unchanged sentence would hold the brief back.
        return "Le scribe écrivit 𓀀 sur la stèle." if msgid.startswith("S01") else f"(fr) {msgid}"

    make_project(tmp_path, body(1, [1]), {"fr": tr})
    report = load_config(tmp_path)
    from pipeline.build.run import build_project

    result = build_project(report)
    assert len(result.errors) == 1
    err = result.errors[0]
    assert isinstance(err, RenderError)
    assert "U+13000" in str(err) and "Le scribe écrivit" in str(err)
    assert err.path == "locale/fr/LC_MESSAGES/brief.po" and err.line


@pytest.mark.parametrize(
    ("family", "weight"),
    [("Noto Serif", 400), ("Noto Sans CJK SC", 700), ("Noto Serif CJK JP", 400), ("Noto Naskh Arabic", 400)],
)
def test_character_maps_read_by_harfbuzz_are_fonttools_best_cmap(family: str, weight: int) -> None:
    from fontTools.ttLib import TTFont

    from pipeline.render.fonts import coverage, resolve

    face = resolve(family, weight)
    font = TTFont(face.file, fontNumber=face.index, lazy=True) if face.file.endswith(".ttc") else TTFont(face.file)
    try:
        assert coverage(family, weight) == frozenset(font.getBestCmap())
    finally:
        font.close()


def test_web_page_links_to_its_pdf_and_the_indexes(built: Path) -> None:
    html_path, pdf_path = outputs(built, "fr")
    page = html_path.read_text("utf-8")
    nav = re.search(r'<nav class="links[^"]*">(.*?)</nav>', page, re.S)
    assert nav
    hrefs = re.findall(r'href="([^"]+)"', nav.group(1))
    # the locale's index (an archive holds it, not the root one), then the brief in the other languages
    assert hrefs == [pdf_path.name, "index.html", "../zh_CN/brief.html", "../ar/brief.html", "../es/brief.html"]
    assert all((html_path.parent / h).exists() for h in hrefs)
    assert "Dossiers en français" in nav.group(1)


def test_index_pages_show_no_internal_paths(built: Path) -> None:
    for index in (built / "dist").rglob("index.html"):
        assert "seeds/" not in index.read_text("utf-8"), index


def test_columns_are_headed_in_their_own_languages(built: Path) -> None:
    for locale, own in (("fr", "Français"), ("zh_CN", "中文"), ("ar", "العربية")):
        page = outputs(built, locale)[0].read_text("utf-8")
        heads = re.search(r'<table class="column-heads[^"]*"[^>]*>(.*?)</table>', page, re.S)
        assert heads, locale
        cells = re.findall(r'<th class="(src|tgt)"[^>]*>(.*?)</th>', heads.group(1))
        assert [c for c, _ in cells] == ["src", "tgt"]
        assert "English" in cells[0][1] and own in cells[1][1], cells
