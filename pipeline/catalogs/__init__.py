"""Stage 2, catalogs: documents in, gettext catalogs out.

:mod:`.extract` and :mod:`.ui` make the templates (``.pot``), :mod:`.merge`
gives them msgmerge semantics, :mod:`.pofile` reads and writes ``.po`` files
(over :mod:`.poparse` and :mod:`.poformat`, see ``docs/catalogs.md``).
Imports no qa, render or build module.
"""
