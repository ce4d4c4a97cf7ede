"""Many ImageJobs -> prepared files, deduplicated, cache hits first, the rest in a process pool.

The pool lives as long as the process (a watch loop reuses it) and can be started
ahead of need with start_workers(), so that the workers boot while the caller is
still loading and laying out the book.
"""

from __future__ import annotations

import heapq
import os
import sys
import threading
from concurrent.futures import CancelledError, Executor, Future, InvalidStateError, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..diagnostics import ImageProblem, ImageProblems
from ..load.probe import probe_with_state
from ..options import usable_cores
from . import cache
from .jobs import ImageJob
from .heap import keep_freed_memory
from .lifetime import terminate, watch_parent
from .prepare import make, prepare

# multiprocessing and the process pool (~16 ms) are imported with the first pool: a rebuild whose photos
# are all cached never starts one.
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Progress = Callable[[int, int], None]
_pool: tuple[int, int, ProcessPoolExecutor] | None = None  # (owner pid, workers, executor)
_pool_lock = threading.Lock()
_boot: threading.Thread | None = None  # start_workers' thread, while it may still be starting processes
_boot_workers = 0  # how many it starts


def prepare_all(jobs: Iterable[ImageJob], cache_dir: Path | None, workers: int | None = None,
                progress: Progress | None = None) -> dict[ImageJob, Path]:
    """Prepare every job once; returns {job: file}. `workers` defaults to the usable cores.

    Every failing image is reported together in one ImageProblems.
    """
    jobs = list(jobs)
    with Preparing(cache_dir, workers, progress) as preparing:
        preparing.add(jobs)
        return preparing.result(jobs)


class Preparing:
    """Images handed to the workers as soon as they are known, collected when the caller needs them.

    add() looks up the cache in the caller's thread (a background thread would wait for the
    busy caller's GIL after every file lookup, ~5 ms each) and queues the rest. The workers
    are fed the costliest waiting photo first, a few at a time, so that photos added later
    still take their turn by size and the book ends on small ones, both workers finishing
    together. Leaving the `with` block cancels what has not started.
    """

    def __init__(self, cache_dir: Path | None, workers: int | None = None, progress: Progress | None = None,
                 shared: bool = True, executor: Executor | None = None) -> None:
        """`executor` runs the photos (anything with submit(fn, *args) -> Future); by default the process
        pool, or for one worker a thread of this process."""
        # Not created here: a manuscript that fails to load leaves no build folder behind (store makes it).
        self.folder = Path(cache_dir) if cache_dir is not None else cache.session_dir()
        self.workers = workers or usable_cores()
        self._progress = progress
        self.shared = shared and cache_dir is not None  # a cache other processes may prune: locked while in use
        self._names: dict[str, list[str]] | None = None  # the cache's entries, read once at the first add
        self.damaged: list[tuple[ImageJob, str]] = []  # entries found damaged (removed; the photo prepared again)
        self.heard: dict[ImageJob, tuple[str, ...]] = {}  # what the image library said while preparing each
        self._known: dict[ImageJob, Future] = {}
        self._waiting: list[tuple[float, int, ImageJob]] = []  # a heap: costliest first, then first added
        self._running: dict[ImageJob, Future] = {}  # the executor's futures of the photos handed over
        self._busy = 0  # photos handed over (or being handed over) and not finished
        self._finished = 0
        # The executor's thread finishes photos and hands over the next. Never held while submitting:
        # the executor takes its own lock there, and may hold it while it reports a broken pool to us.
        self._lock = threading.RLock()
        # Even one job goes to a worker: a 24 MP decode would otherwise double this process's memory.
        # One worker: a thread of this process (Pillow lets go of the GIL while it decodes and encodes).
        self._serial = ThreadPoolExecutor(1, thread_name_prefix="bookpress-image") \
            if self.workers <= 1 and executor is None else None
        self._given = executor

    def add(self, jobs: Iterable[ImageJob]) -> None:
        """Queue the jobs not seen before; cached ones are done at once."""
        with self._lock:
            if self._names is None:
                if self.shared:
                    cache.use(self.folder)  # before the first lookup: no prune elsewhere from now on
                self._names = cache.listing(self.folder)
            for job in dict.fromkeys(jobs):
                if job in self._known:
                    continue
                hit, damaged = cache.find(self.folder, job.key, self._names)
                self.damaged.extend((job, name) for name in damaged)
                self._known[job] = Future()
                if hit is None:
                    heapq.heappush(self._waiting, (-_cost(job), len(self._known), job))
                else:
                    self._known[job].set_result(hit)
                    self._finished += 1
            finished, total = self._finished, len(self._known)
        self._hand_over()
        if self._progress:
            self._progress(finished, total)

    def result(self, jobs: Iterable[ImageJob]) -> dict[ImageJob, Path]:
        """{job: file} for `jobs` (added now if they were not); what was added but is not needed is cancelled."""
        jobs = list(dict.fromkeys(jobs))
        self.add(jobs)
        needed = set(jobs)
        for job, future in self._known.items():
            if job not in needed:
                future.cancel()  # a pass of layout that was redone (a wider gutter) placed it
        problems: list[ImageProblem] = []
        files: dict[ImageJob, Path] = {}
        for job in jobs:
            outcome = _outcome(self._known[job], own_pool=self._given is None and self._serial is None)
            if isinstance(outcome, ImageProblem):
                problems.append(outcome)
            else:
                files[job] = outcome
        if problems:
            raise ImageProblems(sorted(problems, key=str))
        return files

    def _hand_over(self) -> None:
        """Keep each worker busy and one photo queued behind them, costliest first."""
        while True:
            with self._lock:
                if not self._waiting or self._busy > self.workers:
                    return
                job = heapq.heappop(self._waiting)[2]
                if not self._known[job].set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                self._busy += 1
            try:
                running = (self._given or self._serial or _executor(self.workers)).submit(_attempt, job, self.folder)
            except Exception as exc:  # a broken or shut-down pool: this photo reports it
                with self._lock:
                    self._busy -= 1
                self._known[job].set_exception(exc)
                continue
            with self._lock:
                self._running[job] = running
            running.add_done_callback(lambda done, job=job: self._done(job, done))

    def _done(self, job: ImageJob, running: Future) -> None:
        future = self._known[job]
        if running.cancelled():
            future.set_exception(CancelledError())
        elif (error := running.exception()) is not None:
            future.set_exception(error)
        elif isinstance(outcome := running.result(), ImageProblem):
            future.set_result(outcome)
        else:
            path, heard = outcome
            if heard:
                self.heard[job] = heard
            future.set_result(path)
        with self._lock:
            self._running.pop(job, None)
            self._busy -= 1
            self._finished += 1
            finished, total = self._finished, len(self._known)
        self._hand_over()
        if self._progress:
            self._progress(finished, total)

    def __enter__(self) -> "Preparing":
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            for future in list(self._known.values()):
                future.cancel()  # those still waiting; a running one cannot be
            for running in list(self._running.values()):
                running.cancel()  # handed over but not yet started by a worker (its callback runs now)
        if self._serial is not None:
            self._serial.shutdown(wait=True, cancel_futures=True)


