"""Stage 4, render: a source and its parsed catalog in, a brief's bytes out.

:mod:`.view` pairs source and translation, :mod:`.html` fills the templates
and calls WeasyPrint, :mod:`.pdfpost` finishes the PDF, :mod:`.fonts` resolves
faces and subsets, :mod:`.task` is the pure render job that runs anywhere and
:mod:`.environment` fingerprints the code and fonts a render depends on.
Imports no build module, parses no catalog and writes no file.
"""
