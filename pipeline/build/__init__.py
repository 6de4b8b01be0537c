"""Stage 5, build: every source in every locale, incrementally, into ``dist/``.

:mod:`.depends` digests each brief's inputs, :mod:`.run` plans, gates and
renders, :mod:`.workers` (with :mod:`.preload`) runs render tasks in a pool or
on Dask, :mod:`.publish` writes the index pages, manifest and archives, and
:mod:`.progress` reports as it goes.
"""
