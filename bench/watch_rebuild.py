"""A manuscript -> how long `bookpress watch` takes to rebuild it after a one-word edit, beside a cold compile.

    python bench/watch_rebuild.py MANUSCRIPT [--edits 5] [--runs 3]

The author's loop is `bookpress watch`: the process stays up between builds, so Python, the
libraries and bookpress are imported once, and each save costs only the rebuild. Each run
compiles MANUSCRIPT cold (no build/ folder; a fresh process, measured by bench/measure.py),
then starts `bookpress watch` on it, waits for its first build, and --edits times changes one
word of the first chapter's first paragraph (JSON or YAML chapters, as bench/workload.py and
bench/long_text.py write them) and waits for the rebuild. For each rebuild it takes the build's
own time as watch prints it, and the time from the save to that line (what the author waits:
noticing the change, the rebuild, writing the PDF). Prints the medians and their ratios to the
cold compile's wall time. The workloads: `bench/run.py --photos 48` and `bench/long_text.py`
make them under /tmp.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).parent / "bookpress"
BOOKPRESS = [sys.executable, str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "bookpress.cli"]
BUILT = re.compile(r"\] build (\d+)\b.*: wrote .* in ([\d.]+) s")
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    args = _arguments()
    manuscript = Path(args.manuscript).resolve()
    colds, builds, waits = [], [], []
    for run in range(args.runs):
        shutil.rmtree(manuscript / "build", ignore_errors=True)
        colds.append(_cold(manuscript))
        run_builds, run_waits = _watch(manuscript, args.edits, run)
        builds += run_builds
        waits += run_waits
        print(f"run {run + 1}/{args.runs}: cold {colds[-1]:.2f} s; rebuilds "
              + ", ".join(f"{b:.2f}" for b in run_builds) + " s; save to PDF "
              + ", ".join(f"{w:.2f}" for w in run_waits) + " s", file=sys.stderr)
    cold, build, wait = statistics.median(colds), statistics.median(builds), statistics.median(waits)
    print(f"\n{manuscript}: {args.runs} runs, {args.edits} one-word edits each (medians), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(f"cold compile (fresh process)   {cold:6.2f} s")
    print(f"watch rebuild (as it reports)  {build:6.2f} s   / cold {build / cold:.3f}")
    print(f"save to PDF written            {wait:6.2f} s   / cold {wait / cold:.3f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manuscript")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def _cold(manuscript: Path) -> float:
    command = [*BOOKPRESS, "compile", str(manuscript), "--quiet"]
    line = subprocess.run([sys.executable, str(HERE / "measure.py"), *command], check=True, env=ENV,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    figures = json.loads(line)
    if figures["exit"] != 0:
        raise SystemExit(f"the cold compile failed ({figures['exit']}): {' '.join(command)}")
    return figures["wall_s"]


def _watch(manuscript: Path, edits: int, run: int) -> tuple[list[float], list[float]]:
    process = subprocess.Popen([*BOOKPRESS, "watch", str(manuscript)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=ENV)
    builds, waits = [], []
    try:
        _built(process, 1)
        for edit in range(edits):
            time.sleep(0.5)  # a pause between saves, as an author makes
            saved = time.monotonic()
            _edit_one_word(manuscript, f"Watch{run}x{edit}")
            builds.append(_built(process, edit + 2))
            waits.append(time.monotonic() - saved)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return builds, waits


def _built(process: subprocess.Popen, number: int) -> float:
    """Read watch's output up to its build `number`; that build's seconds."""
    for line in process.stdout:
        found = BUILT.search(line)
        if found and int(found[1]) == number:
            return float(found[2])
        if "failed" in line:
            raise SystemExit(f"a build failed: {line.strip()}")
    raise SystemExit(f"bookpress watch ended before build {number}")


def _edit_one_word(manuscript: Path, word: str) -> None:
    chapter = sorted((manuscript / "chapters").glob("*.yaml"))[0]
    text = chapter.read_text(encoding="utf-8")
    as_json = text.lstrip().startswith("{")
    data = json.loads(text) if as_json else yaml.safe_load(text)
    first = next(block for block in data["blocks"] if "text" in block)
    first["text"] = f"{word} " + first["text"].split(" ", 1)[1]
    chapter.write_text(json.dumps(data, indent=1) if as_json else
                       yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


if __name__ == "__main__":
    main()
