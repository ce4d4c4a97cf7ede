"""Prepared screen images + the printer's CMYK profile -> a soft proof: each photo as it will print, where its
colours fall outside what the press can print (LittleCMS gamut check), and how much ink it lays down.

A proof transform sends the sRGB pixels through the press profile and back to sRGB, so the
screen shows the paper's and inks' smaller gamut; the gamut check marks the pixels that the
press cannot reach; the separation into CMYK gives the total ink at every pixel. Each result
is kept in the image cache under a hash of the image and the profile, so a second proof of
the same pages converts nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageMath
from PIL.PngImagePlugin import PngInfo

from ..book import LaidOutBook, PlacedImage
from ..options import RenderSettings
from . import cache, colour
from .jobs import ImageJob, image_job

VERSION = "1"  # bump when what is written changes: old results then stop matching
QUALITY = 88  # the simulated photos are for a screen, like the proof's own images
INK_SCALE = 400 / 255  # an ink map stores total ink (0..400 %) in 8 bits: 255 = four solid inks
STATS = "bookpress-softproof"  # the gamut mask's text chunk: the photo's figures, read back without decoding
# The print build converts with ImageJob's intent; the soft proof must simulate the same conversion.
PRINT_INTENT = next(f.default for f in fields(ImageJob) if f.name == "intent")
_INTENTS = {"perceptual": ImageCms.Intent.PERCEPTUAL, "relative": ImageCms.Intent.RELATIVE_COLORIMETRIC}
# NOCACHE: the threads below share one transform; LittleCMS's one-pixel cache is not theirs to share.
_NOCACHE = ImageCms.Flags.NOCACHE
ALARM = (127, 127, 127)  # LittleCMS's default alarm colour (0x7F00 on each channel): Pillow cannot change it
MAP_REDUCE_ABOVE = 800  # pixels on the long side: larger photos get their ink and gamut maps at half size
GAMUT_TOLERANCE = 6.0  # delta E (CIE76) a printed colour may stray from the original before it is flagged


@dataclass(frozen=True)
class SoftProof:
    """One photo, simulated: the files, and what they show in numbers."""

    view: Path  # sRGB JPEG: the photo as the press will print it
    gamut: Path  # PNG, mode L: 255 where the colour is outside the press's gamut
    ink: Path  # PNG, mode L: total ink, times 255/400 (the maps may be smaller than the view: scale them to it)
    out_of_gamut: float  # share of the photo's pixels outside the gamut (0..1)
    max_ink: float  # highest total ink, percent

    def area_over(self, limit: float) -> float:
        """The share of the photo's pixels whose total ink exceeds `limit` percent."""
        with Image.open(self.ink) as ink:
            histogram = ink.histogram()
        over = sum(histogram[min(255, int(limit / INK_SCALE) + 1):])
        return over / max(1, sum(histogram))


@dataclass(frozen=True)
class Simulation:
    """A book's soft proof: the press it simulates, and every placed photo as screen image and as simulated."""

    condition: str  # the press condition, as a reviewer reads it ("ISO Coated v2 300% (basICColor)")
    ink_limit: int  # percent: where the heat map turns from orange to red
    photos: dict[PlacedImage, SoftProof]
    screen: dict[PlacedImage, Path]  # the same photos in plain screen colours (sRGB), as prepared

    @property
    def gamut_share(self) -> float:
        """The largest share of any photo's pixels outside the gamut."""
        return max((p.out_of_gamut for p in self.photos.values()), default=0.0)


def simulate_book(book: LaidOutBook, files: dict[ImageJob, Path], settings: RenderSettings, press: Path,
                  condition: str, ink_limit: int, folder: Path | None, workers: int = 1,
                  intent: str = PRINT_INTENT) -> Simulation:
    """Every placed photo of `book` (prepared as `files`, with `settings`) simulated through `press`,
    separated with `intent` as the print build separates them (print.intent)."""
    placed = {item: image_job(item, settings) for page in book.pages for item in page.items
              if isinstance(item, PlacedImage)}
    proofs = soft_proof_all({job: files[job] for job in placed.values()}, press, folder, workers, intent)
    return Simulation(condition, ink_limit, {item: proofs[job] for item, job in placed.items()},
                      {item: files[job] for item, job in placed.items()})


def soft_proof_all(files: dict[ImageJob, Path], press: Path, folder: Path | None, workers: int = 1,
                   intent: str = PRINT_INTENT) -> dict[ImageJob, SoftProof]:
    """Simulate every prepared file through the press profile; results come from the cache when they are there."""
    folder = Path(folder) if folder is not None else cache.session_dir()
    digest = colour.profile_digest(press)
    unique = dict.fromkeys(files.values())
    # LittleCMS and Pillow's codecs let go of the GIL: threads share the work (and the transforms).
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="bookpress-softproof") as pool:
        done = dict(zip(unique, pool.map(lambda path: soft_proof(path, press, digest, folder, intent), unique)))
    return {job: done[path] for job, path in files.items()}


