"""Drawn PDF -> print-ready PDF (the press stage): page boxes, crop marks, PDF/X keys, output intent, XMP."""

from .document import press_pdf

__all__ = ["press_pdf"]
