"""Boxes, glue and penalties -> break positions: Knuth–Plass total fit, with emergency fallbacks."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

from .items import (
    DOUBLE_HYPHEN_DEMERITS,
    EMERGENCY_PENALTY,
    EVENNESS_DEMERITS,
    FINAL_HYPHEN_DEMERITS,
    FITNESS_DEMERITS,
    HYPHEN,
    HYPHENS_IN_A_ROW,
    INFINITY,
    LINE_PENALTY,
    PASSES,
    UNSTRETCHABLE_BADNESS,
    Item,
    Setting,
    looks_like_url,
    make_box,
    measure,
)


@dataclass(frozen=True, slots=True)
class _Node:
    position: int  # index of the break item; -1 for the paragraph start
    start: int  # index of the first item of the line after this break
    fitness: int
    demerits: float
    previous: _Node | None
    ratio: float = 0.0  # of the line that ends here: the next line is spaced like it, if it can be
    hyphens: int = 0  # lines in a row, this one last, that end in a hyphen

    @property
    def flagged(self) -> bool:
        """Whether the line that ends here ends in a hyphen."""
        return self.hyphens > 0


@dataclass(frozen=True)
class Sums:
    """Running totals, so any line's natural width, stretch and shrink cost one subtraction."""

    width: tuple[float, ...]
    stretch: tuple[float, ...]
    shrink: tuple[float, ...]

    @staticmethod
    def of(items: Sequence[Item]) -> Sums:
        # accumulate adds left to right as a loop would (the same floats), in C: a long paragraph's
        # items are summed once per pass and once more for its lines.
        width = accumulate((item.width if item.kind != "penalty" else 0.0 for item in items), initial=0.0)
        stretch = accumulate((item.stretch for item in items), initial=0.0)
        shrink = accumulate((item.shrink for item in items), initial=0.0)
        return Sums(tuple(width), tuple(stretch), tuple(shrink))

    def line(self, items: Sequence[Item], start: int, end: int) -> tuple[float, float, float]:
        extra = items[end].width if items[end].kind == "penalty" else 0.0
        return (self.width[end] - self.width[start] + extra, self.stretch[end] - self.stretch[start],
                self.shrink[end] - self.shrink[start])


def _is_break(items: Sequence[Item], index: int) -> bool:
    item = items[index]
    if item.kind == "penalty":
        return item.penalty < INFINITY
    return item.kind == "glue" and index > 0 and items[index - 1].kind == "box"


def line_start(items: Sequence[Item], position: int) -> int:
    """Glue and penalties after a break vanish into it; the next line starts at the next box."""
    index = position + 1
    while index < len(items) and items[index].kind != "box":
        index += 1
    return index


def adjustment_ratio(natural: float, stretch: float, shrink: float, width: float, final: bool) -> float:
    slack = width - natural
    if abs(slack) < 1e-9 or (final and slack > 0):
        return 0.0  # the last line is set at its natural width
    if slack > 0:
        return slack / stretch if stretch > 0 else math.inf
    return slack / shrink if shrink > 0 else -math.inf


def _badness(ratio: float) -> float:
    # Not capped at 10000 as in TeX: in the emergency pass a line twice as loose must cost more.
    return UNSTRETCHABLE_BADNESS if math.isinf(ratio) else 100.0 * abs(ratio) ** 3


def _fitness(ratio: float) -> int:
    if ratio < -0.5:
        return 0
    if ratio <= 0.5:
        return 1
    return 2 if ratio <= 1.0 else 3


def _demerits(ratio: float, item: Item, node: _Node, final: bool) -> float:
    demerits = (LINE_PENALTY + _badness(ratio)) ** 2
    if item.kind == "penalty" and item.penalty >= 0:
        demerits += item.penalty**2
    elif item.kind == "penalty" and item.penalty > -INFINITY:
        demerits -= item.penalty**2
    if item.flagged and node.flagged:
        demerits += DOUBLE_HYPHEN_DEMERITS
    if final and node.flagged:
        demerits += FINAL_HYPHEN_DEMERITS
    return demerits


@dataclass(frozen=True)
class _Measure:
    width: float
    tolerance: float
    ragged_stretch: float  # added to every line's stretch when the text is set ragged
    final_hyphen: bool = False  # may the last full line end in a hyphen (only in the emergency pass)
    # ... and may more than HYPHENS_IN_A_ROW lines in a row end in one (the same last resort)


