"""File bytes -> the content digest that keys the image caches (BLAKE3 where installed, else SHA-256)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO, Callable

try:  # BLAKE3: three times faster than hardware SHA-256, and a camera file is hashed twice per cold build
    from blake3 import blake3 as _content_hash

    DIGEST_NAME = "blake3"
except ImportError:  # pragma: no cover - a different digest only means cache misses, never wrong hits
    _content_hash = hashlib.sha256
    DIGEST_NAME = "sha256"


# Above this, BLAKE3 hashes on every core; below, one thread: for a camera file (8 MB, ~5 ms of CPU)
# waking threads saves nothing and, on a busy machine, makes layout wait for cores the workers need.
THREADED_ABOVE = 64 * 2**20


def file_digest(path: Path) -> str:
    """The digest of a file's bytes.

    BLAKE3 maps the file and hashes it in one call: no Python loop over chunks.
    """
    if DIGEST_NAME == "blake3":
        try:
            threads = _content_hash.AUTO if Path(path).stat().st_size > THREADED_ABOVE else 1
            return _content_hash(max_threads=threads).update_mmap(str(path)).hexdigest()
        except OSError:  # a file that cannot be mapped is read instead
            pass
    with open(path, "rb") as fp:
        return read_digest(fp, _content_hash).hexdigest()


def read_digest(fp: BinaryIO, make: Callable = _content_hash, chunk: int = 1 << 20):
    """A hash object (from `make`) fed with the rest of `fp`, in chunks.

    hashlib.file_digest does this from Python 3.11 on; bookpress also runs on 3.10.
    """
    digest = make()
    while block := fp.read(chunk):
        digest.update(block)
    return digest


def bytes_digest(data: bytes) -> str:
    """The same digest as file_digest, of bytes already read."""
    return _content_hash(data).hexdigest()
