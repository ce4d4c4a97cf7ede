"""A run of photos -> the cheapest sequence of template pages that shows them in the author's order.

Dynamic programming over the run: each page costs something for being a page, for
the share of each photo cropped away, for the type area left empty, for photos
printed small or coarser than the target resolution, and for repeating the page
before it (monotony). Hard rules (a photo below the minimum resolution, a crop
past MAX_CROP, a caption that does not fit) cost so much that they are chosen only
when nothing else can show the photo, so a plan always exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from ...geometry import Rect
from ...load.templates import Template, TemplateSet
from ...model import Photo
from .fit import Fitted, PageArea, fit_template

PAGE_COST = 1.0  # a page spent: fewer, fuller pages against larger photos
CROP_WEIGHT = 8.0  # per share of a photo cropped away (or of its frame left empty by `fit`)
EMPTY_WEIGHT = 1.2  # per share of the page's type area (or the free part of a text page) left white
SMALL_WEIGHT = 2.5  # per photo, for how far below a comfortable size it prints
COMFORTABLE = 0.22  # share of the type area from which a photo no longer counts as small
ENLARGE_WEIGHT = 0.8  # per photo, for printing coarser than the target resolution (above the minimum)
REPEAT_COST = 1.6  # a page that looks like the one before (the same photos per row)
SAME_COUNT_COST = 0.4  # as many photos as the page before, set another way
ECHO_COST = 0.8  # a page that looks like the one two before (A B A B is a rhythm too plain)
EMPTY_FRAME_COST = 1.5  # a fixed frame left without a photo on a run's last page
HIDDEN_CAPTION_COST = 0.6  # a caption the template has no frame for (it goes to the credits only)
MAX_CROP = 0.30  # auto layout keeps at least 70% of every photo
TOO_BAD = 100.0  # a broken rule: below min_ppi, cropped past MAX_CROP, a caption that does not fit
MAX_TAIL_PHOTOS = 3  # photos that may share the free part of a text page
TAIL_WHITE_WEIGHT = 2.5  # per share of the type area left white below a text page's last line
NEARLY_EMPTY = 0.25  # a text page with less than this share of its type area used ...
NEARLY_EMPTY_COST = 3.0  # ... costs this much more when the run does not start on it


@dataclass(frozen=True)
class PlannedPage:
    template: Template
    photos: tuple[Photo, ...]
    fitted: Fitted
    tail: bool = False  # set in the free part of the text page before the run, not on a page of its own

    @property
    def look(self) -> str:
        """What the reader sees of the page's arrangement: photos per row, row by row (two templates may look alike)."""
        rows: dict[int, int] = {}
        for rect in self.fitted.photos[:len(self.photos)]:
            rows[round(rect.y / 6)] = rows.get(round(rect.y / 6), 0) + 1
        return "-".join(str(rows[y]) for y in sorted(rows)) + ("/bleed" if self.fitted.template.flex is None else "")


def auto_candidates(templates: TemplateSet) -> list[Template]:
    """One-page templates that say which photos they suit, one orientation per photo frame."""
    return sorted((t for t in templates.templates.values()
                   if t.pages == 1 and t.suits and len(t.suits) == len(t.photo_frames)), key=lambda t: t.name)


def _suits(template: Template, chunk: Sequence[Photo]) -> bool:
    return all(suit == "any" or suit == photo.image.orientation_class for suit, photo in zip(template.suits, chunk))


def page_cost(fitted: Fitted, chunk: Sequence[Photo], page: PageArea, region: Rect) -> float:
    """What a page (or a text page's free part, `region`) costs, leaving out the page itself and monotony."""
    live_area = page.live.width * page.live.height
    cost, covered = 0.0, 0.0
    for rect, caption, loss, ppi, photo in zip(fitted.photos, fitted.captions, fitted.losses, fitted.ppis, chunk):
        covered += rect.width * rect.height * (1.0 - (loss if photo.fit == "fit" else 0.0))
        cost += CROP_WEIGHT * loss + (TOO_BAD if loss > MAX_CROP + 1e-6 else 0.0)
        cost += TOO_BAD if ppi < page.min_ppi - 0.5 else ENLARGE_WEIGHT * max(0.0, page.ppi / ppi - 1.0)
        share = rect.width * rect.height / live_area
        cost += SMALL_WEIGHT * max(0.0, 1.0 - share / COMFORTABLE) ** 2
        if photo.caption:
            if caption is None:
                cost += HIDDEN_CAPTION_COST
            elif fitted.template.flex is None and page.caption_height(photo.caption, caption.width, False) > \
                    caption.height + 0.5:
                cost += TOO_BAD
    used = covered / (region.width * region.height)
    cost += EMPTY_WEIGHT * max(0.0, 1.0 - used)
    if used < NEARLY_EMPTY and region.height >= page.live.height - 0.5:  # a page of its own, nearly white
        cost += NEARLY_EMPTY_COST
    return cost


