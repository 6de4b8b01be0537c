"""From the file as received to a published brief: import + translate + a filled catalog + build, no hand edit."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
import pytest

from pipeline.cli import main

SAMPLES = Path(__file__).parent / "import"
# The four shapes of the issue: inline labels with outlets, anonymous Q/A, uppercase honorifics with
# hard wrapping and Q without a colon, a paginated web transcript; the outlet is the one thing a
# plain-text White House transcript does not say.
SHAPES = {
    "fm-inline-outlets.txt": [],
    "fm-anonymous-qa.txt": [],
    "whitehouse-honorifics-wrapped.txt": ["--outlet", "The White House"],
    "scio-paginated-web.html": [],
}


def test_four_shapes_become_published_briefs(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("pipeline.toml", "segmentation.toml"):
        shutil.copy(root / name, tmp_path / name)
    shutil.copytree(root / "templates", tmp_path / "templates")
    (tmp_path / "locale").mkdir()
    shutil.copy(root / "locale" / "glossary.tbx", tmp_path / "locale" / "glossary.tbx")
    for name, options in SHAPES.items():
        assert main(["--root", str(tmp_path), "import", str(SAMPLES / name), *options]) == 0
    assert main(["--root", str(tmp_path), "translate", "--strict"]) == 0  # no warning about any source
    assert "warning" not in capsys.readouterr().err
    slugs = sorted(p.name.removesuffix(".txt") for p in (tmp_path / "seeds").glob("*.txt"))
    assert len(slugs) == 4
    for slug in slugs:  # a translator's work, stood in for by a marked copy of each source string
        path = tmp_path / "locale" / "fr" / "LC_MESSAGES" / f"{slug}.po"
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid if entry.msgctxt in ("speaker", "outlet") else f"[fr] {entry.msgid}"
        po.save(str(path))
    assert main(["--root", str(tmp_path), "translate"]) == 0
    assert main(["--root", str(tmp_path), "build", "--locale", "fr", "--only-html", "-j", "1"]) == 0
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text("utf-8"))
    status = {f["slug"]: f["status"] for f in manifest["files"] if f.get("locale") == "fr" and "slug" in f}
    assert status == dict.fromkeys(slugs, "final")
    for slug in slugs:
        page = tmp_path / "dist" / "fr" / f"{slug}.html"
        assert page.exists(), slug
        assert "[fr] " in page.read_text("utf-8")
    briefing = next(p for p in (tmp_path / "dist" / "fr").glob("*press-briefing*.html")).read_text("utf-8")
    assert re.findall(r'<small class="role">[^<]*?(\d+)</small>', briefing) == ["1", "2", "3"]  # anonymous Q numbered
