"""A path the manuscript holds -> its bytes, read only if it is a regular file of bounded size inside the folder.

A manuscript folder may hold anything: a named pipe (opening it waits for a writer that
never comes), a link to /dev/zero (reading it never ends), a sparse file of gigabytes. So
every file is looked at (fstat on the opened descriptor, opened without waiting) before a
byte of it is read, and no more than its limit is read even if it grows meanwhile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MiB = 1024 * 1024
_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


class Refused(Exception):
    """A file bookpress will not read; `message` says why ("is a named pipe, not a file") and `hint` what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def size_problem(info: os.stat_result, limit: int) -> Refused | None:
    """Why a file with this stat cannot be read (not a regular file, larger than `limit`), or None."""
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        return Refused(f"is {kind}, not a file", "replace it with an ordinary file, or remove it")
    if info.st_size > limit:
        return Refused(f"is larger than {limit // MiB} MiB ({info.st_size / MiB:,.0f} MiB)",
                       "a file this large is not a manuscript file: split it, or remove it")
    return None


def check_file(path: Path, limit: int) -> None:
    """Raise Refused unless `path` (its link followed) is a regular file of at most `limit` bytes."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror or exc})", "check that it exists and that you may read it") \
            from None
    problem = size_problem(info, limit)
    if problem is not None:
        raise problem


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; Refused for anything else, before reading."""
    try:
        # O_NONBLOCK: opening a named pipe returns at once (to be refused below) instead of waiting forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror or exc})", "check that it exists and that you may read it") \
            from None
    with os.fdopen(fd, "rb") as file:
        problem = size_problem(os.fstat(fd), limit)
        if problem is not None:
            raise problem
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew since fstat
        raise Refused(f"is larger than {limit // MiB} MiB", "split it, or remove it")
    return data


def leads_out(path: Path, root: Path) -> str | None:
    """How a path inside the manuscript escapes it through a symbolic link ('outside the ...'), or None."""
    try:
        target = Path(path).resolve(strict=False)
    except (OSError, RuntimeError):
        return "is a symbolic link that leads to itself"
    if not target.is_relative_to(Path(root).resolve()):
        return "is a symbolic link that leads outside the manuscript folder"
    return None
