"""Helpers of the QA tests: crafted catalogs in temporary folders."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.qa.check import Finding, check_catalog
from pipeline.qa.glossary import Glossary, read_glossary

ROOT = Path(__file__).resolve().parent.parent
# The seed glossary, frozen: the shipped locale/glossary.tbx grows as the desk adds terms.
TEST_GLOSSARY = read_glossary(Path(__file__).parent / "check" / "glossary.tbx", "glossary.tbx")
PLURALS = {"zh_CN": "nplurals=1; plural=0;", "ja": "nplurals=1; plural=0;", "fr": "nplurals=2; plural=(n > 1);"}

Pair = tuple[str, str] | tuple[str, str, dict[str, object]] | polib.POEntry


def write_po(path: Path, pairs: list[Pair], *, locale: str = "zh_CN", source_language: str = "en") -> Path:
    """A small valid catalog: ``(msgid, msgstr)`` pairs, or pairs with POEntry keyword arguments."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "briefs test",
        "Report-Msgid-Bugs-To": "desk@briefs.invalid",
        "POT-Creation-Date": "2024-07-05 00:00+0000",
        "PO-Revision-Date": "2024-07-05 00:00+0000",
        "Last-Translator": "Desk <desk@briefs.invalid>",
        "Language-Team": "Desk <desk@briefs.invalid>",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURALS.get(locale, "nplurals=2; plural=(n != 1);"),
        "X-Source-Language": source_language,
    }
    for pair in pairs:
        if isinstance(pair, polib.POEntry):
            po.append(pair)
        else:
            extra = pair[2] if len(pair) > 2 else {}
            po.append(polib.POEntry(msgid=pair[0], msgstr=pair[1], **extra))  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(path.as_posix())
    return path


def catalog_path(tmp_path: Path, locale: str, domain: str = "brief") -> Path:
    return tmp_path / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"


def run(
    tmp_path: Path,
    pairs: list[Pair],
    *,
    locale: str = "zh_CN",
    only: str | None = None,
    glossary: Glossary | None = TEST_GLOSSARY,
    domain: str = "brief",
) -> list[Finding]:
    """Check a crafted catalog; the findings of one check id, or all."""
    path = write_po(catalog_path(tmp_path, locale, domain), pairs, locale=locale)
    result = check_catalog(path, locale=locale, domain=domain, glossary=glossary)
    return [f for f in result.findings if only is None or f.check == only]
