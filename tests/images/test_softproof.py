"""The soft proof: photos through the press profile, the gamut warning and the total-ink map, on made-up pixels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageStat

from bookpress.images import colour, softproof
from bookpress.images.softproof import GAMUT_COLOUR, INK_SCALE, heat_colour, heat_map, soft_proof, soft_proof_all
from bookpress.load.printers import ICC_DIR

FOGRA39 = colour.CMYK_PROFILE
CMYK_240 = ICC_DIR / "bookpress-cmyk-240.icc"


def patches(path: Path, colours: list[tuple[int, int, int]], size: int = 40) -> Path:
    """A strip of flat colour patches, one `size` square each."""
    im = Image.new("RGB", (size * len(colours), size))
    for i, rgb in enumerate(colours):
        im.paste(rgb, (i * size, 0, (i + 1) * size, size))
    im.save(path)
    return path


def patch(im: Image.Image, index: int, size: int = 40) -> tuple[float, ...]:
    """The mean colour of the middle of patch `index` (small images keep their maps at full size)."""
    box = (index * size + size // 4, size // 4, index * size + 3 * size // 4, 3 * size // 4)
    return tuple(ImageStat.Stat(im.crop(box)).mean)


def run(path: Path, tmp_path: Path, press: Path = FOGRA39):
    return soft_proof(path, press, colour.profile_digest(press), tmp_path / "cache")


def test_a_saturated_blue_prints_duller_and_is_flagged_while_paper_white_and_grey_are_not(tmp_path: Path) -> None:
    strip = patches(tmp_path / "strip.png", [(0, 0, 255), (255, 255, 255), (128, 128, 128), (0, 0, 0)])
    proof = run(strip, tmp_path)
    with Image.open(proof.view) as view, Image.open(proof.gamut) as gamut:
        blue, white, grey, black = (patch(view.convert("RGB"), i) for i in range(4))
        flags = [patch(gamut.convert("L"), i)[0] for i in range(4)]
    assert blue[2] - blue[0] < 200, "sRGB's pure blue is beyond any press: the proof shows it duller"
    assert min(white) > 250, "the paper's white is shown as the screen's white"
    assert abs(grey[0] - grey[2]) < 12, "a neutral grey stays neutral"
    assert black[0] > 15, "the ink's black is shown as the press prints it, lighter than the screen's"
    # The warning: the blue, not the white or the grey, and not the black (black-point compensation handles it).
    assert flags[0] > 200 and flags[1] < 10 and flags[2] < 10 and flags[3] < 10
    assert 0.15 < proof.out_of_gamut < 0.35  # one patch of four


def test_total_ink_follows_the_press_profile(tmp_path: Path) -> None:
    strip = patches(tmp_path / "strip.png", [(0, 0, 0), (255, 255, 255), (200, 120, 40)])
    heavy, light = run(strip, tmp_path), run(strip, tmp_path, CMYK_240)
    with Image.open(heavy.ink) as ink:
        black, white, brown = (patch(ink, i)[0] * INK_SCALE for i in range(3))
    assert 285 < black <= 303 and white < 2 and 100 < brown < 250
    assert 285 < heavy.max_ink <= 303, "ISO Coated v2 300%: deep black reaches its limit"
    assert light.max_ink <= 243, "the 240% profile keeps within 240%"
    assert heavy.area_over(250) > 0.2 and light.area_over(250) == 0


def test_the_heat_map_colours_ink_against_the_printers_limit(tmp_path: Path) -> None:
    ink = Image.new("L", (4, 1))
    for x, percent in enumerate((0, 150, 300, 360)):
        ink.putpixel((x, 0), round(percent / INK_SCALE))
    ink.save(tmp_path / "ink.png")
    at_300 = heat_map(tmp_path / "ink.png", 300)
    assert at_300.getpixel((0, 0)) == heat_colour(0.0) and min(heat_colour(0.0)) > 240  # no ink: paper
    assert at_300.getpixel((2, 0)) == pytest.approx(heat_colour(1.0), abs=3)  # at the limit: orange
    assert at_300.getpixel((3, 0))[0] > 150 and at_300.getpixel((3, 0))[1] < 40  # over it: red to purple
    # The same ink against a 240% limit is over it.
    assert heat_map(tmp_path / "ink.png", 240).getpixel((2, 0))[1] < 40
    assert GAMUT_COLOUR not in [heat_colour(share / 100) for share in range(0, 130)]  # the warning stands out


def test_results_are_cached_under_the_image_and_the_profile(tmp_path: Path, monkeypatch) -> None:
    strip = patches(tmp_path / "strip.png", [(0, 0, 255), (250, 180, 20)])
    first = soft_proof_all({"job": strip}, FOGRA39, tmp_path / "cache")
    calls = []
    monkeypatch.setattr(softproof, "simulate", lambda *args: calls.append(args))
    again = soft_proof_all({"job": strip}, FOGRA39, tmp_path / "cache")
    assert calls == [] and again == first  # nothing simulated the second time, the same figures read back
    monkeypatch.undo()
    other = soft_proof_all({"job": strip}, CMYK_240, tmp_path / "cache")
    assert other["job"].view != first["job"].view  # another press: another simulation
