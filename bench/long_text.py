"""Long texts -> cold compile and one-word-edit rebuild times (wall and CPU), and their ratio.

    python bench/long_text.py [--words 100000 400000] [--photos 4] [--runs 3] [--workdir /tmp/bookpress-long]

For each size, generates (once) a deterministic manuscript of that many words in 8 chapters
with a few camera-sized photos (bench/workload.py's text and photos), its chapters written
in block YAML as authors write them. Then, interleaved, --runs times:
  cold  `bookpress compile` with no build/ folder at all (no layout, page or image cache)
  edit  one word of chapter 1's first paragraph changed, then `bookpress compile` again
Each compile is a fresh subprocess measured by bench/measure.py (wall, CPU of all processes).
Prints the medians and edit / cold for wall and CPU; the target is <= 0.25 at every size.
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

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workload import make_workload  # noqa: E402

SCRIPT = Path(sys.executable).parent / "bookpress"
COMPILE = [sys.executable, str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "bookpress.cli"]


def main() -> None:
    args = _arguments()
    rows = []
    for words in args.words:
        manuscript = _manuscript(Path(args.workdir) / f"w{words}", words, args.photos)
        cold, edit = [], []
        for run in range(args.runs):
            shutil.rmtree(manuscript / "build", ignore_errors=True)
            cold.append(_compile(manuscript))
            _edit_one_word(manuscript, run)
            edit.append(_compile(manuscript))
        rows.append((words, cold, edit))
        _print_size(words, args.photos, cold, edit)
    print(f"\nload: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    if args.json:
        print(json.dumps([{"words": w, "cold": c, "edit": e} for w, c, e in rows]))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, nargs="+", default=[100_000, 400_000])
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/bookpress-long")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    return parser.parse_args()


def _manuscript(folder: Path, words: int, photos: int) -> Path:
    """bench/workload.py's book, its chapters rewritten from JSON into block YAML (same content)."""
    make_workload(folder, photos, words)
    for chapter in sorted((folder / "chapters").glob("*.yaml")):
        text = chapter.read_text(encoding="utf-8")
        if text.lstrip().startswith("{"):
            data = json.loads(text)
            chapter.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                               encoding="utf-8")
    return folder


def _edit_one_word(manuscript: Path, run: int) -> None:
    """Chapter 1's first word becomes another (a different one each run)."""
    chapter = manuscript / "chapters" / "01.yaml"
    data = yaml.safe_load(chapter.read_text(encoding="utf-8"))
    first = next(block for block in data["blocks"] if "text" in block)
    first["text"] = f"Edit{run} " + first["text"].split(" ", 1)[1]
    chapter.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def _compile(manuscript: Path) -> dict:
    out = manuscript / "build" / "long.pdf"
    command = [*COMPILE, "compile", str(manuscript), "-o", str(out), "--quiet"]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    line = subprocess.run([sys.executable, str(HERE / "measure.py"), *command], check=True, env=env,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    figures = json.loads(line)
    if figures["exit"] != 0 or not out.is_file():
        raise SystemExit(f"failed ({figures['exit']}): {' '.join(command)}")
    return figures


def _print_size(words: int, photos: int, cold: list[dict], edit: list[dict]) -> None:
    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    print(f"\n{words} words, {photos} photos, {len(cold)} interleaved runs (medians)")
    print(f"{'':6s} {'wall s':>8s} {'CPU s':>8s}")
    for name, rows in (("cold", cold), ("edit", edit)):
        print(f"{name:6s} {median(rows, 'wall_s'):8.2f} {median(rows, 'cpu_s'):8.2f}")
    print(f"edit / cold: wall {median(edit, 'wall_s') / median(cold, 'wall_s'):.2f}, "
          f"CPU {median(edit, 'cpu_s') / median(cold, 'cpu_s'):.2f} (target <= 0.25)")


if __name__ == "__main__":
    main()
