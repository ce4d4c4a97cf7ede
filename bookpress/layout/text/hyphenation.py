"""A language -> its pyphen dictionary, with the parsed patterns kept between runs.

Parsing a pattern file (en_US: 11,000 patterns) took ~90 ms of every compile that
hyphenates a word. Like TeX's format files, the parsed patterns are kept in the user's
cache folder (XDG_CACHE_HOME, else ~/.cache) and read back in ~6 ms. Only plain data
(strings, numbers, tuples, a dict) is written and accepted back; anything unexpected
means the file is parsed again, so the cache can only ever cost a re-parse.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pyphen

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
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bookpress" / "hyphenation"


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
    try:
        kept = cache_folder() / f"{language}-{version}-{stat.st_size}-{stat.st_mtime_ns}-{FORMAT}.pickle"
    except RuntimeError:  # no home folder to keep anything in: pyphen parses as usual
        return
    patterns = _read(kept)
    if patterns is None:
        parsed = pyphen.HyphDict(path)
        _write(kept, parsed)
    else:
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.maxlen, parsed.cache = patterns[0], patterns[1], {}
    pyphen.hdcache[path] = parsed


class _PlainData(pickle.Unpickler):
    """Reads back strings, numbers, tuples and dicts only: a kept file can name no code to run."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _read(kept: Path) -> Optional[tuple[dict, int]]:
    try:
        with open(kept, "rb") as file:
            patterns, maxlen = _PlainData(file).load()
    except FileNotFoundError:
        return None
    except Exception:  # damaged or foreign: whatever it is, parsing again is the answer
        return None
    if not isinstance(patterns, dict) or not isinstance(maxlen, int):
        return None
    return patterns, maxlen


def _write(kept: Path, parsed: pyphen.HyphDict) -> None:
    # Patterns with pyphen's non-standard alternatives hold objects, not numbers: those are not kept.
    plain = all(type(start) is int and all(type(v) is int for v in values)
                for start, values in parsed.patterns.values())
    if not plain:
        return
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=kept.parent, prefix=".", suffix=".tmp")
    except OSError:  # a read-only home: the next run parses again
        return
    try:
        with os.fdopen(fd, "wb") as file:
            pickle.dump((parsed.patterns, parsed.maxlen), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, kept)  # whole or not at all, for runs side by side
    except OSError:
        Path(temp).unlink(missing_ok=True)
