"""File bytes -> the content digest that keys the image caches (BLAKE3 where installed, else SHA-256)."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

try:  # BLAKE3: three times faster than hardware SHA-256, and a camera file is hashed twice per cold build
    from blake3 import blake3 as _content_hash

    DIGEST_NAME = "blake3"
except ImportError:  # pragma: no cover - a different digest only means cache misses, never wrong hits
    _content_hash = hashlib.sha256
    DIGEST_NAME = "sha256"


def file_digest(fp: BinaryIO) -> str:
    return hashlib.file_digest(fp, _content_hash).hexdigest()


def bytes_digest(data: bytes) -> str:
    """The same digest as file_digest, of bytes already read."""
    return _content_hash(data).hexdigest()
