"""Placed images -> print-ready image files (the image stage), prepared in worker processes and cached.

Each placement becomes an ImageJob (jobs.py); prepare.py decodes it (JPEG at a reduced DCT
scale where that is enough), turns the pixels upright, crops, resamples with Lanczos (never
up), converts colour through ICC profiles and encodes; pool.py runs many at once in worker
processes, handing each photo over as soon as layout has placed it; cache.py keeps the results
under a hash of everything that shaped them.
"""

from .cache import cache_prune, process_alive
from .jobs import ImageJob, check_job, image_job, image_jobs
from .pool import Preparing, prepare_all, probe_ahead, start_workers, stop_workers

__all__ = ["ImageJob", "Preparing", "cache_prune", "check_job", "image_job", "image_jobs", "prepare_all",
           "probe_ahead", "process_alive", "start_workers", "stop_workers"]
