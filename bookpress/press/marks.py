"""A page and its boxes -> the same page on a larger sheet with crop marks outside the bleed.

Marks are drawn by us, after rendering, so the page painting never knows about
them. The sheet (MediaBox) grows on every side; the page content is shifted, not
scaled, so TrimBox and BleedBox keep their sizes and only move. Marks use the
registration colour (Separation /All) so they print on every plate.
"""

from __future__ import annotations

import pikepdf

Box = list[float]  # x0, y0, x1, y1 in PDF user space

MARK_GAP = 3.0  # points between the bleed edge and a mark, so marks never print on the page
MARK_MIN_OFFSET = 12.0  # points from the trim edge: the common minimum on offset presses
MARK_LENGTH = 18.0
MARK_WIDTH = 0.25
SLUG = 3.0  # points of empty sheet beyond the marks


def mark_offset(bleed: float) -> float:
    """Distance from the trim edge to where a mark starts: at least 12 pt, always outside the bleed."""
    return max(MARK_MIN_OFFSET, bleed + MARK_GAP)


def add_crop_marks(pdf: pikepdf.Pdf, page: pikepdf.Page, boxes: dict[str, Box],
                   registration: pikepdf.Object) -> dict[str, Box]:
    """Grow the sheet, shift the content and draw the marks; returns the page's new boxes."""
    trim, bleed = boxes["TrimBox"], boxes["BleedBox"]
    offset = mark_offset(max(trim[0] - bleed[0], bleed[2] - trim[2], trim[1] - bleed[1], bleed[3] - trim[3]))
    reach = offset + MARK_LENGTH + SLUG
    width, height = trim[2] - trim[0] + 2 * reach, trim[3] - trim[1] + 2 * reach
    dx, dy = reach - trim[0], reach - trim[1]
    page.contents_add(pikepdf.Stream(pdf, f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm\n".encode()), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q\n" + _marks(reach, offset, width, height)))
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    if "/ColorSpace" not in page.obj.Resources:
        page.obj.Resources.ColorSpace = pikepdf.Dictionary()
    page.obj.Resources.ColorSpace.BPRegistration = registration
    return {"MediaBox": [0.0, 0.0, width, height],
            "BleedBox": _shift(bleed, dx, dy), "TrimBox": _shift(trim, dx, dy)}


def _shift(box: Box, dx: float, dy: float) -> Box:
    return [box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy]


def _marks(reach: float, offset: float, width: float, height: float) -> bytes:
    """Two short lines at each trim corner, in line with the trim edges, starting `offset` away."""
    left, bottom, right, top = reach, reach, width - reach, height - reach
    far = offset + MARK_LENGTH
    lines = []
    for x, sx in ((left, -1), (right, 1)):
        for y, sy in ((bottom, -1), (top, 1)):
            lines.append((x + sx * offset, y, x + sx * far, y))  # horizontal, in line with the trim's edge
            lines.append((x, y + sy * offset, x, y + sy * far))  # vertical
    ops = ["q", "/BPRegistration CS 1 SCN", f"{MARK_WIDTH} w", "0 J"]
    ops += [f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S" for x0, y0, x1, y1 in lines]
    ops.append("Q")
    return ("\n".join(ops) + "\n").encode()


def registration_colour(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """[/Separation /All /DeviceCMYK f], shared by all pages: tint 1 puts full ink on every separation."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    space = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])
    return pdf.make_indirect(space)
