"""A command line -> its wall time, CPU time and peak memory, counting every process it starts.

Run as `python bench/measure.py CMD...`; prints one JSON line. This process makes
itself a child subreaper, so worker processes that outlive their parent (a
forkserver's workers are not children of the command) are reparented here and
their CPU time and peak RSS still count. Two memory figures are reported:
`max_rss_mib`, the largest single process (what `/usr/bin/time` shows), and
`peak_total_rss_mib`, the largest sum over all live processes of the command,
sampled every 50 ms from /proc (Linux only).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")


def descendants_rss(root: int) -> int:
    """Bytes resident in all descendants of `root` (not `root` itself) right now.

    Walks down through /proc/PID/task/TID/children, so a sample costs a few file
    reads rather than a scan of every process (the sampler must not slow the run).
    """
    total, todo = 0, _children(root)
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
        todo.extend(_children(pid))
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def measure(command: list[str]) -> dict[str, float]:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        me = os.getpid()
        while not done.is_set():
            peak[0] = max(peak[0], descendants_rss(me))
            done.wait(0.05)

    start = time.perf_counter()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = subprocess.run(command, stdout=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    _reap_orphans()
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"exit": code, "wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            "max_rss_mib": round(usage.ru_maxrss / 1024, 1), "peak_total_rss_mib": round(peak[0] / 2**20, 1)}


def _reap_orphans() -> None:
    """Wait for reparented helpers (a forkserver) so that their usage is counted."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1:])))
