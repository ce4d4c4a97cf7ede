"""Lengths and other values of book.yaml, checked against their limits and reported where they were written."""

from __future__ import annotations

import math
from typing import Any

from ..geometry import LengthError, parse_length
from .loader import Loader
from .printers import MM
from .yamlsrc import SourceMap

MAX_LENGTH = 1000 * MM  # no margin or size in a book comes near a metre


def length(loader: Loader, value: Any, default: float, file: str, smap: SourceMap, path: tuple,
            limits: tuple[float, float] = (0.0, MAX_LENGTH), unit: str = "mm") -> float:
    """A length in points within `limits`, or `default` once the problem is reported."""
    if value is None:
        return default
    try:
        result = parse_length(value)
    except LengthError as exc:
        loader.error_at(file, smap.value_at(path), f"'{key(path)}': {exc}", "write a number and a unit: mm, cm, in or pt")
        return default
    low, high = limits
    if not (math.isfinite(result) and low <= result <= high):
        loader.error_at(file, smap.value_at(path), f"'{key(path)}' must be between {in_unit(low, unit)} and "
                        f"{in_unit(high, unit)}, got {value!r}", "write a length such as 12mm, 0.5in or 10pt")
        return default
    return result


def key(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def in_unit(points: float, unit: str) -> str:
    return f"{points:.4g}pt" if unit == "pt" else f"{points / MM:.4g}mm"