def soft_proof(path: Path, press: Path, digest: str, folder: Path, intent: str = PRINT_INTENT) -> SoftProof:
    """One prepared screen image (sRGB or grey), simulated; cached under its own hash and the profile's."""
    source = _file_digest(path)
    keys = {kind: _key(source, digest, intent, kind) for kind in ("view", "gamut", "ink")}
    found = {kind: cache.lookup(folder, key) for kind, key in keys.items()}
    if all(found.values()):
        with Image.open(found["gamut"]) as gamut:  # the figures ride in the mask's text chunk: no decoding
            stats = json.loads(gamut.text[STATS])
        return SoftProof(found["view"], found["gamut"], found["ink"], stats["out_of_gamut"], stats["max_ink"])
    with Image.open(path) as im:
        rgb = im.convert("RGB")
    cmyk, view, gamut = simulate(rgb, colour.read_profile(press), intent)
    ink = _total_ink(cmyk)
    stats = {"out_of_gamut": gamut.histogram()[255] / max(1, rgb.width * rgb.height),
             "max_ink": ink.getextrema()[1] * INK_SCALE}
    written = {"view": cache.store(folder, keys["view"], "jpg", _jpeg(view)),
               "ink": cache.store(folder, keys["ink"], "png", _png(ink)),
               "gamut": cache.store(folder, keys["gamut"], "png", _png(gamut, json.dumps(stats)))}
    return SoftProof(written["view"], written["gamut"], written["ink"], stats["out_of_gamut"], stats["max_ink"])


def simulate(rgb: Image.Image, press: bytes, intent: str = PRINT_INTENT
             ) -> tuple[Image.Image, Image.Image, Image.Image]:
    """sRGB pixels -> (their CMYK separation, how that prints shown in sRGB, the out-of-gamut mask); the
    separation and the mask at half size for a large image.

    The view keeps the paper's white as the screen's white and shows the ink's black as the
    press prints it, no deeper: what a reader will hold. A pixel is out of gamut when
    LittleCMS's gamut check says the press cannot print it and the printed colour is still
    visibly off (more than GAMUT_TOLERANCE) once the black point is compensated, as the
    conversion does: without that second test every deep shadow would be flagged.
    """
    # Separated as the print build separates (black point compensation with the relative intent only).
    separate = _transform(colour.srgb_bytes(), press, "RGB", "CMYK", intent, intent == "relative")
    cmyk = ImageCms.applyTransform(rgb, separate)
    view = ImageCms.applyTransform(cmyk, _transform(press, colour.srgb_bytes(), "CMYK", "RGB", "relative", False))
    # The maps are read at a glance, not at print resolution: half the size is a quarter of the work.
    small = rgb.reduce(2) if max(rgb.size) > MAP_REDUCE_ABOVE else rgb
    mapped = ImageCms.applyTransform(ImageCms.applyTransform(small, separate),
                                     _transform(press, colour.srgb_bytes(), "CMYK", "RGB", "relative", True))
    alarm = _equal(ImageCms.applyTransform(small, _gamut_check(press, intent)), Image.new("RGB", small.size, ALARM))
    return (cmyk if small is rgb else cmyk.reduce(2)), view, ImageChops.multiply(alarm, _far(small, mapped))


def _key(source: str, profile: str, intent: str, kind: str) -> str:
    parts = ["softproof", VERSION, source, profile, intent, kind]
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()


@lru_cache(maxsize=16)
def _transform(source: bytes, target: bytes, in_mode: str, out_mode: str, intent: str,
               bpc: bool) -> ImageCms.ImageCmsTransform:
    flags = _NOCACHE | (ImageCms.Flags.BLACKPOINTCOMPENSATION if bpc else 0)
    return ImageCms.buildTransform(_profile(source), _profile(target), in_mode, out_mode, _INTENTS[intent], flags)


@lru_cache(maxsize=8)
def _gamut_check(press: bytes, intent: str) -> ImageCms.ImageCmsTransform:
    """sRGB -> the press -> sRGB, with every colour the press cannot print painted in LittleCMS's alarm colour."""
    srgb = _profile(colour.srgb_bytes())
    flags = _NOCACHE | ImageCms.Flags.SOFTPROOFING | ImageCms.Flags.GAMUTCHECK | ImageCms.Flags.BLACKPOINTCOMPENSATION
    return ImageCms.buildProofTransform(srgb, srgb, _profile(press), "RGB", "RGB", _INTENTS[intent],
                                        ImageCms.Intent.RELATIVE_COLORIMETRIC, flags)