def _outcome(future: Future, own_pool: bool) -> Path | ImageProblem:
    global _pool
    try:
        return future.result()
    except Exception as exc:
        process = sys.modules.get("concurrent.futures.process")  # loaded with the pool, if there is one
        if own_pool and process is not None and isinstance(exc, process.BrokenProcessPool):
            _pool = None  # a worker was killed (out of memory?): start afresh next time
        raise


def _cost(job: ImageJob) -> float:
    """Pixels to decode and resample: a JPEG decodes at 1/2, 1/4 or 1/8 when the output allows."""
    left, top, right, bottom = job.box
    out_w, out_h = job.output_size
    scale = min((right - left) / out_w, (bottom - top) / out_h)
    reduction = max((r for r in (2, 4, 8) if r <= scale), default=1) if job.source.format == "JPEG" else 1
    return job.source.width * job.source.height / reduction**2 + out_w * out_h


def start_workers(workers: int | None = None, unless_prepared: Path | None = None) -> bool:
    """Boot the worker processes now, in the background (nothing happens for one worker); whether it did.

    Nor where `unless_prepared`, the image cache, already holds prepared images: a rebuild mostly
    finds every photo there, and booting workers for nothing costs ~0.4 s of CPU. The pool then
    starts when the first photo turns out to be missing.
    """
    global _boot, _boot_workers
    if unless_prepared is not None and cache.holds_entries(unless_prepared):
        return False
    if (workers or usable_cores()) <= 1:
        return False
    # In a thread: each start waits until the fork server has imported the image modules.
    _boot_workers = workers or usable_cores()
    _boot = threading.Thread(target=_executor, args=(_boot_workers,), daemon=True)
    _boot.start()
    return True


PROBES_QUEUED = 2  # per worker: one probing, one waiting, so that a worker never waits for the next


