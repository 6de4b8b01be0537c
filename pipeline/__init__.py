"""A multilingual publishing pipeline: sources to gettext catalogs to bilingual briefs.

Stages, one module each (the order lives in :mod:`pipeline.stages`):

read (``reader``) -> segment (``segment``) -> extract (``extract``)
-> merge (``merge``, with ``pofile`` for gettext I/O) -> render (``render``)
-> publish (``publish``).
"""

__version__ = "0.1.0"
