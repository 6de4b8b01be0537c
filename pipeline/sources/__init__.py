"""Stage 1, sources: a transcript in, a segmented :class:`~pipeline.model.Document` out.

:mod:`.reader` parses the ``Outlet | Date`` line, speakers and paragraphs;
:mod:`.segment` splits paragraphs into sentences.  Imports nothing from the
later stages (catalogs, qa, render, build).
"""
