"""Which library resamples the photos: libvips (pyvips; JPEGs decoded by simplejpeg's libjpeg-turbo at a
reduced scale) where both load, Pillow otherwise or when asked.

BOOKPRESS_IMAGE_ENGINE=pillow keeps every photo on the Pillow path (to compare, or to rule
libvips out); =vips asks for libvips (still Pillow if pyvips cannot load); unset: libvips when
pyvips is installed. The engine is part of every prepared image's cache key, because the two
resample with slightly different arithmetic.

libvips runs in each image worker with one thread (the workers already use the cores) and with
its operation cache off: every photo is opened once, and a cache of decoded images only grows
each worker's memory.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

VARIABLE = "BOOKPRESS_IMAGE_ENGINE"
ENGINES = ("vips", "pillow")


def engine() -> str:
    """The engine asked for and installed: "vips" or "pillow" (the environment is read each time: tests set it)."""
    asked = os.environ.get(VARIABLE, "").strip().lower()
    if asked == "pillow":
        return "pillow"
    return "vips" if _installed() else "pillow"


@lru_cache(maxsize=1)
def _installed() -> bool:
    # A look at the installed packages, not an import: the main process needs only the name (for the
    # cache keys), and a compile whose photos are all cached never loads libvips at all.
    return importlib.util.find_spec("pyvips") is not None


@lru_cache(maxsize=1)
def load_vips():
    """The configured pyvips module, or None where libvips cannot be loaded (then Pillow serves)."""
    os.environ.setdefault("VIPS_CONCURRENCY", "1")  # read by libvips when it starts
    try:
        import pyvips
        import simplejpeg  # noqa: F401  (the scaled decode before libvips' reduce)
    except (ImportError, OSError):  # pyvips without a libvips it can load
        return None
    pyvips.concurrency_set(1)
    pyvips.cache_set_max(0)
    pyvips.cache_set_max_mem(0)
    pyvips.cache_set_max_files(0)
    return pyvips
