#!/usr/bin/env python3
"""Measure the maximum total ink (TAC) the shipped CMYK profiles produce.

Builds two synthetic sRGB test images (1: saturated colours, deep blacks,
dark browns, a full hue sweep at several lightness levels, a grey ramp;
2: every one of the 16.7 M 8-bit sRGB values), converts each with Pillow's
ImageCms (LittleCMS) from bookpress/data/icc/sRGB_icc22.icm to each CMYK
output profile with the perceptual and relative colorimetric intents, and
prints the maximum C+M+Y+K (in % of 255 per channel, so 400% is the
ceiling) over all pixels, plus one pixel that reached it.
Needs only Pillow (pip install pillow); takes about 10 s.

Usage: python bench/measure_ink.py        (prints figures; no assertions)
"""
from __future__ import annotations

import colorsys
import sys
from pathlib import Path

from PIL import Image, ImageCms, ImageMath

ICC_DIR = Path(__file__).resolve().parent.parent / "bookpress" / "data" / "icc"
SRGB = ICC_DIR / "sRGB_icc22.icm"
PROFILES = [
    # (file, nominal TAC limit in %)
    ("bookpress-cmyk-240.icc", 240),
    ("ISOcoated_v2_300_bas.icc", 300),
]
INTENTS = [
    ("perceptual", ImageCms.Intent.PERCEPTUAL),
    ("relative colorimetric", ImageCms.Intent.RELATIVE_COLORIMETRIC),
]


def curated_pixels() -> list[tuple[int, int, int]]:
    px: list[tuple[int, int, int]] = []
    # Deep blacks and near-blacks (rich-black territory).
    px += [(0, 0, 0), (1, 1, 1), (2, 2, 2), (5, 5, 5), (10, 8, 6), (0, 0, 10)]
    # Saturated primaries / secondaries and their dark versions.
    for r, g, b in [(255, 0, 0), (0, 255, 0), (0, 0, 255),
                    (0, 255, 255), (255, 0, 255), (255, 255, 0)]:
        for s in (1.0, 0.75, 0.5, 0.35, 0.2, 0.1):
            px.append((round(r * s), round(g * s), round(b * s)))
    # Dark browns / dark skin / wood tones.
    for r in range(20, 141, 10):
        for ratio_g, ratio_b in [(0.6, 0.3), (0.5, 0.2), (0.7, 0.45), (0.4, 0.1)]:
            px.append((r, round(r * ratio_g), round(r * ratio_b)))
    # Full hue sweep: 360 hues x several lightness and saturation levels.
    for h in range(360):
        for lightness in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9):
            for sat in (1.0, 0.6):
                r, g, b = colorsys.hls_to_rgb(h / 360.0, lightness, sat)
                px.append((round(r * 255), round(g * 255), round(b * 255)))
    # Grey ramp, every level.
    px += [(v, v, v) for v in range(256)]
    return px


def curated_image() -> Image.Image:
    pixels = curated_pixels()
    width = 256
    height = (len(pixels) + width - 1) // width
    pixels = pixels + [(255, 255, 255)] * (width * height - len(pixels))
    img = Image.new("RGB", (width, height))
    img.putdata(pixels)
    return img


def cube_image() -> Image.Image:
    """Every 8-bit sRGB value once: 4096 x 4096 pixels (R = y // 16, G from y % 16 and x // 256, B = x % 256)."""
    rows = []
    for y in range(4096):
        r = y >> 4
        g_base = (y & 15) << 4
        row = bytearray()
        for g in range(g_base, g_base + 16):
            row += bytes(v for b in range(256) for v in (r, g, b))
        rows.append(bytes(row))
    return Image.frombytes("RGB", (4096, 4096), b"".join(rows))


def max_tac(rgb: Image.Image, cmyk: Image.Image):
    """Exact max of C+M+Y+K over the image, and one pixel that reaches it."""
    c, m, y, k = cmyk.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                  c=c, m=m, y=y, k=k)
    top = total.getextrema()[1]
    hits = ImageMath.lambda_eval(lambda a: a["t"] == top, t=total)
    x0, y0, x1, _ = hits.convert("L").getbbox()
    # The bbox's top row holds at least one hit: scan it.
    for x in range(x0, x1):
        if total.getpixel((x, y0)) == top:
            break
    ink = cmyk.getpixel((x, y0))
    return (100.0 * top / 255.0, rgb.getpixel((x, y0)),
            tuple(round(100.0 * v / 255.0, 1) for v in ink))


def main() -> int:
    images = [("curated (saturated, blacks, browns, hue sweep, grey ramp)", curated_image()),
              ("full 8-bit sRGB cube (16,777,216 values)", cube_image())]
    src = ImageCms.getOpenProfile(str(SRGB))
    print(f"source profile: {SRGB.name}; CMM: LittleCMS {ImageCms.core.littlecms_version}"
          f" via Pillow; TAC in % of 255 per channel")
    worst_over = 0.0
    for name, limit in PROFILES:
        path = ICC_DIR / name
        dst = ImageCms.getOpenProfile(str(path))
        desc = ImageCms.getProfileDescription(dst).strip()
        print(f"\n{name} ({path.stat().st_size} bytes) \"{desc}\", nominal limit {limit}%")
        for label, intent in INTENTS:
            for img_label, rgb in images:
                cmyk = ImageCms.profileToProfile(rgb, src, dst, renderingIntent=intent,
                                                 outputMode="CMYK")
                tac, at, ink = max_tac(rgb, cmyk)
                worst_over = max(worst_over, tac - limit)
                print(f"  {label:22s} max TAC {tac:6.1f}%  at sRGB{at} -> CMYK% {ink}"
                      f"  [{img_label}]")
            black = ImageCms.profileToProfile(Image.new("RGB", (1, 1)), src, dst,
                                              renderingIntent=intent, outputMode="CMYK")
            ink = tuple(round(100 * v / 255, 1) for v in black.getpixel((0, 0)))
            print(f"  {label:22s} sRGB(0,0,0) -> CMYK% {ink}, total {sum(ink):.1f}%")
    print(f"\nlargest excess over a nominal limit: {worst_over:+.1f} percentage points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
