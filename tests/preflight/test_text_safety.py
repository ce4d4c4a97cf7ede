"""Preflight measures every line of text against the printer's safety and names the nearest, as poppler sees it."""

from __future__ import annotations

import re

import pytest
from conftest import print_manuscript, text_gaps
from hypothesis import given
from hypothesis import strategies as st

from bookpress.book import Fragment, PlacedText
from bookpress.load.printers import INCH, PRESETS
from bookpress.options import Request
from bookpress.pipeline import compile_book


def nearest_measured(report) -> float:
    found = re.match(r"nearest text (\d+\.\d+) in from the (top|bottom|outside) trim: ", dict(report.measured)["safe-area"])
    assert found, dict(report.measured)["safe-area"]
    return float(found.group(1))


@pytest.mark.parametrize("printer", ["generic", "ingramspark", "kdp"])
def test_the_reported_nearest_line_is_the_one_pdftotext_finds(printed, printer):
    result = printed(printer)
    gaps = text_gaps(result.pdf)
    page, gap, word = min(gaps, key=lambda row: row[1])
    assert nearest_measured(result.preflight) == pytest.approx(gap / INCH, abs=0.002), (page, word)
    assert gap >= PRESETS[printer].safety - 0.01  # and the print itself keeps the safety
    assert result.preflight.status("safe-area") == "ok"


def test_text_inside_the_safety_is_reported_with_its_real_distance(tmp_path):
    """Outside margins of 0.3 in on IngramSpark (0.5 in safety): the warning gives 0.300, not the threshold."""
    root = print_manuscript(tmp_path / "book", "ingramspark", margins="{outside: 0.3in, top: 0.8in}")
    result = compile_book(root, Request(jobs=1, output=tmp_path / "out.pdf"))
    found = [f for f in result.preflight.findings if f.check == "safe-area"]
    assert found and all(f.severity.value == "warning" for f in found)
    assert all("0.300 in from the outside trim, inside the printer's 0.500 in safety" in f.message for f in found)
    assert nearest_measured(result.preflight) == pytest.approx(0.3, abs=0.002)
    _, gap, _ = min(text_gaps(result.pdf), key=lambda row: row[1])
    assert gap / INCH == pytest.approx(0.3, abs=0.005)


@given(st.lists(st.text(alphabet=" \u00a0\t\u2003x\u0301", max_size=4), max_size=5))
def test_a_line_is_visible_exactly_when_its_text_has_more_than_spaces(texts):
    line = PlacedText(0.0, 0.0, tuple(Fragment(0.0, text, "F", 10.0, 1.0) for text in texts))
    assert line.visible == bool(line.text.strip())
