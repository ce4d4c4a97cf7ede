"""LaidOutBook -> what a picture editor checks: photos placed twice, crops that cut a subject, subjects in the fold,
photos nobody is credited for.

A spread's picture is split into two placements (verso and recto half); these checks
join them again, so one picture across the fold counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..book import LaidOutBook, Page, PlacedImage, sheets_for
from ..diagnostics import Diagnostic, Severity
from ..geometry import Rect
from ..layout.credits import uncredited
from ..layout.photos.crop import kept_share
from ..model import Manuscript
from .book_checks import finding

WARNING = Severity.WARNING
KEPT_ENOUGH = 0.9  # a crop that keeps less of the subject's box than this cuts it
FOLD_CLEAR = 15 * 72 / 25.4  # points each side of the fold a subject should keep clear of


@dataclass(frozen=True)
class Placement:
    page: Page  # the first page it is on
    rect: Rect  # in the first page's coordinates (a spread's: across both pages)
    crop: tuple[float, float, float, float]
    item: PlacedImage
    spread: bool = False


def placements(book: LaidOutBook) -> Iterator[Placement]:
    """Every picture placed, a spread's two halves joined into one."""
    pending: dict[int, PlacedImage] = {}  # id(photo) -> its verso half, waiting for the recto half
    width = book.geometry.trim.width
    pages = book.pages
    for page in pages:
        for item in page.items:
            if not isinstance(item, PlacedImage):
                continue
            if page.kind == "spread" and page.side == "verso" and item.rect.right >= width - 0.01:
                pending[id(item.photo)] = item
                continue
            if page.kind == "spread" and page.side == "recto" and id(item.photo) in pending:
                left = pending.pop(id(item.photo))
                rect = Rect(left.rect.x, left.rect.y, width + item.rect.right - left.rect.x, left.rect.height)
                crop = (left.crop[0], left.crop[1], item.crop[2], left.crop[3])
                yield Placement(pages[page.index - 1], rect, crop, left, True)
                continue
            yield Placement(page, item.rect, item.crop, item)
    for item in pending.values():  # a verso half whose recto is missing: check it alone
        page = next(p for p in pages if any(i is item for i in p.items))
        yield Placement(page, item.rect, item.crop, item)


def check_repeats(book: LaidOutBook) -> list[Diagnostic]:
    """A photo placed again, unless its use says `repeat: true`; twice on one spread is said so."""
    sheet_of = {index: n for n, sheet in enumerate(sheets_for(len(book.pages))) for index in sheet.indexes}
    first: dict[str, list[Placement]] = {}
    findings = []
    for placed in placements(book):
        photo = placed.item.photo
        earlier = first.setdefault(photo.image.digest, [])
        if earlier and not photo.repeat:
            same = next((e for e in earlier if sheet_of.get(e.page.index) == sheet_of.get(placed.page.index)), None)
            name = photo.image.path.name
            if same is not None:
                message = (f"{name} is placed twice on the same spread (pp. {same.page.label} and "
                           f"{placed.page.label}): the reader sees both at once")
            else:
                message = f"{name} is placed again (first on p. {earlier[0].page.label})"
            findings.append(finding("repeat", WARNING, message, placed.page, photo.source,
                                    "use another photo here, or write 'repeat: true' on this use if it is meant"))
        earlier.append(placed)
    return findings


def check_subjects(book: LaidOutBook) -> list[Diagnostic]:
    """Crops that cut a detected subject (where the author gave no focus), and subjects left in a spread's fold."""
    findings = []
    width = book.geometry.trim.width
    for placed in placements(book):
        photo = placed.item.photo
        subject = photo.image.subject
        if subject is None or photo.focus is not None or photo.fit != "fill":
            continue
        info = photo.image
        kept = kept_share(subject, placed.crop, info.width, info.height)
        name = info.path.name
        if kept < KEPT_ENOUGH:
            findings.append(finding("subject", WARNING, f"the crop of {name} cuts its subject ({kept:.0%} of it "
                                    "shown)", placed.page, photo.source, "give the photo a 'focus', use 'fit: fit', "
                                    "or a template whose frame has the photo's shape"))
        elif placed.spread and _in_fold(subject, placed, info.width, info.height, width):
            findings.append(finding("subject", WARNING, f"the subject of {name} lies in the fold of the spread",
                                    placed.page, photo.source, "give the photo a 'focus' away from the middle, or "
                                    "place it on one page"))
    return findings


def _in_fold(subject, placed: Placement, width: float, height: float, page_width: float) -> bool:
    left, _, right, _ = placed.crop
    per_pt = (right - left) / placed.rect.width
    x0 = placed.rect.x + (subject[0] * width - left) / per_pt
    x1 = placed.rect.x + (subject[2] * width - left) / per_pt
    if x1 - x0 > page_width - 2 * FOLD_CLEAR:
        return False  # a subject wider than a page is meant to run across the fold
    return x0 < page_width + FOLD_CLEAR and x1 > page_width - FOLD_CLEAR


def check_credits(manuscript: Manuscript, book: LaidOutBook) -> list[Diagnostic]:
    """Every photo printed, and the cover's, credited by the manuscript or by the image's own metadata."""
    images = [item for page in book.pages for item in page.items if isinstance(item, PlacedImage)]
    pages = {}
    for page in book.pages:
        for item in page.items:
            if isinstance(item, PlacedImage):
                pages.setdefault((item.photo.image.path, item.photo.source), page)
    return [finding("credits", WARNING, f"{photo.image.path.name} has no credit: the photo credits cannot name "
                    "its photographer", pages.get((photo.image.path, source)), source,
                    "add 'credit: NAME' where the photo is named, or write the photographer into the image's "
                    "EXIF Artist, XMP dc:creator or IPTC By-line")
            for photo, source in uncredited(manuscript, images)]
