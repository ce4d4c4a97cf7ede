"""An empty folder -> a small sample manuscript that compiles at once and shows the format by example.

The YAML files are shipped as commented examples (data/scaffold/); the sample
photos are drawn here with Pillow so that the package carries no image files and
the photos carry no one else's copyright.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from . import DATA
from .load.schema.export import write_schemas

SCAFFOLD = DATA / "scaffold"
SCHEMA_FOLDER = ".schema"  # where the YAML files' `$schema` modelines point
EXIF_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B

Colour = tuple[int, int, int]


class ScaffoldError(Exception):
    """The target folder cannot take a new manuscript; the message says why."""


@dataclass(frozen=True)
class Palette:
    sky_top: Colour
    sky_bottom: Colour
    sun: Colour
    hills: tuple[Colour, Colour, Colour]


DAWN = Palette((38, 52, 110), (250, 176, 122), (255, 236, 190), ((92, 84, 120), (60, 56, 92), (30, 30, 52)))
NOON = Palette((70, 140, 220), (200, 228, 250), (255, 252, 225), ((110, 160, 110), (70, 125, 80), (40, 90, 55)))
DUSK = Palette((60, 30, 80), (240, 120, 80), (255, 200, 120), ((120, 60, 80), (80, 40, 64), (40, 22, 40)))
MIST = Palette((150, 165, 180), (225, 230, 235), (250, 250, 245), ((150, 160, 170), (115, 125, 140), (80, 90, 105)))


@dataclass(frozen=True)
class SamplePhoto:
    path: str
    size: tuple[int, int]
    palette: Palette
    feature: str = "sun"  # sun | tower | tree: what stands against the sky
    description: str = ""  # written into the file's EXIF ImageDescription


# Sizes give at least 200 ppi where the sample book places them, so preflight stays quiet.
SAMPLE_PHOTOS = (
    SamplePhoto("photos/dawn.jpg", (2400, 1600), DAWN, description="Hills at dawn"),
    SamplePhoto("photos/lake.jpg", (2400, 1600), MIST, description="A lake in the morning mist"),
    SamplePhoto("photos/tower.jpg", (1200, 1800), DUSK, "tower", "A tower at dusk"),
    SamplePhoto("photos/poplar.jpg", (1200, 1800), DAWN, "tree", "A poplar in the evening light"),
    SamplePhoto("photos/hills/01-morning.jpg", (2400, 1600), MIST, description="Hills in the morning"),
    SamplePhoto("photos/hills/02-noon.jpg", (2400, 1600), NOON, description="Hills at noon"),
    SamplePhoto("photos/hills/03-evening.jpg", (2400, 1600), DUSK,
                description="The last light of the evening on the hills"),
    SamplePhoto("photos/panorama.jpg", (5000, 2200), NOON, description="A range of hills"),
    # the front of `bookpress cover`: upright, and large enough for an A4 front and its bleed
    SamplePhoto("photos/cover.jpg", (2200, 2800), DUSK, "tree", "A poplar against the evening sky"),
)


def create_manuscript(folder: Path, title: str | None = None) -> list[Path]:
    """Write the sample manuscript into `folder` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"'{folder}' already exists and is not an empty folder; "
                            "give a new folder name so nothing is overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        written = _copy_examples(folder, title or _title_from(folder))
        written += [_draw(folder / photo.path, photo) for photo in SAMPLE_PHOTOS]
        written += write_schemas(folder / SCHEMA_FOLDER)
    except BaseException:  # a half-written sample would only confuse: leave the folder empty again
        for child in folder.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return written


def _title_from(folder: Path) -> str:
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "My Photo Book"


def _copy_examples(folder: Path, title: str) -> list[Path]:
    written = []
    for source in sorted(SCAFFOLD.rglob("*.yaml")):
        target = folder / source.relative_to(SCAFFOLD)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        # A JSON string is a valid YAML scalar: titles with ':' or quotes stay safe.
        text = text.replace("__TITLE__", json.dumps(title, ensure_ascii=False))
        target.write_text(text.replace("__YEAR__", str(date.today().year)), encoding="utf-8")
        written.append(target)
    return written


def _draw(path: Path, photo: SamplePhoto) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = photo.size
    pal = photo.palette
    ramp = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", photo.size, pal.sky_bottom), Image.new("RGB", photo.size, pal.sky_top),
                            ramp)
    draw = ImageDraw.Draw(image)
    sun = min(width, height) * 0.09
    cx, cy = width * 0.68, height * 0.45
    draw.ellipse((cx - sun, cy - sun, cx + sun, cy + sun), fill=pal.sun)
    if photo.feature != "sun":
        _landmark(draw, photo.feature, width, height, pal.hills[2])
    for layer, colour in enumerate(pal.hills):
        _ridge(draw, width, height, colour, base=0.58 + 0.12 * layer, amplitude=0.07 - 0.015 * layer,
               waves=2.0 + 1.3 * layer, phase=layer * 1.7)
    exif = Image.Exif()
    exif[EXIF_DESCRIPTION] = photo.description
    exif[EXIF_ARTIST] = "bookpress sample"  # the credit of a photo the manuscript does not credit
    image.save(path, "JPEG", quality=88, exif=exif)
    return path


def _ridge(draw: ImageDraw.ImageDraw, width: int, height: int, colour: Colour, base: float, amplitude: float,
           waves: float, phase: float) -> None:
    step = max(4, width // 200)
    points = [(x, height * (base + amplitude * math.sin(x / width * waves * math.pi + phase)))
              for x in range(0, width + step, step)]
    draw.polygon(points + [(width, height), (0, height)], fill=colour)


def _landmark(draw: ImageDraw.ImageDraw, feature: str, width: int, height: int, colour: Colour) -> None:
    x = width * 0.32
    if feature == "tower":
        draw.rectangle((x - width * 0.05, height * 0.22, x + width * 0.05, height), fill=colour)
        draw.polygon([(x - width * 0.08, height * 0.22), (x + width * 0.08, height * 0.22), (x, height * 0.12)],
                     fill=colour)
    else:  # a tall poplar: a narrow crown on a trunk
        draw.rectangle((x - width * 0.012, height * 0.6, x + width * 0.012, height), fill=colour)
        draw.ellipse((x - width * 0.09, height * 0.14, x + width * 0.09, height * 0.68), fill=colour)
