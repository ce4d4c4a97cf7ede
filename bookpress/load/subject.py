"""An image file -> the box of its subject (faces, or what stands out), found in a small thumbnail.

Layout keeps this box inside a crop where the author gave no focus. It is found once,
when the manuscript is loaded, and kept in the probe cache with the image's content
hash, so a rebuild decodes nothing. The thumbnail is decoded at 1/8 scale where the format
allows it (JPEG's DCT scaling), so a 24 MP photo costs tens of milliseconds.

Subjects come from OpenCV: its Haar cascade for frontal faces (a face is the subject
whatever else the photo shows), else the product of its spectral-residual and
fine-grained saliency maps, whose strongest fifth is summed into a box holding the
central 80% of that saliency each way. A box that covers most of the photo (a
texture, an even sky) says nothing and is not kept.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Iterator, Optional

from PIL import Image, ImageOps

from ..diagnostics import Diagnostics
from ..model import ImageInfo, Manuscript, Photo, PhotoBlock, PhotoSetBlock, TemplatePageBlock
from .probecache import active
from .templates import load_templates

Box = tuple[float, float, float, float]
THUMB = 256  # pixels along the longer side: faces down to ~1/15 of the photo's height are found
SALIENCY_SIDE = 128  # the saliency maps are computed on a smaller copy still
STRONGEST = 90  # percentile of saliency kept as the subject's mass
BORDER = 0.03  # the maps' own edge effects: saliency this close to the photo's edge is not counted ...
PAD = 0.03  # ... and the box grows by as much each way, so a subject touching the edge is still whole
SPREAD = (0.1, 0.9)  # the box holds the subject's mass from the 10th to the 90th percentile each way
MOST_OF_THE_PHOTO = 0.7  # a box covering more than this share of the photo is no subject
FACE_MARGIN = 0.3  # a face's box grows by this share of its size each way (hair, chin)


def find_subject(path: Path) -> Optional[Box]:
    """The subject's box as shares of the oriented image's width and height, or None."""
    try:
        import cv2  # noqa: F401 (OpenCV is optional: without it crops keep to the centre)
        import numpy as np
    except ImportError:
        return None
    try:
        with Image.open(path) as im:
            im.draft("RGB", (THUMB, THUMB))
            im = ImageOps.exif_transpose(im)
            im.thumbnail((THUMB, THUMB))
            rgb = np.asarray(im.convert("RGB"))
    except (OSError, ValueError, SyntaxError):
        return None  # the probe reports unreadable images; a subject is only a nicety
    try:
        faces = _faces(rgb)
        box = faces if faces is not None else _salient(rgb)
    except cv2.error:  # an image OpenCV cannot work on (too small, odd shape): no subject, centred crops
        return None
    if box is None or (box[2] - box[0]) * (box[3] - box[1]) > MOST_OF_THE_PHOTO:
        return None
    return tuple(round(v, 4) for v in box)  # type: ignore[return-value]


_local = threading.local()  # a cascade classifier may not be shared between threads


def _face_cascade():
    import cv2

    if not hasattr(_local, "cascade"):
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
        _local.cascade = None if cascade.empty() else cascade
    return _local.cascade


def _faces(rgb) -> Optional[Box]:
    import cv2

    cascade = _face_cascade()
    if cascade is None:
        return None
    grey = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    h, w = grey.shape
    found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=6, minSize=(max(12, h // 15),) * 2)
    if len(found) == 0:
        return None
    x0 = min(x - FACE_MARGIN * fw for x, y, fw, fh in found)
    y0 = min(y - FACE_MARGIN * fh for x, y, fw, fh in found)
    x1 = max(x + fw * (1 + FACE_MARGIN) for x, y, fw, fh in found)
    y1 = max(y + fh * (1 + FACE_MARGIN) for x, y, fw, fh in found)
    return (max(0.0, x0 / w), max(0.0, y0 / h), min(1.0, x1 / w), min(1.0, y1 / h))


def _salient(rgb) -> Optional[Box]:
    import cv2
    import numpy as np

    h, w = rgb.shape[:2]
    scale = SALIENCY_SIDE / max(h, w)
    bgr = cv2.resize(rgb[:, :, ::-1], (max(8, round(w * scale)), max(8, round(h * scale))),
                     interpolation=cv2.INTER_AREA)
    # The spectral residual sees the photo as a tile repeated without end, so a sky above a darker
    # ground makes an edge at the top and bottom; mirrored copies make the tiling seamless.
    mirrored = np.concatenate([bgr, bgr[::-1]], axis=0)
    mirrored = np.ascontiguousarray(np.concatenate([mirrored, mirrored[:, ::-1]], axis=1))
    maps = []
    for make, image in ((cv2.saliency.StaticSaliencySpectralResidual_create, mirrored),
                        (cv2.saliency.StaticSaliencyFineGrained_create, np.ascontiguousarray(bgr))):
        ok, found = make().computeSaliency(image)
        if not ok:
            return None
        found = cv2.resize(found.astype(np.float32), (image.shape[1], image.shape[0]))[:bgr.shape[0], :bgr.shape[1]]
        found = cv2.GaussianBlur(found, (0, 0), bgr.shape[1] / 50)
        maps.append(found / (found.max() or 1.0))
    mass = maps[0] * maps[1]
    bh, bw = max(1, round(mass.shape[0] * BORDER)), max(1, round(mass.shape[1] * BORDER))
    mass[:bh], mass[-bh:], mass[:, :bw], mass[:, -bw:] = 0.0, 0.0, 0.0, 0.0
    mass = np.where(mass > np.percentile(mass, STRONGEST), mass, 0.0)
    if mass.sum() <= 0:
        return None
    (x0, x1), (y0, y1) = _spread(mass.sum(axis=0)), _spread(mass.sum(axis=1))
    return (max(0.0, x0 - PAD), max(0.0, y0 - PAD), min(1.0, x1 + PAD), min(1.0, y1 + PAD))


def _spread(profile) -> tuple[float, float]:
    """Where the central part of a 1-D mass lies, as shares of its length."""
    import numpy as np

    total = np.cumsum(profile) / profile.sum()
    n = len(profile)
    low = int(np.searchsorted(total, SPREAD[0]))
    high = int(np.searchsorted(total, SPREAD[1])) + 1
    return low / n, min(n, high) / n


def with_subjects(manuscript: Manuscript, workers: int | None = None) -> Manuscript:
    """The manuscript with the subject box filled in for every photo a layout may crop (and for any other
    whose box is in the probe cache): from the cache, else found now.

    Decoding thumbnails is most of the cost, and both Pillow's decoder and OpenCV let go of
    the interpreter lock while they work, so the photos are looked at in parallel threads.
    """
    cache = active()
    infos: dict[Path, ImageInfo] = {}
    for photo in _photos(manuscript):
        infos.setdefault(photo.image.path, photo.image)
    known: dict[Path, Optional[Box]] = {}
    for info in infos.values():
        earlier = cache.subject(info.digest) if cache is not None else None
        if earlier is not None and info.subject != earlier[0]:
            known[info.path] = earlier[0]
    cropped = may_be_cropped(manuscript)
    todo = [info for info in infos.values() if info.path in cropped and info.path not in known
            and (cache is None or not (cache.knows_subject(info.path) or cache.subject(info.digest) is not None))]
    found: dict[Path, Optional[Box]] = {}
    if todo:
        with ThreadPoolExecutor(workers or min(len(todo), os.cpu_count() or 1)) as pool:
            found = dict(zip((info.path for info in todo), pool.map(lambda info: find_subject(info.path), todo)))
    if cache is not None:
        for info in todo:
            cache.remember_subject(info.path, info.digest, found[info.path])
    found.update(known)
    if not found:
        return manuscript
    fresh = {path: replace(infos[path], subject=box) for path, box in found.items()}
    return _replace_images(manuscript, fresh)


def may_be_cropped(manuscript: Manuscript) -> set[Path]:
    """Photos that some layout could crop: those in fixed frames (named templates, openers, the cover, and
    auto runs where a fixed template may be chosen). Flex frames and inline figures take a photo's own
    shape, so its subject is not needed and its pixels are not decoded for it."""
    # a broken template is reported by layout, where it is used; here it only cannot crop
    templates = load_templates(manuscript.layout_folders, Diagnostics(), manuscript.root).templates
    fixed = {name for name, t in templates.items() if any(f.box is not None for f in t.photo_frames)}
    auto_crops = any(t.pages == 1 and t.suits and len(t.suits) == len(t.photo_frames) and name in fixed
                     for name, t in templates.items())
    found: set[Path] = {manuscript.cover.photo.image.path} if manuscript.cover.photo else set()
    for chapter in manuscript.chapters:
        if chapter.opener is not None:
            found.add(chapter.opener.image.path)
        run: list[Photo] = []
        for block in chapter.blocks + (None,):
            if isinstance(block, PhotoBlock):
                run.append(block.photo)
                continue
            if len(run) > 1 and auto_crops:
                found.update(photo.image.path for photo in run)
            run = []
            if isinstance(block, PhotoSetBlock) and (block.layout in fixed or (block.layout == "auto" and auto_crops)):
                found.update(photo.image.path for photo in block.photos)
            elif isinstance(block, TemplatePageBlock):
                template = templates.get(block.template)
                for name, fill in block.slots:
                    frame = template.frame(name) if template is not None else None
                    if fill.photo is not None and (frame is None or frame.box is not None):
                        found.add(fill.photo.image.path)
    return found


def _photos(value) -> Iterator[Photo]:
    if isinstance(value, Photo):
        yield value
    elif isinstance(value, (tuple, list)):
        for part in value:
            yield from _photos(part)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _photos(getattr(value, f.name))


def _replace_images(value, fresh: dict[Path, ImageInfo]):
    """The same frozen tree with each ImageInfo in `fresh` swapped in (parts without one are kept as they are)."""
    if isinstance(value, ImageInfo):
        return fresh.get(value.path, value)
    if isinstance(value, tuple):
        parts = tuple(_replace_images(part, fresh) for part in value)
        return value if all(a is b for a, b in zip(parts, value)) else parts
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in fields(value):
            old = getattr(value, f.name)
            new = _replace_images(old, fresh)
            if new is not old:
                changes[f.name] = new
        return replace(value, **changes) if changes else value
    return value
