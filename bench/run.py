"""Photo count -> wall, CPU, memory, PDF size: bookpress cold and warm beside the practical limit.

    python bench/run.py --photos 48 [--runs 5] [--words 15000] [--pillow] [--workdir /tmp/bookpress-bench]
    python bench/run.py --memory [--counts 48,192,500,1000] [--camera 1500x1000]

Generates (once, under --workdir) a deterministic manuscript of N camera-sized
JPEGs and a long text (bench/workload.py), then runs, interleaved, --runs times:
  cold      `bookpress compile` with an empty image cache
  warm      `bookpress compile` again after a text-only edit (one word changed)
  pillow    (with --pillow) cold again with BOOKPRESS_IMAGE_ENGINE=pillow
  baseline  bench/baseline.py: plain reportlab + Pillow, draft decode + Lanczos
            in a 2-process pool, for the same photos at the same pixel sizes
Each run is a fresh subprocess measured by bench/measure.py (wall, CPU of all
processes, largest single RSS, peak summed RSS); medians, wall and CPU ratios
(of the medians and run by run) and the machine's load during the runs are
printed: on a shared machine the run-by-run spread says how far to trust them.

--memory compiles, once each and cold, books of --counts photos at a smaller
camera size (generating and compiling 1,000 photos of 24 MP would take long;
the photos' size sets what each worker holds, their number what the main
process holds), and prints the largest process and all processes together.
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
ENGINE = "BOOKPRESS_IMAGE_ENGINE"  # unset for bookpress's own choice (libvips where it loads)


def main() -> None:
    args = _arguments()
    if args.memory:
        return _memory(args)
    folder = Path(args.workdir) / f"n{args.photos}-w{args.words}"
    manuscript = make_workload(folder / "manuscript", args.photos, args.words)
    plan = _write_plan(manuscript, folder / "plan.json")
    _warm_page_cache(manuscript)
    names = ["cold", "warm"] + (["pillow"] if args.pillow else []) + ["baseline"]
    results: dict[str, list[dict]] = {name: [] for name in names}
    loads: list[float] = []
    for run in range(args.runs):
        loads.append(os.getloadavg()[0])
        shutil.rmtree(manuscript / "build", ignore_errors=True)
        results["cold"].append(_compile(manuscript, folder / "cold.pdf", args.jobs))
        _edit_text(manuscript, run)
        results["warm"].append(_compile(manuscript, folder / "warm.pdf", args.jobs))
        if args.pillow:  # after warm: its photos are cached under the Pillow engine's keys, not the default's
            shutil.rmtree(manuscript / "build", ignore_errors=True)
            results["pillow"].append(_compile(manuscript, folder / "pillow.pdf", args.jobs, engine="pillow"))
        results["baseline"].append(_measure([sys.executable, str(HERE / "baseline.py"), str(plan),
                                             str(folder / "baseline.pdf")], folder / "baseline.pdf"))
        print(f"run {run + 1}/{args.runs} (load {loads[-1]:.1f}): " + ", ".join(
            f"{name} {rows[-1]['wall_s']:.2f} s / {rows[-1]['cpu_s']:.2f} s CPU" for name, rows in results.items()),
            file=sys.stderr)
    loads.append(os.getloadavg()[0])
    _report(args, results, loads)


def _memory(args: argparse.Namespace) -> None:
    camera = tuple(int(v) for v in args.camera.lower().split("x"))
    print(f"cold compiles, photos of {camera[0]}x{camera[1]}, {args.words} words, {os.cpu_count()} cores")
    print(f"{'photos':>7s} {'wall s':>8s} {'CPU s':>8s} {'largest MiB':>12s} {'all MiB':>9s} {'load':>6s}")
    for count in (int(v) for v in args.counts.split(",")):
        folder = Path(args.workdir) / f"n{count}-w{args.words}-{camera[0]}x{camera[1]}"
        manuscript = make_workload(folder / "manuscript", count, args.words, camera=camera)
        _warm_page_cache(manuscript)
        shutil.rmtree(manuscript / "build", ignore_errors=True)
        load = os.getloadavg()[0]
        row = _compile(manuscript, folder / "book.pdf", args.jobs, ready_or_not=True)
        print(f"{count:7d} {row['wall_s']:8.2f} {row['cpu_s']:8.2f} {row['max_rss_mib']:12.1f} "
              f"{row['peak_total_rss_mib']:9.1f} {load:6.1f}" + ("" if row["ready"] else "  (preflight failed)"),
              flush=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=48)
    parser.add_argument("--words", type=int, default=15_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="bookpress --jobs (default: its own)")
    parser.add_argument("--workdir", default="/tmp/bookpress-bench")
    parser.add_argument("--pillow", action="store_true",
                        help="also run bookpress cold with the Pillow engine (BOOKPRESS_IMAGE_ENGINE=pillow)")
    parser.add_argument("--memory", action="store_true", help="peak memory of cold compiles at --counts photos")
    parser.add_argument("--counts", default="48,192,500,1000", help="--memory: the books' photo counts")
    parser.add_argument("--camera", default="1500x1000", help="--memory: the photos' pixel size")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    return parser.parse_args()


def _compile(manuscript: Path, out: Path, jobs: int | None, engine: str | None = None,
             ready_or_not: bool = False) -> dict:
    command = [*COMPILE, "compile", str(manuscript), "-o", str(out), "--quiet"]
    return _measure(command + (["--jobs", str(jobs)] if jobs else []), out, engine, ready_or_not)


def _measure(command: list[str], out: Path, engine: str | None = None, ready_or_not: bool = False) -> dict:
    """`ready_or_not`: a book that failed preflight (written as .not-ready.pdf) still counts (memory)."""
    not_ready = out.with_suffix(".not-ready.pdf")
    out.unlink(missing_ok=True)
    not_ready.unlink(missing_ok=True)
    # Python as users run it: with its bytecode cache (some sandboxes switch it off).
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", ENGINE)}
    if engine is not None:
        env[ENGINE] = engine
    line = subprocess.run([sys.executable, str(HERE / "measure.py"), *command], check=True, env=env,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    figures = json.loads(line)
    figures["ready"] = figures["exit"] == 0 and out.is_file()
    if ready_or_not and not figures["ready"] and figures["exit"] == 1 and not_ready.is_file():
        out = not_ready
    elif not figures["ready"]:
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


def _report(args: argparse.Namespace, results: dict[str, list[dict]], loads: list[float]) -> None:
    medians = {name: {key: statistics.median(row[key] for row in rows) for key in FIGURES}
               for name, rows in results.items()}
    print(f"\n{args.photos} photos of 24 MP, {args.words} words, A4, {args.runs} interleaved runs (medians), "
          f"{os.cpu_count()} cores; load (1 min) {min(loads):.1f}..{max(loads):.1f}, "
          f"median {statistics.median(loads):.1f}")
    print(f"{'':10s} {'wall s':>8s} {'CPU s':>8s} {'max RSS':>9s} {'sum RSS':>9s} {'PDF MiB':>8s}")
    for name, row in medians.items():
        print(f"{name:10s} {row['wall_s']:8.2f} {row['cpu_s']:8.2f} {row['max_rss_mib']:9.1f} "
              f"{row['peak_total_rss_mib']:9.1f} {row['pdf_mib']:8.1f}")
    base = medians["baseline"]
    for name in [n for n in results if n not in ("warm", "baseline")]:
        print(f"{name} / baseline: wall {medians[name]['wall_s'] / base['wall_s']:.2f}, "
              f"CPU {medians[name]['cpu_s'] / base['cpu_s']:.2f}")
        for key, label in (("wall_s", "wall"), ("cpu_s", "CPU ")):
            ratios = [row[key] / other[key] for row, other in zip(results[name], results["baseline"])]
            print(f"  {label} run by run: " + ", ".join(f"{r:.2f}" for r in ratios)
                  + f"  (spread {min(ratios):.2f}..{max(ratios):.2f})")
    print(f"warm / cold: wall {medians['warm']['wall_s'] / medians['cold']['wall_s']:.2f}")
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
