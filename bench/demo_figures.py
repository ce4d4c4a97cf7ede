"""The demo manuscript (and each of its editions) -> the figures its review asks for.

    python bench/demo_figures.py [MANUSCRIPT]

For the book and every edition in book.yaml, laid out as a compile does (no PDF):
pages, photos placed, photos placed more than once, photos of manuscript/photos never
placed, the lowest printed resolution, and the near-empty pages (less than a quarter
of the type area used, as bench/layout_quality.py measures it), front and back matter
included.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from layout_quality import used_share  # noqa: E402

from bookpress.book import PlacedImage  # noqa: E402
from bookpress.geometry import Rect  # noqa: E402
from bookpress.load.editions import names_in  # noqa: E402
from bookpress.options import Request  # noqa: E402
from bookpress.pipeline import load_and_lay_out  # noqa: E402

SPARSE_BY_DESIGN = {"blank", "half-title", "title", "copyright", "dedication", "colophon"}  # white on purpose


def report(root: Path, edition: str | None) -> None:
    manuscript, options, book = load_and_lay_out(root, Request(jobs=1, edition=edition))
    uses, ppis, near = Counter(), [], []
    m = book.geometry.margins
    for page in book.pages:
        for item in page.items:
            if isinstance(item, PlacedImage):
                left, top, right, bottom = item.crop
                uses[item.photo.image.path] += 1
                ppis.append(((right - left) / (item.rect.width / 72), item.photo.image.path.name))
        left = m.inside if page.side == "recto" else m.outside
        live = Rect(left, m.top, book.geometry.trim.width - m.inside - m.outside,
                    book.geometry.trim.height - m.top - m.bottom)
        share = used_share(page, live)
        if share < 0.25 and page.kind not in SPARSE_BY_DESIGN | {"full-bleed", "spread"}:
            near.append(f"{page.label} ({page.kind}) {share:.0%}")
    # a spread's photo is drawn once on each of its two pages: count it once
    on_disk = sorted(p for p in (root / "photos").rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif"))
    unused = [p.name for p in on_disk if p.resolve() not in {u.resolve() for u in uses}]
    again = {p.name: n for p, n in uses.items() if n > 1}
    low = min(ppis) if ppis else (0, "-")
    trim = book.geometry.trim
    print(f"{edition or 'book':12} {trim.width / 72:g}x{trim.height / 72:g}in {options.preset.name:11} "
          f"pages {len(book.pages):3}  photos placed {sum(uses.values()):2} of {len(on_disk)} files  "
          f"repeats {again or 0}  unused {unused or 0}  lowest {low[0]:.1f} ppi ({low[1]})  "
          f"near-empty {near or 0}")


def main() -> None:
    import yaml

    root = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "manuscript").resolve()
    data = yaml.safe_load((root / "book.yaml").read_text(encoding="utf-8"))
    for edition in (None, *names_in(data)):
        report(root, edition)


if __name__ == "__main__":
    main()
