"""Manuscript folder -> validated, frozen Manuscript (the load stage), every problem located in its file.

YAML is read with positions (yamlsrc), checked against the schema models (schema/), paths are
resolved and kept inside the manuscript, photos are probed (header and hash only), templates
and fonts are found; a part that is broken is left out and the rest still checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .probe import LIBRARY_HINT, image_problems_located, library_warnings, photo_notes
from .probecache import probe_cache

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..model import Manuscript

__all__ = ["LIBRARY_HINT", "declared_editions", "image_problems_located", "library_warnings",
           "load_manuscript", "photo_notes", "probe_cache"]


def load_manuscript(root: Path, printer: str | None = None, diag: Diagnostics | None = None,
                    edition: str | None = None) -> Manuscript:
    """Read and validate the manuscript in `root` (see manuscript.load_manuscript).

    Imported when called: the stage's light modules (printers, sources, probes) are shared
    with the image workers and the options, which need none of YAML, pydantic or fonts.
    """
    from .manuscript import load_manuscript as load
    from .subject import with_subjects

    return with_subjects(load(root, printer, diag, edition))


def declared_editions(root: Path) -> tuple[str, ...] | None:
    """The names of the editions book.yaml declares (see manuscript.declared_editions)."""
    from .manuscript import declared_editions as names

    return names(root)
