"""Many ImageJobs -> prepared files, deduplicated, cache hits first, the rest in a process pool.

The pool lives as long as the process (a watch loop reuses it) and can be started
ahead of need with start_workers(), so that the workers boot while the caller is
still loading and laying out the book.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import cache
from .errors import ImageProblem, ImageProblems
from .prepare import ImageJob, prepare

Progress = Callable[[int, int], None]
_pool: tuple[int, int, ProcessPoolExecutor] | None = None  # (owner pid, workers, executor)
_pool_lock = threading.Lock()
_boot: threading.Thread | None = None  # start_workers' thread, while it may still be starting processes


def prepare_all(jobs: Iterable[ImageJob], cache_dir: Path | None, workers: int | None = None,
                progress: Progress | None = None) -> dict[ImageJob, Path]:
    """Prepare every job once; returns {job: file}. `workers` defaults to the usable cores.

    Every failing image is reported together in one ImageProblems.
    """
    unique = list(dict.fromkeys(jobs))
    folder = Path(cache_dir) if cache_dir is not None else cache.session_dir()
    folder.mkdir(parents=True, exist_ok=True)
    done: dict[ImageJob, Path] = {}
    todo: list[ImageJob] = []
    for job in unique:
        hit = cache.lookup(folder, job.key)
        if hit is None:
            todo.append(job)
        else:
            done[job] = hit
    if progress:
        progress(len(done), len(unique))
    # Costliest first, so the workers finish together (one big panorama does not end alone).
    todo.sort(key=_cost, reverse=True)
    problems: list[ImageProblem] = []
    # Even one job goes to a worker: a 24 MP decode would otherwise double this process's memory.
    for job, result in _results(todo, folder, workers or usable_cores()):
        if isinstance(result, ImageProblem):
            problems.append(result)
        else:
            done[job] = result
        if progress:
            progress(len(done) + len(problems), len(unique))
    if problems:
        raise ImageProblems(sorted(problems, key=str))
    return {job: done[job] for job in unique}


def _cost(job: ImageJob) -> float:
    """Pixels to decode and resample: a JPEG decodes at 1/2, 1/4 or 1/8 when the output allows."""
    left, top, right, bottom = job.box
    out_w, out_h = job.output_size
    scale = min((right - left) / out_w, (bottom - top) / out_h)
    reduction = max((r for r in (2, 4, 8) if r <= scale), default=1) if job.source.format == "JPEG" else 1
    return job.source.width * job.source.height / reduction**2 + out_w * out_h


def start_workers(workers: int | None = None) -> None:
    """Boot the worker processes now, in the background (nothing happens for one worker)."""
    global _boot
    if (workers or usable_cores()) > 1:
        # In a thread: each start waits until the fork server has imported the image modules.
        _boot = threading.Thread(target=_executor, args=(workers or usable_cores(),), daemon=True)
        _boot.start()


def stop_workers() -> None:
    """Wait for a boot in progress, then shut the pool down.

    A process that exits while its workers are still starting (a manuscript error
    found before any image was needed) leaves them reading from a closed pipe, and
    they print tracebacks; the command calls this before it exits.
    """
    global _pool
    if _boot is not None:
        _boot.join()
    with _pool_lock:
        if _pool is not None and _pool[0] == os.getpid():
            _pool[2].shutdown(wait=True, cancel_futures=True)
        _pool = None


def _executor(workers: int) -> ProcessPoolExecutor:
    with _pool_lock:
        return _new_or_running(workers)


def _new_or_running(workers: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is not None and _pool[:2] == (os.getpid(), workers):
        return _pool[2]
    if _pool is not None and _pool[0] == os.getpid():
        _pool[2].shutdown(wait=False, cancel_futures=True)
    # forkserver: forking a parent that runs threads (a progress display, a file
    # watcher) can deadlock the child; spawn is the fallback where it is missing.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # imported once in the server, inherited by every worker it forks
        context.set_forkserver_preload(["__main__", prepare.__module__])
    executor = ProcessPoolExecutor(workers, mp_context=context)
    for _ in range(workers):  # a worker is started per submitted task, so this starts them all
        executor.submit(os.getpid)
    _pool = (os.getpid(), workers, executor)
    return executor


def _results(todo: list[ImageJob], folder: Path,
             workers: int) -> Iterator[tuple[ImageJob, Path | ImageProblem]]:
    global _pool
    if workers <= 1 or not todo:
        for job in todo:
            yield job, _attempt(job, folder)
        return
    pool = _executor(workers)
    futures = {pool.submit(_attempt, job, folder): job for job in todo}
    try:
        for future in as_completed(futures):
            yield futures[future], future.result()
    except BrokenProcessPool:  # a worker was killed (out of memory?): start afresh next time
        _pool = None
        raise
    finally:  # on an unexpected error (or the caller giving up) do not wait for the rest
        for future in futures:
            future.cancel()


def _attempt(job: ImageJob, folder: Path) -> Path | ImageProblem:
    try:
        return prepare(job, folder)
    except ImageProblem as problem:
        return problem


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