def _total_fit(items: Sequence[Item], sums: Sums, breaks: Sequence[int], measure: _Measure) -> list[int] | None:
    """Break positions minimising total demerits, or None if no line set fits the tolerance.

    `sums` are the items' running totals and `breaks` the positions a line may end at: the same
    for every pass over one list of items, so they are found once."""
    active = [_Node(-1, 0, 1, 0.0, None)]
    for position in breaks:
        active = _consider(items, sums, active, position, measure)
        if not active:
            return None
    finished = [node for node in active if node.position == len(items) - 1]
    if not finished:
        return None
    return _positions(min(finished, key=lambda node: node.demerits))


def _consider(items: Sequence[Item], sums: Sums, active: list[_Node], position: int,
              measure: _Measure) -> list[_Node]:
    item = items[position]
    final = position == len(items) - 1
    forced = item.kind == "penalty" and item.penalty <= -INFINITY
    survivors: list[_Node] = []
    best: dict[tuple[int, int], tuple[float, _Node, float]] = {}  # (fitness, hyphens in a row) -> the best
    # A third hyphen in a row makes a ladder the eye trips on: no break may add one, but in the last resort.
    hyphens_limited = item.flagged and not measure.final_hyphen
    # The innermost loop of a layout: Sums.line and the measure's fields, read once per break, not per node.
    widths, stretches, shrinks = sums.width, sums.stretch, sums.shrink
    extra = item.width if item.kind == "penalty" else 0.0
    end_width, end_stretch, end_shrink = widths[position], stretches[position], shrinks[position]
    ragged, line_width = measure.ragged_stretch, measure.width
    for node in active:
        start = node.start
        if start > position:
            survivors.append(node)  # the break sits inside the discarded space after this node
            continue
        ratio = adjustment_ratio(end_width - widths[start] + extra, end_stretch - stretches[start] + ragged,
                                 end_shrink - shrinks[start], line_width, final)
        if ratio >= -1 and not forced:
            survivors.append(node)
        if hyphens_limited and node.hyphens >= HYPHENS_IN_A_ROW:
            continue
        if -1 <= ratio <= measure.tolerance and (measure.final_hyphen or not (final and node.flagged)):
            fitness = _fitness(ratio)
            demerits = node.demerits + _demerits(ratio, item, node, final)
            if abs(fitness - node.fitness) > 1:
                demerits += FITNESS_DEMERITS
            if node.position >= 0 and not final:
                # A loose line under a tight one shows; so does any jump in spacing, in proportion.
                demerits += EVENNESS_DEMERITS * (ratio - node.ratio) ** 2
            # Kept apart by the hyphens they end in a row: the cheaper may be the one that rules out the next.
            kind = (fitness, node.hyphens + 1 if item.flagged else 0)
            if kind not in best or demerits < best[kind][0]:
                best[kind] = (demerits, node, ratio)
    return survivors + _new_nodes(items, best, position)


def _new_nodes(items: Sequence[Item], best: dict[tuple[int, int], tuple[float, _Node, float]], position: int
               ) -> list[_Node]:
    if not best:
        return []
    floor = min(demerits for demerits, _, _ in best.values())
    start = line_start(items, position)
    return [_Node(position, start, fitness, demerits, node, ratio, hyphens)
            for (fitness, hyphens), (demerits, node, ratio) in sorted(best.items())
            if demerits <= floor + FITNESS_DEMERITS]


def _positions(node: _Node) -> list[int]:
    positions = []
    current: _Node | None = node
    while current is not None and current.position >= 0:
        positions.append(current.position)
        current = current.previous
    return positions[::-1]


def _first_fit(items: Sequence[Item], sums: Sums, points: Sequence[int], width: float) -> list[int]:
    """The last resort: break at the last point that fits, or overflow; always advances, always ends."""
    positions: list[int] = []
    start, fitting, index = 0, None, 0
    while index < len(points):
        point = points[index]
        if point < start:
            index += 1
            continue
        fits = sums.line(items, start, point)[0] <= width + 1e-9
        if fits and point != points[-1]:
            fitting, index = point, index + 1
            continue
        chosen = point if fits or fitting is None else fitting
        positions.append(chosen)
        start, fitting = line_start(items, chosen), None
        index += chosen == point
    return positions


