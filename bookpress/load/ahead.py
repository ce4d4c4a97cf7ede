"""Photos probed ahead, elsewhere: the manuscript's likely photos -> their probes, taken up by probe().

On a first compile the image workers boot while this process imports and loads the manuscript,
then wait until layout places the first photos; probing (header and content hash, ~6 ms per
camera file) was this process's longest step before layout. So the photos the manuscript's YAML
files name are probed in the workers meanwhile, and probe() takes a result from there when the
file is still as it was when the worker looked at it (same size, times, inode); otherwise, or
when the worker failed, it probes the file itself. A photo that no worker has been given yet when
the loader reaches it (the workers boot for ~0.3 s after this process is ready to load) is taken
back and probed here: the loader never waits for a worker that has not started on its photo. A
path the YAML only seems to name costs a worker one probe and nothing else: only what the loader
asks for is ever used.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import CancelledError, Future
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator, Mapping

from ..model import ImageInfo

# A path ending in an image file's extension, as YAML writes it (plain or quoted, in a list or a mapping).
_IMAGE_PATH = re.compile(r"[^\s'\"\[\]{},#]+\.(?:jpe?g|png|tiff?|webp|gif|bmp|avif)(?=[\s'\",\]}#]|$)", re.I)
MAX_CANDIDATES = 2000  # beyond this the loader probes as it goes
MAX_YAML_BYTES = 16 << 20
WAIT_SECONDS = 60.0  # a worker's probe that takes longer is given up and done here

_ahead: ContextVar[Mapping[str, Future]] = ContextVar("probes_ahead", default={})


def photo_candidates(root: Path) -> list[Path]:
    """The existing files inside `root` that its YAML files name with an image extension, in order met.

    Reads book.yaml and every other .yaml/.yml file under the manuscript (not build/ or hidden
    folders), as text: no YAML is parsed and nothing is reported; the loader does both.
    """
    root = Path(root).resolve()
    found: dict[Path, None] = {}
    for text in _yaml_texts(root):
        for match in _IMAGE_PATH.finditer(text):
            path = _inside(root, match.group())
            if path is not None:
                found[path] = None
                if len(found) >= MAX_CANDIDATES:
                    return list(found)
    return list(found)


def _yaml_texts(root: Path) -> Iterator[str]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and
                               not (folder == str(root) and d == "build"))
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                try:
                    path = Path(folder) / name
                    if path.stat().st_size <= MAX_YAML_BYTES:
                        yield path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue


def _inside(root: Path, text: str) -> Path | None:
    """The regular file `text` names relative to the manuscript, resolved as the loader resolves it."""
    if text.startswith(("/", "~")):
        return None
    try:
        path = (root / text).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None
    except (OSError, ValueError, RuntimeError):
        return None


@contextmanager
def probed_ahead(results: Mapping[str, Future]) -> Iterator[None]:
    """Within this block probe() may take a file's probe from `results`: str(resolved path) -> a future
    of (the file's state when probed, its ImageInfo or None)."""
    token = _ahead.set(results)
    try:
        yield
    finally:
        _ahead.reset(token)


def taken_ahead(path: Path, state: list[int]) -> ImageInfo | None:
    """The ImageInfo probed ahead for `path` if the file is still in `state`, else None (probe it here)."""
    future = _ahead.get().get(str(path))
    if future is None:
        return None
    if future.cancel():  # no worker has been given it yet (they may still be booting): probed here, now
        return None
    try:
        seen, info = future.result(timeout=WAIT_SECONDS)
    except (Exception, CancelledError):  # the pool broke or was stopped, the worker failed or was slow: probed here
        return None
    return info if isinstance(info, ImageInfo) and seen == state else None
