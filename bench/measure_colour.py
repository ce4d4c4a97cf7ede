#!/usr/bin/env python3
"""How faithfully a CMYK press profile reproduces colours: its tables, and photos separated through it.

1. Tables: every CMYK value of a 9-step grid within the profile's ink limit is read through its
   A2B (relative colorimetric) and through a reference profile for the same printing condition
   (ISO Coated v2 300%, FOGRA39 like bookpress-cmyk-240): CIEDE2000 mean, 95th percentile, max.
2. Round trip: a grid of sRGB colours inside the press gamut goes Lab -> CMYK -> Lab through the
   profile (relative colorimetric), which shows whether the B2A table inverts the A2B.
3. Photos: each sRGB photo (reduced to 800 px) is separated with each intent as bookpress does
   (relative colorimetric + black point compensation, or perceptual), read back through the
   profile, and compared with the photo: mean CIEDE2000, mean L* before and after, highest total ink.

Usage: python bench/measure_colour.py [--profile P.icc ...] [PHOTO ...]
(defaults: the two bundled press profiles and the demo manuscript's photos). Prints a table.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

sys.path.insert(0, str(Path(__file__).resolve().parent))
from colourmetry import ICC_DIR, SRGB, delta_e, to_lab, total_ink  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REFERENCE = ICC_DIR / "ISOcoated_v2_300_bas.icc"
INTENTS = {"relative+bpc": (ImageCms.Intent.RELATIVE_COLORIMETRIC, ImageCms.Flags.BLACKPOINTCOMPENSATION),
           "perceptual": (ImageCms.Intent.PERCEPTUAL, 0)}


def cmyk_grid(limit: float) -> Image.Image:
    steps = [round(v * 255 / 8) for v in range(9)]
    values = [c for c in itertools.product(steps, repeat=4) if sum(c) / 2.55 <= limit]
    im = Image.new("CMYK", (len(values), 1))
    im.putdata(values)
    return im


def tables(profile: Path, limit: float) -> str:
    grid = cmyk_grid(limit)
    ours, reference = to_lab(grid, profile), to_lab(grid, REFERENCE)
    error = delta_e(ours, reference)
    return f"A2B vs ISO Coated v2 on {grid.width} CMYK values <= {limit:.0f}%: " \
           f"mean {error.mean():.2f}, p95 {np.percentile(error, 95):.2f}, max {error.max():.2f}"


def round_trip(profile: Path) -> str:
    steps = range(0, 256, 17)
    rgb = Image.new("RGB", (16 ** 3, 1))
    rgb.putdata(list(itertools.product(steps, repeat=3)))
    lab = to_lab(rgb)
    press = ImageCms.ImageCmsProfile(str(profile))
    forward = ImageCms.buildTransform(ImageCms.createProfile("LAB"), press, "LAB", "CMYK",
                                      ImageCms.Intent.RELATIVE_COLORIMETRIC)
    lab_image = ImageCms.applyTransform(rgb, ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(str(SRGB)), ImageCms.createProfile("LAB"), "RGB", "LAB"))
    back = to_lab(ImageCms.applyTransform(lab_image, forward), profile)
    error = delta_e(lab, back)
    # Well inside any coated press's gamut, a 240% one too: chroma under 30, L* between 25 and 95
    # (the press black is near L* 12, paper white at 95).
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    inside = (chroma < 30) & (lab[..., 0] > 25) & (lab[..., 0] < 95)
    return f"Lab -> CMYK -> Lab, {int(inside.sum())} sRGB colours well inside the gamut: " \
           f"mean {error[inside].mean():.2f}, p95 {np.percentile(error[inside], 95):.2f}, max {error[inside].max():.2f}"


def photo_row(path: Path, profile: Path, intent: str) -> tuple[float, float, float, float]:
    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((800, 800))
    source = to_lab(im)
    rendering, flags = INTENTS[intent]
    transform = ImageCms.buildTransform(ImageCms.ImageCmsProfile(str(SRGB)), ImageCms.ImageCmsProfile(str(profile)),
                                        "RGB", "CMYK", rendering, flags=flags)
    cmyk = ImageCms.applyTransform(im, transform)
    printed = to_lab(cmyk, profile)
    return (float(delta_e(source, printed).mean()), float(source[..., 0].mean()), float(printed[..., 0].mean()),
            float(total_ink(cmyk).max()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="append", type=Path)
    parser.add_argument("photos", nargs="*", type=Path)
    args = parser.parse_args()
    profiles = args.profile or [ICC_DIR / "bookpress-cmyk-240.icc", REFERENCE]
    photos = args.photos or sorted((REPO / "manuscript" / "photos").rglob("*.jpg"))
    for profile in profiles:
        limit = 240.0 if "240" in profile.name else 300.0
        print(f"== {profile.name}")
        print("  " + tables(profile, limit))
        print("  " + round_trip(profile))
        for intent in INTENTS:
            rows = [photo_row(path, profile, intent) for path in photos]
            print(f"  {intent}: mean CIEDE2000 {np.mean([r[0] for r in rows]):.2f} over {len(rows)} photos, "
                  f"highest total ink {max(r[3] for r in rows):.1f}%")
            for path, (error, before, after, ink) in zip(photos, rows):
                print(f"    {path.name:32} dE {error:5.2f}  L* {before:5.1f} -> {after:5.1f}  ink {ink:5.1f}%")


if __name__ == "__main__":
    main()
