"""ImageJob (a placed image) -> a print-ready file: decode, orient, crop, resample, colour, encode."""

from __future__ import annotations

import dataclasses
import io
import math
from pathlib import Path

from PIL import Image

from ..diagnostics import ImageProblem
from ..load.digest import bytes_digest
from ..load.libmessages import heard
from ..load.probe import open_image
from . import cache, colour, engine, vipsresample
from .jobs import ImageJob

_LOSSY_TIFF = ("jpeg", "tiff_jpeg")
# Pillow's transpose that turns the stored pixels upright, by EXIF orientation.
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
            4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
            6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}


def prepare(job: ImageJob, cache_dir: Path | None) -> Path:
    """The prepared file for `job`, from the cache when a sound entry is there (nothing decoded then)."""
    folder = Path(cache_dir) if cache_dir is not None else cache.session_dir()
    hit = cache.lookup(folder, job.key)
    return hit if hit is not None else make(job, folder)[0]


def make(job: ImageJob, folder: Path) -> tuple[Path, tuple[str, ...]]:
    """Decode and prepare `job` now, store the result in the cache folder (the caller looked it up first);
    returns the file and what the image library said meanwhile."""
    if job.engine == "vips" and engine.load_vips() is None:  # libvips does not load here: Pillow's result,
        job = dataclasses.replace(job, engine="pillow")  # stored under Pillow's key
    with heard() as messages:
        data, ext = render(job)
    return cache.store(folder, job.key, ext, data), tuple(dict.fromkeys(messages))


def render(job: ImageJob, draft: bool = True) -> tuple[bytes, str]:
    """Encoded bytes and file extension for `job`; `draft=False` only for measurements."""
    path = job.source.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageProblem(path, "not found; check the file name and folder") from None
    except OSError as exc:
        raise ImageProblem(path, f"cannot be read ({exc.strerror})") from None
    if bytes_digest(data) != job.source.digest:
        raise ImageProblem(path, "changed while the book was being compiled; compile again")
    with open_image(path, io.BytesIO(data)) as im:
        if _passes_through(job, im):
            _check_decodes(path, data)
            return _tagged_srgb(data, im), "jpg"
        lossy = _is_lossy(im, data)
        embedded = im.info.get("icc_profile")
        im = _decode_region(path, im, job, draft, data)
    press = colour.read_profile(Path(job.profile) if job.profile else colour.CMYK_PROFILE)
    im = colour.convert(colour.flatten(im), embedded, job.colour, press, job.intent)
    if job.source.orientation in _UPRIGHT:
        im = im.transpose(_UPRIGHT[job.source.orientation])
    limit = job.ink_limit if im.mode == "CMYK" else None
    return _encode(im, lossy, job.quality, limit)


def _passes_through(job: ImageJob, im: Image.Image) -> bool:
    """An upright, uncropped JPEG at the wanted size in sRGB (or grey) needs nothing done:
    its own bytes are used, so no quality is lost to a second encoding."""
    if im.format != "JPEG" or job.source.orientation > 1 or job.colour == "cmyk":
        return False
    whole = job.box == (0.0, 0.0, float(im.width), float(im.height)) and job.output_size == im.size
    fits = job.colour == "rgb" or im.mode == "L"
    return whole and fits and colour.is_plain_srgb(im.info.get("icc_profile"), im.mode)


def _check_decodes(path: Path, data: bytes) -> None:
    """Decode a JPEG that is used as it is, once: its header can be sound and its image data not.

    At 1/8 scale (libjpeg's DCT scaling) every block's data is still read and checked, for an
    eighth of a full decode's work; the cache then holds it, so that is once per content hash.
    """
    with open_image(path, io.BytesIO(data)) as im:
        im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
        _load(path, im)


def _load(path: Path, im: Image.Image) -> None:
    try:
        with heard(stderr=im.format == "TIFF"):  # libtiff prints its complaints on stderr
            im.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(path, f"is truncated or damaged and cannot be decoded ({exc}); "
                                 "replace it with a good copy") from None


def _tagged_srgb(data: bytes, im: Image.Image) -> bytes:
    """The JPEG's bytes, with an sRGB profile segment added to untagged RGB (as _encode tags it)."""
    profile = colour.srgb_bytes()
    if im.mode != "RGB" or im.info.get("icc_profile") or len(profile) > 65_000:
        return data
    body = b"ICC_PROFILE\x00\x01\x01" + profile  # chunk 1 of 1
    return data[:2] + b"\xff\xe2" + (len(body) + 2).to_bytes(2, "big") + body + data[2:]


