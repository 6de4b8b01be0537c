"""Stage 3, QA: catalogs in, findings, counts and the publication decision out.

:mod:`.check` runs the checks of :mod:`.checks` (with :mod:`.numbers` and
:mod:`.glossary`) and reports :mod:`.findings`; :mod:`.stats` counts entries,
:mod:`.gate` holds the one publication rule (final, draft or held) and
:mod:`.report` formats what ``check`` and ``stats`` print.
Imports no render or build module.
"""
