"""Stage 5c, finish the PDF: WeasyPrint's tagged PDF -> languages, artifacts, reproducible bytes.

In: the bytes WeasyPrint wrote with ``pdf_tags``, the page language (the
translation's) and the source language.  Out: the same PDF where

* every structure element carries its own ``/Lang``: WeasyPrint's tags carry
  none, so a screen reader would read the English source with a Chinese
  voice.  The templates follow two conventions that survive into the
  structure tree (see ``templates/brief.html.j2``): a ``<div>`` (``/Div``)
  holds source-language blocks only, and a ``<span>`` element (a ``/Span``
  with structure children, unlike the ``/Span`` WeasyPrint makes per line of
  text) holds source-language words only; all else is in the page language.
  An element whose every child is in the source language is too (a source
  table cell).
* the running heads and page numbers are artifacts: WeasyPrint tags the
  margin boxes' text but links it to no element; their marked content
  becomes ``/Artifact`` (pagination) and leaves the parent tree.
* the embedded fonts are subset again with compact glyph ids
  (:mod:`pipeline.render.pdffonts`): a CJK brief shrinks to a third or less.
* the file ID is derived from the content (qpdf's deterministic ID), so the
  same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

from pipeline.render.pdffonts import compact_fonts

_ARTIFACT = Dictionary(Type=Name.Pagination)


def _struct_kids(elem: Dictionary) -> list[Dictionary]:
    kids = elem.get("/K")
    items = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
    return [k for k in items if isinstance(k, Dictionary) and "/S" in k]


def _has_content(elem: Dictionary) -> bool:
    kids = elem.get("/K")
    items = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
    return any(not (isinstance(k, Dictionary) and "/S" in k) for k in items)


def _assign_languages(root: Dictionary, page_lang: str, source_lang: str) -> set[tuple[int, int]]:
    """Set ``/Lang`` on every reachable element; return the reachable elements' object ids."""
    reachable: set[tuple[int, int]] = set()

    def walk(elem: Dictionary, inherited: str) -> str:
        kids = _struct_kids(elem)
        tag = elem.get("/S")
        lang = inherited
        if tag == Name.Div or (tag == Name.Span and kids):
            lang = source_lang
        reachable.add(elem.objgen)
        kid_langs = [walk(k, lang) for k in kids]
        if kid_langs and not _has_content(elem) and all(k == source_lang for k in kid_langs):
            lang = source_lang
        elem.Lang = pikepdf.String(lang)
        return lang

    for top in _struct_kids(root):
        walk(top, page_lang)
    return reachable


def _artifact_mcids(pdf: pikepdf.Pdf, reachable: set[tuple[int, int]]) -> dict[int, set[int]]:
    """Per page index, the MCIDs whose element is not in the structure tree (the margin boxes)."""
    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", Array())
    out: dict[int, set[int]] = {}
    page_count = len(pdf.pages)
    for i in range(0, len(nums) - 1, 2):
        key, value = int(nums[i]), nums[i + 1]
        if key >= page_count or not isinstance(value, Array):
            continue
        for mcid, elem in enumerate(value):
            if isinstance(elem, Dictionary) and elem.objgen not in reachable:
                out.setdefault(key, set()).add(mcid)
                value[mcid] = None
    return out


_MARKED = re.compile(rb"/\w+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _swap(mcids: set[int], m: re.Match[bytes]) -> bytes:
    return b"/Artifact <</Type /Pagination>> BDC" if int(m.group(1)) in mcids else m.group(0)


def _mark_artifacts(pdf: pikepdf.Pdf, artifacts: dict[int, set[int]]) -> None:
    for index, mcids in artifacts.items():
        page = pdf.pages[index]
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Stream):
            data = contents.read_bytes()
            if b"(" not in data:  # no literal string that could look like an operator: edit the bytes
                # (WeasyPrint shows text as hex strings; parsing the whole stream took half the render's time)
                contents.write(_MARKED.sub(functools.partial(_swap, mcids), data))
                continue
        ops = pikepdf.parse_content_stream(page)
        changed = False
        new_ops = []
        for inst in ops:
            operands, operator = inst.operands, inst.operator
            if operator == pikepdf.Operator("BDC") and len(operands) == 2:
                props = operands[1]
                if isinstance(props, Dictionary) and "/MCID" in props and int(props.MCID) in mcids:
                    new_ops.append(pikepdf.ContentStreamInstruction([Name.Artifact, _ARTIFACT], operator))
                    changed = True
                    continue
            new_ops.append(pikepdf.ContentStreamInstruction(operands, operator))
        if changed:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new_ops))


def finish_pdf(data: bytes, *, page_lang: str, source_lang: str, facing: bool = False) -> bytes:
    """The finished PDF's bytes (see the module docstring); ``facing``: opens as spreads, page 1 on the left."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        compact_fonts(pdf)  # first: it reads the content streams as WeasyPrint wrote them
        tree = pdf.Root.get("/StructTreeRoot")
        if isinstance(tree, Dictionary):
            reachable = _assign_languages(tree, page_lang, source_lang)
            _mark_artifacts(pdf, _artifact_mcids(pdf, reachable))
        pdf.Root.Lang = pikepdf.String(page_lang)
        if facing:
            pdf.Root.PageLayout = Name.TwoPageLeft
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()