def _split_overlong(items: list[Item], limit: float, setting: Setting) -> list[Item]:
    """Let words that fit on no line break between any two characters (the emergency pass)."""
    overlong: set[int] = set()
    run: list[int] = []
    run_width = 0.0
    for index, item in enumerate(items + [Item("penalty", 0.0)]):
        if index == len(items) or _is_break(items, index):
            if run_width > limit:
                overlong.update(run)
            run, run_width = [], 0.0
        else:
            run.append(index)
            run_width += item.width if item.kind != "penalty" else 0.0
    result: list[Item] = []
    for index, item in enumerate(items):
        if index in overlong and item.kind == "box" and len(item.text) > 1:
            result.extend(_characters(item, setting))
        elif index in overlong and item.kind == "penalty":
            # a no-break space in a run wider than the column: breaking beats running off the page
            result.append(replace(item, penalty=EMERGENCY_PENALTY))
        else:
            result.append(item)
    return result


def _characters(box: Item, setting: Setting) -> list[Item]:
    if not box.font:
        return [box]  # characters no font has: reported, never drawn
    hyphen = measure(setting.fonts, HYPHEN, box.font, setting.size)
    url = looks_like_url(box.text)
    items: list[Item] = []
    for index, char in enumerate(box.text):
        if index and not unicodedata.combining(char):
            word = box.text[index - 1].isalpha() and char.isalpha() and not url
            penalty = _emergency_penalty(box.text, index, url)
            items.append(Item("penalty", hyphen if word else 0.0, penalty=penalty, flagged=word,
                               text=HYPHEN if word else "", font=box.font, link=box.link))
        if items and items[-1].kind == "box" and unicodedata.combining(char):
            # keep accents on their letter
            items[-1] = make_box(items[-1].text + char, box.font, box.link, setting, box.level, box.features,
                                 box.tracking)
        else:
            items.append(make_box(char, box.font, box.link, setting, box.level, box.features, box.tracking))
    return items


def _emergency_penalty(text: str, index: int, url: bool) -> float:
    """Addresses break best after a slash or before a dot (never inside '//'), and a hyphen would lie."""
    if not url:
        return EMERGENCY_PENALTY
    before, after = text[index - 1], text[index]
    between_slashes = before == "/" and after == "/"
    good = (before in "/-?&=#_" or after in ".@") and not between_slashes
    return EMERGENCY_PENALTY / 10 if good else EMERGENCY_PENALTY


def choose_breaks(plain: list[Item], hyphenated: Callable[[], list[Item]], width: float, indent: float,
                  setting: Setting, ragged_stretch: float) -> tuple[list[Item], list[int], Sums]:
    """Breaks for a paragraph: `plain` has no hyphenation points; `hyphenated()` makes the
    items with them, asked for only when a pass needs them (most paragraphs never do, and
    finding the points is most of the cost of making items). Returns the items broken, the
    break positions and the items' running totals (which setting the lines needs again)."""
    found: dict[int, tuple[Sums, list[int]]] = {}  # id of an items list -> (its sums, its break points)

    def fit(items: list[Item], measure: _Measure) -> list[int] | None:
        if id(items) not in found:
            found[id(items)] = (Sums.of(items), [i for i in range(len(items)) if _is_break(items, i)])
        return _total_fit(items, *found[id(items)], measure)

    with_points: list[Item] | None = None
    for tolerance, hyphenating in PASSES:
        if hyphenating and with_points is None:
            with_points = hyphenated()
        candidates = with_points if hyphenating else plain
        positions = fit(candidates, _Measure(width, tolerance, ragged_stretch))
        if positions is not None:
            return candidates, positions, found[id(candidates)][0]
    items = _split_overlong(with_points if with_points is not None else hyphenated(), width - indent, setting)
    positions = fit(items, _Measure(width, math.inf, ragged_stretch)) or \
        fit(items, _Measure(width, math.inf, ragged_stretch, final_hyphen=True))
    sums, points = found[id(items)]
    return items, positions if positions is not None else _first_fit(items, sums, points, width), sums
