"""The PDF/X rules of PRINTERS.md (1-10), checked on real output of each printer preset."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from PIL import ImageCms

VARIANTS = {"generic": "x4", "blurb": "x4", "ingramspark": "x1a"}
NOT_PDFX = ["kdp", "lulu"]
RGB_LIKE = {"/DeviceRGB", "/CalRGB", "/Lab", "/ICCBased"}


def colour_space_names(space) -> set[str]:
    if isinstance(space, pikepdf.Array):
        return {str(space[0])} | {str(v) for v in space if isinstance(v, pikepdf.Name)}
    return {str(space)}


def all_images(pdf: pikepdf.Pdf):
    return [obj for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image]


@pytest.mark.parametrize("printer", sorted(VARIANTS))
def test_version_info_keys_id_and_trapped(printed, printer):
    variant = VARIANTS[printer]
    with pikepdf.open(printed(printer).pdf) as pdf:
        info = pdf.docinfo
        # Rule 1: versions; rule 2: Info keys.
        if variant == "x1a":
            assert pdf.pdf_version <= "1.4"
            assert str(info.GTS_PDFXVersion) == "PDF/X-1:2001"
            assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
        else:
            assert pdf.pdf_version <= "1.6"
            assert str(info.GTS_PDFXVersion) == "PDF/X-4"
        # Rule 3: Trapped and the dates; rule 4: the ID.
        assert info.Trapped in (pikepdf.Name("/True"), pikepdf.Name("/False"))
        assert str(info.Title) == "Print Test"
        assert "/CreationDate" in info and "/ModDate" in info
        assert len(pdf.trailer.ID) == 2 and len(bytes(pdf.trailer.ID[0])) == 16
        assert not pdf.is_encrypted


@pytest.mark.parametrize("printer", sorted(VARIANTS))
def test_exactly_one_output_intent_with_a_cmyk_output_profile(printed, printer):
    with pikepdf.open(printed(printer).pdf) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) and str(intent.Info)
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        data = profile.read_bytes()
    header = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    assert header.xcolor_space.strip() == "CMYK" and header.device_class.strip() == "prtr"
    if printer == "generic":
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
    if printer == "ingramspark":
        assert "240%" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data)))


@pytest.mark.parametrize("printer", sorted(VARIANTS) + NOT_PDFX)
def test_boxes_fonts_and_no_forbidden_objects(printed, printer):
    with pikepdf.open(printed(printer).pdf) as pdf:
        assert "/Names" not in pdf.Root or "/EmbeddedFiles" not in pdf.Root.Names  # rule 8
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        for page in pdf.pages:
            media, bleed, trim = ([float(v) for v in page.obj[k]] for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
            assert media[0] <= bleed[0] <= trim[0] and trim[2] <= bleed[2] <= media[2]  # rule 6
            assert media[1] <= bleed[1] <= trim[1] and trim[3] <= bleed[3] <= media[3]
            assert "/Annots" not in page.obj  # rule 8 (and KDP: no annotations at all)
            for font in page.obj.Resources.get("/Font", {}).values():  # rule 7
                descriptor = (font.DescendantFonts[0] if font.Subtype == pikepdf.Name.Type0 else font).FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
        assert "/Outlines" in pdf.Root  # bookmarks stay: they are not annotations


def test_x4_has_xmp_with_pdfxid_in_sync_with_info(printed):
    with pikepdf.open(printed("generic").pdf) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        info = pdf.docinfo
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp  # rule 10
        assert "<pdf:Trapped>False</pdf:Trapped>" in xmp and info.Trapped == pikepdf.Name("/False")
        assert ">Print Test</rdf:li>" in xmp
        created = str(info.CreationDate)  # D:YYYYMMDDHHmmSS...
        stamp = f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:{created[12:14]}:{created[14:16]}"
        assert f"<xmp:CreateDate>{stamp}" in xmp
        assert re.search(r"<xmpMM:DocumentID>uuid:[0-9a-f-]{36}</xmpMM:DocumentID>", xmp)
        with pdf.open_metadata() as meta:  # pikepdf parses the packet: well-formed XML
            assert meta["dc:title"] == "Print Test"


def test_x4_rgb_images_carry_an_icc_profile(printed):
    with pikepdf.open(printed("generic").pdf) as pdf:
        spaces = [image.ColorSpace for image in all_images(pdf)]
    assert spaces
    for space in spaces:
        assert isinstance(space, pikepdf.Array) and space[0] == "/ICCBased"


def icc_description(space) -> str:
    return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(space[1].read_bytes())))


@pytest.mark.parametrize("cover", [False, True])
def test_x4_greyscale_photos_are_tagged_with_a_grey_profile_not_device_gray(tmp_path, cover):
    """DeviceGray prints on the black plate alone, far lighter than the photo: X-4 tags grey photos."""
    from conftest import photo, print_manuscript

    from bookpress.options import Request
    from bookpress.pipeline import compile_book
    from bookpress.products.cover import build_cover

    root = print_manuscript(tmp_path / "book", "generic")
    photo(root / "photos" / "big.jpg", (3000, 4000), (90, 90, 90), mode="L")  # the full-bleed page and the cover
    if cover:
        pdf = build_cover(root, Request(jobs=1, output=tmp_path / "cover.pdf")).pdf
    else:
        pdf = compile_book(root, Request(jobs=1, output=tmp_path / "book.pdf")).pdf
    with pikepdf.open(pdf) as document:
        spaces = [image.ColorSpace for image in all_images(document)]
        grey = [space for space in spaces if isinstance(space, pikepdf.Array) and int(space[1].N) == 1]
        assert pikepdf.Name.DeviceGray not in spaces
        assert grey and all(space[0] == "/ICCBased" for space in spaces)
        assert all(icc_description(space).startswith("bookpress grey") for space in grey)


def test_the_grey_profile_means_what_srgb_neutrals_mean():
    """The same grey value, tagged with the grey profile or taken as an sRGB neutral, has the same L* (transicc)."""
    import shutil
    import subprocess

    from bookpress.images.colour import GREY_PROFILE, SRGB_PROFILE

    transicc = shutil.which("transicc")
    assert transicc, "liblcms2-utils (transicc) is needed"

    def lab(profile, values: str) -> list[float]:
        out = subprocess.run([transicc, "-i", str(profile), "-o", "*Lab", "-t1", "-n"], input=values,
                             capture_output=True, text=True, check=True).stdout
        return [float(line.split()[0]) for line in out.splitlines() if line.strip()[:1].isdigit()]

    levels = [0, 12, 50, 128, 200, 255]
    grey = lab(GREY_PROFILE, "\n".join(str(v) for v in levels) + "\n")
    neutral = lab(SRGB_PROFILE, "\n".join(f"{v} {v} {v}" for v in levels) + "\n")
    assert len(grey) == len(neutral) == len(levels)
    assert grey == pytest.approx(neutral, abs=0.05)
    assert grey[2] == pytest.approx(20.8, abs=0.1)  # sRGB 50 is L* 20.8, not a linear 19.6% grey


def test_xmp_describes_the_book_with_the_info_subject(printed):
    with pikepdf.open(printed("generic").pdf) as pdf:
        subject = str(pdf.docinfo.Subject)
        with pdf.open_metadata() as meta:
            description = meta["dc:description"]
    assert subject and description == subject


def test_each_build_has_its_own_identity(printed):
    """With and without crop marks, and the cover: each file its own first /ID, DocumentID, InstanceID."""
    from bookpress.options import Request
    from bookpress.products.cover import build_cover

    plain, marked = printed("generic"), printed("generic", "print: {marks: true}\n")
    cover = build_cover(plain.manuscript.root, Request(jobs=1, output=plain.pdf.with_name("cover.pdf"))).pdf
    ids = []
    for path in (plain.pdf, marked.pdf, cover):
        with pikepdf.open(path) as pdf:
            with pdf.open_metadata() as meta:
                ids.append((bytes(pdf.trailer.ID[0]).hex(), meta["xmpMM:DocumentID"], meta["xmpMM:InstanceID"]))
    for column in zip(*ids):
        assert len(set(column)) == 3, ids
    for first, document, _ in ids:  # the XMP DocumentID is the first /ID string, as a uuid
        assert document == "uuid:" + str(__import__("uuid").UUID(first))


def test_the_240_percent_output_intent_names_its_printing_condition(printed):
    with pikepdf.open(printed("ingramspark").pdf) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.RegistryName) == "http://www.color.org"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"  # the characterisation data it is made from
        assert "240%" in str(intent.OutputCondition)


def test_x1a_has_only_cmyk_or_grey_and_no_transparency(printed):
    with pikepdf.open(printed("ingramspark").pdf) as pdf:
        for image in all_images(pdf):  # rule 9
            assert colour_space_names(image.ColorSpace) <= {"/DeviceCMYK", "/DeviceGray"}, image.ColorSpace
            assert "/SMask" not in image and "/Mask" not in image
            filters = image.get("/Filter")
            names = {str(f) for f in filters} if isinstance(filters, pikepdf.Array) else {str(filters)}
            assert not names & {"/LZWDecode", "/JBIG2Decode", "/JPXDecode"}
        for page in pdf.pages:
            assert "/Group" not in page.obj
            resources = page.obj.Resources
            for space in resources.get("/ColorSpace", {}).values():
                assert not colour_space_names(space) & RGB_LIKE
            for state in resources.get("/ExtGState", {}).values():
                assert float(state.get("/CA", 1)) == 1 and float(state.get("/ca", 1)) == 1
                assert "/SMask" not in state or state.SMask == pikepdf.Name("/None")
                assert str(state.get("/BM", "/Normal")) in ("/Normal", "/Compatible")
            operators = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert not operators & {"rg", "RG", "sh"}, operators  # colour set in CMYK (k/K) only


def test_pdfx_outputs_have_no_link_annotations_but_keep_bookmarks(printed):
    result = printed("generic")
    with pikepdf.open(result.pdf) as pdf:
        assert all("/Annots" not in page.obj for page in pdf.pages)
        titles = []
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert "Printing" in titles


def test_xmp_keeps_markup_characters_of_the_title_and_author_as_text(make_book):
    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    root = make_book(title='"Salt & <Pepper>"', book_extra="subtitle: 'Fish & chips > all'\n")
    result = compile_book(root, Request(jobs=1))
    with pikepdf.open(result.pdf) as pdf:
        with pdf.open_metadata() as meta:  # parsed as XML: an unescaped '&' or '<' would not parse
            assert meta["dc:title"] == "Salt & <Pepper>"
            assert "Fish & chips > all" in meta["dc:description"]


@pytest.mark.parametrize("printer", sorted(VARIANTS) + NOT_PDFX)
def test_every_stream_but_the_xmp_is_deflated(printed, printer):
    """The pressed file keeps reportlab's deflated streams as they are, so what press adds (the output
    intent's profile, the grey and sRGB profiles) it must deflate itself; only the XMP stays readable."""
    with pikepdf.open(printed(printer).pdf) as pdf:
        plain = [(str(obj.get("/Type", obj.get("/Subtype", "?"))), len(obj.read_raw_bytes())) for obj in pdf.objects
                 if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") is None
                 and obj.get("/Type") != pikepdf.Name.Metadata]
        assert plain == []
        for intent in pdf.Root.get("/OutputIntents", []):
            profile = intent.DestOutputProfile
            assert len(profile.read_raw_bytes()) < len(profile.read_bytes())  # deflated, and reads back whole
