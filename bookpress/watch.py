"""Manuscript folder + a build step -> a rebuild after every change, until stopped (watchfiles).

A failed build (a manuscript error, a bad image) is reported and the watch goes
on: the author fixes the file and saves, and the next build runs. Builds are fast
because prepared images are cached between them.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generic, Optional, TypeVar

from watchfiles import Change, DefaultFilter, watch

from .diagnostics import Diagnostic, ImageProblem, ManuscriptError
from .images.lifetime import stop_if_requested
from .load.sources import BUILD_FOLDER, source_files

T = TypeVar("T")
DEBOUNCE_MS = 300  # editors save in bursts (temp file, rename, metadata): build once per burst
TICK_MS = 400  # how often the loop wakes without changes, to check its limits and missed saves


@dataclass(frozen=True)
class Outcome(Generic[T]):
    number: int  # 1 for the first build
    seconds: float
    result: Optional[T] = None  # the build's result when it succeeded
    diagnostics: tuple[Diagnostic, ...] = ()  # manuscript problems when it failed
    problem: Optional[str] = None  # any other failure, in one line
    changed: tuple[str, ...] = ()  # files (relative to the manuscript) whose change started this build

    @property
    def ok(self) -> bool:
        return self.result is not None


@dataclass(frozen=True)
class Limits:
    max_builds: Optional[int] = None  # stop after this many builds (tests, scripts)
    timeout: Optional[float] = None  # stop after this many seconds
    stop: Optional[threading.Event] = None  # stop when set


class ManuscriptFilter(DefaultFilter):
    """Changes that can alter the book: not build output, hidden files or editor droppings."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        absolute = Path(path).resolve()
        if not absolute.is_relative_to(self.root) or absolute == self.root:
            return False
        relative = absolute.relative_to(self.root)
        if relative.parts[0] == BUILD_FOLDER or any(part.startswith(".") for part in relative.parts):
            return False
        return super().__call__(change, path)


def watch_manuscript(root: Path, build: Callable[[], T], report: Callable[[Outcome[T]], None],
                     limits: Limits = Limits()) -> int:
    """Build once, then again after each change; returns the number of builds run."""
    root = root.resolve()
    started = time.monotonic()
    stop = limits.stop or threading.Event()
    number, snapshot = 1, _snapshot(root)
    report(_run(build, number, ()))
    gc.collect()  # the command runs with the cycle collector off: what a build left in cycles goes, once it is told
    if _done(number, limits, started):
        return number
    changes = watch(root, watch_filter=ManuscriptFilter(root), debounce=DEBOUNCE_MS, rust_timeout=TICK_MS,
                    yield_on_timeout=True, stop_event=stop, raise_interrupt=True)  # Ctrl+C: exit 130
    for _ in changes:
        # Every wake-up (a change, or a quiet tick) compares the files themselves: a save made while the
        # previous build ran shows only there, and an editor's temporary file that came and went is no change.
        current = _snapshot(root)
        if current != snapshot:
            changed, snapshot, number = _differences(snapshot, current), current, number + 1
            report(_run(build, number, changed))
            gc.collect()
        if _done(number, limits, started):
            break
    return number


def _run(build: Callable[[], T], number: int, changed: tuple[str, ...]) -> Outcome[T]:
    start = time.monotonic()
    try:
        result = build()
    except (ManuscriptError, ImageProblem) as exc:
        stop_if_requested()  # a stop signal the build turned into a failure ends the watch; it is not a failure
        if isinstance(exc, ManuscriptError):
            return Outcome(number, time.monotonic() - start, diagnostics=exc.diagnostics, changed=changed)
        return Outcome(number, time.monotonic() - start, problem=str(exc), changed=changed)
    return Outcome(number, time.monotonic() - start, result=result, changed=changed)


def _done(number: int, limits: Limits, started: float) -> bool:
    if limits.stop is not None and limits.stop.is_set():
        return True
    if limits.max_builds is not None and number >= limits.max_builds:
        return True
    return limits.timeout is not None and time.monotonic() - started >= limits.timeout


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    state = {}
    for path in source_files(root):
        try:
            stat = path.stat()
        except OSError:  # deleted between listing and stat: the next snapshot will show it
            continue
        state[_relative(root, str(path))] = (stat.st_mtime_ns, stat.st_size)
    return state


def _differences(old: dict[str, tuple[int, int]], new: dict[str, tuple[int, int]]) -> tuple[str, ...]:
    return tuple(sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name)))


def _relative(root: Path, path: str) -> str:
    candidate = Path(path)
    return candidate.relative_to(root).as_posix() if candidate.is_relative_to(root) else path
