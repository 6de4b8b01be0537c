"""What the render pool's fork server loads before it forks a worker (see :mod:`pipeline.build.workers`).

Importing this module imports the renderer (WeasyPrint, pikepdf, HarfBuzz) and
fills the caches every render needs and that do not depend on the brief: the
faces the font stacks resolve to and their character maps (the glyph check and
the web-font subsets read them), and the worker's environment fingerprint.
Every worker forked from the server starts with them, as does a worker that
replaces a recycled one.  WeasyPrint's ``FontConfiguration`` is not made here:
each worker makes its own (:func:`pipeline.render.task.init_worker`).
"""

from __future__ import annotations

import os

import weasyprint  # noqa: F401  (imported for the fork)
import weasyprint.text.fonts  # noqa: F401

from pipeline.render import pdfpost  # noqa: F401
from pipeline.render.fonts import ROLES, STACKS, WEIGHTS, coverage
from pipeline.render.task import environment


def warm() -> None:
    """Resolve the faces of the stacks the build needs (``PIPELINE_WARM_STACKS``, set by the build; default all)."""
    wanted = [k for k in os.environ.get("PIPELINE_WARM_STACKS", "").split(",") if k in STACKS] or list(STACKS)
    for stack in (STACKS[k] for k in wanted):
        for role in ROLES:
            for weight in WEIGHTS[role]:
                for family in stack.families(role):
                    coverage(family, weight)
    environment()


warm()
