"""A source in another language than English: Chinese in, English (and the others) out (issue 11).

No catalog and no brief for a source's own language (``zh`` -> ``zh_CN``, ``en`` -> ``en``), and
no interface catalog for English (the templates' own strings).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.build.serve import Preview
from pipeline.cli import main
from pipeline.config import Config, load_config
from pipeline.lang import same_language, written_as
from pipeline.sources.reader import read_source, source_language

SAMPLE = Path(__file__).parent / "import" / "mfa-chinese-regular.txt"
SLUG = "2024-07-05-mfa-regular"
SEED = "2024-07-05-chongqing-press-conference"
# A translator's English for every string of the sample (written for this test).
ENGLISH = {
    "外交部发言人例行记者会": "Regular Press Conference of the Foreign Ministry Spokesperson",
    "外交部": "Ministry of Foreign Affairs",
    "主持人": "Host",
    "问": "Question",
    "答": "Answer",
    "法新社记者": "AFP reporter",
    "各位记者，下午好。": "Good afternoon, members of the press.",
    "今天的记者会现在开始。": "Today's press conference now begins.",
    "据报道，两国将于下月举行经贸磋商。": "Reportedly the two countries will hold trade talks next month.",
    "你能否介绍具体安排？": "Can you tell us about the arrangements?",
    "双方团队保持着密切沟通。": "The two teams remain in close communication.",
    "具体安排我们会及时发布消息。": "We will announce the arrangements in due course.",
    "（笑声）": "(Laughter)",
    "明年的气候大会将在哪里举行？": "Where will next year's climate conference be held?",
    "这个问题请你向主办方询问。": "Please ask the organisers about that.",
    "我们支持大会取得积极成果。": "We support the conference in achieving positive results.",
    "今天的记者会到此结束。": "This concludes today's press conference.",
    "谢谢大家。": "Thank you all.",
}


@pytest.mark.parametrize(
    ("source", "target", "same"),
    [
        ("zh", "zh_CN", True),
        ("zh", "zh-Hans", True),
        ("zh_CN", "zh_SG", True),
        ("zh", "zh_TW", False),  # Simplified -> Traditional is still a translation
        ("zh_TW", "zh_HK", True),
        ("en", "en", True),
        ("en", "en_GB", True),
        ("en", "zh_CN", False),
        ("zh", "en", False),
        ("sr", "sr_Latn", False),  # CLDR: sr is written in Cyrillic
        ("ja", "zh_CN", False),
    ],
)
def test_same_language(source: str, target: str, same: bool) -> None:
    assert same_language(source, target) is same


def test_written_as_fills_the_script_from_cldr() -> None:
    assert written_as("zh_CN") == ("zh", "hans")
    assert written_as("zh_TW") == ("zh", "hant")
    assert written_as("en_GB") == ("en", "latn")


def test_targets_leave_out_the_source_language(tmp_path: Path) -> None:
    config = Config(tmp_path, locales=("en", "zh_CN", "fr", "zh_TW"))
    assert config.targets("zh") == ("en", "fr", "zh_TW")
    assert config.targets("en") == ("zh_CN", "fr", "zh_TW")
    assert config.targets(None) == config.locales


def _project(root: Path, tmp_path: Path) -> Path:
    for name in ("pipeline.toml", "segmentation.toml"):
        shutil.copy(root / name, tmp_path / name)
    toml = tmp_path / "pipeline.toml"
    text = re.sub(r"(?m)^locales = .*$", 'locales = ["en", "zh_CN", "fr"]', toml.read_text("utf-8"))
    toml.write_text(text, "utf-8")
    shutil.copytree(root / "templates", tmp_path / "templates")
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    for rel in (f"zh_CN/LC_MESSAGES/{SEED}.po", "zh_CN/LC_MESSAGES/pipeline-ui.po", "glossary.tbx"):
        (tmp_path / "locale" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / "locale" / rel, tmp_path / "locale" / rel)
    return tmp_path


def test_chinese_source_to_english_brief(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = _project(root, tmp_path)
    assert main(["--root", str(proj), "import", str(SAMPLE), "--outlet", "外交部", "--slug", SLUG]) == 0
    meta = (proj / "seeds" / f"{SLUG}.meta.toml").read_text("utf-8")
    assert 'language = "zh"' in meta
    seed_zh = (proj / "locale" / "zh_CN" / "LC_MESSAGES" / f"{SEED}.po").read_bytes()
    capsys.readouterr()
    assert main(["--root", str(proj), "translate", "--strict"]) == 0
    err = capsys.readouterr().err
    assert f"skipped: source language: {SEED} [en], {SLUG} [zh_CN], pipeline-ui [en]" in err
    messages = proj / "locale"
    # No catalog of a text in its own language, nor an English interface catalog.
    assert not (messages / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po").exists()
    assert not (messages / "en" / "LC_MESSAGES" / f"{SEED}.po").exists()
    assert not (messages / "en" / "LC_MESSAGES" / "pipeline-ui.po").exists()
    assert (messages / "fr" / "LC_MESSAGES" / f"{SLUG}.po").exists()
    assert (messages / "zh_CN" / "LC_MESSAGES" / f"{SEED}.po").read_bytes() == seed_zh  # the seed's unchanged

    en = messages / "en" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(en))
    assert po.metadata["X-Source-Language"] == "zh"
    assert sorted(e.msgid for e in po) == sorted(ENGLISH)
    for entry in po:
        entry.msgstr = ENGLISH[entry.msgid]
    po.save(str(en))

    assert main(["--root", str(proj), "check", "--locale", "en"]) == 0
    capsys.readouterr()
    assert main(["--root", str(proj), "stats", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    pairs = {(r["domain"], r["locale"]) for r in rows["catalogs"]}
    assert (SLUG, "en") in pairs and (SLUG, "zh_CN") not in pairs and (SEED, "en") not in pairs

    # An interface catalog an older translate left in en is not used: the interface is the templates' English.
    stale = messages / "en" / "LC_MESSAGES" / "pipeline-ui.po"
    shutil.copy(messages / "zh_CN" / "LC_MESSAGES" / "pipeline-ui.po", stale)
    assert main(["--root", str(proj), "build", "--locale", "en,zh_CN", "-j", "1"]) == 0
    dist = proj / "dist"
    assert (dist / "en" / f"{SLUG}.html").exists()
    assert (dist / "zh_CN" / f"{SEED}.pdf").exists()
    assert not list(dist.glob(f"zh_CN/{SLUG}.*")) and not list(dist.glob(f"en/{SEED}.*"))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(dist / "en" / f"{SLUG}.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = re.sub(r"\s+", " ", text)
    assert "两国将于下月举行经贸磋商" in flat.replace(" ", "")
    assert "Where will next year's climate conference be held?" in flat.replace("’", "'")
    page = (dist / "en" / f"{SLUG}.html").read_text("utf-8")
    assert "Translated from Chinese" in page and "译自" not in page

    manifest = json.loads((dist / "manifest.json").read_text("utf-8"))
    briefs = {(f["slug"], f["locale"]) for f in manifest["files"] if "slug" in f}
    assert (SLUG, "en") in briefs and (SEED, "zh_CN") in briefs
    assert (SLUG, "zh_CN") not in briefs and (SEED, "en") not in briefs
    assert f"{SLUG}.html" in (dist / "en" / "index.html").read_text("utf-8")
    assert SLUG not in (dist / "zh_CN" / "index.html").read_text("utf-8")
    assert SEED not in (dist / "en" / "index.html").read_text("utf-8")
    links = re.findall(r'href="([^"]+)"', Preview(load_config(proj)).index().decode("utf-8"))
    assert f"/en/{SLUG}.html" in links and f"/zh_CN/{SEED}.html" in links and f"/fr/{SLUG}.html" in links
    assert f"/zh_CN/{SLUG}.html" not in links and f"/en/{SEED}.html" not in links


def test_a_source_without_a_declared_language_is_read_as_what_its_text_is(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text("外交部 | 2024-07-05\n发言人：\n今天的记者会现在开始。\n", "utf-8")
    doc = read_source(src, require_title=False)  # no sidecar (`segment FILE`): no warning
    assert doc.language == "zh" and source_language(src) == "zh" and not doc.warnings
    sidecar = 'title = "记者会"\n[[speakers]]\nname = "发言人"\nrole = "host"\n'
    src.with_suffix(".meta.toml").write_text(sidecar, "utf-8")
    doc = read_source(src)
    assert doc.language == "zh"
    assert [w.message for w in doc.warnings] == [
        "no language in the sidecar: read as 'zh' (mostly Chinese characters); add language = \"zh\""
    ]
    english = tmp_path / "en.txt"
    english.write_text("Outlet | 2024-07-05\nHost:\nGood morning.\n", "utf-8")
    english.with_suffix(".meta.toml").write_text('title = "T"\n', "utf-8")
    assert read_source(english).language == "en" and source_language(english) == "en"


def test_a_catalog_left_in_the_source_language_is_named_never_deleted(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proj = _project(root, tmp_path)
    assert main(["--root", str(proj), "import", str(SAMPLE), "--outlet", "外交部", "--slug", SLUG]) == 0
    left = proj / "locale" / "zh_CN" / "LC_MESSAGES" / f"{SLUG}.po"
    left.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', "utf-8")  # an older run's
    before = left.read_bytes()
    capsys.readouterr()
    assert main(["--root", str(proj), "translate"]) == 0
    err = capsys.readouterr().err
    shown = f"locale/zh_CN/LC_MESSAGES/{SLUG}.po"
    assert f"translate: {shown}: not used: the source is in zh, the language of zh_CN; delete it" in err
    assert left.read_bytes() == before


def test_tmx_and_xliff_say_a_catalogs_own_source_language() -> None:
    from pipeline.catalogs.interchange import export_tmx, export_xliff, read_tmx

    zh = polib.POFile()
    zh.metadata = {"Content-Type": "text/plain; charset=UTF-8", "X-Source-Language": "zh"}
    zh.append(polib.POEntry(msgid="谢谢大家。", msgstr="Thank you all."))
    en = polib.POFile()
    en.metadata = {"Content-Type": "text/plain; charset=UTF-8", "X-Source-Language": "en"}
    en.append(polib.POEntry(msgid="Thank you.", msgstr="Merci."))
    tmx = export_tmx([("en", "a", zh), ("fr", "b", en)]).decode("utf-8")
    assert re.search(r'<tu srclang="zh-Hans">\s*<tuv xml:lang="zh-Hans">\s*<seg>谢谢大家。', tmx)
    assert re.search(r'<tu srclang="en">\s*<tuv xml:lang="en">\s*<seg>Thank you.', tmx)
    memory = read_tmx(tmx.encode("utf-8"), ["en", "fr", "zh_CN"], "t.tmx")  # each unit read from its srclang
    assert memory.lookup("en", None, "谢谢大家。") is not None
    assert memory.lookup("fr", None, "Thank you.") is not None
    assert memory.lookup("zh_CN", None, "Thank you all.") is None
    xliff = export_xliff([("a.po", zh), ("b.po", en)], locale="fr").decode("utf-8")
    assert re.search(r'<file original="a.po" source-language="zh"', xliff)
    assert re.search(r'<file original="b.po" source-language="en"', xliff)
