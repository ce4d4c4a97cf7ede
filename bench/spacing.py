"""Word spacing of a manuscript's justified text: how wide and how even the spaces are.

    python bench/spacing.py [MANUSCRIPT]

Lays the book out (no PDF) and measures, on every justified body line except a
paragraph's last, the space between its words in ems of the type size: the spread of
all spaces, and how much the spacing of one line differs from the next (what the eye
sees as a loose line under a tight one). Prints one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bookpress.layout import layout_book  # noqa: E402
from bookpress.load import load_manuscript  # noqa: E402
from bookpress.load.printers import PRESETS  # noqa: E402


def line_spaces(item) -> list[float]:
    """The gaps between a line's fragments, in ems (touching fragments are one word)."""
    frags = sorted(item.fragments, key=lambda f: f.x)
    size = max(f.size for f in frags)
    gaps = [(b.x - (a.x + a.width)) / size for a, b in zip(frags, frags[1:])]
    return [g for g in gaps if g > 0.01]


def measure(root: Path) -> dict:
    manuscript = load_manuscript(root)
    book = layout_book(manuscript, PRESETS[manuscript.print.printer])
    lines = []
    for page in book.pages:
        body = [item for item in page.items if getattr(item, "role", "") == "body"]
        widths = [item.width for item in body]
        full = max(widths, default=0.0)
        for item in body:
            spaces = line_spaces(item)
            if spaces and item.width >= full - 0.5:  # justified to the measure: not a paragraph's last line
                lines.append(spaces)
    spaces = [s for line in lines for s in line]
    means = [statistics.fmean(line) for line in lines]
    neighbours = [abs(a - b) for a, b in zip(means, means[1:])]
    quantiles = statistics.quantiles(spaces, n=20)
    return {
        "lines": len(lines),
        "spaces": len(spaces),
        "mean_em": round(statistics.fmean(spaces), 4),
        "stdev_em": round(statistics.pstdev(spaces), 4),
        "min_em": round(min(spaces), 4),
        "p5_em": round(quantiles[0], 4),
        "p95_em": round(quantiles[-1], 4),
        "max_em": round(max(spaces), 4),
        "neighbour_diff_mean_em": round(statistics.fmean(neighbours), 4),
        "neighbour_diff_max_em": round(max(neighbours), 4),
        "hyphenated_lines": sum(1 for page in book.pages for item in page.items
                                if getattr(item, "role", "") == "body" and item.text.endswith("-")),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1] if len(sys.argv) > 1 else "manuscript")), indent=1))
