"""A worker process's life tied to the compile that started it: it ends as soon as that process is gone.

The pool's workers are forked by multiprocessing's fork server, not by the compile itself, and
each keeps the write end of its own task pipe and a share of the fork server's "alive" pipe.
So when the compile is killed (SIGKILL, an out-of-memory kill, a closed terminal) nothing
tells them: they, the fork server and the resource tracker would wait for good, holding the
caller's stdout open (`out=$(bookpress compile ...)` would never return). Each worker
therefore watches the compile's process and exits the moment it ends; the fork server and
the resource tracker then see their last client go and end too.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pool's module loads with the first pool (pool.py)
    from concurrent.futures import ProcessPoolExecutor

POLL_SECONDS = 0.5  # only where the system has no process descriptors (not Linux 5.3+)


def watch_parent(pid: int) -> None:
    """A worker's initializer: end this process when process `pid` (the compile) ends."""
    # The compile's Ctrl+C reaches its whole process group; the compile itself stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_wait_for_end, args=(pid,), name="bookpress-parent", daemon=True).start()


def _wait_for_end(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)  # readable once the process has ended; no polling, no pid reuse
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # pragma: no cover - older kernels and other systems
        _poll(pid)
    else:
        select.select([fd], [], [])
    os._exit(1)  # nothing to clean up that the next compile would not: scratch files are swept then


def _poll(pid: int) -> None:  # pragma: no cover - see POLL_SECONDS
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except OSError:
            pass
        time.sleep(POLL_SECONDS)


def terminate(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now, in the middle of their photos (an interrupt: nobody waits for the result)."""
    processes = getattr(executor, "_processes", None) or {}  # the pool's own table; no public way before 3.14
    for process in list(processes.values()):
        try:
            process.terminate()
        except (OSError, AttributeError, ValueError):
            pass


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP (or SIGINT), raised in the main thread like Ctrl+C's KeyboardInterrupt, so that the
    same clean-up runs: scratch files removed, workers stopped, the previous output left as it was."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_received: list[int] = []  # the stop signals received, newest last


def on_stop_signal(signum: int, frame: object = None) -> None:
    """A signal handler: note the signal, then interrupt whatever the main thread is doing."""
    _received.append(signum)
    raise Interrupted(signum)


def stop_requested() -> int | None:
    """The signal that asked this process to stop, if one did (a library may have swallowed its exception)."""
    return _received[-1] if _received else None


def stop_if_requested() -> None:
    """Raise Interrupted again where the first one was lost: some libraries catch every exception.

    Called before each step that commits a result (writing the PDF), so that a stop asked
    for is never taken for a finished compile.
    """
    if _received:
        raise Interrupted(_received[-1])
