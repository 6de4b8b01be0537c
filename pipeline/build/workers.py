"""Where render tasks run: in this process, in a local process pool, or on a Dask cluster.

In: an iterable of :class:`~pipeline.render.task.RenderJob` (consumed lazily: the
build decides the next brief's publication while workers render) and a
callback.  Out: the callback gets each job with its
:class:`~pipeline.render.task.RenderOutput` or the exception it raised, in the order
they finish.  At most two jobs per worker are in flight, so memory does not
grow with the number of briefs.

* ``jobs=1``: in this process, one after the other (no start-up cost).
* ``jobs=N``: a :class:`concurrent.futures.ProcessPoolExecutor` of N
  long-lived workers started from a fork server that has already imported
  WeasyPrint; each builds one ``FontConfiguration`` when it starts
  (:func:`pipeline.render.task.init_worker`) and is replaced after
  ``max_tasks_per_child`` renders, before its memory grows.
* ``scheduler="tcp://host:8786"``: the tasks go to an existing Dask
  ``distributed`` scheduler; its workers need the same pipeline, libraries and
  fonts (the build checks each output's environment fingerprint).
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

from pipeline.errors import PipelineError
from pipeline.render.task import RenderJob, RenderOutput, init_worker, render_job

Done = Callable[[RenderJob, RenderOutput | BaseException], None]
# Imported once by the fork server, so a new or recycled worker starts warm (imports, font caches);
# lifeline makes the fork server die with the build.
PRELOAD = ["pipeline.build.lifeline", "pipeline.build.preload"]
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
MAX_TASKS_PER_CHILD = 200  # measured in docs/benchmarks-build.md: flat memory well past this


class ClusterError(PipelineError):
    category = "cluster"


def die_with_parent() -> None:
    """Linux: this process is killed when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before the call: nothing would signal it
        os._exit(1)


def _init_worker() -> None:
    """A local render worker: dies with the fork server (so with the build), then warms up."""
    die_with_parent()
    init_worker()


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_jobs(
    jobs: Iterable[RenderJob],
    on_done: Done,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    max_tasks_per_child: int = MAX_TASKS_PER_CHILD,
) -> str:
    """Run every job; returns a description of where they ran (for the build's report)."""
    if scheduler:
        return _run_dask(jobs, on_done, scheduler)
    if workers <= 1:
        for job in jobs:
            try:
                out: RenderOutput | BaseException = render_job(job)
            except PipelineError as exc:
                out = exc
            on_done(job, out)
        return "in this process"
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    with cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, max_tasks_per_child=max_tasks_per_child
    ) as pool:
        _window(jobs, on_done, pool.submit, _wait_local, 2 * workers)
    return f"on {workers} local worker processes"


def _wait_local(pending: Iterable[Any]) -> Iterable[Any]:
    done, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
    return done


def _window(
    jobs: Iterable[RenderJob],
    on_done: Done,
    submit: Callable[..., Any],
    wait: Callable[[Iterable[Any]], Iterable[Any]],
    size: int,
) -> None:
    """Keep ``size`` jobs in flight; hand each finished one to ``on_done``."""
    pending: dict[Any, RenderJob] = {}

    def drain() -> None:
        for fut in wait(pending):
            job = pending.pop(fut)
            exc = fut.exception()
            if exc is not None and not isinstance(exc, PipelineError):
                raise exc
            on_done(job, exc if exc is not None else fut.result())

    for job in jobs:
        while len(pending) >= size:
            drain()
        pending[submit(render_job, job)] = job
    while pending:
        drain()


def _run_dask(jobs: Iterable[RenderJob], on_done: Done, scheduler: str) -> str:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterError("--scheduler needs Dask: pip install -e '.[cluster]'") from None
    try:
        client = Client(scheduler, timeout="30s", set_as_default=False)
    except OSError as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        threads = sum(client.nthreads().values())
        if not threads:
            raise ClusterError(f"the Dask scheduler at {scheduler} has no workers")
        finished = as_completed(loop=client.loop)

        def submit(fn: Callable[..., Any], job: RenderJob) -> Any:
            # pure=False: a retried build renders again rather than reuse a result the scheduler still holds.
            future = client.submit(fn, job, key=f"render-{job.key}-{os.urandom(4).hex()}", pure=False, retries=1)
            finished.add(future)
            return future

        def wait_dask(pending: Iterable[Any]) -> Iterable[Any]:
            return [next(finished)]

        _window(jobs, on_done, submit, wait_dask, 2 * threads)
        return f"on the Dask scheduler {scheduler} ({len(client.nthreads())} workers, {threads} threads)"
