"""What the image libraries say while reading one photo (Pillow's warnings, libtiff's lines on stderr) -> its text.

Pillow reports a damaged EXIF block or an odd TIFF tag with `warnings.warn`, and libtiff
prints straight to the process's stderr; left alone, both reach the author's terminal in
the middle of a compile, with a Python source line and no word of which photo it was.
Inside `heard()` they are kept instead, and the caller reports them as a diagnostic that
names the photo.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import warnings
from contextlib import contextmanager
from typing import Iterator

from PIL import Image

_local = threading.local()
_stderr_lock = threading.Lock()
_installed = False
_shown = warnings.showwarning


def install() -> None:
    """Route Pillow's warnings through heard() (once per process; before any thread uses Pillow)."""
    global _installed
    if _installed:
        return
    _installed = True
    warnings.showwarning = _show
    # Every time, not once per source line: the same warning about another photo is news too.
    warnings.filterwarnings("always", module=r"PIL(\.|$)")
    # Oversized images are refused by their size (probe.MAX_PIXELS) with a message of our own.
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)


def _show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001 - warnings' signature
    heard = getattr(_local, "heard", None)
    if heard is None:
        _shown(message, category, filename, lineno, file, line)
    else:
        heard.append(" ".join(str(message).split()))


@contextmanager
def heard(stderr: bool = False) -> Iterator[list[str]]:
    """Collect, in this thread, Pillow's warnings (and with `stderr`, what C libraries print there) in a list.

    stderr is captured at the file descriptor, for the whole process: it is asked for only
    around a libtiff decode, which is short and prints nothing else meanwhile.
    """
    install()
    found: list[str] = []
    outer = getattr(_local, "heard", None)
    _local.heard = found
    try:
        if stderr:
            with _captured_stderr(found):
                yield found
        else:
            yield found
    finally:
        _local.heard = outer
        if outer is not None:
            outer.extend(found)


@contextmanager
def _captured_stderr(found: list[str]) -> Iterator[None]:
    with _stderr_lock, tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read(64 * 1024).decode("utf-8", "replace")
            found.extend(" ".join(line.split()) for line in text.splitlines() if line.strip())
