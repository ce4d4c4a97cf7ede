"""Placed photos -> the photo credits: who took each photo, and where it is printed ("12 top, 14–15, cover").

The credit is the manuscript's (the `credit:` of this use, else of another use of the same
image), else the photographer the image file names (EXIF Artist, XMP dc:creator, IPTC
By-line, EXIF Copyright). A photo with neither is left out here and reported by preflight;
no credit is ever made up from a file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..book import PlacedImage
from ..model import Manuscript, Photo, SourceRef

CLUSTER = 12.0  # points: photo centres closer than this share a row (or a column)


@dataclass(frozen=True)
class Use:
    """One printed appearance of a photo: where ("12", "14–15", "cover") and on which part of the page."""

    page: str
    position: str  # "" when it is the page's only photo
    photo: Photo


def manuscript_credits(manuscript: Manuscript) -> dict[str, str]:
    """image digest -> the credit the author gave it somewhere in the manuscript."""
    found: dict[str, str] = {}
    for photo in manuscript.all_photos():
        if photo.credit and photo.credit.strip():
            found.setdefault(photo.image.digest, photo.credit.strip())
    return found


def credit_of(photo: Photo, given: dict[str, str]) -> Optional[str]:
    if photo.credit and photo.credit.strip():
        return photo.credit.strip()
    return given.get(photo.image.digest) or photo.image.artist


def _labels(centres: list[float], names: Sequence[str]) -> list[str]:
    """Centres along one axis -> 'top'/'middle'/'bottom' (or left/centre/right); '' if they are all in line."""
    rows = sorted(set(_clusters(centres)))
    if len(rows) < 2:
        return ["" for _ in centres]
    low, high = rows[0], rows[-1]
    out = []
    for value in _clusters(centres):
        share = (value - low) / (high - low)
        out.append(names[0] if share < 1 / 3 else names[2] if share > 2 / 3 else names[1])
    return out


def _clusters(values: list[float]) -> list[float]:
    """Each value replaced by the first value of its cluster (values within CLUSTER of it)."""
    anchors: list[float] = []
    out = []
    for value in values:
        anchor = next((a for a in anchors if abs(a - value) <= CLUSTER), None)
        if anchor is None:
            anchors.append(value)
            anchor = value
        out.append(anchor)
    return out


def page_positions(images: Sequence[PlacedImage], vertical: Sequence[str], horizontal: Sequence[str]) -> list[str]:
    """Where each photo of one page sits among the others: 'top', 'bottom left', '' for a page's only photo."""
    ys = [item.rect.y + item.rect.height / 2 for item in images]
    xs = [item.rect.x + item.rect.width / 2 for item in images]
    return [" ".join(part for part in (v, h) if part)
            for v, h in zip(_labels(ys, vertical), _labels(xs, horizontal))]


def uses(pages: Sequence, labels: Sequence[str], positions: tuple[Sequence[str], Sequence[str]]) -> list[Use]:
    """Every photo printed on `pages` (drafts or pages with .items), a spread's two halves as one use 'a–b'."""
    found: list[Use] = []
    previous: dict[tuple, int] = {}  # (image, where written) -> index in found of its use on the page before
    for index, (page, label) in enumerate(zip(pages, labels)):
        images = [item for item in page.items if isinstance(item, PlacedImage)]
        here: dict[tuple, int] = {}
        for item, position in zip(images, page_positions(images, *positions)):
            key = (item.photo.image.path, item.photo.source)
            if key in here:
                continue
            before = previous.get(key)
            if before is not None and found[before].page.split("–")[-1] == labels[index - 1]:
                found[before] = Use(f"{found[before].page.split('–')[0]}–{label}", "", found[before].photo)
                here[key] = before
                continue
            here[key] = len(found)
            found.append(Use(label, position, item.photo))
        previous = here
    return found


def grouped(found: Sequence[Use], given: dict[str, str], cover: Optional[Photo], cover_word: str
            ) -> list[tuple[str, list[str]]]:
    """(photographer, ['12 top', '14–15', 'cover']) in the order of the photographers' names."""
    by_name: dict[str, list[str]] = {}
    for use in found:
        name = credit_of(use.photo, given)
        if name:
            by_name.setdefault(name, []).append(f"{use.page} {use.position}".strip())
    if cover is not None:
        name = credit_of(cover, given)
        if name:
            by_name.setdefault(name, []).append(cover_word)
    return sorted(by_name.items(), key=lambda entry: entry[0].casefold())


def uncredited(manuscript: Manuscript, images: Sequence[PlacedImage]) -> list[tuple[Photo, SourceRef]]:
    """Photos printed (and the cover's) that neither the manuscript nor the file credits, each once."""
    given = manuscript_credits(manuscript)
    seen, out = set(), []
    photos = [item.photo for item in images]
    if manuscript.cover.photo is not None:
        photos.append(manuscript.cover.photo)
    for photo in photos:
        key = (photo.image.path, photo.source)
        if key not in seen and not credit_of(photo, given):
            seen.add(key)
            out.append((photo, photo.source))
    return out


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text.replace("\u00ad", "")).casefold()


def caption_shown(photo: Photo, page_captions: str) -> bool:
    """Whether the page's caption lines (their text joined) hold this photo's caption."""
    return not photo.caption or _letters(photo.caption)[:40] in _letters(page_captions)
