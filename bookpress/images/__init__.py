"""Image files -> header facts for layout (probe) and print-ready pixels for render (prepare).

probe reads headers only. prepare decodes (JPEG at a reduced DCT scale where that
is enough), turns the pixels upright, crops, resamples with Lanczos (never up),
converts colour through ICC profiles and encodes, caching the result under a hash
of everything that shaped it; prepare_all does many at once in a process pool.
"""

from __future__ import annotations

from .cache import cache_prune, parse_size
from .colour import CMYK_PROFILE, SRGB_PROFILE
from .errors import ImageProblem, ImageProblems
from .pool import Preparing, prepare_all, start_workers, stop_workers, usable_cores
from .prepare import PIPELINE_VERSION, ImageJob, effective_ppi, prepare
from ..load.probe import MAX_PIXELS, probe
from ..load.probecache import probe_cache

__all__ = [
    "CMYK_PROFILE", "MAX_PIXELS", "PIPELINE_VERSION", "SRGB_PROFILE", "ImageJob", "ImageProblem", "Preparing",
    "ImageProblems", "cache_prune", "effective_ppi", "parse_size", "prepare", "prepare_all", "probe", "probe_cache",
    "start_workers", "stop_workers", "usable_cores",
]
