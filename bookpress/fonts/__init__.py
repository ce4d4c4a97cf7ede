"""Font folders -> a FontBook (shared by load, layout and render): families, faces, measurement."""

from .catalog import STYLES, FontBook, FontError, load_fonts

__all__ = ["STYLES", "FontBook", "FontError", "load_fonts"]