def probe_ahead(paths: list[Path]) -> dict[str, Future]:
    """Probe `paths` in the workers start_workers() is booting, which have nothing else to do until
    layout places photos: str(path) -> future of probe_with_state(path) (see load/ahead.py).

    Call it only when start_workers() has just started a boot (a first compile): a rebuild keeps its
    probes anyway, and the workers' time is then the photos'.
    The futures are this module's own, settled from the workers' in a thread that waits for the
    boot, so the caller never waits for processes to start. A few are handed over at a time, last
    first, each marked running as it goes: one the loader reaches first (the workers are still
    booting, or busy with the others) it cancels and probes itself, and no worker is then given it.
    """
    if not paths or _boot is None:
        return {}
    results = {str(path): Future() for path in paths}
    queue = iter(paths[::-1])  # from the end: the loader, going from the start, meets the workers once
    queue_lock = threading.Lock()

    def hand_over_next(executor: ProcessPoolExecutor) -> None:
        with queue_lock:  # the next one the loader has not taken
            path = next((p for p in queue if results[str(p)].set_running_or_notify_cancel()), None)
        if path is None:
            return
        ours = results[str(path)]
        try:
            theirs = executor.submit(probe_with_state, path)
        except Exception as exc:  # the pool broke or was shut down: the loader probes it itself
            _settle_once(ours, exc)
            return
        theirs.add_done_callback(lambda done: (_settle(ours, done), hand_over_next(executor)))

    def boot_and_hand_over() -> None:
        try:
            executor = _executor(_boot_workers)
        except Exception as exc:  # a pool that cannot start: the caller probes them itself
            for future in results.values():
                _settle_once(future, exc)
            return
        for _ in range(PROBES_QUEUED * _boot_workers):
            hand_over_next(executor)

    threading.Thread(target=boot_and_hand_over, daemon=True, name="bookpress-probe-ahead").start()
    return results


def _settle(ours: Future, theirs: Future) -> None:
    if theirs.cancelled():  # ours is running (handed over): it cannot be cancelled, only told
        _settle_once(ours, CancelledError())
    elif theirs.exception() is not None:
        _settle_once(ours, theirs.exception())
    else:
        _settle_once(ours, None, theirs.result())


def _settle_once(future: Future, error: BaseException | None, result=None) -> None:
    """Settle a future unless it already is (a failed hand-over and a worker's answer can cross)."""
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass


def workers_running() -> bool:
    """Whether this process has a worker pool, or is still starting one."""
    return (_boot is not None and _boot.is_alive()) or (_pool is not None and _pool[0] == os.getpid())


def stop_workers(now: bool = False) -> None:
    """Wait for a boot in progress, then shut the pool down (`now`: without finishing the photos in hand).

    A process that exits while its workers are still starting (a manuscript error
    found before any image was needed) leaves them reading from a closed pipe, and
    they print tracebacks; the command calls this before it exits.
    """
    global _pool
    if _boot is not None:
        _boot.join()
    with _pool_lock:
        if _pool is not None and _pool[0] == os.getpid():
            if now:
                terminate(_pool[2])
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
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: forking a parent that runs threads (a progress display, a file
    # watcher) can deadlock the child; spawn is the fallback where it is missing.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # imported once in the server, inherited by every worker it forks
        context.set_forkserver_preload(_preload())
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(),))
    for _ in range(workers):  # a worker is started per submitted task, so this starts them all
        executor.submit(os.getpid)
    _pool = (os.getpid(), workers, executor)
    return executor


def _preload() -> list[str]:
    """The modules the fork server imports once for all its workers.

    "__main__" is multiprocessing's own way, but Python 3.11's fork server never gets
    the main script's path, so every worker runs the main module again by itself. The
    `bookpress` console script imports only `bookpress.__main__`, which costs nothing; run
    as `python -m bookpress.cli` it is the whole CLI, ~0.2 s of CPU per worker while the
    main process is loading the book, so that module is imported in the server and each
    worker's second run is cheap. (A package's __main__ is never run again, nor imported here.)
    simplejpeg (and numpy with it) is what prepare imports only when it first decodes.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    entry = spec.name if spec is not None else getattr(getattr(main, "main", None), "__module__", None)
    modules = ["__main__", prepare.__module__, "simplejpeg"]
    if not isinstance(entry, str) or entry in modules or entry.split(".")[-1] == "__main__":
        return modules
    return modules + [entry]


def _start_worker(compile_pid: int) -> None:
    """Each worker's first step: its heap kept between photos (before its watcher thread can take an
    arena of its own), its life tied to the compile's."""
    keep_freed_memory()
    watch_parent(compile_pid)


def _attempt(job: ImageJob, folder: Path) -> tuple[Path, tuple[str, ...]] | ImageProblem:
    """In a worker: the prepared file and what the image library said, or the photo's problem."""
    try:
        return make(job, folder)
    except ImageProblem as problem:
        return problem
