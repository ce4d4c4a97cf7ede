"""The manuscript's ISBN against the printer's rule: a printer that sells through the book trade needs one.

IngramSpark takes no paperback without an ISBN; KDP needs one for a paperback too, but
assigns a free one on request, which the author then writes into book.yaml so that the
copyright page and the cover's barcode carry it.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Severity
from ..load.isbn import isbn13, isbn13_written
from ..load.printers import Preset
from ..model import Manuscript


def check_isbn(manuscript: Manuscript, preset: Preset, measured: dict[str, str]) -> list[Diagnostic]:
    isbn = manuscript.meta.isbn
    if isbn:
        measured["isbn"] = f"ISBN {isbn13_written(isbn)} (EAN-13 {isbn13(isbn)})"
        return []
    if not preset.needs_isbn:
        measured["isbn"] = f"none (printer '{preset.name}' does not ask for one)"
        return []
    measured["isbn"] = f"none, and printer '{preset.name}' needs one"
    place = f"under editions.{manuscript.edition} in book.yaml" if manuscript.edition else "in book.yaml"
    if preset.assigns_isbn:
        message = f"printer '{preset.name}' needs an ISBN for a paperback, and the book has none"
        hint = (f"KDP assigns a free ISBN when you set up the paperback: write it as `isbn: 978-...` {place}, so "
                "that the copyright page and the cover's barcode carry it; or give an ISBN you own")
    else:
        message = f"printer '{preset.name}' takes no book without an ISBN, and the book has none"
        hint = (f"get one from your country's ISBN agency or from the printer, and write it as `isbn: 978-...` "
                f"{place}")
    source = manuscript.print.printer_source
    file, line, column = (source.file, source.line, source.column) if source else (None, None, None)
    return [Diagnostic(Severity.WARNING, message, file, line or None, column or None, hint, check="isbn")]
