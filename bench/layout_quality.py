"""Generated photo books of mixed shapes -> the layout figures a designer checks, per trim size.

    python bench/layout_quality.py [--photos 120] [--seed 11] [--workdir /tmp/bookpress-layout]

For each trim (10x8in on blurb, 8.5x8.5in on kdp, A4 on generic) a manuscript is
written with auto photo sets and runs of photo blocks whose photos are 3:2, 2:3,
1:1, 16:9, 4:3, 1:3, 3:1 and tiny (400x300), some captioned, between paragraphs
and headings. It is laid out as a compile does (no PDF), and these are printed:

  kept      share of each placed photo's pixels shown (mean, lowest)
  per page  photos per page that holds photos
  ppi       lowest printed resolution of a placed photo, against print.min_ppi
  repeats   photos placed more than once
  near-empty  body pages with less than a quarter of the type area used: photos and lines of
            text by their extent, the white above a chapter's title counted as used (a
            chapter's last page is listed apart: nothing may be left to move onto it)
  templates how often each template was chosen
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bookpress.book import LaidOutBook, PlacedImage, PlacedText  # noqa: E402
from bookpress.geometry import Rect  # noqa: E402
from bookpress.options import Request  # noqa: E402
from bookpress.pipeline import load_and_lay_out  # noqa: E402

SHAPES = {"3:2": (3000, 2000), "2:3": (2000, 3000), "1:1": (2400, 2400), "16:9": (3200, 1800),
          "4:3": (2800, 2100), "1:3": (1000, 3000), "3:1": (3600, 1200), "tiny": (400, 300)}
TRIMS = {"10x8in": "blurb", "8.5x8.5in": "kdp", "a4": "generic"}
WORDS = ("river harbour morning window station market square bridge forest evening village letter report winter "
         "summer street mountain railway the of and a to in was for with on at by from they which one were").split()


def make_photos(folder: Path, count: int, rng: random.Random) -> list[str]:
    """`count` photos of shuffled shapes, each a soft gradient with one distinct subject somewhere in it."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    kinds = list(SHAPES)
    for i in range(count):
        kind = kinds[i % len(kinds)] if i < len(kinds) else rng.choice(kinds)
        w, h = SHAPES[kind]
        name = f"{i:03d}-{kind.replace(':', 'x')}.jpg"
        small = Image.new("RGB", (w // 10, h // 10), tuple(rng.randint(60, 200) for _ in range(3)))
        draw = ImageDraw.Draw(small)
        for y in range(small.height):
            shade = int(40 * y / small.height)
            draw.line([(0, y), (small.width, y)], fill=(90 + shade, 110 + shade, 140 - shade))
        r = max(3, min(small.size) // 6)
        cx, cy = rng.randint(r, small.width - r), rng.randint(r, small.height - r)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(220, 40, 30))
        small.resize((w, h), Image.Resampling.BILINEAR).save(folder / name, quality=80)
        names.append(name)
    return names


def sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def make_manuscript(root: Path, trim: str, printer: str, photos: int, seed: int) -> Path:
    """A fresh manuscript in `root` (the same arguments always write the same book)."""
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    names = make_photos(root / "photos" / "all", photos, rng)
    chapters, queue, number = [], list(names), 0
    while queue:
        number += 1
        blocks: list[dict] = [{"text": " ".join(sentence(rng) for _ in range(rng.randint(3, 9)))}]
        for part in range(rng.randint(2, 4)):
            if not queue:
                break
            blocks.append({"heading": f"Place {number}.{part + 1}"})
            blocks.append({"text": " ".join(sentence(rng) for _ in range(rng.randint(1, 6)))})
            size = rng.randint(2, 14)
            take, queue = queue[:size], queue[size:]
            if rng.random() < 0.5:  # a photo set folder with a photoset.yaml
                folder = root / "photos" / f"set-{number}-{part}"
                folder.mkdir(parents=True, exist_ok=True)
                entries = []
                for name in take:
                    (folder / name).write_bytes((root / "photos" / "all" / name).read_bytes())
                    entries.append({"file": name, **({"caption": sentence(rng)} if rng.random() < 0.5 else {})})
                (folder / "photoset.yaml").write_text(json.dumps({"photos": entries}), encoding="utf-8")
                blocks.append({"photoset": f"photos/set-{number}-{part}"})
            else:  # a run of photo blocks
                blocks += [{"photo": f"photos/all/{name}", **({"caption": sentence(rng)} if rng.random() < 0.5
                                                                 else {})} for name in take]
        (root / "chapters").mkdir(parents=True, exist_ok=True)
        (root / "chapters" / f"{number:02d}.yaml").write_text(
            json.dumps({"title": f"Chapter {number}", "blocks": blocks}), encoding="utf-8")
        chapters.append(f"chapters/{number:02d}.yaml")
    book = {"title": "Layout Quality", "author": "bench", "printer": printer, "format": {"trim": trim},
            "front_matter": [], "back_matter": [], "chapters": chapters}
    (root / "book.yaml").write_text(json.dumps(book), encoding="utf-8")
    return root


def used_share(page, live) -> float:
    """Share of the type area that items cover (text lines by their width and leading)."""
    area = 0.0
    for item in page.items:
        if isinstance(item, PlacedImage):
            r = item.rect
            w = max(0.0, min(r.right, live.right) - max(r.x, live.x))
            h = max(0.0, min(r.bottom, live.bottom) - max(r.y, live.y))
            area += w * h
        elif isinstance(item, PlacedText) and item.role not in ("folio", "running-head"):
            size = max((f.size for f in item.fragments), default=0.0)
            area += item.width * size * 1.3
    titles = [i.baseline for i in page.items if isinstance(i, PlacedText) and i.role == "title"]
    if page.kind == "chapter-start" and titles:  # the white above a chapter's title is the opening's own
        area += live.width * (min(titles) - live.y)
    return area / (live.width * live.height)


def figures(book: LaidOutBook, min_ppi: int) -> dict:
    kept, ppis, uses, per_page, near, last_near = [], [], Counter(), [], [], []
    chapter_last = {}
    for page in book.pages:
        if page.section == "body" and page.kind != "blank":
            chapter_last[page.chapter] = page.index
    m = book.geometry.margins
    for page in book.pages:
        if page.section != "body" or page.kind == "blank":
            continue
        images = [i for i in page.items if isinstance(i, PlacedImage)]
        seen = set()
        for item in images:
            info = item.photo.image
            left, top, right, bottom = item.crop
            key = (info.path.name, page.index // 2 if page.kind == "spread" else page.index)
            if key in seen:
                continue
            seen.add(key)
            kept.append((right - left) * (bottom - top) / (info.width * info.height))
            ppis.append((right - left) / (item.rect.width / 72))
            uses[info.path.name] += 1
        if images:
            per_page.append(len(images))
        left = m.inside if page.side == "recto" else m.outside
        live = Rect(left, m.top, book.geometry.trim.width - m.inside - m.outside,
                    book.geometry.trim.height - m.top - m.bottom)
        share = used_share(page, live)
        if share < 0.25 and page.kind not in ("full-bleed", "spread"):
            (last_near if chapter_last.get(page.chapter) == page.index else near).append(f"{page.label}:{share:.0%}")
    return {"photos": len(kept), "kept_mean": sum(kept) / len(kept), "kept_min": min(kept),
            "below_70": sum(1 for k in kept if k < 0.70), "photo_pages": len(per_page),
            "per_page": sum(per_page) / len(per_page), "ppi_min": min(ppis), "min_ppi": min_ppi,
            "below_min_ppi": sum(1 for p in ppis if p < min_ppi - 0.5),
            "repeats": sum(n - 1 for n in uses.values() if n > 1), "near_empty": near,
            "near_empty_last": last_near, "pages": len(book.pages)}


def template_counts(book: LaidOutBook) -> Counter:
    return Counter(p.kind for p in book.pages if p.section == "body")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bookpress-layout"))
    args = parser.parse_args()
    for trim, printer in TRIMS.items():
        root = make_manuscript(args.workdir / f"{trim}-{args.photos}-{args.seed}", trim, printer, args.photos,
                               args.seed)
        manuscript, _, book = load_and_lay_out(root, Request(jobs=1, cache=False))
        f = figures(book, manuscript.print.min_ppi)
        print(f"{trim} ({printer}): {f['photos']} photos on {f['pages']} pages")
        print(f"  kept area   mean {f['kept_mean']:.1%}, lowest {f['kept_min']:.1%}, {f['below_70']} below 70%")
        print(f"  per page    {f['per_page']:.2f} photos on each of {f['photo_pages']} pages with photos")
        print(f"  resolution  lowest {f['ppi_min']:.0f} ppi (min_ppi {f['min_ppi']}), "
              f"{f['below_min_ppi']} below min_ppi")
        print(f"  repeats     {f['repeats']}")
        print(f"  near-empty  {len(f['near_empty'])} pages {f['near_empty'][:8]}; chapter ends "
              f"{f['near_empty_last']}")
        print(f"  page kinds  {dict(template_counts(book))}")


if __name__ == "__main__":
    main()
