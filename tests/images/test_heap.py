"""An image worker keeps its freed C memory for the next photo instead of faulting in new pages."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from bookpress.images import pool

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the tuning is glibc's mallopt")

# Photo-sized buffers made and dropped the way a worker does: the file's bytes and the decoded pixels, in
# the main thread and in another (libvips computes in one of its own), of sizes that differ photo by photo.
# The page faults of the later photos are counted: memory reused costs none.
PHOTOS = """
import resource, threading
def photo(n):
    data = bytes(bytearray(n))
    pixels = bytearray(3 * n)
    pixels[::4096] = b"\\1" * len(pixels[::4096])
    del data, pixels
def photos(sizes):
    for n in sizes:
        photo(n)
        thread = threading.Thread(target=photo, args=(n,))
        thread.start()
        thread.join()
photos([8 << 20, 6 << 20, 9 << 20])
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
photos([7 << 20, 8 << 20, 6 << 20, 9 << 20])
FAULTS = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
"""

FEW = 300  # a page is 4 KiB: the later photos' buffers are ~250 MB, some 60,000 pages if each were new


def _faults(setup: str) -> int:
    script = setup + PHOTOS + "print(FAULTS)\n"
    return int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True).stdout.split()[-1])


def test_freed_photo_memory_is_reused_once_the_heap_is_tuned():
    tuned = _faults("from bookpress.images.heap import keep_freed_memory\nassert keep_freed_memory()\n")
    untuned = _faults("")
    assert tuned < FEW, f"{tuned} page faults for photos whose buffers were freed before"
    # Not a check of glibc, but of the test: untuned, the same photos fault pages in again.
    assert untuned > 4 * tuned


def test_the_pools_workers_start_with_their_heap_tuned(tmp_path: Path):
    result = tmp_path / "faults.txt"
    executor = pool._executor(1)
    try:
        executor.submit(exec, PHOTOS + f"open({str(result)!r}, 'w').write(str(FAULTS))\n", {}).result(timeout=60)
    finally:
        pool.stop_workers()
    assert int(result.read_text()) < FEW