@lru_cache(maxsize=1)
def _lab() -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(_profile(colour.srgb_bytes()), ImageCms.createProfile("LAB"), "RGB", "LAB",
                                   ImageCms.Intent.RELATIVE_COLORIMETRIC, _NOCACHE)


@lru_cache(maxsize=8)
def _profile(data: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


def _equal(a: Image.Image, b: Image.Image) -> Image.Image:
    """L: 255 where the two RGB images hold the same colour, else 0."""
    differences = [band.point(lambda v: 255 if v else 0) for band in ImageChops.difference(a, b).split()]
    return ImageChops.invert(ImageChops.lighter(ImageChops.lighter(*differences[:2]), differences[2]))


def _far(a: Image.Image, b: Image.Image) -> Image.Image:
    """L: 255 where two sRGB images differ by more than GAMUT_TOLERANCE (CIE76 delta E), else 0."""
    (la, aa, ba), (lb, ab, bb) = (tuple(band.convert("I") for band in ImageCms.applyTransform(im, _lab()).split())
                                  for im in (a, b))
    # Pillow's Lab keeps L* 0..100 as 0..255, a* and b* offset by 128: scale L* back before squaring.
    square = ImageMath.lambda_eval(
        lambda v: ((v["l1"] - v["l2"]) * (v["l1"] - v["l2"]) * (100 * 100) / (255 * 255)
                   + (v["a1"] - v["a2"]) * (v["a1"] - v["a2"]) + (v["b1"] - v["b2"]) * (v["b1"] - v["b2"])
                   > GAMUT_TOLERANCE * GAMUT_TOLERANCE) * 255,
        l1=la, l2=lb, a1=aa, a2=ab, b1=ba, b2=bb)
    return square.convert("L")


def _total_ink(cmyk: Image.Image) -> Image.Image:
    """L: C+M+Y+K of each pixel, scaled so that 255 stands for 400 %."""
    c, m, y, k = (band.convert("I") for band in cmyk.split())
    total = ImageMath.lambda_eval(lambda a: (a["c"] + a["m"] + a["y"] + a["k"]) / 4, c=c, m=m, y=y, k=k)
    return total.convert("L")


def _jpeg(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, "JPEG", quality=QUALITY, optimize=True, icc_profile=colour.srgb_bytes())
    return out.getvalue()


def _png(im: Image.Image, stats: str | None = None) -> bytes:
    info = PngInfo()
    if stats is not None:
        info.add_text(STATS, stats)
    out = io.BytesIO()
    im.save(out, "PNG", compress_level=1, pnginfo=info)  # fast: these are working files, not for sharing
    return out.getvalue()


# -- how the results are shown: the same colours in the proof's layers and in the report ------------------------
GAMUT_COLOUR = (0, 255, 64)  # a green no photo holds over an area: the out-of-gamut pixels stand out on any image
# Total ink as a share of the printer's limit -> colour; a colour a second above the limit says "over".
# Paper white for no ink, through blues to yellow near the limit, orange at it, red and purple over it. No
# green: the gamut warning's colour must stand out over the heat map too.
HEAT_STOPS = ((0.0, (246, 246, 248)), (0.4, (165, 198, 235)), (0.7, (45, 105, 200)), (0.9, (245, 215, 40)),
              (1.0, (250, 125, 20)), (1.02, (225, 20, 30)), (1.15, (190, 0, 190)))


def heat_colour(share: float) -> tuple[int, int, int]:
    """The heat-map colour of a total ink of `share` times the printer's limit."""
    for (low, a), (high, b) in zip(HEAT_STOPS, HEAT_STOPS[1:]):
        if share <= high:
            t = 0.0 if high == low else max(0.0, (share - low) / (high - low))
            return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]
    return HEAT_STOPS[-1][1]


def heat_map(ink: Path, limit: float) -> Image.Image:
    """An ink map (see SoftProof.ink) -> RGB coloured by total ink against `limit` percent."""
    colours = [heat_colour(value * INK_SCALE / limit) for value in range(256)]
    with Image.open(ink) as im:
        amounts = im.convert("L")
    return Image.merge("RGB", [amounts.point([colour[band] for colour in colours]) for band in range(3)])


def gamut_overlay(gamut: Path) -> Image.Image:
    """A gamut mask -> RGBA: the warning colour where the press cannot print the colour, clear elsewhere."""
    with Image.open(gamut) as mask:
        alpha = mask.convert("L")
    overlay = Image.new("RGBA", alpha.size, GAMUT_COLOUR + (0,))
    overlay.putalpha(alpha)
    return overlay