def _decode_region(path: Path, im: Image.Image, job: ImageJob, draft: bool, data: bytes) -> Image.Image:
    """Decode (JPEG: at the smallest DCT scale that is still large enough) and resample
    the crop to the output size, in the file's stored orientation."""
    orientation = job.source.orientation
    out_w, out_h = job.output_size
    if orientation >= 5:
        out_w, out_h = out_h, out_w
    box = _stored_box(job.box, orientation, im.size)
    if draft and job.engine == "vips" and vipsresample.usable(im, box, (out_w, out_h)):
        pyvips = engine.load_vips()
        if pyvips is not None:
            try:
                return vipsresample.resample(pyvips, data, box, (out_w, out_h))
            except (ValueError, pyvips.Error):  # damaged data: Pillow decodes it again and says what is wrong
                pass
    if draft and im.format in ("JPEG", "MPO"):
        scale = min((box[2] - box[0]) / out_w, (box[3] - box[1]) / out_h)
        wanted = (math.ceil(im.width / scale), math.ceil(im.height / scale))
        stored_width = im.width
        drafted = im.draft(None, wanted)
        if drafted is not None:
            scale = stored_width / drafted[1][2]  # libjpeg decodes at 1/1, 1/2, 1/4 or 1/8
            box = (box[0] / scale, box[1] / scale, box[2] / scale, box[3] / scale)
    # Pillow reads every 4-channel JPEG as Adobe-inverted; a file without the Adobe
    # marker holds plain values and has to be turned back.
    plain_cmyk = im.format in ("JPEG", "MPO") and im.mode == "CMYK" and "adobe" not in im.info
    _load(path, im)
    im = colour.to_working_mode(im)
    im = im.resize((out_w, out_h), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    return colour.invert(im) if plain_cmyk else im


def _stored_box(box: tuple[float, float, float, float], orientation: int,
                size: tuple[int, int]) -> tuple[float, float, float, float]:
    """A rectangle in upright pixels -> the same pixels in the file's stored layout."""
    l, t, r, b = box
    w, h = size  # stored size
    return {
        1: (l, t, r, b),
        2: (w - r, t, w - l, b),
        3: (w - r, h - b, w - l, h - t),
        4: (l, h - b, r, h - t),
        5: (t, l, b, r),
        6: (t, h - r, b, h - l),
        7: (w - b, h - r, w - t, h - l),
        8: (w - b, l, w - t, r),
    }.get(orientation, (l, t, r, b))


def _is_lossy(im: Image.Image, data: bytes) -> bool:
    """Lossy sources are re-encoded as JPEG; lossless ones stay lossless."""
    if im.format in ("JPEG", "MPO", "AVIF"):
        return True
    if im.format == "TIFF":
        return im.info.get("compression") in _LOSSY_TIFF
    if im.format == "WEBP":
        return _webp_bitstream(data) == b"VP8 "
    return False


def _webp_bitstream(data: bytes) -> bytes | None:
    """The fourcc of the first image chunk: b"VP8 " (lossy) or b"VP8L" (lossless)."""
    pos = 12
    while pos + 8 <= len(data):
        fourcc, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc
        pos += 8 + (16 if fourcc == b"ANMF" else size + (size & 1))  # step into animation frames
    return None


def _encode(im: Image.Image, lossy: bool, quality: int, ink_limit: int | None = None) -> tuple[bytes, str]:
    # RGB is tagged sRGB; CMYK is left untagged: the PDF/X output intent describes it.
    # CMYK JPEGs are written in Adobe's inverted convention (with the APP14 marker),
    # which is what Photoshop writes and reportlab's /Decode [1 0 ...] expects.
    if ink_limit is not None:  # separations with a limit: checked at the pixel, after encoding
        from . import ink  # with numpy (~90 ms): only where a book is separated with an ink limit

        if lossy:
            return ink.encode_within(im, ink_limit, quality)
        return ink.lossless(ink.cap_image(im, ink_limit)), "tif"
    icc = colour.srgb_bytes() if im.mode == "RGB" else None
    out = io.BytesIO()
    if lossy:
        im.save(out, "JPEG", quality=quality, optimize=True, icc_profile=icc)
        return out.getvalue(), "jpg"
    if im.mode == "CMYK":  # PNG has no CMYK
        im.save(out, "TIFF", compression="tiff_adobe_deflate")
        return out.getvalue(), "tif"
    im.save(out, "PNG", icc_profile=icc)
    return out.getvalue(), "png"
