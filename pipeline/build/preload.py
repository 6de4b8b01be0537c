"""What the render pool's fork server loads before it forks a worker (see :mod:`pipeline.build.workers`).

Importing this module imports the renderer (WeasyPrint, pikepdf, HarfBuzz) and
fills the caches every render needs and that do not depend on the brief: the
faces the font stacks resolve to and their character maps (the glyph check and
the web-font subsets read them), and the worker's environment fingerprint.
Every worker forked from the server starts with them, as does a worker that
replaces a recycled one.  It warms every stack, not only those of the locales
being built: with character maps read by HarfBuzz that costs about 0.07 CPU s
(measured: latin and zh-Hans 0.03 s, all six stacks 0.07 s), less than passing
the build's choice to the fork server through its environment was worth.
WeasyPrint's ``FontConfiguration`` is not made here: each worker makes its
own (:func:`pipeline.render.task.init_worker`).
"""

from __future__ import annotations

import weasyprint  # imported for the fork
import weasyprint.text.fonts  # noqa: F401

from pipeline.render import pdfpost  # noqa: F401
from pipeline.render.environment import environment
from pipeline.render.fonts import ROLES, STACKS, WEIGHTS, coverage


def warm() -> None:
    """Resolve the faces of every font stack and read their character maps."""
    for stack in STACKS.values():
        for role in ROLES:
            for weight in WEIGHTS[role]:
                for family in stack.families(role):
                    coverage(family, weight)
    environment()


warm()
