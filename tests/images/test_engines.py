"""Both image engines (libvips and Pillow) prepare the same photo: exact sizes, the crop where it was asked for,
colour and ink held, the quality and the bytes of the exact reference."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter
from quality import reference, ssim

from bookpress.images import engine as engines
from bookpress.images import ink
from bookpress.images.jobs import ImageJob
from bookpress.images.prepare import make, prepare, render
from bookpress.load.probe import probe
from conftest import ink_photo
from images.test_images import SRGB_BLUE, SRGB_GREEN, SRGB_RED, rgb_icc_profile

ENGINES = ["vips", "pillow"]
pytestmark = pytest.mark.skipif(engines.load_vips() is None, reason="libvips does not load here")


def textured_photo(path: Path, size: tuple[int, int] = (1200, 800)) -> Path:
    """Smooth colour fields, texture and grain: resampling differences show in SSIM as in a camera photo."""
    rng = np.random.default_rng(5)
    small = rng.integers(0, 255, size=(size[1] // 40, size[0] // 40, 3), dtype=np.uint8)
    im = Image.fromarray(small, "RGB").resize(size, Image.Resampling.BICUBIC)
    texture = Image.effect_noise((size[0] // 4, size[1] // 4), 50).resize(size, Image.Resampling.BILINEAR)
    im = Image.blend(im, Image.merge("RGB", (texture,) * 3), 0.25).filter(ImageFilter.GaussianBlur(0.6))
    im.save(path, "JPEG", quality=92)
    return path


def job(path: Path, crop, size, engine: str, **options) -> ImageJob:
    return ImageJob(probe(path), crop, size, options.pop("colour", "rgb"), engine=engine, **options)


def decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return im


@pytest.mark.parametrize("engine", ENGINES)
def test_pixel_size_is_exact_and_never_upsampled(tmp_path, engine):
    photo = textured_photo(tmp_path / "p.jpg")
    for crop, size in [((13.4, 7.9, 1187.3, 790.2), (431, 289)), ((0, 0, 1200, 800), (700, 467)),
                       ((101.5, 80.25, 601.5, 413.58), (229, 153))]:
        assert decoded(render(job(photo, crop, size, engine))[0]).size == size
    asked = job(photo, (100, 100, 500, 400), (800, 600), engine)  # twice the crop's pixels asked for
    assert asked.output_size == (400, 300)
    assert decoded(render(asked)[0]).size == (400, 300)


def dot_photo(path: Path, centre: tuple[float, float]) -> Path:
    """A grey photo with one soft white dot whose centre lies between pixels."""
    im = Image.new("L", (1600, 1200), 40)
    big = Image.new("L", (1600 * 4, 1200 * 4), 0)
    x, y, r = centre[0] * 4, centre[1] * 4, 48
    ImageDraw.Draw(big).ellipse((x - r, y - r, x + r, y + r), fill=215)
    im = Image.merge("L", [Image.eval(big.resize(im.size, Image.Resampling.BOX), lambda v: v + 40)])
    im.save(path, "JPEG", quality=98)
    return path


def centroid(im: Image.Image) -> tuple[float, float]:
    pixels = np.asarray(im.convert("L"), dtype=np.float64) - 40
    pixels = np.clip(pixels, 0, None)
    ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    return float((xs * pixels).sum() / pixels.sum()), float((ys * pixels).sum() / pixels.sum())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("crop, size", [((210.37, 151.81, 1410.37, 1051.81), (517, 388)),  # shrunk on load
                                        ((500.5, 400.25, 1100.5, 800.25), (600, 400))])  # the same scale
def test_crop_lands_where_it_was_asked_for_to_a_tenth_of_a_pixel(tmp_path, engine, crop, size):
    photo = dot_photo(tmp_path / "dot.jpg", (800.3, 600.6))
    x, y = centroid(decoded(render(job(photo, crop, size, engine))[0]))
    scale_x, scale_y = (crop[2] - crop[0]) / size[0], (crop[3] - crop[1]) / size[1]
    # A pixel's centre is at index + 0.5: the dot's centre in output pixel coordinates, less that half.
    assert x == pytest.approx((800.3 - crop[0]) / scale_x - 0.5, abs=0.1)
    assert y == pytest.approx((600.6 - crop[1]) / scale_y - 0.5, abs=0.1)


@pytest.mark.parametrize("engine", ENGINES)
def test_cmyk_ink_limit_holds_at_every_decoded_pixel(tmp_path, engine):
    photo = ink_photo(tmp_path / "ink.jpg", (800, 600))
    data, ext = render(job(photo, (3.3, 2.7, 797.1, 598.4), (397, 298), engine, colour="cmyk", ink_limit=240))
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "CMYK" and im.size == (397, 298)
        assert ink.total_units(np.asarray(im.convert("CMYK"))).max() <= ink.limit_units(240)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_embedded_profile_is_converted_to_srgb(tmp_path, engine):
    swapped = rgb_icc_profile(SRGB_BLUE, SRGB_GREEN, SRGB_RED)  # "red" in this profile is sRGB's blue
    path = tmp_path / "tagged.jpg"
    Image.new("RGB", (640, 480), (255, 0, 0)).save(path, "JPEG", quality=95, icc_profile=swapped)
    out = decoded(render(job(path, (10.5, 10.5, 630.5, 470.5), (300, 222), engine))[0])
    r, g, b = out.getpixel((150, 111))
    assert b > 240 and r < 15 and g < 15


def test_both_engines_match_the_exact_reference_equally_and_spend_the_same_bytes(tmp_path):
    photo = textured_photo(tmp_path / "p.jpg")
    for crop, size in [((13.4, 7.9, 1187.3, 790.2), (431, 289)), ((150.2, 90.7, 950.2, 690.7), (600, 450))]:
        scores, sizes = {}, {}
        for engine in ENGINES:
            prepared = job(photo, crop, size, engine)
            data = render(prepared)[0]
            scores[engine], sizes[engine] = ssim(decoded(data).convert("RGB"), reference(prepared)), len(data)
        assert scores["vips"] > 0.9  # a real resampling of this photo, not a blank
        assert abs(scores["vips"] - scores["pillow"]) <= 0.003, scores
        assert abs(sizes["vips"] / sizes["pillow"] - 1) <= 0.03, sizes


def test_the_engine_is_chosen_by_the_environment_and_keys_the_cache(tmp_path, monkeypatch):
    photo = textured_photo(tmp_path / "p.jpg", (320, 240))
    monkeypatch.setenv(engines.VARIABLE, "pillow")
    pillow = ImageJob(probe(photo), (0, 0, 320, 240), (160, 120), "rgb")
    monkeypatch.setenv(engines.VARIABLE, "vips")
    vips = ImageJob(probe(photo), (0, 0, 320, 240), (160, 120), "rgb")
    assert (pillow.engine, vips.engine) == ("pillow", "vips")
    assert pillow.key != vips.key
    assert prepare(pillow, tmp_path / "cache") != prepare(vips, tmp_path / "cache")


def test_without_libvips_pillow_prepares_and_its_result_is_filed_as_pillows(tmp_path, monkeypatch):
    photo = textured_photo(tmp_path / "p.jpg", (320, 240))
    wanted = job(photo, (0.5, 0.5, 319.5, 239.5), (160, 120), "vips")
    monkeypatch.setattr(engines, "load_vips", lambda: None)  # as where pyvips finds no libvips to load
    path, _ = make(wanted, tmp_path / "cache")
    as_pillow = job(photo, (0.5, 0.5, 319.5, 239.5), (160, 120), "pillow")
    assert path.name.startswith(as_pillow.key) and not path.name.startswith(wanted.key)
    assert decoded(path.read_bytes()).size == (160, 120)


def test_an_axis_a_hair_short_of_its_pixels_is_not_given_to_libvips_reduce(tmp_path, capfd):
    # A crop that fills its frame on one axis can come out a few millionths of a pixel short of the
    # asked size (the cover's photo did): libvips' reduce only shrinks, and complained on stderr.
    photo = textured_photo(tmp_path / "p.jpg")
    prepared = job(photo, (0, 0.02, 1200, 799.98), (600, 800), "vips")
    assert decoded(render(prepared)[0]).size == prepared.output_size
    assert "CRITICAL" not in capfd.readouterr().err


@pytest.mark.parametrize("engine", ENGINES)
def test_a_jpeg_with_stray_bytes_before_a_marker_is_still_prepared_whole(tmp_path, engine):
    # Stray bytes before the end marker are a libjpeg warning, common in files from some cameras and
    # editors, and harmless: the libvips path's strict decode refuses it and Pillow prepares it instead.
    photo = textured_photo(tmp_path / "p.jpg", (640, 480))
    data = photo.read_bytes()
    photo.write_bytes(data[:-2] + b"\x00" * 7 + data[-2:])
    out = decoded(render(job(photo, (10.5, 10.5, 630.5, 470.5), (300, 222), engine))[0]).convert("RGB")
    clean = tmp_path / "clean.jpg"
    clean.write_bytes(data)
    reference_pixels = decoded(render(job(clean, (10.5, 10.5, 630.5, 470.5), (300, 222), "pillow"))[0])
    assert out.size == (300, 222)
    assert ssim(out, reference_pixels.convert("RGB")) > 0.98
