"""The image stage on images generated here: probe facts, prepared pixels, problems, cache, pool."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageStat

from bookpress.diagnostics import ImageProblem, ImageProblems
from bookpress.images.cache import cache_prune
from bookpress.images.jobs import ImageJob, effective_ppi
from bookpress.images.pool import Preparing, prepare_all
from bookpress.images.prepare import prepare
from bookpress.load.probe import probe

ORANGE = (230, 120, 30)


# -- helpers -------------------------------------------------------------------------------


def save(im: Image.Image, path: Path, **params) -> Path:
    im.save(path, **params)
    return path


def job_for(path: Path, size: tuple[int, int] | None = None, colour: str = "rgb", crop=None,
            **options) -> ImageJob:
    info = probe(path)
    crop = crop or (0, 0, info.width, info.height)
    return ImageJob(info, crop, size or (info.width, info.height), colour, **options)


def prepared(path: Path, cache: Path, **kwargs) -> Image.Image:
    out = Image.open(prepare(job_for(path, **kwargs), cache))
    out.load()
    return out


def near(actual, expected, tolerance: int) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(a, b)).mean)


def upright_test_image() -> Image.Image:
    """300x200, four differently coloured quadrants: any wrong flip or turn shows."""
    im = Image.new("RGB", (300, 200))
    draw = ImageDraw.Draw(im)
    for (x, y), fill in zip([(0, 0), (150, 0), (0, 100), (150, 100)],
                            [(220, 30, 30), (30, 200, 40), (40, 40, 210), (240, 220, 40)]):
        draw.rectangle((x, y, x + 149, y + 99), fill=fill)
    return im


# Transpose that stores an upright image so that EXIF orientation n turns it back.
STORE_FOR_ORIENTATION = {
    1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270,
}


def save_oriented(upright: Image.Image, orientation: int, path: Path, **params) -> Path:
    method = STORE_FOR_ORIENTATION[orientation]
    stored = upright.transpose(method) if method is not None else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    return save(stored, path, exif=exif, **params)


def png_bytes(width: int, height: int, bit_depth: int, colour_type: int, raw_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw_rows))
            + chunk(b"IEND", b""))


def tiff_rgb16(width: int, height: int, pixel: tuple[int, int, int]) -> bytes:
    """A baseline 16-bit-per-channel RGB TIFF (Pillow cannot write one)."""
    data = struct.pack(f"<{width * height * 3}H", *(pixel * (width * height)))
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 3, "bps"), (259, 3, 1, 1),
               (262, 3, 1, 2), (273, 4, 1, "data"), (277, 3, 1, 3), (278, 3, 1, height),
               (279, 4, 1, len(data)), (284, 3, 1, 1)]
    bps_at = 8 + 2 + 12 * len(entries) + 4
    where = {"bps": bps_at, "data": bps_at + 6}
    out = b"II*\x00" + struct.pack("<IH", 8, len(entries))
    for tag, kind, count, value in entries:
        value = where.get(value, value) if isinstance(value, str) else value
        out += struct.pack("<HHIHH" if kind == 3 and count == 1 else "<HHII", tag, kind, count, value,
                           *((0,) if kind == 3 and count == 1 else ()))
    return out + struct.pack("<I", 0) + struct.pack("<3H", 16, 16, 16) + data


def rgb_icc_profile(red, green, blue, gamma: float = 2.2) -> bytes:
    """A minimal matrix/TRC RGB ICC profile with the given D50 colorants."""
    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(x, y, z) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    name = b"Test RGB (swapped primaries)"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name) + 1) + name + b"\0" + b"\0" * 78
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*red)),
            (b"gXYZ", xyz(*green)), (b"bXYZ", xyz(*blue)), (b"rTRC", curve), (b"gTRC", curve),
            (b"bTRC", curve)]
    offset, table, body = 128 + 4 + 12 * len(tags), b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I", offset + len(body)) + b"lcms" + struct.pack(">I", 0x02100000)
              + b"mntrRGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 28
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


def with_app13_caption(jpeg: bytes, caption: str) -> bytes:
    """Insert a Photoshop APP13 block with an IPTC 2:120 caption (UTF-8) after SOI."""
    return with_iptc(jpeg, [(0x78, caption.encode("utf-8"))])


def with_iptc(jpeg: bytes, datasets: list[tuple[int, bytes]], utf8: bool = True) -> bytes:
    """Insert a Photoshop APP13 block of IPTC record-2 datasets (number, value) after SOI; `utf8`: with the
    1:90 coded character set that says the values are UTF-8 (without it, readers take Latin-1)."""
    iptc = b"\x1c\x01\x5a\x00\x03\x1b%G" if utf8 else b""
    for number, value in datasets:
        iptc += b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value
    iptc += b"\0" * (len(iptc) % 2)
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def plain_cmyk_jpeg(im: Image.Image) -> bytes:
    """A CMYK JPEG with plain (non-inverted) values and no Adobe APP14 marker."""
    out = io.BytesIO()
    ImageChops.invert(im).save(out, "JPEG", quality=95)  # Pillow inverts on save: plain data
    data = out.getvalue()
    at = data.index(b"\xff\xee")  # APP14
    length = int.from_bytes(data[at + 2 : at + 4], "big")
    return data[:at] + data[at + 2 + length :]


# -- probe -----------------------------------------------------------------------------------


def test_probe_reports_size_after_exif_rotation_and_prepare_turns_the_photo_upright(tmp_path):
    upright = Image.new("RGB", (300, 200), (40, 60, 200))
    ImageDraw.Draw(upright).rectangle((0, 0, 299, 49), fill=(230, 20, 20))  # red band at the top
    path = save_oriented(upright, 6, tmp_path / "turned.jpg", quality=95)
    assert Image.open(path).size == (200, 300)  # stored on its side

    info = probe(path)
    assert (info.width, info.height, info.orientation) == (300, 200, 6)
    assert info.orientation_class == "landscape"

    out = prepared(path, tmp_path / "cache", size=(150, 100))
    assert out.size == (150, 100)
    assert near(out.getpixel((75, 5)), (230, 20, 20), 25)  # red on top
    assert near(out.getpixel((75, 95)), (40, 60, 200), 25)  # blue at the bottom
    assert near(out.getpixel((5, 50)), (40, 60, 200), 25)  # not on the left


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_every_exif_orientation_and_crop_gives_the_upright_crop(tmp_path, orientation, fmt):
    upright = upright_test_image()
    path = save_oriented(upright, orientation, tmp_path / f"o{orientation}.{fmt.lower()}",
                         **({"quality": 95} if fmt == "JPEG" else {}))
    crop = (60.5, 30.0, 290.0, 180.0)  # straddles all four quadrants, off-centre
    out = prepared(path, tmp_path / "cache", crop=crop, size=(57, 37))  # JPEG: drafted at 1/4
    expected = upright.resize((57, 37), Image.Resampling.LANCZOS, box=crop)
    assert out.size == (57, 37)
    assert mean_difference(out.convert("RGB"), expected) < 6


def test_probe_reads_mode_format_icc_and_a_stable_digest(tmp_path):
    path = save(Image.new("RGB", (40, 30), ORANGE), tmp_path / "a.png",
                icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    info = probe(path)
    assert (info.width, info.height, info.mode, info.format, info.has_icc) == (40, 30, "RGB", "PNG", True)
    assert info.digest == probe(path).digest
    copy = tmp_path / "b.png"
    copy.write_bytes(path.read_bytes())
    assert probe(copy).digest == info.digest  # content, not name
    save(Image.new("RGB", (40, 30), (1, 2, 3)), copy)
    assert probe(copy).digest != info.digest


def test_description_from_exif_image_description(tmp_path):
    exif = Image.Exif()
    exif[0x010E] = "  Boats drawn up on the shore at dusk.  "
    path = save(Image.new("RGB", (20, 20)), tmp_path / "boats.jpg", exif=exif)
    assert probe(path).description == "Boats drawn up on the shore at dusk."


def test_description_from_xmp_dc_description(tmp_path):
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
           'syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           '<dc:description><rdf:Alt><rdf:li xml:lang="de">Markt in Kiew</rdf:li>'
           '<rdf:li xml:lang="x-default">Market day in Kyiv — café</rdf:li></rdf:Alt></dc:description>'
           '</rdf:Description></rdf:RDF></x:xmpmeta>').encode("utf-8")
    path = save(Image.new("RGB", (20, 20)), tmp_path / "market.jpg", xmp=xmp)
    assert probe(path).description == "Market day in Kyiv — café"


def test_description_from_iptc_caption_and_camera_junk_ignored(tmp_path):
    exif = Image.Exif()
    exif[0x010E] = "OLYMPUS DIGITAL CAMERA"  # what cameras write: not a caption
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "JPEG", exif=exif)
    path = tmp_path / "iptc.jpg"
    path.write_bytes(with_app13_caption(out.getvalue(), "Tram on Khreshchatyk, 1957"))
    assert probe(path).description == "Tram on Khreshchatyk, 1957"
    assert probe(save(Image.new("RGB", (9, 9)), tmp_path / "none.jpg", exif=exif)).description is None


def test_photographer_from_the_iptc_by_line_when_exif_and_xmp_name_none(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "JPEG")
    one = tmp_path / "one.jpg"
    one.write_bytes(with_iptc(out.getvalue(), [(0x50, "Łukasz Żak".encode("utf-8"))]))
    assert probe(one).artist == "Łukasz Żak"
    two = tmp_path / "two.jpg"  # two By-lines: both photographers, in order
    two.write_bytes(with_iptc(out.getvalue(), [(0x50, b"Anna Berg"), (0x50, b"Jonas Holm")]))
    assert probe(two).artist == "Anna Berg, Jonas Holm"
    latin = tmp_path / "latin.jpg"  # no coded character set: an older file's Latin-1
    latin.write_bytes(with_iptc(out.getvalue(), [(0x50, "José Muñoz".encode("latin-1"))], utf8=False))
    assert probe(latin).artist == "José Muñoz"
    exif = Image.Exif()
    exif[0x013B] = "Erik Exif"  # EXIF Artist comes first
    both = io.BytesIO()
    Image.new("RGB", (20, 20)).save(both, "JPEG", exif=exif)
    first = tmp_path / "first.jpg"
    first.write_bytes(with_iptc(both.getvalue(), [(0x50, b"Iris Iptc")]))
    assert probe(first).artist == "Erik Exif"


# -- bad files --------------------------------------------------------------------------------


def noisy_jpeg(path: Path) -> Path:
    return save(Image.effect_noise((200, 200), 60).convert("RGB"), path, quality=90)


def test_truncated_jpeg_is_reported_with_its_name(tmp_path):
    path = noisy_jpeg(tmp_path / "cut.jpg")
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 6 // 10])
    with pytest.raises(ImageProblem, match=r"cut\.jpg: is truncated"):
        probe(path)


def test_truncated_png_is_reported_with_its_name(tmp_path):
    path = save(Image.effect_noise((200, 200), 60), tmp_path / "cut.png")
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(ImageProblem, match=r"cut\.png: is truncated"):
        probe(path)


def test_jpeg_with_data_after_the_image_is_accepted(tmp_path):
    path = noisy_jpeg(tmp_path / "motion.jpg")  # phones append a video after the JPEG
    path.write_bytes(path.read_bytes() + b"\x00\x00\x00\x18ftypmp42" + os.urandom(3000))
    assert probe(path).width == 200


@pytest.mark.parametrize("name, content, message", [
    ("empty.jpg", b"", "is empty"),
    ("notes.jpg", b"These are my notes, not a photo.\n" * 10, r"not an image \(JPEG, PNG, TIFF or WebP"),
])
def test_empty_and_not_an_image_are_reported(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImageProblem, match=f"{name}: {message}"):
        probe(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ImageProblem, match=r"gone\.jpg: not found"):
        probe(tmp_path / "gone.jpg")


def test_decompression_bomb_is_refused_from_the_header(tmp_path):
    path = tmp_path / "bomb.png"  # 400 megapixels declared in a file of a few kilobytes
    path.write_bytes(png_bytes(20000, 20000, 8, 0, b""))
    started = time.perf_counter()
    with pytest.raises(ImageProblem, match=r"bomb\.png: is larger than 250 megapixels \(possible decompression bomb\)"):
        probe(path)
    assert time.perf_counter() - started < 1


def test_problems_survive_the_process_pool_and_are_reported_together(tmp_path):
    jobs = [job_for(save(Image.new("RGB", (30, 20), ORANGE), tmp_path / f"{n}.png")) for n in "abc"]
    (tmp_path / "a.png").unlink()
    (tmp_path / "c.png").write_bytes(b"replaced by something else")
    with pytest.raises(ImageProblems) as caught:
        prepare_all(jobs, tmp_path / "cache", workers=2)
    assert len(caught.value.problems) == 2
    assert "a.png: not found" in str(caught.value)
    assert "c.png: changed" in str(caught.value)
    assert isinstance(caught.value, ImageProblem)


# -- pixels -----------------------------------------------------------------------------------


def _half_transparent(mode: str) -> Image.Image:
    im = Image.new(mode, (60, 40), (0,) * len(mode))  # left half fully transparent
    im.paste(ORANGE + (255,) if mode == "RGBA" else (90, 255), (30, 0, 60, 40))
    return im


def _palette() -> Image.Image:
    return Image.new("RGB", (60, 40), ORANGE).quantize(4)


@pytest.mark.parametrize("name, make, params, out_mode, out_format, probes", [
    ("rgb.jpg", lambda: Image.new("RGB", (60, 40), ORANGE), {"quality": 95}, "RGB", "JPEG",
     [((30, 20), ORANGE)]),
    ("grey.jpg", lambda: Image.new("L", (60, 40), 90), {}, "L", "JPEG", [((30, 20), 90)]),
    ("rgb.png", lambda: Image.new("RGB", (60, 40), ORANGE), {}, "RGB", "PNG", [((30, 20), ORANGE)]),
    ("palette.png", _palette, {}, "RGB", "PNG", [((30, 20), ORANGE)]),
    ("grey-alpha.png", lambda: _half_transparent("LA"), {}, "L", "PNG", [((5, 20), 255), ((55, 20), 90)]),
    ("rgba.png", lambda: _half_transparent("RGBA"), {}, "RGB", "PNG",
     [((5, 20), (255, 255, 255)), ((55, 20), ORANGE)]),
    ("sixteen.png", lambda: Image.new("I;16", (60, 40), 40000), {}, "L", "PNG", [((30, 20), 156)]),
    ("lineart.tif", lambda: Image.new("1", (60, 40), 1), {"compression": "group4"}, "L", "PNG",
     [((30, 20), 255)]),
    ("rgb.tif", lambda: Image.new("RGB", (60, 40), ORANGE), {}, "RGB", "PNG", [((30, 20), ORANGE)]),
    ("jpeg-in.tif", lambda: Image.new("RGB", (64, 48), ORANGE), {"compression": "jpeg"}, "RGB", "JPEG",
     [((30, 20), ORANGE)]),
    ("lossless.webp", lambda: Image.new("RGB", (60, 40), ORANGE), {"lossless": True}, "RGB", "PNG",
     [((30, 20), ORANGE)]),
    ("lossy.webp", lambda: _half_transparent("RGBA"), {"quality": 95}, "RGB", "JPEG",
     [((5, 20), (255, 255, 255)), ((55, 20), ORANGE)]),
    ("palette.gif", _palette, {}, "RGB", "PNG", [((30, 20), ORANGE)]),
])
def test_every_mode_and_format_prepares_to_the_right_pixels(tmp_path, name, make, params, out_mode,
                                                             out_format, probes):
    path = save(make(), tmp_path / name, **params)
    out = prepared(path, tmp_path / "cache")
    assert (out.mode, out.format) == (out_mode, out_format)
    for xy, expected in probes:
        got = out.getpixel(xy)
        assert near((got,) if isinstance(got, int) else got,
                    (expected,) if isinstance(expected, int) else expected, 8), (xy, got, expected)


def test_sixteen_bit_rgb_tiff_is_scaled_to_eight_bits(tmp_path):
    path = tmp_path / "scan.tif"
    path.write_bytes(tiff_rgb16(40, 30, (65535, 32896, 0)))
    assert probe(path).mode == "RGB"
    assert prepared(path, tmp_path / "cache").getpixel((20, 15)) == (255, 128, 0)


def test_sixteen_bit_grey_png_is_scaled_not_clipped(tmp_path):
    rows = b"".join(b"\x00" + struct.pack(">H", 1000 * y) * 50 for y in range(60))  # 0 .. 59000
    path = tmp_path / "grey16.png"
    path.write_bytes(png_bytes(50, 60, 16, 0, rows))
    out = prepared(path, tmp_path / "cache")
    assert out.mode == "L"
    assert [out.getpixel((25, y)) for y in (0, 30, 59)] == [0, round(30000 / 257), round(59000 / 257)]


def cmyk_patch() -> Image.Image:
    return Image.new("CMYK", (64, 64), (255, 0, 0, 0))  # 100% cyan


@pytest.mark.parametrize("kind", ["adobe", "plain"])
def test_cmyk_jpeg_keeps_its_colour_whether_adobe_inverted_or_plain(tmp_path, kind):
    path = tmp_path / f"{kind}.jpg"
    if kind == "adobe":
        save(cmyk_patch(), path, quality=95)  # Photoshop's convention: APP14 + inverted values
        assert b"Adobe" in path.read_bytes()[:200]
    else:
        path.write_bytes(plain_cmyk_jpeg(cmyk_patch()))
        assert b"Adobe" not in path.read_bytes()[:200]
    rgb = prepared(path, tmp_path / "cache", colour="rgb").getpixel((32, 32))
    red, green, blue = rgb
    assert red < 60 and 120 < green < 200 and blue > 190, rgb  # cyan, not red
    cmyk = prepared(path, tmp_path / "cache", colour="cmyk").getpixel((32, 32))
    assert near(cmyk, (255, 0, 0, 0), 6), cmyk  # same separations passed through


def test_embedded_rgb_profile_is_honoured(tmp_path):
    swapped = rgb_icc_profile(SRGB_BLUE, SRGB_GREEN, SRGB_RED)  # "red" here is sRGB blue
    tagged = save(Image.new("RGB", (40, 30), (255, 0, 0)), tmp_path / "tagged.png", icc_profile=swapped)
    untagged = save(Image.new("RGB", (40, 30), (255, 0, 0)), tmp_path / "plain.png")
    assert probe(tagged).has_icc
    assert near(prepared(tagged, tmp_path / "cache").getpixel((5, 5)), (0, 0, 255), 3)
    assert near(prepared(untagged, tmp_path / "cache").getpixel((5, 5)), (255, 0, 0), 3)


def test_lab_tiff_is_converted_to_srgb(tmp_path):
    lab = Image.new("LAB", (30, 20), (138, 128, 128))  # L* = 54, neutral: mid grey
    out = prepared(save(lab, tmp_path / "lab.tif"), tmp_path / "cache")
    r, g, b = out.getpixel((5, 5))
    assert out.mode == "RGB" and abs(r - g) < 4 and abs(g - b) < 4 and 110 < g < 145


def test_rgb_output_is_tagged_srgb_and_cmyk_output_untagged(tmp_path):
    path = save(Image.new("RGB", (40, 30), ORANGE), tmp_path / "p.jpg")
    rgb = prepared(path, tmp_path / "cache", colour="rgb")
    profile = ImageCms.ImageCmsProfile(io.BytesIO(rgb.info["icc_profile"]))
    assert "srgb" in ImageCms.getProfileDescription(profile).lower()
    assert "icc_profile" not in prepared(path, tmp_path / "cache", colour="cmyk").info


def saturated_image() -> Image.Image:
    """Patches a press cannot print at full strength: pure primaries, deep shadows, black."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (0, 0, 0), (20, 0, 40), (40, 10, 0),
               (0, 30, 30), (10, 10, 10), (255, 0, 255), (0, 255, 255), (255, 255, 0), (60, 0, 0)]
    im = Image.new("RGB", (240, 180), "white")
    draw = ImageDraw.Draw(im)
    for n, fill in enumerate(colours):
        x, y = (n % 4) * 60, (n // 4) * 60
        draw.rectangle((x, y, x + 59, y + 59), fill=fill)
    return im


def max_total_ink(cmyk: Image.Image) -> float:
    """The highest sum of C+M+Y+K over all pixels, in percent."""
    return max(sum(pixel) for pixel in cmyk.get_flattened_data()) * 100 / 255


@pytest.mark.parametrize("intent", ["perceptual", "relative"])
def test_cmyk_output_stays_within_the_profile_ink_limit(tmp_path, intent):
    path = save(saturated_image(), tmp_path / "saturated.png")
    out = prepared(path, tmp_path / "cache", colour="cmyk", intent=intent)
    assert out.mode == "CMYK"
    assert max_total_ink(out) <= 302
    black = out.getpixel((3 * 60 + 30, 30))  # (0, 0, 0): rich black, not 400 %
    assert black[3] > 200 and sum(black) * 100 / 255 > 250


def test_cmyk_output_of_a_photo_is_a_cmyk_jpeg(tmp_path):
    path = save(saturated_image(), tmp_path / "saturated.jpg", quality=95)
    out = prepared(path, tmp_path / "cache", colour="cmyk")
    assert (out.format, out.mode) == ("JPEG", "CMYK")
    assert max_total_ink(out) <= 302


def test_gray_output_of_a_colour_photo(tmp_path):
    out = prepared(save(Image.new("RGB", (40, 30), ORANGE), tmp_path / "c.jpg"), tmp_path / "cache",
                   colour="gray")
    assert out.mode == "L" and near((out.getpixel((5, 5)),), (round(0.299 * 230 + 0.587 * 120 + 0.114 * 30),), 4)


def test_lossless_source_stays_pixel_exact_at_its_own_size(tmp_path):
    art = Image.effect_noise((64, 48), 80).convert("RGB")
    out = prepared(save(art, tmp_path / "art.png"), tmp_path / "cache")
    assert out.format == "PNG" and ImageChops.difference(out.convert("RGB"), art).getbbox() is None


def test_lossless_source_for_cmyk_becomes_a_cmyk_tiff(tmp_path):
    out = prepared(save(Image.new("RGB", (40, 30), ORANGE), tmp_path / "logo.png"), tmp_path / "cache",
                   colour="cmyk")
    assert (out.format, out.mode) == ("TIFF", "CMYK")


def test_never_upsampled(tmp_path):
    path = save(Image.new("RGB", (100, 80), ORANGE), tmp_path / "small.jpg")
    assert prepared(path, tmp_path / "cache", size=(400, 320)).size == (100, 80)
    assert prepared(path, tmp_path / "cache", size=(400, 100)).size == (100, 25)  # aspect kept
    assert prepared(path, tmp_path / "cache", size=(50, 40), crop=(0, 0, 40, 40)).size == (40, 32)


def test_draft_decoding_still_resamples_to_the_exact_size(tmp_path):
    upright = upright_test_image().resize((1200, 800))
    path = save(upright, tmp_path / "big.jpg", quality=95)
    out = prepared(path, tmp_path / "cache", size=(130, 87))  # 1/8 DCT scale is enough
    assert out.size == (130, 87)
    assert mean_difference(out, upright.resize((130, 87), Image.Resampling.LANCZOS)) < 6


def test_effective_ppi_is_the_lower_axis():
    assert effective_ppi((3000, 2000), (720, 360)) == pytest.approx(300)
    assert effective_ppi((3000, 1000), (720, 720)) == pytest.approx(100)
    with pytest.raises(ValueError):
        effective_ppi((10, 10), (0, 10))


# -- cache and pool ---------------------------------------------------------------------------


def test_cache_hit_returns_the_same_file_without_decoding(tmp_path, monkeypatch):
    path = save(Image.new("RGB", (80, 60), ORANGE), tmp_path / "p.jpg")
    job = job_for(path, size=(40, 30))
    first = prepare(job, tmp_path / "cache")
    written = first.stat().st_mtime_ns

    def no_decoding(*args, **kwargs):
        raise AssertionError("a cached image was opened again")

    monkeypatch.setattr(Image, "open", no_decoding)
    assert prepare(job, tmp_path / "cache") == first
    assert prepare_all([job, job], tmp_path / "cache", workers=1) == {job: first}
    assert first.stat().st_mtime_ns >= written  # touched for the LRU prune


def test_cache_key_changes_with_what_shapes_the_output(tmp_path):
    path = save(Image.new("RGB", (80, 60), ORANGE), tmp_path / "p.jpg")
    base = job_for(path, size=(40, 30))
    variants = [job_for(path, size=(40, 29)), job_for(path, size=(40, 30), quality=80),
                job_for(path, size=(40, 30), colour="cmyk"), job_for(path, size=(40, 30), crop=(1, 0, 80, 60)),
                job_for(path, size=(40, 30), colour="cmyk", intent="perceptual"),
                job_for(path, size=(40, 30), colour="cmyk", ink_limit=240)]
    paths = {prepare(job, tmp_path / "cache") for job in [base] + variants}
    assert len(paths) == 7
    assert prepare(job_for(path, size=(40, 30)), tmp_path / "cache") == prepare(base, tmp_path / "cache")


def test_prepare_without_cache_dir_uses_a_temporary_folder(tmp_path):
    out = prepare(job_for(save(Image.new("RGB", (20, 20)), tmp_path / "p.png")), None)
    assert out.is_file() and tmp_path not in out.parents


def test_prepare_all_in_two_processes_equals_one(tmp_path):
    jobs = []
    for n in range(4):
        im = Image.effect_noise((160, 120), 30 + 10 * n).convert("RGB")
        jobs.append(job_for(save(im, tmp_path / f"{n}.jpg"), size=(80, 60)))
    jobs.append(job_for(tmp_path / "0.jpg", size=(80, 60), colour="cmyk"))
    calls: list[tuple[int, int]] = []
    one = prepare_all(jobs + jobs[:2], tmp_path / "one", workers=1)
    two = prepare_all(jobs, tmp_path / "two", workers=2, progress=lambda d, t: calls.append((d, t)))
    assert list(one) == jobs and list(two) == jobs  # deduplicated, in order
    assert all(one[j].read_bytes() == two[j].read_bytes() for j in jobs)
    assert calls[-1] == (5, 5)


def test_a_file_digest_is_the_digest_of_its_bytes(tmp_path):
    # The probe maps the file, prepare hashes the bytes it read: they must agree, or every
    # photo would look changed during the compile.
    from bookpress.load.digest import bytes_digest, file_digest

    for name, data in (("empty.jpg", b""), ("photo.jpg", os.urandom(3 << 20))):
        (tmp_path / name).write_bytes(data)
        assert file_digest(tmp_path / name) == bytes_digest(data)


class _HandOverRecorder:
    """Stands in for the worker pool (Preparing's `executor`): records what it is handed; the test finishes each."""

    def __init__(self) -> None:
        self.handed: list[tuple[ImageJob, Future]] = []

    def submit(self, function, job, folder) -> Future:
        future: Future = Future()
        self.handed.append((job, future))
        return future

    def finish(self, job: ImageJob, tmp_path: Path) -> None:
        future = next(future for handed, future in self.handed if handed == job)
        future.set_running_or_notify_cancel()
        future.set_result((tmp_path / job.source.path.name, ()))


class _Counting(ThreadPoolExecutor):
    """A real pool of two threads that counts the photos it is handed."""

    def __init__(self) -> None:
        super().__init__(2)
        self.handed: list[Future] = []

    def submit(self, function, *args) -> Future:
        future = super().submit(function, *args)
        self.handed.append(future)
        return future


def test_workers_get_the_costliest_waiting_photo_and_the_book_ends_on_small_ones(tmp_path):
    recorder = _HandOverRecorder()
    side = {"small": 100, "big": 400, "medium": 250, "tiny": 50, "huge": 600}
    job = {name: job_for(save(Image.new("RGB", (n, n)), tmp_path / f"{name}.png")) for name, n in side.items()}
    names = {value: key for key, value in job.items()}
    with Preparing(tmp_path / "cache", workers=2, executor=recorder) as preparing:
        preparing.add([job["small"], job["big"], job["medium"], job["tiny"]])
        # two workers busy and one photo queued behind them; the rest waits here, by size
        assert [names[j] for j, _ in recorder.handed] == ["big", "medium", "small"]
        preparing.add([job["huge"]])  # a later chapter's photo
        assert len(recorder.handed) == 3
        recorder.finish(job["big"], tmp_path)
        assert names[recorder.handed[-1][0]] == "huge"  # it goes before the tiny one that waited longer
        for name in ("medium", "small", "huge"):
            recorder.finish(job[name], tmp_path)
        assert names[recorder.handed[-1][0]] == "tiny"
        recorder.finish(job["tiny"], tmp_path)
        files = preparing.result(list(job.values()))
    assert {names[j]: path.name for j, path in files.items()} == {name: f"{name}.png" for name in side}


def test_images_added_but_no_longer_needed_are_not_prepared(tmp_path):
    # A layout pass redone with a wider gutter placed photos at other sizes: those are not waited for.
    path = save(Image.effect_noise((400, 300), 40).convert("RGB"), tmp_path / "p.jpg")
    stale = [job_for(path, size=(390 - n, 290 - n)) for n in range(12)]
    wanted = job_for(path, size=(200, 150))
    with _Counting() as pool, Preparing(tmp_path / "cache", workers=2, executor=pool) as preparing:
        preparing.add(stale)
        files = preparing.result([wanted])
    assert list(files) == [wanted] and files[wanted].is_file()
    assert len(pool.handed) < len(stale) + 1  # most of the stale ones never reached a worker
    assert len(list((tmp_path / "cache").glob("*.jpg"))) < len(stale) + 1


def test_leaving_early_cancels_the_images_not_yet_started(tmp_path):
    jobs = [job_for(save(Image.effect_noise((400, 300), 40).convert("RGB"), tmp_path / f"{n}.jpg"), size=(200, 150))
            for n in range(12)]
    with _Counting() as pool:
        with pytest.raises(RuntimeError, match="drawing failed"):
            with Preparing(tmp_path / "cache", workers=2, executor=pool) as preparing:
                preparing.add(jobs)
                raise RuntimeError("drawing failed")
    assert len(pool.handed) < len(jobs)
    assert all(future.done() for future in pool.handed)


def test_fork_server_imports_the_console_scripts_entry_module(monkeypatch):
    # Python 3.11's fork server ignores "__main__", so each worker runs the main script again by itself.
    import sys
    import types

    import bookpress.__main__ as entry
    from bookpress.images import pool

    script = types.ModuleType("__main__")
    script.main = entry.main  # what pip's `bookpress` script holds: `from bookpress.__main__ import main`
    monkeypatch.setitem(sys.modules, "__main__", script)
    assert pool._preload() == ["__main__", "bookpress.images.prepare", "simplejpeg"]
    run_as_module = types.ModuleType("__main__")  # python -m bookpress.cli: each worker runs it again by name
    run_as_module.__spec__ = types.SimpleNamespace(name="bookpress.cli")
    monkeypatch.setitem(sys.modules, "__main__", run_as_module)
    assert pool._preload() == ["__main__", "bookpress.images.prepare", "simplejpeg", "bookpress.cli"]
    run_as_module.__spec__ = types.SimpleNamespace(name="bookpress.__main__")  # python -m bookpress: never rerun
    assert pool._preload() == ["__main__", "bookpress.images.prepare", "simplejpeg"]
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))  # a script with no main()
    assert pool._preload() == ["__main__", "bookpress.images.prepare", "simplejpeg"]


