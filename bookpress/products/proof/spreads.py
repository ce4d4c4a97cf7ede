"""Single-page proof PDF -> a spreads view: facing pages side by side as bound (page 1 alone on the right).

Every sheet is two pages wide so the book reads like an open book; the empty half
beside the first (and perhaps the last) page is tinted. Each page is clipped at
its trim on the spine side, as in the bound book; the outer bleed is kept only
when guides are drawn. Sheets are labelled with the pages they hold ("ii–iii").
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Optional

import pikepdf

from ...book import LaidOutBook, Sheet, sheets_for
from .marks import PageFrame

EMPTY_TINT = 0.92  # grey of the half-sheet where no page faces


def sheet_size(book: LaidOutBook, keep_bleed: bool, slug: float) -> tuple[float, float]:
    """Two pages side by side (with their outer bleed when kept), and a slug above them for the mark."""
    trim, bleed = book.geometry.trim, book.geometry.bleed if keep_bleed else 0.0
    return 2 * (trim.width + bleed), trim.height + 2 * bleed + slug


def impose_spreads(source: Path, target: Path, book: LaidOutBook, frames: list[PageFrame],
                   keep_bleed: bool, marks: Optional[bytes] = None, slug: float = 0.0) -> list[Sheet]:
    """Write `target` with one sheet per spread of the pages of `source`; `marks` (a PDF, one page a
    sheet) is stamped over each sheet, its mark line in the `slug` above the pages."""
    bleed = book.geometry.bleed if keep_bleed else 0.0
    width, height = sheet_size(book, keep_bleed, slug)
    sheets = sheets_for(len(book.pages))
    with pikepdf.open(source) as src, pikepdf.new() as dst:
        for sheet in sheets:
            dst.add_blank_page(page_size=(width, height))
            _fill_sheet(dst, dst.pages[-1], src, sheet, frames, bleed, width, height - slug)
        if marks is not None:
            _stamp_sheets(dst, marks)
        _copy_document_keys(src, dst)
        _label_sheets(dst, book, sheets)
        _outline(dst, book, sheets)
        dst.save(target, deterministic_id=True)
    return sheets


def _fill_sheet(dst: pikepdf.Pdf, sheet_page: pikepdf.Page, src: pikepdf.Pdf, sheet: Sheet,
                frames: list[PageFrame], bleed: float, width: float, height: float) -> None:
    spine = width / 2
    commands, forms = [], {}
    for side, index in (("left", sheet.left), ("right", sheet.right)):
        if index is None:
            x0 = 0 if side == "left" else spine
            commands.append(f"q {EMPTY_TINT} g {x0:.3f} 0 {spine:.3f} {height:.3f} re f Q")
            continue
        frame = frames[index]
        name = f"/Pg{index}"
        form = src.pages[index].as_form_xobject()
        form.BBox = src.pages[index].mediabox  # qpdf bounds the form by the TrimBox: keep the bleed
        forms[name] = dst.copy_foreign(form)
        # Clip in the page's own space: trim on the spine side, trim (+ kept bleed) elsewhere.
        trim = frame.trim
        clip_x = trim.x - bleed if side == "left" else trim.x
        clip_w = trim.width + bleed
        clip = (clip_x, trim.y - bleed, clip_w, trim.height + 2 * bleed)
        dx = (spine - trim.right) if side == "left" else (spine - trim.x)
        dy = bleed - trim.y
        commands.append(f"q 1 0 0 1 {dx:.3f} {dy:.3f} cm {clip[0]:.3f} {clip[1]:.3f} {clip[2]:.3f} "
                        f"{clip[3]:.3f} re W n {name} Do Q")
    sheet_page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(forms))
    sheet_page.obj.Contents = dst.make_stream("\n".join(commands).encode())


def _stamp_sheets(dst: pikepdf.Pdf, marks: bytes) -> None:
    with pikepdf.open(io.BytesIO(marks)) as overlay:
        for sheet_page, stamp in zip(dst.pages, overlay.pages):
            sheet_page.add_overlay(dst.copy_foreign(stamp.as_form_xobject()), pikepdf.Rectangle(*sheet_page.mediabox))


def _copy_document_keys(src: pikepdf.Pdf, dst: pikepdf.Pdf) -> None:
    for key, value in src.docinfo.items():
        dst.docinfo[key] = value
    if "/Lang" in src.Root:
        dst.Root.Lang = src.Root.Lang
    dst.Root.PageLayout = pikepdf.Name.SinglePage  # each sheet already is a spread
    if "/OCProperties" in src.Root:  # the soft proof's layers, the same groups the copied pages refer to
        dst.Root.OCProperties = dst.copy_foreign(src.make_indirect(src.Root.OCProperties))
    dst.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)


def sheet_label(book: LaidOutBook, sheet: Sheet) -> str:
    return "–".join(book.pages[i].label for i in sheet.indexes)


def _label_sheets(dst: pikepdf.Pdf, book: LaidOutBook, sheets: list[Sheet]) -> None:
    nums = pikepdf.Array()
    for number, sheet in enumerate(sheets):
        nums.extend([number, pikepdf.Dictionary(P=pikepdf.String(sheet_label(book, sheet)))])
    dst.Root.PageLabels = pikepdf.Dictionary(Nums=nums)


def _outline(dst: pikepdf.Pdf, book: LaidOutBook, sheets: list[Sheet]) -> None:
    """The bookmarks again, each pointing at the sheet that holds its page."""
    sheet_of = {index: number for number, sheet in enumerate(sheets) for index in sheet.indexes}
    with dst.open_outline() as outline:
        parent: Optional[pikepdf.OutlineItem] = None
        for entry in book.outline:
            item = pikepdf.OutlineItem(entry.title, sheet_of[entry.page_index])
            if entry.level > 0 and parent is not None:
                parent.children.append(item)
            else:
                outline.root.append(item)
                parent = item
