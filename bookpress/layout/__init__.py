"""Manuscript + templates -> LaidOutBook (the layout stage)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from ..book import LaidOutBook, PhotosPlaced
    from ..model import Manuscript


def layout_book(manuscript: Manuscript, photos_placed: Optional[PhotosPlaced] = None) -> LaidOutBook:
    # Imported here: book.py needs layout.text's Fragment, so the package must not import book at load time.
    from .engine import layout_book as run

    return run(manuscript, photos_placed)
