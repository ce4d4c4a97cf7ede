"""Total ink held at the pixel: the separation is capped, and the encoded file is checked after decoding."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bookpress.images import ink
from bookpress.images.jobs import ImageJob
from bookpress.images.prepare import prepare
from bookpress.load.probe import probe


def heavy_cmyk(size: tuple[int, int] = (256, 192), seed: int = 7) -> Image.Image:
    """Dark, busy separations at the limit: 8x8 checks of two heavy colours plus noise, which JPEG rings on."""
    rng = np.random.default_rng(seed)
    h, w = size[1], size[0]
    yy, xx = np.mgrid[0:h, 0:w]
    checks = ((yy // 3 + xx // 3) % 2).astype(bool)
    a = np.array([150, 130, 80, 255])  # 241%: C M Y K at the 240% limit after capping
    b = np.array([40, 200, 170, 200])  # 239%
    pixels = np.where(checks[..., None], a, b) + rng.integers(-6, 7, size=(h, w, 4))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "CMYK")


def peak(data: bytes) -> float:
    """The highest decoded C+M+Y+K, in percent (1/2.55 of a sample unit, rounded to hundredths)."""
    with Image.open(io.BytesIO(data)) as im:
        return round(float(np.asarray(im.convert("CMYK")).astype(int).sum(axis=-1).max() / 2.55), 2)


def test_a_plain_jpeg_of_capped_separations_exceeds_the_limit():
    """Why the check exists: JPEG's rounding pushes pixels that were within the limit over it."""
    capped = ink.cap_image(heavy_cmyk(), 240)
    assert ink.total_units(np.asarray(capped)).max() <= ink.limit_units(240)
    assert peak(ink.jpeg(capped, 90)) > 241


def test_encode_within_keeps_every_decoded_pixel_within_the_limit():
    data, ext = ink.encode_within(heavy_cmyk(), 240, 90)
    assert ext == "jpg" and peak(data) <= 240.0


def test_encode_within_falls_back_to_lossless_when_the_rounds_run_out(monkeypatch):
    monkeypatch.setattr(ink, "ROUNDS", 0)
    data, ext = ink.encode_within(heavy_cmyk(), 240, 90)
    assert ext == "tif" and peak(data) <= 239.0  # exact: the cap, less the headroom


def test_cap_keeps_black_and_the_proportions_of_the_colour_inks():
    pixels = np.array([[[200, 100, 50, 250], [10, 20, 30, 40]]], dtype=np.uint8)  # 235% and 39%
    capped = ink.cap_ink(pixels, ink.limit_units(200))
    c, m, y, k = capped[0, 0].astype(int)
    assert k == 250 and c + m + y + k <= ink.limit_units(200)
    assert c / m == pytest.approx(2.0, rel=0.05) and m / y == pytest.approx(2.0, rel=0.05)
    assert capped[0, 1].tolist() == [10, 20, 30, 40]  # under the limit: untouched


def test_prepared_cmyk_photo_holds_the_limit_after_decoding(tmp_path):
    path = tmp_path / "heavy.jpg"
    heavy_cmyk((640, 480)).save(path, quality=95)  # untagged CMYK: read as ISO Coated v2, separated again
    info = probe(path)
    job = ImageJob(info, (0, 0, info.width, info.height), (640, 480), "cmyk", ink_limit=240)
    out = prepare(job, tmp_path / "cache")
    assert peak(out.read_bytes()) <= 240.0
    without = ImageJob(info, (0, 0, info.width, info.height), (640, 480), "cmyk")
    assert peak(prepare(without, tmp_path / "cache").read_bytes()) > 241  # no limit asked: none kept
