"""A JPEG's bytes + a crop box + a pixel size -> the resampled pixels: scaled decode, then libvips' Lanczos3.

The same result as Pillow's `resize(size, LANCZOS, box=...)` on the drafted image, in a fraction
of the time. libjpeg-turbo (through simplejpeg) decodes at 1/2, 1/4 or 1/8 where the output
allows, as Pillow's draft does; then libvips' Lanczos3 reduces each axis to the exact pixel size
(vertical first: the horizontal pass then has fewer rows). libvips' own JPEG loader took ~20%
longer over the same libjpeg work (measured per photo, 24 MP; the decode is most of a photo's
cost), so it serves only at full scale, where it streams the rows instead of holding them all.
libjpeg-turbo also has the scales 3/8, 5/8, 6/8 and 7/8; they save little (the entropy decoding,
most of a decode, is the same at every scale) and, leaving Lanczos only a small reduction after
them, lost up to 0.003 of SSIM against the exact reference on camera photos, so they are not used.

libvips' reduce takes no crop box: it maps its whole input onto round(width / shrink) output
pixels, centred, so output pixel j samples from x0 - (W * shrink - n) / 2 + j * shrink on an
input of n pixels starting at x0. A box that starts between pixels is therefore met by picking
the integer input span (with room for the kernel) whose centring lands an output pixel's edge on
the box's left edge, then cutting the wanted pixels out of the result. Among a few dozen spans
one lands within a hundredth of a source pixel: sub-pixel placement, with the exact filter (for
the few shrinks where none does, the rest is an interpolated shift of under a quarter pixel).
"""

from __future__ import annotations

import math

from PIL import Image

LOBES = 3  # Lanczos3: the kernel reaches three output pixels (times the shrink, in input pixels) each side
RESIDUAL = 0.01  # input pixels: a span's misplacement beyond this is shifted away
SEARCH = 12  # origins tried, and twice as many lengths for each
MAX_SHRINK = 3.0  # beyond this after the load-time shrink, Pillow (box reduce, then Lanczos) serves
_SHRINKS = (8, 4, 2, 1)  # libjpeg's DCT scales used: 1/8, 1/4, 1/2, whole
_MODES = {1: "L", 3: "RGB"}


def usable(im: Image.Image, box: tuple[float, float, float, float], size: tuple[int, int]) -> bool:
    """Whether this photo goes through libvips: a grey or RGB JPEG whose reduction stays within the filter's reach.

    libvips' reduce only shrinks: an axis even a hair short of its pixels (a crop that fills its frame
    can come out a millionth short) goes to Pillow, whose Lanczos takes any scale."""
    if im.format != "JPEG" or im.mode not in ("L", "RGB"):
        return False
    shrink = load_shrink(box, size)
    scales = ((box[2] - box[0]) / shrink / size[0], (box[3] - box[1]) / shrink / size[1])
    return 1.0 <= min(scales) and max(scales) <= MAX_SHRINK


def load_shrink(box: tuple[float, float, float, float], size: tuple[int, int]) -> int:
    """The largest DCT scale that still leaves at least the wanted pixels (as Pillow's draft picks)."""
    scale = min((box[2] - box[0]) / size[0], (box[3] - box[1]) / size[1])
    return next(k for k in _SHRINKS if k <= scale or k == 1)


