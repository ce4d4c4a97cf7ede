"""LaidOutBook -> PDF (render) and PDF -> print-ready PDF (press)."""
