"""Prepared photos -> their SSIM against a full-decode, exact-Lanczos reference, and their bytes, per engine.

    python bench/quality.py --photos 12 [--workdir /tmp/bookpress-bench]

The reference decodes each photo at full size, turns it upright and resamples its crop with
Pillow's Lanczos in one step (no draft, no reducing gap): the slowest, most exact way. Each
engine (libvips, Pillow) prepares the same jobs as a compile would; the SSIM (luma, 11-pixel
Gaussian window, as Wang et al. 2004) of each against the reference, and the encoded bytes,
are printed. The tests use the same functions on small photos.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import statistics
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def ssim(a: Image.Image, b: Image.Image) -> float:
    """Mean structural similarity of two images' luma (1.0: identical)."""
    x, y = (np.asarray(im.convert("L"), dtype=np.float64) for im in (a, b))
    if x.shape != y.shape:
        raise ValueError(f"sizes differ: {a.size} and {b.size}")
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(v: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(v, (11, 11), 1.5, borderType=cv2.BORDER_REFLECT)

    mx, my = blur(x), blur(y)
    vx, vy, cov = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    return float(np.mean(((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))))


def reference(job) -> Image.Image:
    """The job's crop at its output size from the fully decoded, upright photo, by exact Lanczos."""
    with Image.open(job.source.path) as im:
        upright = ImageOps.exif_transpose(im.convert("RGB"))
    return upright.resize(job.output_size, Image.Resampling.LANCZOS, box=job.box)


def prepared(job, engine: str) -> tuple[Image.Image, int]:
    """(decoded pixels, encoded bytes) of the job prepared by `engine`, in memory (no cache)."""
    from bookpress.images.prepare import render

    data, _ = render(dataclasses.replace(job, engine=engine))
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGB"), len(data)


def compare(jobs, engines=("vips", "pillow")) -> dict[str, dict[str, float]]:
    """engine -> mean and lowest SSIM against the reference, and total bytes, over `jobs`."""
    scores: dict[str, list[float]] = {name: [] for name in engines}
    sizes = {name: 0 for name in engines}
    for job in jobs:
        truth = reference(job)
        for name in engines:
            pixels, size = prepared(job, name)
            scores[name].append(ssim(pixels, truth))
            sizes[name] += size
    return {name: {"ssim_mean": statistics.mean(scores[name]), "ssim_min": min(scores[name]),
                   "bytes": sizes[name]} for name in engines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--workdir", default="/tmp/bookpress-bench")
    args = parser.parse_args()
    from workload import workload_jobs

    jobs = workload_jobs(args.workdir, args.photos)
    results = compare(jobs)
    print(f"{len(jobs)} prepared photos of 24 MP, {os.cpu_count()} cores; SSIM against full decode + exact Lanczos")
    for name, row in results.items():
        print(f"{name:7s} SSIM mean {row['ssim_mean']:.4f} lowest {row['ssim_min']:.4f}  "
              f"bytes {row['bytes'] / 2**20:.2f} MiB")
    vips, pillow = results["vips"], results["pillow"]
    print(f"vips - pillow: SSIM mean {vips['ssim_mean'] - pillow['ssim_mean']:+.4f}, "
          f"lowest {vips['ssim_min'] - pillow['ssim_min']:+.4f}; bytes {vips['bytes'] / pillow['bytes'] - 1:+.1%}")


if __name__ == "__main__":
    main()
