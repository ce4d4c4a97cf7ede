"""Manuscript + printer preset -> LaidOutBook (the layout stage): pages of placed items, geometry only."""

from .gutter import layout_book
from .recall import ChapterMemory

__all__ = ["ChapterMemory", "layout_book"]
