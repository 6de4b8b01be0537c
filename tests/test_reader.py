"""Reading sources: the seed, whitespace hazards, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import SourceError
from pipeline.sources.reader import parse_date, read_source

META = 'title = "A brief"\nlanguage = "en"\n'


def _write(tmp_path: Path, body: bytes, meta: str = META, name: str = "doc.txt") -> Path:
    src = tmp_path / name
    src.write_bytes(body)
    src.with_suffix(".meta.toml").write_text(meta, "utf-8")
    return src


def test_seed_structure(root: Path) -> None:
    doc = read_source(root / "seeds" / "2024-07-05-chongqing-press-conference.txt")
    assert (doc.outlet, doc.date, doc.language) == ("China.org.cn", dt.date(2024, 7, 5), "en")
    assert [b.speaker.name for b in doc.blocks if b.speaker] == ["CCTV", "Hu Henghua"]
    assert [len(b.paragraphs) for b in doc.blocks] == [1, 8]
    # The paragraph that ends with a colon is a paragraph, not a speaker.
    first_answer = doc.blocks[1].paragraphs[0]
    assert first_answer.segments[-1].text.endswith("six key zones:")
    assert doc.blocks[1].speaker.role == "answer"
    assert sum(len(p.segments) for p in doc.paragraphs) == 40


def test_every_segment_maps_back_to_its_source_line(root: Path) -> None:
    path = root / "seeds" / "2024-07-05-chongqing-press-conference.txt"
    lines = path.read_text("utf-8").splitlines()
    doc = read_source(path)
    for para in doc.paragraphs:
        for seg in para.segments:
            assert para.text[seg.start : seg.end] == seg.text
            assert seg.text in lines[seg.location.line - 1]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("July 5, 2024", "en", dt.date(2024, 7, 5)),
        ("Jan. 14, 2025", "en", dt.date(2025, 1, 14)),
        ("Sept 3, 2023", "en", dt.date(2023, 9, 3)),
        ("2024年7月5日", "zh", dt.date(2024, 7, 5)),
        ("2024年7月5日", "ja", dt.date(2024, 7, 5)),
        ("5 juillet 2024", "fr", dt.date(2024, 7, 5)),
        ("5 de julio de 2024", "es", dt.date(2024, 7, 5)),
        ("2024-07-05", "en", dt.date(2024, 7, 5)),
    ],
)
def test_dates_in_the_source_language(text: str, language: str, expected: dt.date) -> None:
    assert parse_date(text, language, Path("x.txt"), 1) == expected


def test_whitespace_hazards_are_normalised(tmp_path: Path) -> None:
    body = (
        "\ufeffXinhua |  July 5, 2024  \r\n\r\n"
        "Reporter:\t\r\n"
        "  First  sentence.\tSecond\u3000one.   \r\n"
        "\r\n\r\n"
        "Li Wei：\r\n"
        "Answer here.\r\n"
    ).encode()
    doc = read_source(_write(tmp_path, body))
    assert doc.outlet == "Xinhua"
    assert [b.speaker.name for b in doc.blocks] == ["Reporter", "Li Wei"]
    segs = [s.text for p in doc.paragraphs for s in p.segments]
    assert segs == ["First sentence.", "Second one.", "Answer here."]
    assert doc.blocks[0].paragraphs[0].location.line == 4


def test_chinese_source_with_fullwidth_colon(tmp_path: Path) -> None:
    body = (
        "中国网 | 2024年7月5日\n央视记者：\n请问重庆将如何发挥作用？谢谢。\n"
        "胡衡华：\n谢谢你的提问。我们将重点建设六个区：\n"
    ).encode()
    doc = read_source(_write(tmp_path, body, 'title = "重庆"\nlanguage = "zh_CN"\n'))
    assert doc.date == dt.date(2024, 7, 5)
    assert [b.speaker.name for b in doc.blocks] == ["央视记者", "胡衡华"]
    assert [s.text for s in doc.blocks[1].paragraphs[0].segments] == ["谢谢你的提问。", "我们将重点建设六个区："]


def test_colon_paragraph_is_not_a_speaker_without_metadata(tmp_path: Path) -> None:
    body = (
        b"Outlet | July 5, 2024\nHost:\n"
        b"We will focus on these two roles and prioritize six key zones:\nFirst, a zone.\n"
    )
    doc = read_source(_write(tmp_path, body))
    assert [b.speaker.name for b in doc.blocks] == ["Host"]
    assert len(doc.blocks[0].paragraphs) == 2


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (b"", 1, "empty source"),
        (b"\n\n  \n", 1, "empty source"),
        (b"Just a paragraph.\nAnother.\n", 1, "Outlet | Date"),
        (b"Outlet | not a date\nText.\n", 1, "cannot read the date"),
        (b"Outlet | July 45, 2024\nText.\n", 1, "invalid date"),
        (b"Outlet | July 5, 2024\n", 1, "no paragraphs"),
        (
            "Outlet | July 5, 2024\nSpeaker:\nCaf\u00e9 ok.\n".encode("utf-8") + b"Na\xefve line.\n",
            4,
            "not valid UTF-8",
        ),
        ("Outlet | July 5, 2024\nT\u00e9l\u00e9:\n".encode("latin-1"), 2, "not valid UTF-8"),
    ],
)
def test_bad_sources_name_file_and_line(tmp_path: Path, body: bytes, line: int, fragment: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert info.value.line == line
    assert fragment in info.value.message
    assert str(info.value).startswith(f"source: {path.as_posix()}:{line}: ")


def test_missing_title_points_at_the_sidecar(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Outlet | July 5, 2024\nText.\n", meta='language = "en"\n')
    with pytest.raises(SourceError, match="needs a title") as info:
        read_source(path)
    assert info.value.path.endswith("doc.meta.toml")


def test_segment_command_prints_the_json_structure(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "segment", "seeds/2024-07-05-chongqing-press-conference.txt"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"language", "outlet", "date", "title", "blocks"}
    assert data["date"] == "2024-07-05"
    assert data["blocks"][0] == {
        "speaker": "CCTV",
        "role": "question",
        "paragraphs": [
            [
                "During his inspection of Chongqing in April, General Secretary Xi Jinping emphasized that the city "
                "should try to build itself into a key strategic fulcrum for the development of China's western region "
                "in the new era and a comprehensive hub for inland opening up.",
                "Could you please elaborate on what Chongqing will focus on to serve the development of the western "
                "region and contribute to the overall development of the country?",
                "Thank you.",
            ]
        ],
    }


def test_cli_error_has_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, b"no header here\n")
    assert main(["--root", str(tmp_path), "segment", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("source: ") and ":1: expected a first line" in err
    assert "Traceback" not in err


SIDE = (
    'title = "A brief"\nlanguage = "en"\n\n[[speakers]]\nname = "CCTV"\nrole = "question"\n\n'
    '[[speakers]]\nname = "Karine Jean-Pierre"\nrole = "answer"\naliases = ["MS. JEAN-PIERRE"]\n\n'
    '[[speakers]]\nname = "Xu Lin"\nrole = "host"\n'
)


def test_inline_labels_aliases_and_the_host_opening(tmp_path: Path) -> None:
    body = (
        b"Outlet | July 5, 2024\n"
        b"Good morning and welcome.\n"
        b"CCTV: Could you say more? Thank you.\n"
        b"MS. JEAN-PIERRE: We will focus on six key zones:\n"
        b"Note: the zones are listed below.\n"
        b"The meeting at 2:46 ended early.\n"
        b"(Laughter.)\n"
        b"Xu Lin: Thank you.\n"
    )
    doc = read_source(_write(tmp_path, body, SIDE))
    assert [(b.speaker.name, b.speaker.role) for b in doc.blocks] == [
        ("Xu Lin", "host"),
        ("CCTV", "question"),
        ("Karine Jean-Pierre", "answer"),
        ("Xu Lin", "host"),
    ]
    answer = doc.blocks[2].paragraphs
    assert [p.text for p in answer][:3] == [
        "We will focus on six key zones:",
        "Note: the zones are listed below.",
        "The meeting at 2:46 ended early.",
    ]
    assert (answer[3].kind, answer[3].segments[0].context) == ("stage-direction", "stage-direction")
    assert doc.warnings == ()


def test_warnings_name_the_line(tmp_path: Path) -> None:
    body = (
        "Outlet | July 5, 2024\n"
        "CCTV: First question?\n"
        "PTI: An undeclared outlet asks.\n"
        "CCTV: Second question, no answer?\n"
        "Karine Jean-Pierre:\n" + "Word " * 600 + "\n"
    ).encode()
    path = _write(tmp_path, body, SIDE)
    doc = read_source(path, max_paragraph=2000)
    got = [str(w).replace(tmp_path.as_posix() + "/", "") for w in doc.warnings]
    assert got == [
        "source: doc.txt:3: warning: 'PTI' looks like a speaker label but is not declared in the sidecar: "
        "read as text of the turn above (declare it, or add it to a speaker's aliases)",
        "source: doc.txt:6: warning: paragraph of 2999 characters (limit 2000): several run together?",
        "source: doc.meta.toml:14: warning: speaker 'Xu Lin' is declared but never speaks (no label names them)",
        "source: doc.txt:2: warning: question by 'CCTV' has no answer after it",
    ]


def test_segment_without_a_sidecar_infers_speakers_and_strict_fails_on_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "doc.txt"
    src.write_text("Outlet | July 5, 2024\nCCTV: Why?\nLi Wei: Because.\n", "utf-8")
    assert main(["--root", str(tmp_path), "segment", str(src)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] is None
    assert [b["speaker"] for b in data["blocks"]] == ["CCTV", "Li Wei"]
    src.with_suffix(".meta.toml").write_text(SIDE, "utf-8")
    assert main(["--root", str(tmp_path), "segment", str(src), "--strict"]) == 1
    assert "looks like a speaker label" in capsys.readouterr().err


def test_translate_prints_source_warnings_and_fails_on_them_under_strict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = project / "seeds"
    (seeds / "other.txt").write_text("Outlet | July 5, 2024\nCCTV: Why?\nPTI: And when?\nLi Wei: Soon.\n", "utf-8")
    (seeds / "other.meta.toml").write_text(
        'title = "Other"\n[[speakers]]\nname = "CCTV"\nrole = "question"\n\n'
        '[[speakers]]\nname = "Li Wei"\nrole = "answer"\n',
        "utf-8",
    )
    assert main(["--root", str(project), "translate"]) == 0
    assert "source: seeds/other.txt:3: warning: 'PTI' looks like a speaker label" in capsys.readouterr().err
    assert main(["--root", str(project), "translate", "--strict"]) == 1  # up to date, still read for its warnings
    assert "seeds/other.txt:3: warning" in capsys.readouterr().err
