"""Manuscript folder -> a build identity (content hash, bookpress version, date) printed on every proof page.

A reviewer holding two printouts can tell at a glance whether they come from the
same manuscript: the hash covers every file that can change the book (text,
photos, templates, fonts) and nothing that a build writes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ... import __version__
from ...model import Manuscript
from ...load.sources import source_files

HASH_LENGTH = 12  # hex digits shown; enough to tell builds apart, short enough to read aloud


@dataclass(frozen=True)
class BuildIdentity:
    content_hash: str
    version: str
    created: datetime

    @property
    def short_hash(self) -> str:
        return self.content_hash[:HASH_LENGTH]

    @property
    def stamp(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M")

    def mark(self) -> str:
        return f"PROOF  {self.stamp}  ·  build {self.short_hash}  ·  bookpress {self.version}"


def build_identity(manuscript: Manuscript, now: datetime | None = None) -> BuildIdentity:
    return BuildIdentity(manuscript_hash(manuscript), __version__, now or proof_time())


def proof_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now().astimezone()


def manuscript_hash(manuscript: Manuscript) -> str:
    """A hash of every source file under the manuscript folder (names and contents)."""
    # Photos were already hashed when their headers were probed: reuse those digests.
    known = {photo.image.path.resolve(): photo.image.digest for photo in manuscript.all_photos()}
    digest = hashlib.blake2b(digest_size=20)
    for path in source_files(manuscript.root):
        digest.update(path.relative_to(manuscript.root).as_posix().encode() + b"\0")
        probed = known.get(path.resolve())
        digest.update(probed.encode() if probed else _file_digest(path))
        digest.update(b"\0")
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()
