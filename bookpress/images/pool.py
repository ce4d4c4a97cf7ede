"""Many ImageJobs -> prepared files, deduplicated, cache hits first, the rest in a process pool.

The pool lives as long as the process (a watch loop reuses it) and can be started
ahead of need with start_workers(), so that the workers boot while the caller is
still loading and laying out the book.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
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
    with start_preparing(jobs, cache_dir, workers, progress) as preparing:
        return preparing.result()


class Preparing:
    """Images being prepared by the workers while the caller does something else.

    Leaving the `with` block early (an exception) cancels what has not started.
    """

    def __init__(self, futures: dict[Future, ImageJob], collect: Callable[[], dict[ImageJob, Path]]) -> None:
        self._futures = futures
        self._outcome: Future = Future()
        self._thread = threading.Thread(target=self._collect, args=(collect,), name="bookpress-images", daemon=True)
        self._thread.start()

    def result(self) -> dict[ImageJob, Path]:
        return self._outcome.result()

    def _collect(self, collect: Callable[[], dict[ImageJob, Path]]) -> None:
        try:
            self._outcome.set_result(collect())
        except BaseException as exc:  # handed to whoever calls result()
            self._outcome.set_exception(exc)

    def __enter__(self) -> "Preparing":
        return self

    def __exit__(self, *exc_info: object) -> None:
        for future in self._futures:
            future.cancel()


def start_preparing(jobs: Iterable[ImageJob], cache_dir: Path | None, workers: int | None = None,
                    progress: Progress | None = None) -> Preparing:
    """Look up the cache and hand the rest to the workers now, in this thread; collect in the background.

    Submitting here, before the caller goes on to draw pages, matters: a background thread
    that did it would wait for the busy caller's GIL after every file lookup (~5 ms each).
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
    workers = workers or usable_cores()
    # Even one job goes to a worker: a 24 MP decode would otherwise double this process's memory.
    futures: dict[Future, ImageJob] = {}
    if workers > 1 and todo:
        pool = _executor(workers)
        futures = {pool.submit(_attempt, job, folder): job for job in todo}

    def collect() -> dict[ImageJob, Path]:
        problems: list[ImageProblem] = []
        outcomes = _completed(futures) if workers > 1 else ((job, _attempt(job, folder)) for job in todo)
        for job, outcome in outcomes:
            if isinstance(outcome, ImageProblem):
                problems.append(outcome)
            else:
                done[job] = outcome
            if progress:
                progress(len(done) + len(problems), len(unique))
        if problems:
            raise ImageProblems(sorted(problems, key=str))
        return {job: done[job] for job in unique}

    return Preparing(futures, collect)


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
        context.set_forkserver_preload(_preload())
    executor = ProcessPoolExecutor(workers, mp_context=context)
    for _ in range(workers):  # a worker is started per submitted task, so this starts them all
        executor.submit(os.getpid)
    _pool = (os.getpid(), workers, executor)
    return executor


def _preload() -> list[str]:
    """The modules the fork server imports once for all its workers.

    "__main__" is multiprocessing's own way, but Python 3.11's fork server never gets
    the main script's path, so every worker runs the script again by itself. For the
    `bookpress` console script (`from bookpress.cli import main`) that is the whole CLI,
    ~0.2 s of CPU per worker while the main process is loading the book. Importing the
    script's entry module in the server makes each worker's second run a lookup.
    """
    entry = getattr(getattr(sys.modules.get("__main__"), "main", None), "__module__", None)
    modules = ["__main__", prepare.__module__]
    return modules + [entry] if isinstance(entry, str) and entry not in modules else modules


def _completed(futures: dict[Future, ImageJob]) -> Iterator[tuple[ImageJob, Path | ImageProblem]]:
    global _pool
    try:
        for future in as_completed(futures):
            yield futures[future], future.result()
    except BrokenProcessPool:  # a worker was killed (out of memory?): start afresh next time
        _pool = None
        raise


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