def resample(pyvips, data: bytes, box: tuple[float, float, float, float], size: tuple[int, int]) -> Image.Image:
    """The box of the JPEG `data` (stored pixels) resampled to `size`, as a Pillow image (L or RGB).

    Raises ValueError when libjpeg cannot decode the data (or warns of damage in it).
    """
    shrink = load_shrink(box, size)
    image = _decode(pyvips, data, shrink)
    left, top, right, bottom = (v / shrink for v in box)  # a DCT-scaled pixel is exactly `shrink` stored ones
    x0, width, cut_x, left_over_x = _span(left, right, size[0])
    y0, height, cut_y, left_over_y = _span(top, bottom, size[1])
    margin = max(-x0, -y0, x0 + width - image.width, y0 + height - image.height, 0)
    if margin:  # the span reaches past an edge: the edge pixels repeated, as libvips' kernel reads them
        image = image.embed(margin, margin, image.width + 2 * margin, image.height + 2 * margin, extend="copy")
    region = image.crop(x0 + margin, y0 + margin, width, height)
    if max(abs(left_over_x), abs(left_over_y)) > RESIDUAL:
        # A shrink of few digits (1.0, 1.5) lands no span close enough: the rest is a shift by
        # a fraction of a pixel, interpolated before the reduction shrinks whatever it softens.
        region = region.affine([1, 0, 0, 1], interpolate=pyvips.Interpolate.new("bicubic"),
                               odx=-left_over_x, ody=-left_over_y, oarea=[0, 0, width, height],
                               extend="copy")
    region = region.reducev((bottom - top) / size[1], kernel="lanczos3", gap=0.0)
    region = region.reduceh((right - left) / size[0], kernel="lanczos3", gap=0.0)
    region = region.crop(cut_x, cut_y, size[0], size[1])
    return Image.frombytes(_MODES[region.bands], size, region.write_to_memory())


def _decode(pyvips, data: bytes, shrink: int):
    """The JPEG decoded at scale 1/shrink (stored orientation), as a libvips image.

    At full scale libvips' own loader streams it instead: a 24 MP photo decoded whole is 72 MB held
    in the worker, where libvips reads only the rows its reduction is at (flat memory matters more
    there than the decode's speed; such photos are the few placed nearly at their own size).
    """
    if shrink == 1:
        return pyvips.Image.jpegload_buffer(data, access="sequential", fail_on="truncated", autorotate=False)
    import simplejpeg  # with numpy (~70 ms): in the workers only (their fork server preloads it), not the main process
    height, width, colourspace, _ = simplejpeg.decode_jpeg_header(data)
    wanted = (math.ceil(width / shrink), math.ceil(height / shrink))  # libjpeg rounds a scaled size up
    grey = colourspace == "Gray"
    # strict: libjpeg's warnings (a file cut short, a corrupt block, stray bytes) are errors, so Pillow
    # decodes it again: it reports a damaged file rather than let a grey band reach the page, and
    # prepares one whose warning is harmless.
    pixels = simplejpeg.decode_jpeg(data, colorspace="GRAY" if grey else "RGB", min_width=wanted[0],
                                    min_height=wanted[1], strict=True)
    if (pixels.shape[1], pixels.shape[0]) != wanted:  # another scale chosen: the box would not land exactly
        raise ValueError(f"decoded at {pixels.shape[1]}x{pixels.shape[0]}, not {wanted[0]}x{wanted[1]}")
    bands = pixels.shape[2] if pixels.ndim == 3 else 1
    # pyvips holds the array for as long as this image or any made from it lives
    return pyvips.Image.new_from_memory(pixels.data, wanted[0], wanted[1], bands, "uchar")


def _span(start: float, end: float, pixels: int) -> tuple[int, int, int, float]:
    """(first input pixel, input pixels, first output pixel to keep, what is left over) for one axis: the box
    [start, end) onto `pixels` output pixels. The span may reach past the image's edges (the
    caller extends them by copying, as libvips does for its kernel anyway)."""
    shrink = (end - start) / pixels
    reach = math.ceil(LOBES * shrink) + 1
    best = (math.inf, math.floor(start) - reach, 0, 0)
    for origin in range(math.floor(start) - reach, math.floor(start) - reach - SEARCH, -1):
        least = math.ceil(end) + reach - origin
        for length in range(least, least + 2 * SEARCH):
            out = math.floor(length / shrink + 0.5)  # libvips rounds the output size to nearest
            left_edge = origin - (out * shrink - length) / 2
            keep = round((start - left_edge) / shrink)
            if keep < 0 or keep + pixels > out:
                continue
            error = start - left_edge - keep * shrink
            if abs(error) < abs(best[0]):
                best = (error, origin, length, keep)
        if abs(best[0]) < 0.002:
            break
    return best[1], best[2], best[3], best[0]
