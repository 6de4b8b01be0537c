"""Importing transcripts as received: golden files per input shape, labels, dates, non-speech, the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import SourceError
from pipeline.sources.formats import read_lines
from pipeline.sources.importer import find_dates, import_transcript
from pipeline.sources.labels import display_name, split_label
from pipeline.sources.reader import read_source

SAMPLES = Path(__file__).parent / "import"
SHAPES = (".txt", ".html", ".docx", ".md")
INPUTS = sorted(p for p in SAMPLES.iterdir() if p.suffix in SHAPES and ".expect." not in p.name)
# What a file cannot say for itself is passed as an option, as a user would.
OPTIONS: dict[str, dict[str, str]] = {
    "whitehouse-honorifics-wrapped.txt": {"outlet": "The White House"},
    "word-bold-labels.docx": {"outlet": "Provincial Information Office"},
    "mfa-chinese-regular.txt": {"outlet": "外交部"},  # a ministry page does not name itself
}


def _import(path: Path) -> tuple[str, str, str]:
    lines, hints = read_lines(path, path.name)
    result = import_transcript(path, display_path=path.name, lines=lines, hints=hints, **OPTIONS.get(path.name, {}))
    return result.source_text, result.meta_text, "\n".join(result.report()) + "\n"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden_import(path: Path) -> None:
    """Canonical source, sidecar and report; on a mismatch the actual file lands beside the expected one."""
    stem = path.name.rsplit(".", 1)[0]
    failed = []
    for got, suffix in zip(_import(path), ("txt", "meta.toml", "report"), strict=True):
        expected = SAMPLES / f"{stem}.expect.{suffix}"
        actual = expected.with_name(expected.name + ".actual")
        if not expected.exists() or expected.read_text("utf-8") != got:
            actual.write_text(got, "utf-8")
            failed.append(f"diff {expected} {actual}")
        else:
            actual.unlink(missing_ok=True)
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_imported_source_reads_back_attributed_without_warnings(tmp_path: Path, path: Path) -> None:
    text, meta, _ = _import(path)
    src = tmp_path / "doc.txt"
    src.write_text(text, "utf-8")
    src.with_suffix(".meta.toml").write_text(meta, "utf-8")
    doc = read_source(src)
    assert [str(w) for w in doc.warnings] == []
    assert all(b.speaker is not None and b.speaker.role for b in doc.blocks)


@pytest.mark.parametrize(
    ("line", "label", "rest"),
    [
        ("CCTV: Could you elaborate?", "CCTV", "Could you elaborate?"),
        ("Zhao Lijian:", "Zhao Lijian", ""),
        ("MS. JEAN-PIERRE:  Good afternoon.", "MS. JEAN-PIERRE", "Good afternoon."),
        ("Dr. Smith: Yes.", "Dr. Smith", "Yes."),
        ("Q. What about the tariffs?", "Q", "What about the tariffs?"),
        ("QUESTION: And the second?", "QUESTION", "And the second?"),
        ("Q  Good afternoon.", "Q", "Good afternoon."),
        ("主持人：请提问。", "主持人", "请提问。"),
        ("答：谢谢。", "答", "谢谢。"),
    ],
)
def test_labels(line: str, label: str, rest: str) -> None:
    found = split_label(line)
    assert found is not None and (found.label, found.rest) == (label, rest)


@pytest.mark.parametrize(
    "line",
    [
        "We will focus on these two roles and prioritize the development of six key zones:",
        "Note: the figures are provisional.",
        "The meeting starts at 2:46 this afternoon.",
        "See https://example.org: it says so.",
        "他表示：“我们欢迎。”",
        "A. Lincoln once said so.",
        "Thank you. Next: the economy.",
    ],
)
def test_not_labels(line: str) -> None:
    assert split_label(line) is None


def test_display_names() -> None:
    assert display_name("MS. JEAN-PIERRE") == "Ms. Jean-Pierre"
    assert display_name("MR. MILLER") == "Mr. Miller"
    assert display_name("CCTV") == "CCTV"
    assert display_name("Zhao Lijian") == "Zhao Lijian"


def test_dates_with_times_and_two_dates(tmp_path: Path) -> None:
    assert find_dates("March 10, 2023 2:46 P.M. EST") == [dt.date(2023, 3, 10)]
    assert find_dates("2024年7月5日 15:00") == [dt.date(2024, 7, 5)]
    path = tmp_path / "t.txt"
    path.write_text("A title\nUpdated: July 6, 2024\nHeld July 5, 2024\n\nCCTV: Why?\n\nLi Wei: Because.\n", "utf-8")
    result = import_transcript(path, outlet="X")
    assert result.date == dt.date(2024, 7, 5)
    assert any("using the earliest, 2024-07-05" in line for line in result.report())


def test_missing_outlet_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("A title\nJuly 5, 2024\n\nCCTV: Why?\n\nLi Wei: Because.\n", "utf-8")
    with pytest.raises(SourceError, match="pass --outlet"):
        import_transcript(path)


def test_bom_crlf_nbsp_and_fullwidth_colon(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    body = (
        "\ufeff国务院新闻办公室新闻发布会\r\n2024年7月5日\r\n\u00a0\r\n主持人：各位记者朋友，下午好。\r\n"
        "央视记者：请问重庆如何发挥作用？\r\n胡衡华：谢谢你的提问。\r\n"
    )
    path.write_bytes(body.encode("utf-8"))
    result = import_transcript(path, outlet="国新办")
    assert result.language == "zh" and result.date == dt.date(2024, 7, 5)
    roles = {s.name: s.role for s in result.speakers}
    assert roles == {"主持人": "host", "央视记者": "question", "胡衡华": "answer"}
    assert result.source_text.splitlines()[1:3] == ["主持人：", "各位记者朋友，下午好。"]


def test_import_command_never_overwrites(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = SAMPLES / "fm-inline-outlets.txt"
    args = ["--root", str(project), "import", str(src), "--slug", "fm"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert ":5: speaker 'Lin Jian', role answer" in out
    assert "dropped (separator)" in out and "import: wrote seeds/fm.txt" in out
    before = (project / "seeds" / "fm.txt").read_bytes()
    assert main(args) == 1
    assert "already exists: pass --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert (project / "seeds" / "fm.txt").read_bytes() == before


def test_the_seed_imports_to_itself(root: Path) -> None:
    """The canonical format is one of the shapes import takes: same speakers, same paragraphs, same lines."""
    seed = root / "seeds" / "2024-07-05-chongqing-press-conference.txt"
    result = import_transcript(seed, title="Chongqing")
    assert result.source_text.splitlines()[1:] == seed.read_text("utf-8").splitlines()[1:]
    assert [(s.name, s.role) for s in result.speakers] == [("CCTV", "question"), ("Hu Henghua", "answer")]
    assert (result.outlet, result.date) == ("China.org.cn", dt.date(2024, 7, 5))


def test_force_keeps_what_a_reviewer_declared(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = SAMPLES / "fm-anonymous-qa.txt"
    args = ["--root", str(project), "import", str(src), "--slug", "qa"]
    assert main(args) == 0
    meta = project / "seeds" / "qa.meta.toml"
    edited = (
        meta.read_text("utf-8")
        .replace(
            'name = "Qin Gang"\nrole = "answer"',
            'name = "Qin Gang"\nrole = "answer"\ntitle = "Foreign Ministry Spokesperson"',
        )
        .replace('name = "Q"\nrole = "question"', 'name = "Journalist"\nrole = "question"\naliases = ["Q"]')
    )
    meta.write_text(edited, "utf-8")
    capsys.readouterr()
    assert main([*args, "--force"]) == 0
    assert "declared in the existing sidecar" in capsys.readouterr().out
    text = (project / "seeds" / "qa.txt").read_text("utf-8")
    assert "Journalist:" in text and "\nQ:" not in text
    assert 'title = "Foreign Ministry Spokesperson"' in meta.read_text("utf-8")


def test_html_places_are_lines_of_the_file() -> None:
    """Each line read from a page names the line of the file its block element (or <br>) starts on."""
    from pipeline.sources.html import html_lines

    page = (
        "<html><head><title>A <p> in a title</title>\n"  # 1: not an element
        "<!-- <p>commented out</p> -->\n"  # 2
        "<script>var s = '<p>';\n</script></head>\n"  # 3-4
        "<body><div id='main'>\n"  # 5
        "<p>CCTV: First question?</p><p>Second paragraph.</p>\n"  # 6: two blocks on one line
        "<p>\nWang Wenbin: An answer<br>\n"  # 7-8: the text starts on the line after <p>
        "after a break.</p>\n"  # 9
        "</div></body></html>\n"
    )
    lines, hints = html_lines(page)
    assert lines == ["CCTV: First question?", "Second paragraph.", "Wang Wenbin: An answer", "after a break."]
    assert hints.places == ("6", "6", "7", "8")
    assert hints.title == "A <p> in a title" and hints.title_place == "1"


def test_markdown_places_follow_markdown_it_maps() -> None:
    from pipeline.sources.markdown import markdown_lines

    text = "# Title\n\n**Q:** one\nwrapped\n\n**A:** two\\\nafter a hard break\n\n```\ncode\n\nmore\n```\n\n---\n"
    lines, places = markdown_lines(text)
    assert lines == ["# Title", "Q: one wrapped", "A: two", "after a hard break", "code", "more", "* * *"]
    assert places == [1, 3, 6, 7, 10, 12, 15]


def test_word_report_names_paragraphs(tmp_path: Path) -> None:
    """A .docx has no lines: the report says ¶N, counting empty paragraphs as Word shows them."""
    import docx

    document = docx.Document()
    for text in ("Briefing on the harbour", "", "July 5, 2024", "", "", "Moderator: Good morning.", "Reuters: When?"):
        document.add_paragraph(text)
    document.add_paragraph("Ana Silva: In September.")
    path = tmp_path / "briefing.docx"
    document.save(str(path))
    lines, hints = read_lines(path, path.name)
    assert hints is not None and hints.places == ("¶1", "¶3", "¶6", "¶7", "¶8")
    result = import_transcript(path, display_path=path.name, lines=lines, hints=hints, outlet="Harbour Authority")
    report = result.report()
    assert "briefing.docx:¶3: dropped (dateline): 'July 5, 2024'" in report
    assert any(line.startswith("briefing.docx:¶7: speaker 'Reuters'") for line in report)


def test_slug_of_a_chinese_title_comes_from_the_file_name() -> None:
    from pipeline.sources.importer import slugify

    day = dt.date(2024, 7, 5)
    # The digits of 2024年7月5日 are not one word "202475": any non-Latin character separates words.
    assert slugify("2024年7月5日外交部发言人主持例行记者会", day, "mfa-regular") == "2024-07-05-mfa-regular"
    assert slugify("外交部发言人例行记者会", day, "新闻") == "2024-07-05-transcript"
    assert slugify("Briefing by Ms. Müller", day, "ignored") == "2024-07-05-briefing-by-ms-muller"


def test_word_table_of_speaker_and_speech(tmp_path: Path) -> None:
    """A transcript laid out as a two-column table (speaker | speech): each row a turn, ¶N in reading order."""
    import docx

    document = docx.Document()
    document.add_paragraph("Briefing on the harbour")  # ¶1
    document.add_paragraph("July 5, 2024")  # ¶2
    table = document.add_table(rows=3, cols=2)
    rows = [("Moderator", "Good morning."), ("Reuters:", "When will it open?"), ("Ana Silva", "In September.")]
    for row, (name, speech) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = name, speech
    table.rows[2].cells[1].add_paragraph("The budget stays the same.")
    document.add_paragraph("(End)")
    path = tmp_path / "table.docx"
    document.save(str(path))
    lines, hints = read_lines(path, path.name)
    assert lines == [
        "Briefing on the harbour",
        "July 5, 2024",
        "Moderator: Good morning.",
        "Reuters: When will it open?",
        "Ana Silva: In September.",
        "The budget stays the same.",
        "(End)",
    ]
    # ¶3-4 the first row's two cells, ¶5-6 the second's, ¶7 the third's name, ¶8-9 its speech, ¶10 (End);
    # a row's turn is placed at the speaker's name
    assert hints is not None and hints.places == ("¶1", "¶2", "¶3", "¶5", "¶7", "¶9", "¶10")
    result = import_transcript(path, display_path=path.name, lines=lines, hints=hints, outlet="Harbour Authority")
    assert any(line.startswith("table.docx:¶5: speaker 'Reuters'") for line in result.report())
    assert result.source_text.endswith("Ana Silva:\nIn September.\nThe budget stays the same.\n(End)\n")


def test_chinese_stage_direction_between_sentences_is_split_off(tmp_path: Path) -> None:
    """Chinese puts no space between sentences: 实施。（笑声）我们会 ... is still three paragraphs."""
    path = tmp_path / "zh.txt"
    path.write_text(
        "某省政府新闻发布会\n来源：某省人民政府网\n2024年9月12日\n\n问：新规划何时实施？\n\n"
        "答：规划将于明年一月起实施。（笑声）我们会及时公布细则（详见附件）。\n",
        "utf-8",
    )
    result = import_transcript(path, display_path="zh.txt")
    body = result.source_text.split("答：\n", 1)[1]
    assert body == "规划将于明年一月起实施。\n（笑声）\n我们会及时公布细则（详见附件）。\n"  # inside a sentence: kept
    assert "zh.txt:7: stage direction '（笑声）' split off the middle of the paragraph" in result.report()
