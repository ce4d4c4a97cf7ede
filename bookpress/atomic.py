"""Output bytes -> a file that is either the old one or the whole new one, never half of either.

Each write goes to a temporary file in the target's folder (same file system, so
the rename is atomic) and is renamed over the target only when it is complete. A
failure or an interrupt (Ctrl+C) removes the temporary file and leaves the
previous output as it was. Problems with the target path itself are UsageErrors:
they are about where the user asked bookpress to write, not about the manuscript.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Callable

from .diagnostics import UsageError

# Errors that mean "this place cannot take the file" rather than a bug in the writer.
_PLACE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENAMETOOLONG,
                 errno.ENOTDIR, errno.EISDIR, errno.ENOENT}


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call write(temp_path), then move the result onto `target`; on any failure `target` is untouched."""
    target = Path(target)
    tmp = _temporary(target)
    try:
        write(tmp)
        _make_ordinary(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno in _PLACE_ERRNOS and exc.filename in (None, str(tmp), str(target), tmp, target):
            raise cannot_write(target, exc) from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(target: Path, text: str) -> None:
    write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _temporary(target: Path) -> Path:
    if target.is_dir():
        raise UsageError(f"cannot write '{target}': it is a folder", "give a file name, such as book.pdf")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name[:60]}-", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    os.close(fd)
    return Path(name)


def _make_ordinary(path: Path) -> None:
    """mkstemp makes the file private (0600); a book is an ordinary file, readable as the umask allows."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def cannot_write(target: Path, exc: OSError) -> UsageError:
    reason = exc.strerror or str(exc)
    return UsageError(f"cannot write '{target}': {reason}",
                      "choose another output file with -o, or free space / fix the folder's permissions")
