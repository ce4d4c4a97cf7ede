"""Photo count -> wall, CPU, memory, PDF size: bookpress cold and warm beside the practical limit.

    python bench/run.py --photos 48 [--runs 3] [--words 15000] [--workdir /tmp/bookpress-bench]

Generates (once, under --workdir) a deterministic manuscript of N camera-sized
JPEGs and a long text (bench/workload.py), then runs, interleaved, --runs times:
  cold      `bookpress compile` with an empty image cache
  warm      `bookpress compile` again after a text-only edit (one word changed)
  baseline  bench/baseline.py: plain reportlab + Pillow, draft decode + Lanczos
            in a 2-process pool, for the same photos at the same pixel sizes
Each run is a fresh subprocess measured by bench/measure.py (wall, CPU of all
processes, largest single RSS, peak summed RSS); medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workload import make_workload  # noqa: E402

# The installed `bookpress` script, as a user runs it (its module is what the image workers inherit).
SCRIPT = Path(sys.executable).parent / "bookpress"
COMPILE = [sys.executable, str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "bookpress.cli"]
FIGURES = ("wall_s", "cpu_s", "max_rss_mib", "peak_total_rss_mib", "pdf_mib")


def main() -> None:
    args = _arguments()
    folder = Path(args.workdir) / f"n{args.photos}-w{args.words}"
    manuscript = make_workload(folder / "manuscript", args.photos, args.words)
    plan = _write_plan(manuscript, folder / "plan.json")
    _warm_page_cache(manuscript)
    results: dict[str, list[dict]] = {"cold": [], "warm": [], "baseline": []}
    for run in range(args.runs):
        shutil.rmtree(manuscript / "build", ignore_errors=True)
        results["cold"].append(_compile(manuscript, folder / "cold.pdf", args.jobs))
        _edit_text(manuscript, run)
        results["warm"].append(_compile(manuscript, folder / "warm.pdf", args.jobs))
        results["baseline"].append(_measure([sys.executable, str(HERE / "baseline.py"), str(plan),
                                             str(folder / "baseline.pdf")], folder / "baseline.pdf"))
        print(f"run {run + 1}/{args.runs}: " + ", ".join(
            f"{name} {rows[-1]['wall_s']:.2f} s" for name, rows in results.items()), file=sys.stderr)
    _report(args, results)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=48)
    parser.add_argument("--words", type=int, default=15_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="bookpress --jobs (default: its own)")
    parser.add_argument("--workdir", default="/tmp/bookpress-bench")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    return parser.parse_args()


def _compile(manuscript: Path, out: Path, jobs: int | None) -> dict:
    command = [*COMPILE, "compile", str(manuscript), "-o", str(out), "--quiet"]
    return _measure(command + (["--jobs", str(jobs)] if jobs else []), out)


def _measure(command: list[str], out: Path) -> dict:
    out.unlink(missing_ok=True)
    # Python as users run it: with its bytecode cache (some sandboxes switch it off).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    line = subprocess.run([sys.executable, str(HERE / "measure.py"), *command], check=True, env=env,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    figures = json.loads(line)
    if figures["exit"] != 0 or not out.is_file():
        raise SystemExit(f"failed ({figures['exit']}): {' '.join(command)}")
    figures["pdf_mib"] = round(out.stat().st_size / 2**20, 1)
    return figures


def _edit_text(manuscript: Path, run: int) -> None:
    """A text-only edit: one word of the first chapter changes (differently each run)."""
    chapter = manuscript / "chapters" / "01.yaml"
    data = json.loads(chapter.read_text())
    first = next(block for block in data["blocks"] if "text" in block)
    first["text"] = f"Edit{run} " + first["text"].split(" ", 1)[1]
    chapter.write_text(json.dumps(data, indent=1))


def _write_plan(manuscript: Path, path: Path) -> Path:
    """What the baseline must produce: bookpress's own placements and pixel sizes, and the text."""
    from bookpress.book import PlacedImage
    from bookpress.images import image_job
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out

    _, options, book = load_and_lay_out(manuscript, Request(jobs=1))
    pages = []
    for page in book.pages:
        placed = [item for item in page.items if isinstance(item, PlacedImage)]
        if placed:
            pages.append([_planned(item, image_job(item, options.render)) for item in placed])
    paragraphs = [block["text"] for chapter in sorted((manuscript / "chapters").glob("*.yaml"))
                  for block in json.loads(chapter.read_text())["blocks"] if "text" in block]
    trim = book.geometry.trim
    font = HERE.parent / "fonts" / "EBGaramond12-Regular.ttf"
    path.write_text(json.dumps({"page_size": [trim.width, trim.height], "font": str(font),
                                "paragraphs": paragraphs, "pages": pages}))
    return path


def _planned(item, job) -> dict:
    rect = item.rect
    return {"source": str(job.source.path), "box": list(job.box), "size": list(job.output_size),
            "rect": [rect.x, rect.y, rect.width, rect.height]}


def _warm_page_cache(manuscript: Path) -> None:
    """Every contender reads the photos from memory, not from a cold disk."""
    for photo in (manuscript / "photos").iterdir():
        photo.read_bytes()


def _report(args: argparse.Namespace, results: dict[str, list[dict]]) -> None:
    medians = {name: {key: statistics.median(row[key] for row in rows) for key in FIGURES}
               for name, rows in results.items()}
    print(f"\n{args.photos} photos of 24 MP, {args.words} words, A4, {args.runs} runs (medians), "
          f"{os.cpu_count()} cores")
    print(f"{'':10s} {'wall s':>8s} {'CPU s':>8s} {'max RSS':>9s} {'sum RSS':>9s} {'PDF MiB':>8s}")
    for name, row in medians.items():
        print(f"{name:10s} {row['wall_s']:8.2f} {row['cpu_s']:8.2f} {row['max_rss_mib']:9.1f} "
              f"{row['peak_total_rss_mib']:9.1f} {row['pdf_mib']:8.1f}")
    cold, warm, base = (medians[name]["wall_s"] for name in ("cold", "warm", "baseline"))
    cold_cpu, base_cpu = medians["cold"]["cpu_s"], medians["baseline"]["cpu_s"]
    print(f"wall: cold / baseline = {cold / base:.2f}; warm / cold = {warm / cold:.2f}")
    print(f"CPU:  cold / baseline = {cold_cpu / base_cpu:.2f}")
    ratios = [row["wall_s"] / other["wall_s"] for row, other in zip(results["cold"], results["baseline"])]
    print("wall, run by run: cold / baseline = " + ", ".join(f"{r:.2f}" for r in ratios))
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
