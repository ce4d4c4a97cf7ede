"""Colour measurements with tools bookpress does not own: LittleCMS (through Pillow's ImageCms) for
the conversions, colour-science's CIEDE2000, Ghostscript for rendering PDFs to CMYK.

Shared by bench/measure_colour.py, bench/audit_print.py and the print tests. Lab values come
from LittleCMS's 8-bit Lab (L* in steps of 0.4, a* and b* in steps of 1), so about 0.3 of any
mean difference is quantisation.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

os.environ.setdefault("COLOUR_SCIENCE__FILTER_USAGE_WARNINGS", "True")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour  # noqa: E402  (colour-science: SciPy and Matplotlib are optional, and not needed here)

ICC_DIR = Path(__file__).resolve().parent.parent / "bookpress" / "data" / "icc"
SRGB = ICC_DIR / "sRGB_icc22.icm"
GS = shutil.which("gs") or "gs"
RELATIVE = ImageCms.Intent.RELATIVE_COLORIMETRIC


def _profile(source: Path | bytes) -> ImageCms.ImageCmsProfile:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


def lab_array(im: Image.Image) -> np.ndarray:
    """A Pillow LAB image -> float (h, w, 3) L*a*b*. Pillow stores a* and b* as signed bytes."""
    raw = np.asarray(im)
    lightness = raw[..., 0].astype(np.float64) * 100.0 / 255.0
    return np.stack([lightness, raw[..., 1].view(np.int8).astype(np.float64),
                     raw[..., 2].view(np.int8).astype(np.float64)], axis=-1)


def to_lab(im: Image.Image, profile: Path | bytes | None = None) -> np.ndarray:
    """RGB (sRGB unless `profile`), CMYK (through `profile`) or L pixels -> D50 Lab, relative colorimetric."""
    if im.mode == "L":
        im = im.convert("RGB")  # a grey's sRGB neutral: what bookpress's X-1a separation assumes too
    source = _profile(profile) if profile is not None else _profile(SRGB)
    transform = ImageCms.buildTransform(source, ImageCms.createProfile("LAB"), im.mode, "LAB", RELATIVE)
    return lab_array(ImageCms.applyTransform(im, transform))


def delta_e(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 per pixel."""
    return np.asarray(colour.delta_E(lab1, lab2, method="CIE 2000"))


def total_ink(im: Image.Image) -> np.ndarray:
    """C+M+Y+K per pixel in percent (400 = four solid inks)."""
    return np.asarray(im.convert("CMYK")).astype(np.int32).sum(axis=-1) / 2.55


def render_cmyk(pdf: Path, out: Path, dpi: float, first: int = 1, last: int | None = None,
                intent_profile: Path | None = None) -> list[Path]:
    """Ghostscript renders pages to 8-bit CMYK TIFFs. With `intent_profile` the PDF's output intent is
    honoured (-dUsePDFX3Profile: device CMYK is taken as the intent's colour, RGB and ICC colour are
    converted to it, relative colorimetric); without, device CMYK passes through as it is."""
    out.mkdir(parents=True, exist_ok=True)
    command = [GS, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc", f"-r{dpi}",
               f"-dFirstPage={first}", f"-sOutputFile={out}/p%04d.tif"]
    if last is not None:
        command.append(f"-dLastPage={last}")
    if intent_profile is not None:
        command += ["-dUsePDFX3Profile", f"-sOutputICCProfile={intent_profile}", "-dRenderIntent=1"]
    for stale in out.glob("p*.tif"):
        stale.unlink()
    subprocess.run(command + [str(pdf)], check=True, capture_output=True, timeout=600)
    return sorted(out.glob("p*.tif"))


def output_intent_profile(pdf: Path, out: Path) -> Path:
    """The PDF/X output intent's DestOutputProfile, written to `out`."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        intent = document.Root.OutputIntents[0]
        out.write_bytes(intent.DestOutputProfile.read_bytes())
    return out
