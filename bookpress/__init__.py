"""bookpress: compile a manuscript of YAML chapters and photos into a print-ready PDF photo book."""

from pathlib import Path

__version__ = "0.1.0"

DATA = Path(__file__).resolve().parent / "data"  # bundled fonts, templates, ICC profiles, schemas, the sample book
