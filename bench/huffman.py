"""Prepared photos -> the CPU time and bytes of JPEG encoding with and without Huffman optimisation.

    python bench/huffman.py --photos 12 [--rounds 5] [--workdir /tmp/bookpress-bench]

Each photo of the benchmark workload is prepared as a compile prepares it (crop, resample to
300 ppi at its placed size), then encoded at bookpress's quality both ways, interleaved, --rounds
times; the median CPU time per photo and the total bytes are printed. Pillow and libvips both
encode with libjpeg: "optimize" is a second pass over the coefficients that builds the image's own
Huffman tables instead of the standard ones.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/bookpress-bench")
    args = parser.parse_args()
    from PIL import Image
    from workload import workload_jobs

    from bookpress.images.prepare import render

    jobs = workload_jobs(args.workdir, args.photos)
    quality = jobs[0].quality  # what bookpress encodes at (print.quality), the same for every job
    pixels = []
    for job in jobs:
        with Image.open(io.BytesIO(render(job)[0])) as im:
            pixels.append(im.convert("RGB"))
    seconds: dict[bool, list[float]] = {True: [], False: []}
    sizes: dict[bool, int] = {}
    for _ in range(args.rounds):
        for optimize in (True, False):
            start, total = time.process_time(), 0
            for im in pixels:
                out = io.BytesIO()
                im.save(out, "JPEG", quality=quality, optimize=optimize)
                total += out.tell()
            seconds[optimize].append((time.process_time() - start) / len(pixels))
            sizes[optimize] = total
    megapixels = statistics.mean(im.width * im.height for im in pixels) / 1e6
    print(f"{len(pixels)} photos of {megapixels:.1f} MP on average, quality {quality}, "
          f"{args.rounds} rounds (median CPU per photo)")
    for optimize in (True, False):
        print(f"optimize={str(optimize):5s} {statistics.median(seconds[optimize]) * 1000:6.1f} ms  "
              f"{sizes[optimize] / 2**20:7.2f} MiB")
    cost = statistics.median(seconds[True]) - statistics.median(seconds[False])
    print(f"optimisation: +{cost * 1000:.1f} ms a photo, {sizes[True] / sizes[False] - 1:+.1%} bytes")


if __name__ == "__main__":
    main()
