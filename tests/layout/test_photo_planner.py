"""The photo planner, the flex solver and the crop window on their own: photo shapes in, pages and frames out."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bookpress.geometry import Rect
from bookpress.load.templates import Frame, Template, load_templates
from bookpress.layout.photos.crop import crop_loss, fill_crop, kept_share
from bookpress.layout.photos.fit import PageArea, max_width
from bookpress.layout.photos.flex import FlexItem, solve
from bookpress.layout.photos.plan import MAX_CROP, auto_candidates, plan_photo_pages
from bookpress.model import ImageInfo, Photo

MM = 72 / 25.4
LANDSCAPE_PAGE = Rect(36, 36, 648, 504)  # a 10 x 8 in page's type area (9 x 7 in)
PORTRAIT_PAGE = Rect(56, 50, 468, 640)  # a tall one
TEMPLATES = load_templates()
CANDIDATES = auto_candidates(TEMPLATES)


def shot(n: int, size: tuple[int, int], caption: str | None = None, fit: str = "fill") -> Photo:
    w, h = size
    info = ImageInfo(Path(f"p{n}.jpg"), w, h, 1, "RGB", "JPEG", False, f"digest-{n}")
    return Photo(info, caption=caption, fit=fit)


def page(live: Rect = LANDSCAPE_PAGE, min_ppi: float = 200.0) -> PageArea:
    def caption_height(text: str, width: float, exact: bool) -> float:
        return 10.5 * max(1, math.ceil(len(text) * 4.2 / width))

    return PageArea(live, lambda frame: live, caption_height, min_ppi, 300.0)


def shown(plan) -> list[str]:
    return [p.image.path.name for planned in plan for p in planned.photos]


def placements(plan):
    """(photo, rect, crop loss) of every photo in a plan."""
    return [(photo, rect, loss) for planned in plan
            for photo, rect, loss in zip(planned.photos, planned.fitted.photos, planned.fitted.losses)]


def assert_shapes_kept(plan, within: float = 0.01) -> None:
    for photo, rect, loss in placements(plan):
        assert loss <= within, (photo.image.path.name, loss)
        assert abs(rect.width / rect.height - photo.image.aspect) / photo.image.aspect < 0.01, photo.image.path.name


@pytest.mark.parametrize("count", [1, 3, 5, 7, 9])
def test_odd_runs_of_landscapes_share_pages_uncropped(count):
    photos = [shot(i, (3000, 2000)) for i in range(count)]
    plan = plan_photo_pages(photos, CANDIDATES, page())
    assert shown(plan) == [p.image.path.name for p in photos]  # every photo, in the author's order
    assert_shapes_kept(plan)
    if count > 1:
        assert len(plan) < count  # not one photo a page


def test_a_lone_portrait_among_landscapes_keeps_its_shape():
    photos = [shot(i, (3000, 2000)) for i in range(12)]
    photos.insert(5, shot(99, (2000, 3000)))
    plan = plan_photo_pages(photos, CANDIDATES, page())
    assert shown(plan) == [p.image.path.name for p in photos]
    assert_shapes_kept(plan)
    assert len(plan) <= 7  # 13 photos: pages are shared
    portrait_page = next(p for p in plan if any(x.image.path.name == "p99.jpg" for x in p.photos))
    assert len(portrait_page.photos) > 1  # the portrait shares its page


def test_a_tiny_photo_gets_a_small_frame_never_below_min_ppi():
    photos = [shot(0, (3000, 2000)), shot(1, (400, 300)), shot(2, (3000, 2000))]
    for min_ppi in (200, 300):
        plan = plan_photo_pages(photos, CANDIDATES, page(min_ppi=min_ppi))
        for photo, rect, _ in placements(plan):
            assert rect.width <= max_width(photo, min_ppi) + 0.01
            assert photo.image.width / (rect.width / 72) >= min_ppi - 0.5
        tiny = next(rect for photo, rect, _ in placements(plan) if photo.image.width == 400)
        assert tiny.width <= 400 / min_ppi * 72 + 0.01


def test_a_lone_tiny_photo_is_not_blown_up_to_a_page():
    plan = plan_photo_pages([shot(0, (400, 300))], CANDIDATES, page())
    (photo, rect, _), = placements(plan)
    assert rect.width <= 400 / 200 * 72 + 0.01


@pytest.mark.parametrize("size", [(1000, 3000), (3600, 1200), (6000, 1500), (1200, 1200)])
def test_extreme_shapes_are_not_forced_into_three_two_frames(size):
    photos = [shot(0, (3000, 2000)), shot(1, size), shot(2, (2000, 3000))]
    for live in (LANDSCAPE_PAGE, PORTRAIT_PAGE):
        plan = plan_photo_pages(photos, CANDIDATES, page(live))
        assert shown(plan) == ["p0.jpg", "p1.jpg", "p2.jpg"]
        assert_shapes_kept(plan)


def test_mixed_runs_keep_most_of_every_photo_on_every_trim():
    shapes = [(3000, 2000), (2000, 3000), (2400, 2400), (3200, 1800), (2800, 2100), (1000, 3000), (3600, 1200),
              (400, 300)]
    photos = [shot(i, shapes[(i * 5) % len(shapes)], caption="A caption of a few words." if i % 2 else None)
              for i in range(40)]
    for live in (LANDSCAPE_PAGE, PORTRAIT_PAGE, Rect(40, 40, 540, 540)):
        plan = plan_photo_pages(photos, CANDIDATES, page(live))
        kept = [1 - loss for _, _, loss in placements(plan)]
        assert shown(plan) == [p.image.path.name for p in photos]
        assert min(kept) >= 1 - MAX_CROP and sum(kept) / len(kept) >= 0.9
        assert len(photos) / len(plan) >= 1.6


@pytest.mark.parametrize("size", [(3000, 2000), (2560, 1600), (2000, 3000)])
def test_the_same_arrangement_does_not_run_on_page_after_page(size):
    """Two templates that look alike (a 2x2 grid set by rows or by columns) count as the same page."""
    for live in (LANDSCAPE_PAGE, PORTRAIT_PAGE):
        plan = plan_photo_pages([shot(i, size) for i in range(24)], CANDIDATES, page(live))
        looks = [p.look for p in plan]
        assert len(set(looks)) >= 3, looks
        assert all(not a == b == c for a, b, c in zip(looks, looks[1:], looks[2:])), looks


def test_fixed_templates_only_an_odd_run_still_shares_pages():
    """The old fallback put a whole run one photo a page when no complete plan existed (48% crops)."""
    # the old photo-caption: one frame filling a tall type area, which crops a 3:2 landscape by about half
    single = Template("fixed-single", "", 1, ("any",), (Frame("photo", "photo", (0, 0, "100%", "90%")),), "test")
    fixed = [single]
    pair = Template("fixed-pair", "", 1, ("landscape", "landscape"),
                    (Frame("top", "photo", (0, 0, "100%", "45%")), Frame("bottom", "photo", (0, "50%", "100%", "45%"))),
                    "test")
    photos = [shot(i, (3000, 2000)) for i in range(3)]
    plan = plan_photo_pages(photos, fixed + [pair], page(PORTRAIT_PAGE))
    assert shown(plan) == ["p0.jpg", "p1.jpg", "p2.jpg"]
    assert any(p.template.name == "fixed-pair" for p in plan)  # not three single pages
    assert len(plan) <= 2


def test_a_run_ends_with_empty_frames_rather_than_not_at_all():
    pair = Template("fixed-pair", "", 1, ("any", "any"),
                    (Frame("a", "photo", (0, 0, "100%", "45%")), Frame("b", "photo", (0, "50%", "100%", "45%"))),
                    "test")
    plan = plan_photo_pages([shot(i, (3000, 2000)) for i in range(3)], [pair], page())
    assert shown(plan) == ["p0.jpg", "p1.jpg", "p2.jpg"]


def test_rows_have_one_gap_across_and_down_and_photo_shapes():
    gap = 4 * MM
    items = [FlexItem(1.5), FlexItem(0.75), FlexItem(1.0), FlexItem(16 / 9)]
    laid = solve("rows", [[0, 1], [2, 3]], items, LANDSCAPE_PAGE, gap)
    p = laid.photos
    assert abs(p[1].x - p[0].right - gap) < 0.01 and abs(p[3].x - p[2].right - gap) < 0.01
    assert abs(p[2].y - p[0].bottom - gap) < 0.01  # no caption: the same gap down
    assert abs(p[0].height - p[1].height) < 0.01  # one height a row
    for item, rect in zip(items, p):
        assert abs(rect.width / rect.height - item.aspect) < 1e-6
        assert LANDSCAPE_PAGE.contains(rect)
    assert abs(laid.bounds.y - LANDSCAPE_PAGE.y) < 0.01  # hangs from the top of the type area


def test_captions_are_added_below_their_photo_not_taken_from_the_gap():
    gap = 4 * MM
    items = [FlexItem(1.5, caption=lambda w: 21.0), FlexItem(1.5, caption=lambda w: 10.0), FlexItem(1.5),
             FlexItem(1.5)]
    laid = solve("rows", [[0, 1], [2, 3]], items, LANDSCAPE_PAGE, gap)
    first, second = laid.captions[0], laid.captions[1]
    assert first.height == 21.0 and second.height == 10.0  # each caption frame sized to its caption
    assert abs(first.y - laid.photos[0].bottom - 4.0) < 0.01 and first.x == laid.photos[0].x
    assert abs(laid.photos[2].y - (first.bottom + gap)) < 0.01  # the next row starts a gap below the caption


def test_columns_for_tall_pages():
    gap = 4 * MM
    items = [FlexItem(2 / 3), FlexItem(1.5), FlexItem(1.5)]
    laid = solve("columns", [[0], [1, 2]], items, PORTRAIT_PAGE, gap)
    p = laid.photos
    assert abs(p[2].y - p[1].bottom - gap) < 0.01 and abs(p[1].x - p[0].right - gap) < 0.01
    assert abs(p[1].width - p[2].width) < 0.01
    assert all(PORTRAIT_PAGE.contains(r) for r in p)


def test_fill_crop_keeps_a_subject_near_the_edge_whole():
    subject = (0.02, 0.3, 0.2, 0.6)  # at the left edge of a 3:2 photo
    crop = fill_crop(3000, 2000, 0.7, None, subject)  # a tall frame: most of the width goes
    assert kept_share(subject, crop, 3000, 2000) == 1.0
    centred = fill_crop(3000, 2000, 0.7)
    assert kept_share(subject, centred, 3000, 2000) < 0.5  # what a centre crop did


def test_the_authors_focus_wins_over_the_subject():
    crop = fill_crop(3000, 2000, 0.7, (0.9, 0.5), (0.02, 0.3, 0.2, 0.6))
    assert crop[2] == 3000  # slid to the right edge, as the focus asks


def test_a_subject_is_slid_out_of_the_fold_where_the_photo_leaves_room():
    subject = (0.45, 0.4, 0.55, 0.6)  # in the middle of a 3:1 panorama
    frame_aspect = 2.2  # a spread a little narrower than the photo
    fold = (0.5 - 0.04, 0.5 + 0.04)
    crop = fill_crop(6000, 2000, frame_aspect, None, subject, fold)
    width = crop[2] - crop[0]
    x0, x1 = (subject[0] * 6000 - crop[0]) / width, (subject[2] * 6000 - crop[0]) / width
    assert x1 <= fold[0] + 1e-6 or x0 >= fold[1] - 1e-6
    assert crop_loss(3.0, frame_aspect) < 0.3
