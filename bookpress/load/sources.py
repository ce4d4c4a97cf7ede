"""Manuscript folder -> the files that make the book, the date of the newest one, and a hash of them all.

Shared by the build options (the document's date, the proof's build identity) and the
watcher: build output and hidden files (.git, editor state) are never part of the book.
"""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import datetime, timezone
from pathlib import Path

from ..model import Manuscript

BUILD_FOLDER = "build"


def source_files(root: Path) -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(root):
        top = Path(folder) == root
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not (top and d == BUILD_FOLDER))
        files.extend(Path(folder) / name for name in sorted(names) if not name.startswith("."))
    return files


def source_date(root: Path) -> datetime:
    """SOURCE_DATE_EPOCH when set, else when the manuscript last changed.

    Not the time of the build: an unchanged manuscript compiles to the same bytes, and the
    date a printer or reviewer sees still says which state of the text the PDF shows.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    newest = max((p.stat().st_mtime for p in source_files(root) if p.is_file()), default=0.0)
    return datetime.fromtimestamp(int(newest), tz=timezone.utc)


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
    """The file's bytes hashed; a named pipe or a device (never opened: it could block or never end) by its kind."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        mode = path.stat().st_mode
    except OSError:
        return b"unreadable"
    if not stat.S_ISREG(mode):
        return b"special %o" % stat.S_IFMT(mode)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()
