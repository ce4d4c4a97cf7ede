"""bookpress: compile a manuscript of YAML chapters and photos into a print-ready PDF photo book."""

__version__ = "0.1.0"