@pytest.mark.parametrize("given, expected", [(None, "1"), ("4", "4")])
def test_the_command_runs_openblas_on_one_thread_unless_told_otherwise(given, expected):
    # numpy's OpenBLAS threads spin on every core after it loads (~0.09 s of CPU per import); the
    # workers and their fork server inherit the command's environment. A setting of the user's own stands.
    import subprocess
    import sys

    script = ("import os, sys\n"
              "from bookpress.__main__ import main\n"
              "sys.argv = ['bookpress', '--version']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n")
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == expected


def test_the_console_scripts_entry_module_imports_no_cli():
    # The workers import the `bookpress` script's module again; the CLI (typer, every stage) is not theirs to pay.
    import subprocess
    import sys
    from importlib.metadata import entry_points

    (script,) = [point for point in entry_points(group="console_scripts") if point.name == "bookpress"]
    probe = (f"import sys; from {script.module} import {script.attr}; "
             "print(sorted(m for m in sys.modules if m in ('typer', 'bookpress.cli', 'bookpress.pipeline')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cache_prune_drops_least_recently_used_first(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    now = time.time()
    for age, name in enumerate(["a" * 32, "b" * 32, "c" * 32]):
        f = cache / f"{name}-{'0' * 16}.jpg"
        f.write_bytes(b"x" * 1000)
        os.utime(f, (now - 100 * age, now - 100 * age))
    (cache / "keep.txt").write_bytes(b"not ours" * 1000)
    assert cache_prune(cache, 2000) == 1000
    assert not (cache / f"{'c' * 32}-{'0' * 16}.jpg").exists()  # the oldest
    assert (cache / f"{'a' * 32}-{'0' * 16}.jpg").exists() and (cache / "keep.txt").exists()
    assert cache_prune(cache, 0) == 2000
    assert cache_prune(tmp_path / "nowhere", 0) == 0


def test_an_xmp_description_that_is_only_the_language_tag_is_no_caption(tmp_path):
    """Some editors leave dc:description holding 'x-default' (the language tag): not a caption."""
    from PIL import Image

    from bookpress.load.probe import probe

    packet = (b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
              b"<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:description><rdf:Alt>"
              b"<rdf:li xml:lang='x-default'>x-default</rdf:li></rdf:Alt></dc:description></rdf:Description>"
              b"</rdf:RDF></x:xmpmeta>")
    path = tmp_path / "placeholder.jpg"
    Image.new("RGB", (64, 48), (90, 90, 90)).save(path, xmp=packet)
    assert probe(path).description is None


def test_a_broken_pool_is_reported_not_waited_for(tmp_path):
    # A worker killed (out of memory?) breaks the pool: every photo not yet prepared says so.
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def submit(self, *args):
            raise BrokenProcessPool("a worker died")

    jobs = [job_for(save(Image.new("RGB", (40 + n, 30)), tmp_path / f"{n}.png")) for n in range(4)]
    with Preparing(tmp_path / "cache", workers=2, executor=Broken()) as preparing:
        preparing.add(jobs)
        with pytest.raises(BrokenProcessPool, match="a worker died"):
            preparing.result(jobs)


def test_the_main_process_loads_no_worker_only_library_on_the_compile_path(tmp_path):
    # numpy with simplejpeg (~70 ms), OpenCV and libvips are the workers' and the subject finder's:
    # a rebuild whose photos are all cached must not pay for importing them.
    import subprocess
    import sys

    probe_imports = ("import sys, bookpress.cli, bookpress.pipeline, bookpress.images.prepare, "
                     "bookpress.images.pool; print(sorted(m for m in ('numpy', 'simplejpeg', 'cv2', 'pyvips') "
                     "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe_imports], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_pool_whose_worker_died_is_dropped_and_the_error_raised(monkeypatch):
    """A worker killed (out of memory, say) breaks the pool: the error reaches the caller, and the next
    photos start a new pool instead of the broken one. Other errors leave the pool as it is."""
    import os
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from bookpress.images import pool

    running = (os.getpid(), 2, object())
    for error, kept in ((ValueError("a photo's own problem"), running), (BrokenProcessPool("a worker died"), None)):
        monkeypatch.setattr(pool, "_pool", running)
        future = Future()
        future.set_exception(error)
        with pytest.raises(type(error)):
            pool._outcome(future, own_pool=True)
        assert pool._pool is kept


def test_a_rebuild_with_every_photo_cached_loads_no_process_pool(small_book):
    """No worker is started when every prepared photo is in the cache, and multiprocessing itself is not
    even imported (~16 ms of every such rebuild)."""
    import subprocess
    import sys

    from conftest import run_compile

    assert run_compile(small_book).exit_code == 0
    (small_book / "chapters" / "01.yaml").write_text((small_book / "chapters" / "01.yaml").read_text() + "\n")
    probe = ("import sys; from bookpress.cli import main; sys.argv = ['bookpress', 'compile', sys.argv[1], '-q']\n"
             "try: main()\nexcept SystemExit as exc: assert not exc.code, exc.code\n"
             "print(sorted(m for m in sys.modules if m in ('multiprocessing', 'concurrent.futures.process')))")
    done = subprocess.run([sys.executable, "-c", probe, str(small_book)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_fresh_process_opens_every_accepted_format_with_only_their_plugins(tmp_path):
    # Pillow's Image.init() imports all its ~45 plugins (~20 ms in the main process and in each worker);
    # bookpress imports those of the formats it accepts, and each of them must still open.
    import subprocess
    import sys

    made = {"rgb.jpg": {}, "rgb.png": {}, "rgb.tif": {}, "rgb.webp": {"lossless": True}, "palette.gif": {},
            "rgb.bmp": {}}
    for name, params in made.items():
        picture = Image.new("RGB", (60, 40), ORANGE)
        save(picture.quantize(4) if name.endswith(".gif") else picture, tmp_path / name, **params)
    probe = ("import sys; from pathlib import Path; from bookpress.load.probe import probe\n"
             "for path in sys.argv[1:]: print(Path(path).name, probe(Path(path)).width)\n"
             "print(sorted(m.split('.')[1] for m in sys.modules if m.endswith('ImagePlugin')))")
    done = subprocess.run([sys.executable, "-c", probe, *(str(tmp_path / name) for name in made)],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    assert done[:-1] == [f"{name} 60" for name in made]
    loaded = set(eval(done[-1]))
    assert "IcnsImagePlugin" not in loaded and "PdfImagePlugin" not in loaded, loaded
    assert {"JpegImagePlugin", "PngImagePlugin", "TiffImagePlugin", "WebPImagePlugin"} <= loaded
