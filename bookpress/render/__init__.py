"""LaidOutBook -> PDF drawn with reportlab (the render stage): photos as stand-ins, then streamed in.

draw_pdf draws every page with an empty stand-in where each photo goes (so drawing runs while
the image workers prepare the photos); embed_images appends the prepared files to that PDF as
an incremental update, one photo in memory at a time.
"""

from .draw import draw_pdf, render_pdf
from .embed import embed_images

__all__ = ["draw_pdf", "embed_images", "render_pdf"]
