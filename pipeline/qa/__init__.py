"""Stage 3, QA: catalogs in, findings, counts and the publication decision out.

:mod:`.check` runs the checks of :mod:`.checks` (with :mod:`.numbers` and
:mod:`.glossary`), :mod:`.stats` counts entries, :mod:`.gate` holds the one
publication rule (final, draft or held) and :mod:`.report` formats findings.
Imports no render or build module.
"""
