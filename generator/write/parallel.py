"""Work spread over the machine's cores, for the steps a big site repeats once per page.

``FLARE_WORKERS`` sets how many processes share such a step; ``1`` keeps it in the build's own
process. Unset, a build uses every core once there are enough pages to pay for starting the
processes. The site is the same byte for byte either way.

The processes are forks of the build, so they start at once and share its memory (the
snapshot, the templates) without copying it through pickle; only the results travel back.
A process that runs other threads (a browser in the tests, a preview server) is never forked,
as a fork copies a lock another thread may hold: there the work stays in process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from generator.errors import FlareError

WORKERS = "FLARE_WORKERS"
ITEMS_PER_WORKER = 100  # fewer items than this per process: starting it costs more than it saves
CHUNKS_PER_WORKER = 4  # so that a slow chunk does not leave the other processes idle

Item = TypeVar("Item")
Result = TypeVar("Result")

# The work of the current map_in_processes call, which the forked processes inherit.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count(items: int) -> int:
    """How many processes share ``items`` pieces of work: ``FLARE_WORKERS``, or the cores."""
    chosen = os.environ.get(WORKERS, "").strip()
    if chosen:
        if not chosen.isdigit() or int(chosen) < 1:
            raise FlareError(
                f"{WORKERS}={chosen!r}: give a whole number of processes, 1 or more "
                "(1 builds in one process)"
            )
        return int(chosen)
    return max(1, min(os.cpu_count() or 1, items // ITEMS_PER_WORKER))


def processes_for(items: int, workers: int) -> int:
    """How many processes :func:`map_in_processes` uses for ``items`` pieces of work: 1 where
    there is only one worker, one item, or a process that must not fork."""
    forkable = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    return workers if workers > 1 and items > 1 and forkable else 1


def map_in_processes(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> list[Result]:
    """``function`` of each item, in order; in ``workers`` forked processes when more than one
    and the process can fork. The results travel back by pickle."""
    global _work
    workers = processes_for(len(items), workers)
    if workers == 1:
        return [function(item) for item in items]
    count = min(len(items), workers * CHUNKS_PER_WORKER)
    bounds = [
        (len(items) * number // count, len(items) * (number + 1) // count)
        for number in range(count)
    ]
    _work = (function, items)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = list(pool.map(_run_chunk, bounds))
    finally:
        _work = None
    return [result for chunk in chunks for result in chunk]


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None, "map_in_processes runs its chunks in forks of the caller"
    function, items = _work
    return [function(items[index]) for index in range(*bounds)]
