"""One manuscript, several editions: each PDF right for its printer, and the prepared images shared between them."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from conftest import LOREM, photo, run_cli, write

from bookpress.book import PlacedImage
import bookpress.images.prepare as prepare
from bookpress.images import image_job, image_jobs
from bookpress.load.printers import INCH, PRESETS
from bookpress.options import Request
from bookpress.pipeline import compile_book

EDITIONS = ("kdp", "blurb", "ingramspark", "blurb-10x8")


def editions_book(root: Path) -> Path:
    """A 24-page photo book at 8x10in for KDP, with a Blurb, an IngramSpark and a landscape Blurb edition."""
    shades = [(30, 80, 150), (150, 80, 30), (40, 140, 60), (140, 40, 120), (200, 180, 40), (60, 60, 60)]
    for i, shade in enumerate(shades):
        photo(root / "photos" / f"p{i}.jpg", (1800, 1200) if i % 2 == 0 else (1200, 1800), shade)
    paragraphs = "\n".join("      " + line for line in "\n\n".join([LOREM] * 3).splitlines())
    blocks = []
    for i in range(8):
        blocks += [f"  - text: |\n{paragraphs}", f"  - photo: photos/p{i % 6}.jpg\n    caption: Photo {i}.",
                   f"  - page: full-bleed\n    slots: {{photo: {{photo: photos/p{(i + 1) % 6}.jpg}}}}"]
    write(root / "chapters" / "one.yaml", "title: One\nblocks:\n" + "\n".join(blocks) + "\n")
    write(root / "book.yaml", """
        title: Editions Test
        author: Test Author
        printer: kdp
        format: {trim: 8x10in}
        chapters: [chapters/one.yaml]
        editions:
          kdp: {}
          blurb: {printer: blurb}
          ingramspark: {printer: ingramspark}
          blurb-10x8:
            printer: blurb
            format: {trim: 10x8in}
    """)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each edition compiled in turn (one image worker, in this process), with the photos each one prepared."""
    root = editions_book(tmp_path_factory.mktemp("editions") / "book")
    prepared: list = []
    original = prepare.render

    def counting(job, *args, **kwargs):
        prepared.append(job)
        return original(job, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prepare, "render", counting)
        results, fresh = {}, {}
        for name in EDITIONS:
            before = len(prepared)
            results[name] = compile_book(root, Request(jobs=1, edition=name))
            fresh[name] = prepared[before:]
        again = len(prepared)
        cli = run_cli("compile", root, "--all-editions", "-j", "1", "-q")
        fresh["again"] = prepared[again:]
    return root, results, fresh, cli


def jobs_of(result) -> set:
    return set(image_jobs(result.book, result.options.render))


def jobs_of_placements(result, bleeds: bool) -> set:
    return {image_job(item, result.options.render) for page in result.book.pages for item in page.items
            if isinstance(item, PlacedImage) and item.bleeds == bleeds}


def test_every_edition_is_written_beside_the_others(built) -> None:
    root, results, _, cli = built
    assert cli.exit_code == 0, cli.output
    for name in EDITIONS:
        assert results[name].pdf == root / "build" / f"editions-test-{name}.pdf"
        assert results[name].pdf.is_file()
        assert results[name].options.paths.report.name == f"editions-test-{name}.preflight.json"
        assert results[name].preflight.errors == 0, [f.message for f in results[name].preflight.findings]
    assert len(results["kdp"].book.pages) >= PRESETS["kdp"].min_pages


def boxes(pdf: pikepdf.Pdf, index: int) -> tuple[list[float], list[float]]:
    page = pdf.pages[index]
    return [float(v) for v in page.trimbox], [float(v) for v in page.bleedbox]


@pytest.mark.parametrize("name,trim_in,pdfx,inside_bleed", [
    ("kdp", (8, 10), None, False),
    ("blurb", (8, 10), "PDF/X-4", True),
    ("ingramspark", (8, 10), "PDF/X-1:2001", True),
    ("blurb-10x8", (10, 8), "PDF/X-4", True),
])
def test_each_edition_is_right_for_its_printer(built, name, trim_in, pdfx, inside_bleed) -> None:
    _, results, _, _ = built
    bleed = PRESETS[results[name].options.preset.name].bleed
    with pikepdf.open(results[name].pdf) as pdf:
        assert pdf.docinfo.get("/GTS_PDFXVersion") == pdfx
        for index in (0, 1):  # a recto (binding edge on the left), then a verso
            trim, bleed_box = boxes(pdf, index)
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((trim_in[0] * INCH, trim_in[1] * INCH),
                                                                           abs=0.01)
            inside = trim[0] - bleed_box[0] if index == 0 else bleed_box[2] - trim[2]
            outside = bleed_box[2] - trim[2] if index == 0 else trim[0] - bleed_box[0]
            assert outside == pytest.approx(bleed, abs=0.01)
            assert inside == pytest.approx(bleed if inside_bleed else 0.0, abs=0.01)
        spaces = {_space(image) for page in pdf.pages for image in page.get_images().values()}
    # X-1a: everything converted to CMYK; X-4: RGB tagged with its profile; no PDF/X: plain RGB.
    assert spaces == {"x4": {"/ICCBased"}, "x1a": {"/DeviceCMYK"}, "none": {"/DeviceRGB"}}[
        results[name].options.press.pdfx]


def _space(image) -> str:
    space = image.ColorSpace
    return str(space[0]) if isinstance(space, pikepdf.Array) else str(space)


def test_a_later_edition_prepares_only_the_photos_it_places_differently(built) -> None:
    _, results, fresh, _ = built
    kdp, blurb = jobs_of(results["kdp"]), jobs_of(results["blurb"])
    assert set(fresh["kdp"]) == kdp and len(fresh["kdp"]) == len(kdp)  # the first edition prepares its own
    # Same trim and colour: every photo framed alike comes from the KDP edition's images. Only the
    # full-bleed ones are prepared again (KDP does not bleed at the binding edge, Blurb does).
    framed = jobs_of_placements(results["blurb"], bleeds=False)
    # the six photos framed, one of them at two sizes (the second a little smaller: a figure shrunk to
    # stay on the page of its text): seven jobs, all of them KDP's
    assert len(framed) == 7 and framed <= kdp
    assert set(fresh["blurb"]) == blurb - kdp == jobs_of_placements(results["blurb"], bleeds=True)
    # A CMYK edition needs other pixels, a landscape one other crops: each is prepared once, and only once.
    assert set(fresh["ingramspark"]) == jobs_of(results["ingramspark"])
    assert len(fresh["blurb-10x8"]) == len(jobs_of(results["blurb-10x8"]) - kdp - blurb)


def test_building_all_editions_again_prepares_nothing(built) -> None:
    _, _, fresh, cli = built
    assert cli.exit_code == 0, cli.output
    assert fresh["again"] == []
