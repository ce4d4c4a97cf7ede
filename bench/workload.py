"""(photos, words, seed) -> a deterministic benchmark manuscript: camera-sized JPEGs and a long text.

The photos are 24 MP (6000 x 4000) JPEGs at quality 92 with photo-like content:
smooth colour fields (sky, ground, a few soft shapes), mid-frequency texture and
sensor grain, so they compress like real camera files (several MB each) rather
than like flat test cards. Every fifth one is stored landscape with EXIF
orientation 6 (shown portrait), as cameras held upright write them. The same
arguments always give byte-identical files, and a finished workload is reused.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

CAMERA = (6000, 4000)
QUALITY = 92
CHAPTERS = 8
WORDS = (
    "the of and a to in is was he for it with as his on be at by had are but from or have an they which one "
    "you were her all she there would their we him been has when who will more no if out so said what up its "
    "about into than them can only other new some could time these two may then do first any my now such like "
    "our over man me even most made after also did many before must through back years where much your way "
    "well down should because each just those people how too little state good very make world still own see "
    "men work long get here between both life being under never day same another know while last might us "
    "great old year off come since against go came right used take three river harvest committee window "
    "morning afternoon square railway station factory village tractor bridge winter summer letter report "
    "photograph street market mountain forest harbour evening government congress delegation newspaper"
).split()


def make_workload(folder: Path, photos: int, words: int = 15_000, seed: int = 1950, workers: int = 2,
                  camera: tuple[int, int] = CAMERA) -> Path:
    """Write (or reuse) the manuscript in `folder`; returns `folder`. `camera`: the photos' pixel size."""
    folder = Path(folder)
    stamp = folder / ".workload.json"
    spec = {"photos": photos, "words": words, "seed": seed, "version": 1}
    if tuple(camera) != CAMERA:  # (the stamps of full-size workloads written before stay valid)
        spec["camera"] = list(camera)
    if stamp.is_file() and json.loads(stamp.read_text()) == spec:
        return folder
    (folder / "photos").mkdir(parents=True, exist_ok=True)
    names = [folder / "photos" / f"img-{i:04d}.jpg" for i in range(photos)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_camera_jpeg, names, [seed * 100_003 + i for i in range(photos)], [tuple(camera)] * photos))
    _write_text(folder, photos, words, seed)
    stamp.write_text(json.dumps(spec))
    return folder


def workload_jobs(workdir: str | Path, photos: int) -> list:
    """The distinct image jobs bookpress lays out for the standard workload of `photos` photos (made once
    under `workdir`): what the image benches prepare with each engine or setting."""
    from bookpress.images import image_jobs
    from bookpress.options import Request
    from bookpress.pipeline import load_and_lay_out

    manuscript = make_workload(Path(workdir) / f"n{photos}-w15000" / "manuscript", photos)
    _, options, book = load_and_lay_out(manuscript, Request(jobs=1))
    return list(dict.fromkeys(image_jobs(book, options.render)))


def _camera_jpeg(path: Path, seed: int, camera: tuple[int, int] = CAMERA) -> None:
    rng = random.Random(seed)
    small = _scene(rng, (150, 100))
    im = small.resize(camera, Image.Resampling.BICUBIC)
    texture = Image.effect_noise((camera[0] // 6, camera[1] // 6), 60).filter(ImageFilter.GaussianBlur(1.2))
    texture = texture.resize(camera, Image.Resampling.BILINEAR)
    im = Image.blend(im, Image.merge("RGB", (texture,) * 3), 0.18)
    grain = Image.effect_noise(camera, 7)
    im = ImageChops.add(im, Image.merge("RGB", (grain,) * 3), 1.0, -128)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Benchmark", "Synthetic 24MP"  # Make, Model
    if seed % 5 == 0:
        exif[0x0112] = 6  # shown rotated: a portrait photo
    im.save(path, "JPEG", quality=QUALITY, subsampling=0, exif=exif.tobytes())


def _scene(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A small picture of a horizon with soft shapes; upscaling keeps it smooth like optics do."""
    w, h = size
    sky = tuple(rng.randint(60, 230) for _ in range(3))
    ground = tuple(rng.randint(20, 160) for _ in range(3))
    horizon = rng.randint(h // 3, 2 * h // 3)
    im = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(im)
    for y in range(h):
        t = y / h
        top = tuple(int(c * (1 - 0.4 * t)) for c in sky) if y < horizon else ground
        draw.line([(0, y), (w, y)], fill=tuple(min(255, int(c + 25 * t)) for c in top))
    for _ in range(rng.randint(4, 12)):
        x, y, r = rng.randint(0, w), rng.randint(0, h), rng.randint(3, h // 3)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        draw.ellipse([x - r, y - r * rng.uniform(0.3, 1.5), x + r, y + r], fill=colour)
    return im.filter(ImageFilter.GaussianBlur(1.5))


def _write_text(folder: Path, photos: int, words: int, seed: int) -> None:
    rng = random.Random(seed)
    per_chapter = [list(range(photos))[c::CHAPTERS] for c in range(CHAPTERS)]
    files = []
    for number, chapter_photos in enumerate(per_chapter, 1):
        name = f"chapters/{number:02d}.yaml"
        (folder / "chapters").mkdir(exist_ok=True)
        (folder / name).write_text(_chapter(rng, number, chapter_photos, words // CHAPTERS), encoding="utf-8")
        files.append(name)
    book = {"title": "Benchmark Book", "author": "bookpress bench", "language": "en",
            "format": {"trim": "a4"}, "chapters": files}
    (folder / "book.yaml").write_text(json.dumps(book, indent=1), encoding="utf-8")  # JSON is YAML


def _chapter(rng: random.Random, number: int, photos: list[int], words: int) -> str:
    """Text and photos interleaved: single photos, two-up pages and photo sets."""
    blocks: list[dict] = []
    paragraphs = [_paragraph(rng) for _ in range(max(1, words // 120))]
    queue = [f"photos/img-{i:04d}.jpg" for i in photos]
    step = max(1, len(paragraphs) // max(1, len(queue)))
    for index, paragraph in enumerate(paragraphs):
        blocks.append({"text": paragraph})
        if index % 6 == 3:
            blocks.append({"heading": f"Section {number}.{index // 6 + 1}"})
        if queue and index % step == step - 1:
            blocks.extend(_photo_blocks(rng, queue))
    while queue:
        blocks.extend(_photo_blocks(rng, queue))
    return json.dumps({"title": f"Chapter {number}", "blocks": blocks}, indent=1)


def _photo_blocks(rng: random.Random, queue: list[str]) -> list[dict]:
    kind = rng.choice(["photo", "photo", "page", "set"])
    if kind == "set" and len(queue) >= 3:
        return [{"photo": queue.pop(0), "caption": "One of a row."} for _ in range(3)]
    if kind == "page":
        return [{"page": "photo-caption", "slots": {"photo": {"photo": queue.pop(0), "caption": "A full page."}}}]
    return [{"photo": queue.pop(0), "caption": _sentence(rng)}]


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(5, 8)))


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    return " ".join(words).capitalize() + "."
