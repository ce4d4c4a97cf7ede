"""Manuscript + printer preset -> LaidOutBook (the layout stage): pages of placed items, geometry only."""

from .gutter import layout_book

__all__ = ["layout_book"]
