"""Manuscript folder -> the files that make the book, and the date of the newest one.

Shared by the proof's build identity, the watcher and the PDF's document dates:
build output and hidden files (.git, editor state) are never part of the book.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

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


def pdf_date(moment: datetime) -> str:
    """A PDF date string (ISO 32000 7.9.4) in UTC."""
    return moment.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