def plan_photo_pages(photos: Sequence[Photo], candidates: Sequence[Template], page: PageArea,
                     tail: Optional[Rect] = None) -> list[PlannedPage]:
    """Cheapest sequence of pages for `photos`, in order; the first may be set in `tail` (a text page's free part)."""
    n = len(photos)
    # best[i][looks of the two pages before] = (cost, state before, the page that ends here) for photos[:i]
    best: list[dict[tuple[str, str], tuple[float, Optional[tuple[int, tuple[str, str]]], Optional[PlannedPage]]]] \
        = [{} for _ in range(n + 1)]
    best[0][("", "")] = (_unused_tail(tail, page), None, None)
    if tail is not None:
        _tail_options(photos, candidates, page, tail, best)
    pages = _page_options(photos, candidates, page)
    for i in range(n):
        for (before, last), (so_far, _, last_page) in list(best[i].items()):
            last_count = len(last_page.photos) if last_page else 0
            for planned, cost in pages[i]:
                k, look = len(planned.photos), planned.look
                total = so_far + PAGE_COST + cost
                total += REPEAT_COST if look == last else (SAME_COUNT_COST if k == last_count else 0.0)
                total += ECHO_COST if look == before else 0.0
                key = (last, look)
                current = best[i + k].get(key)
                if current is None or total < current[0] - 1e-9:
                    best[i + k][key] = (total, (i, (before, last)), planned)
    if not best[n]:
        return []
    plan: list[PlannedPage] = []
    state: Optional[tuple[int, tuple[str, str]]] = (n, min(best[n], key=lambda key: (best[n][key][0], key)))
    while state is not None and state[0] > 0:
        _, previous, planned = best[state[0]][state[1]]
        plan.append(planned)
        state = previous
    return list(reversed(plan))


def _unused_tail(tail: Optional[Rect], page: PageArea) -> float:
    """What leaving the free part of the text page white costs (nothing, if there is none)."""
    if tail is None:
        return 0.0
    free = tail.height / page.live.height
    return TAIL_WHITE_WEIGHT * free + (NEARLY_EMPTY_COST if 1.0 - free < NEARLY_EMPTY else 0.0)


def _page_options(photos: Sequence[Photo], candidates: Sequence[Template],
                  page: PageArea) -> list[list[tuple[PlannedPage, float]]]:
    """For each start, every template page that can begin there with its cost (computed once, not per state)."""
    options: list[list[tuple[PlannedPage, float]]] = []
    for i in range(len(photos)):
        here = []
        for template in candidates:
            k = len(template.photo_frames)
            chunk = photos[i:i + k]
            # a run's last page may leave frames empty; anywhere else a page is full
            if (len(chunk) < k and template.flex is None and i + len(chunk) < len(photos)) or \
                    (len(chunk) < k and template.flex is not None) or not _suits(template, chunk):
                continue
            fitted = fit_template(template, list(chunk) + [None] * (k - len(chunk)), page)
            if fitted is None:
                continue
            region = template.flex.region(page.live) if template.flex else page.live
            cost = page_cost(fitted, chunk, page, region) + EMPTY_FRAME_COST * (k - len(chunk))
            here.append((PlannedPage(template, tuple(chunk), fitted), cost))
        options.append(here)
    return options


def _tail_options(photos: Sequence[Photo], candidates: Sequence[Template], page: PageArea, tail: Rect,
                  best: list[dict]) -> None:
    """The first photos set below the text of the page before: flex templates only, no page spent."""
    for template in candidates:
        k = len(template.photo_frames)
        if template.flex is None or k > MAX_TAIL_PHOTOS or k > len(photos) or not _suits(template, photos[:k]):
            continue
        chunk = tuple(photos[:k])
        fitted = fit_template(template, chunk, page, tail)
        if fitted is None:
            continue
        cost = page_cost(fitted, chunk, page, tail)
        planned = PlannedPage(template, chunk, fitted, tail=True)
        key = ("", planned.look)
        if key not in best[k] or cost < best[k][key][0]:
            best[k][key] = (cost, (0, ("", "")), planned)
