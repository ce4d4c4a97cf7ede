"""Placed images -> ImageJobs: what each placement needs prepared (crop, pixel size, colour), and its cache key."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..book import LaidOutBook, PlacedImage
from ..model import ImageInfo
from ..options import RenderSettings
from . import colour
from .engine import engine

INCH = 72.0
# Bump whenever the pixels or encoding that prepare produces change: old cache entries
# then stop matching instead of being served stale.
PIPELINE_VERSION = "6"

_COLOURS = ("rgb", "cmyk", "gray")
_INTENTS = ("perceptual", "relative")


@dataclass(frozen=True)
class ImageJob:
    """One placed image to prepare; hashable, and its fields are the cache key."""

    source: ImageInfo
    crop: tuple[float, float, float, float]  # left, top, right, bottom in oriented source pixels
    pixel_size: tuple[int, int]  # wanted output pixels; clamped so nothing is upsampled
    colour: str  # "rgb" (sRGB), "cmyk" (through `profile`), "gray"
    profile: Path | None = None  # CMYK output profile; None: the bundled ISO Coated v2 300%
    quality: int = 90
    intent: str = "relative"  # relative colorimetric with black point compensation, or "perceptual"
    ink_limit: int | None = None  # CMYK: the total ink (percent) no decoded pixel may exceed
    engine: str = field(default_factory=engine)  # "vips" or "pillow": what resamples it (engine.py)

    def __post_init__(self) -> None:
        object.__setattr__(self, "crop", tuple(float(v) for v in self.crop))
        object.__setattr__(self, "pixel_size", tuple(int(v) for v in self.pixel_size))
        if self.colour not in _COLOURS:
            raise ValueError(f"colour must be one of {_COLOURS}, not {self.colour!r}")
        if self.intent not in _INTENTS:
            raise ValueError(f"intent must be one of {_INTENTS}, not {self.intent!r}")
        if self.ink_limit is not None and not 100 <= self.ink_limit <= 400:
            raise ValueError(f"ink_limit must be 100..400 percent, not {self.ink_limit}")
        if not 1 <= self.quality <= 100:
            raise ValueError(f"quality must be 1..100, not {self.quality}")
        left, top, right, bottom = self.crop
        if not (left < right and top < bottom) or min(self.pixel_size) < 1:
            raise ValueError(f"empty crop {self.crop} or output size {self.pixel_size}")

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The crop, kept inside the image."""
        w, h = self.source.width, self.source.height
        left, top, right, bottom = self.crop
        return (min(max(left, 0.0), w), min(max(top, 0.0), h),
                min(max(right, 0.0), w), min(max(bottom, 0.0), h))

    @property
    def output_size(self) -> tuple[int, int]:
        """pixel_size, scaled down (aspect kept) where it would exceed the crop's pixels."""
        left, top, right, bottom = self.box
        if right - left <= 0 or bottom - top <= 0:
            raise ValueError(f"crop {self.crop} lies outside the {self.source.width}x"
                             f"{self.source.height} image {self.source.path}")
        width, height = self.pixel_size
        factor = min(1.0, (right - left) / width, (bottom - top) / height)
        return max(1, round(width * factor)), max(1, round(height * factor))

    @cached_property  # asked for by the cache lookup, the stand-ins and the document ID
    def key(self) -> str:
        profile = colour.profile_digest(self.profile) if self.profile is not None else None
        parts = [PIPELINE_VERSION, self.source.digest, [round(v, 3) for v in self.box],
                 self.output_size, self.colour, profile, self.quality, self.intent,
                 self.ink_limit if self.colour == "cmyk" else None, self.engine]
        return hashlib.blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def image_job(item: PlacedImage, settings: RenderSettings) -> ImageJob:
    """The prepared image a placement needs: its crop at `ppi` over its placed size, never upsampled."""
    left, top, right, bottom = item.crop
    crop_w, crop_h = right - left, bottom - top
    want_w = item.rect.width / INCH * settings.ppi
    scale = min(1.0, want_w / crop_w) if crop_w > 0 else 1.0
    size = (max(1, round(crop_w * scale)), max(1, round(crop_h * scale)))
    return ImageJob(item.photo.image, item.crop, size, settings.colour, settings.profile, settings.quality,
                    settings.intent, settings.ink_limit)


def check_job(info: ImageInfo) -> ImageJob:
    """A copy of the whole photo at an eighth of each side: preparing it decodes all of its data once.

    A JPEG is then decoded at libjpeg's 1/8 scale, so it costs little; the copy is cached like
    any prepared image, so a photo is checked once per content hash.
    """
    size = (max(1, info.width // 8), max(1, info.height // 8))
    return ImageJob(info, (0.0, 0.0, float(info.width), float(info.height)), size, "rgb")


def image_jobs(book: LaidOutBook, settings: RenderSettings) -> list[ImageJob]:
    return [image_job(item, settings) for page in book.pages for item in page.items if isinstance(item, PlacedImage)]


def effective_ppi(crop_px: tuple[float, float], placed_pt: tuple[float, float]) -> float:
    """Pixels per inch the print will have: the lower of the two axes."""
    (crop_w, crop_h), (placed_w, placed_h) = crop_px, placed_pt
    if placed_w <= 0 or placed_h <= 0:
        raise ValueError(f"placed size must be positive, not {placed_pt}")
    return min(crop_w * 72.0 / placed_w, crop_h * 72.0 / placed_h)
