"""Pixels in any Pillow mode -> 8-bit L, RGB or CMYK in the output colour space (littleCMS)."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageCms

from .. import DATA

ICC_DIR = DATA / "icc"
SRGB_PROFILE = ICC_DIR / "sRGB_icc22.icm"
CMYK_PROFILE = ICC_DIR / "ISOcoated_v2_300_bas.icc"
# A grey with sRGB's tone curve: what an untagged greyscale photo is taken to mean (an sRGB
# neutral, which is how it is separated for X-1a), and what PDF/X-4 tags grey images with.
GREY_PROFILE = ICC_DIR / "bookpress-grey.icc"

_INTENTS = {
    "perceptual": (ImageCms.Intent.PERCEPTUAL, 0),
    "relative": (ImageCms.Intent.RELATIVE_COLORIMETRIC, ImageCms.Flags.BLACKPOINTCOMPENSATION),
}
_SPACE_OF_MODE = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK", "LAB": "LAB"}
_WORKING = ("L", "LA", "RGB", "RGBA", "CMYK", "LAB")


def read_profile(path: Path) -> bytes:
    stat = Path(path).stat()  # re-read when the file changes (watch mode runs for hours)
    return _read_profile(Path(path), stat.st_mtime_ns, stat.st_size)


def profile_digest(path: Path) -> str:
    stat = Path(path).stat()
    return _profile_digest(Path(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_profile(path: Path, mtime_ns: int, size: int) -> bytes:
    return path.read_bytes()


@lru_cache(maxsize=8)
def _profile_digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.blake2b(_read_profile(path, mtime_ns, size), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def srgb_bytes() -> bytes:
    if SRGB_PROFILE.is_file():
        return read_profile(SRGB_PROFILE)
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def to_working_mode(im: Image.Image) -> Image.Image:
    """Any mode -> L, LA, RGB, RGBA, CMYK or LAB at 8 bits, alpha kept for later."""
    mode = im.mode
    if mode in ("L", "RGB") and "transparency" in im.info:
        return im.convert(mode + "A" if mode == "L" else "RGBA")
    if mode in _WORKING:
        return im
    if mode == "1":
        return im.convert("L")
    if mode in ("P", "PA"):
        alpha = mode == "PA" or "transparency" in im.info
        palette = im.getpalette() or []
        grey = all(palette[i] == palette[i + 1] == palette[i + 2] for i in range(0, len(palette) - 2, 3))
        return im.convert(("LA" if alpha else "L") if grey else ("RGBA" if alpha else "RGB"))
    if mode.startswith("I"):  # I;16*, I: 16-bit data scaled, not clipped, to 8 bits
        im = im if mode == "I" else im.convert("I")
        scale = 1 / 257 if mode != "I" or im.getextrema()[1] > 255 else 1
        return im.point(lambda v: v * scale + 0.5).convert("L")
    if mode == "F":
        scale = 255.0 if im.getextrema()[1] <= 1.0 else 1.0
        return im.point(lambda v: v * scale + 0.5).convert("L")
    if mode in ("La", "RGBa"):
        return im.convert(mode[:-1] + "A")
    return im.convert("RGB")  # YCbCr, HSV, RGBX, ...


def flatten(im: Image.Image) -> Image.Image:
    """Composite onto white paper: print has no transparency."""
    if im.mode not in ("LA", "RGBA"):
        return im
    paper = Image.new(im.mode[:-1], im.size, "white")
    paper.paste(im.convert(paper.mode), mask=im.getchannel("A"))
    return paper


def invert(im: Image.Image) -> Image.Image:
    return ImageChops.invert(im)


def convert(im: Image.Image, embedded: bytes | None, colour: str, press: bytes,
            intent: str) -> Image.Image:
    """L/RGB/CMYK/LAB with its embedded profile -> `colour` ("rgb", "gray" or "cmyk").

    Untagged pixels are taken as sRGB (RGB, grey) or as ISO Coated v2 / FOGRA39 (CMYK), the
    working spaces a photographer's software assumes too; untagged CMYK therefore passes
    unchanged only to that press profile and is separated again for any other (a 240% press
    must not receive 300% separations). Grey stays grey for "rgb".
    """
    source = _usable(embedded, im.mode)
    if colour == "cmyk":
        if im.mode == "CMYK" and (source or working_cmyk()) == press:
            return im  # already in the press space: keep the separations as they are
        if im.mode == "L" and source is None:
            im = im.convert("RGB")
        return _apply(im, source or _default_profile(im.mode, press), press, "CMYK", intent)
    if im.mode == "L":
        if source is None:
            return im
        return _apply(im, source, srgb_bytes(), "RGB", intent).convert("L")
    if im.mode == "RGB" and (source is None or _is_srgb(source)):
        rgb = im
    else:
        rgb = _apply(im, source or _default_profile(im.mode, press), srgb_bytes(), "RGB", intent)
    return rgb.convert("L") if colour == "gray" else rgb


def working_cmyk() -> bytes:
    """What untagged CMYK pixels are assumed to be in."""
    return read_profile(CMYK_PROFILE)


def _default_profile(mode: str, press: bytes) -> bytes | None:
    if mode == "CMYK":
        return working_cmyk()
    if mode == "LAB":
        return None  # _apply builds the Lab profile
    return srgb_bytes()


def _apply(im: Image.Image, source: bytes | None, target: bytes, out_mode: str,
           intent: str) -> Image.Image:
    return ImageCms.applyTransform(im, _transform(source, target, im.mode, out_mode, intent))


@lru_cache(maxsize=32)
def _transform(source: bytes | None, target: bytes, in_mode: str, out_mode: str,
               intent: str) -> ImageCms.ImageCmsTransform:
    rendering, flags = _INTENTS[intent]
    src = _profile(source) if source is not None else ImageCms.createProfile("LAB")
    return ImageCms.buildTransform(src, _profile(target), in_mode, out_mode, rendering, flags=flags)


@lru_cache(maxsize=16)
def _profile(data: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@lru_cache(maxsize=16)
def _space(data: bytes) -> str | None:
    try:
        return _profile(data).profile.xcolor_space.strip().upper()
    except (OSError, ImageCms.PyCMSError, ValueError, TypeError):
        return None


def _usable(embedded: bytes | None, mode: str) -> bytes | None:
    """The embedded profile if it parses and describes this mode's colour space."""
    if not embedded:
        return None
    return embedded if _space(embedded) == _SPACE_OF_MODE.get(mode) else None


def is_plain_srgb(embedded: bytes | None, mode: str) -> bool:
    """Pixels that convert() would leave as they are for "rgb": untagged or sRGB-tagged RGB, untagged grey."""
    source = _usable(embedded, mode)
    if mode == "L":
        return source is None
    return mode == "RGB" and (source is None or _is_srgb(source))


def _is_srgb(data: bytes) -> bool:
    if data == srgb_bytes():
        return True
    description = _profile(data).profile.profile_description or ""
    return description.lower().startswith("srgb")
