"""CMYK pixels + a total-ink limit -> an encoded file whose decoded pixels all keep to the limit.

A press profile's separation tables hold the limit only approximately (the CMM interpolates
between grid points), and JPEG's quantisation then moves each channel a few levels either way,
so a pixel that left the separation at 236% can come back from the decoder at 245%. A printer's
preflight measures the decoded pixels, so that is what is checked here:

1. the separation is capped a little under the limit (CMY reduced in proportion, K kept: the
   usual ink-limiting move, which keeps the hue and the black);
2. the JPEG is decoded again and every 8x8 block (the unit JPEG quantises) that still has a
   pixel over the limit gets a lower cap, by twice its excess and a margin, and is encoded again;
3. when a few rounds do not settle it, the image is stored losslessly, which is exact.

Only the blocks that overshoot are touched: in real photos a few hundredths of a percent of the
pixels, by a few percent of ink.
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image

UNITS_PER_PERCENT = 2.55  # one percent of one ink, in 8-bit sample units
HEADROOM = 1.0  # percent under the limit that the separation is capped to before encoding
BLOCK = 8  # JPEG's DCT block; CMYK is written without subsampling, so blocks are 8x8 pixels
ROUNDS = 4  # JPEG encodings tried before the image is stored losslessly
MARGIN = 8  # sample units a block's cap drops beyond twice its excess, per round


def limit_units(limit: float) -> int:
    """The highest C+M+Y+K (in 8-bit units, 1020 = four solid inks) a pixel may have under `limit` percent."""
    return math.floor(limit * UNITS_PER_PERCENT + 1e-9)


def total_units(pixels: np.ndarray) -> np.ndarray:
    """C+M+Y+K per pixel, 0..1020."""
    return pixels.astype(np.int32).sum(axis=-1)


def cap_ink(pixels: np.ndarray, cap: np.ndarray | int) -> np.ndarray:
    """Pixels (h, w, 4) whose C+M+Y+K exceeds `cap` get C, M and Y cut in proportion so the sum is within it.

    K is kept: it carries the shadows' detail, and cutting it would turn dark areas grey.
    """
    values = pixels.astype(np.int32)
    black = values[..., 3]
    colour = values[..., :3].sum(axis=-1)
    room = np.maximum(np.asarray(cap, dtype=np.int32) - black, 0)
    over = black + colour > cap
    factor = np.where(over, room / np.maximum(colour, 1), 1.0)
    values[..., :3] = np.floor(values[..., :3] * factor[..., None])  # down, never up: the sum stays within
    return values.astype(np.uint8)


def cap_image(im: Image.Image, limit: float) -> Image.Image:
    """A CMYK image capped to `limit` less the headroom that JPEG's rounding needs."""
    pixels = np.asarray(im)
    capped = cap_ink(pixels, limit_units(limit - HEADROOM))
    return im if np.array_equal(capped, pixels) else Image.fromarray(capped, "CMYK")


def encode_within(im: Image.Image, limit: float, quality: int) -> tuple[bytes, str]:
    """A CMYK JPEG (or, failing that, a lossless TIFF) whose every decoded pixel keeps to `limit` percent."""
    pixels = np.asarray(im)
    most = limit_units(limit)
    cap = np.full(pixels.shape[:2], limit_units(limit - HEADROOM), dtype=np.int32)
    for _ in range(ROUNDS):
        data = jpeg(Image.fromarray(cap_ink(pixels, cap), "CMYK"), quality)
        excess = total_units(decode(data)) - most
        if excess.max() <= 0:
            return data, "jpg"
        cap -= block_penalty(excess)
    return lossless(Image.fromarray(cap_ink(pixels, cap), "CMYK")), "tif"


def block_penalty(excess: np.ndarray) -> np.ndarray:
    """Per pixel: how much lower its block's cap goes, from the block's largest excess (0 where none)."""
    height, width = excess.shape
    rows, cols = -(-height // BLOCK), -(-width // BLOCK)
    padded = np.zeros((rows * BLOCK, cols * BLOCK), dtype=np.int32)
    padded[:height, :width] = np.maximum(excess, 0)
    worst = padded.reshape(rows, BLOCK, cols, BLOCK).max(axis=(1, 3))
    penalty = np.where(worst > 0, 2 * worst + MARGIN, 0)
    return np.repeat(np.repeat(penalty, BLOCK, axis=0), BLOCK, axis=1)[:height, :width]


def jpeg(im: Image.Image, quality: int) -> bytes:
    # Pillow writes CMYK JPEGs in Adobe's inverted convention with the APP14 marker, which is
    # what Photoshop writes and what a PDF's /Decode [1 0 ...] for DCTDecode CMYK expects.
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def decode(data: bytes) -> np.ndarray:
    """The ink amounts a reader gets back from the JPEG (Pillow undoes the Adobe inversion)."""
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("CMYK"))


def lossless(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, "TIFF", compression="tiff_adobe_deflate")  # PNG has no CMYK
    return out.getvalue()
