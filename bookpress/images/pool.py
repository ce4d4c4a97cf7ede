"""Many ImageJobs -> prepared files, deduplicated, cache hits first, the rest in a process pool."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import cache
from .errors import ImageProblem, ImageProblems
from .prepare import ImageJob, prepare

Progress = Callable[[int, int], None]


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
    # Largest first, so one big panorama does not finish alone at the end.
    todo.sort(key=lambda j: j.source.width * j.source.height, reverse=True)
    problems: list[ImageProblem] = []
    for job, result in _results(todo, folder, min(workers or _usable_cores(), len(todo))):
        if isinstance(result, ImageProblem):
            problems.append(result)
        else:
            done[job] = result
        if progress:
            progress(len(done) + len(problems), len(unique))
    if problems:
        raise ImageProblems(sorted(problems, key=str))
    return {job: done[job] for job in unique}


def _results(todo: list[ImageJob], folder: Path,
             workers: int) -> Iterator[tuple[ImageJob, Path | ImageProblem]]:
    if workers <= 1:
        for job in todo:
            yield job, _attempt(job, folder)
        return
    # forkserver: forking a parent that runs threads (a progress display, a file
    # watcher) can deadlock the child; spawn is the fallback where it is missing.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
    try:
        futures = {pool.submit(_attempt, job, folder): job for job in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:  # on an unexpected error (or the caller giving up) do not wait for the rest
        pool.shutdown(cancel_futures=True)


def _attempt(job: ImageJob, folder: Path) -> Path | ImageProblem:
    try:
        return prepare(job, folder)
    except ImageProblem as problem:
        return problem


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
