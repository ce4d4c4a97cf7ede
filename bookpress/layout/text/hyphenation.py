"""A language -> its pyphen dictionary, with the parsed patterns kept between runs.

Parsing a pattern file (en_US: 11,000 patterns) took ~90 ms of every compile that
hyphenates a word. The parsed patterns are kept in the user's cache folder (fonts/usercache.py)
and read back in ~6 ms; anything unexpected there means the file is parsed again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

import pyphen

from ...fonts import usercache

FORMAT = 1  # bump when what is stored changes


@lru_cache(maxsize=None)
def dictionary(language: str, left: int, right: int) -> Optional[pyphen.Pyphen]:
    """The dictionary for `language` ("en", "de-CH", ...), or None when pyphen has none for it."""
    code = language.replace("-", "_")
    if code.lower() == "en":
        code = "en_US"
    found = pyphen.language_fallback(code)
    if not found:
        return None
    _preload(found)
    return pyphen.Pyphen(lang=found, left=left, right=right)


def cache_folder() -> Path:
    return usercache.folder("hyphenation")


def _preload(language: str) -> None:
    """Put the kept patterns where pyphen looks before parsing (its per-process cache)."""
    try:
        path = pyphen.LANGUAGES[language]
        if path in pyphen.hdcache:
            return
        stat = path.stat()
    except (AttributeError, KeyError, OSError):  # a pyphen laid out differently: it parses as usual
        return
    version = getattr(pyphen, "__version__", getattr(pyphen, "VERSION", "unknown"))
    kept = usercache.kept_path("hyphenation",
                               f"{language}-{version}-{stat.st_size}-{stat.st_mtime_ns}-{FORMAT}.pickle")
    if kept is None:  # no home folder to keep anything in: pyphen parses as usual
        return
    patterns = _read(kept)
    if patterns is None:
        parsed = pyphen.HyphDict(path)
        _write(kept, parsed)
    else:
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.maxlen, parsed.cache = patterns[0], patterns[1], {}
    pyphen.hdcache[path] = parsed


def _read(kept: Path) -> Optional[tuple[dict, int]]:
    kept_data = usercache.read(kept)
    if not isinstance(kept_data, tuple) or len(kept_data) != 2:
        return None
    patterns, maxlen = kept_data
    if not isinstance(patterns, dict) or not isinstance(maxlen, int):
        return None
    return patterns, maxlen


def _write(kept: Path, parsed: pyphen.HyphDict) -> None:
    # Patterns with pyphen's non-standard alternatives hold objects, not numbers: those are not kept.
    plain = all(type(start) is int and all(type(v) is int for v in values)
                for start, values in parsed.patterns.values())
    if not plain:
        return
    usercache.write(kept, (parsed.patterns, parsed.maxlen))
