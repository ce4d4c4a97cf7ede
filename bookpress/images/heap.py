"""A worker's C heap kept between photos, so that each photo does not fault in fresh pages.

A worker holds one photo at a time, but each takes tens of MB of C allocations: the file's bytes
(~8 MB for 24 MP), the decoded pixels (~18 MB at half scale), libvips' buffers. glibc gives
allocations above its mmap threshold their own mapping and returns it to the kernel when freed, and
trims the heap's top above its trim threshold; either way the next photo's buffers are new pages
the kernel must fault in and zero. That was 3,000 to 4,000 page faults and ~15 ms of system time
per photo (about what its JPEG encode costs). Raised thresholds keep the freed memory in the heap
for the next photo instead. It costs no peak memory: a worker's peak is its largest photo either
way. Between photos a worker may hold up to its largest photo's buffers until it ends, with its
compile or with the `watch` that reuses it between builds; glibc's own adaptive thresholds already
kept most of that (one process after 8 photos of 24 MP: 166 MiB resident untuned, 163 MiB tuned).
One arena: a worker computes in one thread at a time (libvips runs one), and each further thread's
arena would keep its own freed memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt's parameters (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
MMAP_THRESHOLD = 32 * 2**20  # glibc's largest (HEAP_MAX_SIZE / 2 on 64-bit); a larger value is refused
TRIM_THRESHOLD = 256 * 2**20


def keep_freed_memory() -> bool:
    """Tell this process's malloc to keep freed memory for reuse; whether it could (glibc only)."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (musl's is a no-op, macOS has none): nothing to tune
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return all([mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD), mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD),
                mallopt(M_ARENA_MAX, 1)])
