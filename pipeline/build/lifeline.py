"""Imported by the render pool's fork server only: it dies with the build (see :mod:`pipeline.build.workers`).

The fork server's parent is the build process; its workers' parent is the fork
server.  Each asks the kernel for SIGKILL when its parent dies
(:func:`pipeline.build.workers.die_with_parent`), so a build killed with ``kill -9``
takes the fork server and, through it, every worker along: no render process
outlives its build.
"""

from __future__ import annotations

from pipeline.build.workers import die_with_parent

die_with_parent()
