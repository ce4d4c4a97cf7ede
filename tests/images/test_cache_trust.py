"""Nothing on disk is trusted: damaged cache entries, a prune under a running compile, photos that decode badly."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, assert_rejected, edit, run_cli, run_compile
from PIL import Image

from bookpress import render

PDF = Path("build/small-book.pdf")
CACHE = Path("build/.cache/images")


def loud_compile(root: Path):
    """Compile without --quiet: the notes are shown."""
    return run_cli("compile", root, "--jobs", "1")


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE).iterdir() if not p.name.startswith("."))


@pytest.fixture
def warm(small_book: Path) -> tuple[Path, bytes]:
    """The small book compiled once with its cache: (root, the PDF's bytes)."""
    result = run_compile(small_book)
    assert result.exit_code == 0, result.output
    return small_book, (small_book / PDF).read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "link"])
def test_a_damaged_cache_entry_is_rebuilt_with_a_note_never_embedded(warm, tmp_path: Path, damage: str) -> None:
    root, good = warm
    for entry in entries(root):  # every one of them
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) * 2 // 3])
        elif damage == "empty":
            entry.write_bytes(b"")
        elif damage == "garbage":
            entry.write_bytes(os.urandom(len(data)))
        else:
            (tmp_path / entry.name).write_bytes(data[:100])
            entry.unlink()
            os.symlink(tmp_path / entry.name, entry)
    result = run_compile(root)
    assert result.exit_code == 0, result.output
    assert (root / PDF).read_bytes() == good  # the same book, byte for byte: no damaged bytes went in
    shown = loud_compile(root)
    assert shown.exit_code == 0 and "image cache" not in shown.stderr  # rebuilt once: sound from then on
    for entry in entries(root):
        entry.write_bytes(entry.read_bytes()[:50])
    noted = loud_compile(root)
    assert "note: photo 'photos/a.jpg': its prepared copy in the image cache" in noted.stderr
    assert "was damaged; it was removed and the photo prepared again" in noted.stderr


@pytest.mark.parametrize("change", [{"width": "2400px"}, {"height": -3}, {"digest": 7}, {"orientation": 99},
                                    {"mode": None}, {"has_icc": "yes"}, {"format": ["JPEG"]}])
def test_a_damaged_probe_cache_entry_is_probed_again(warm, change: dict) -> None:
    root, good = warm
    probes = root / "build/.cache/probes.json"
    data = json.loads(probes.read_text())
    for entry in data["files"].values():
        entry["info"].update(change)
    probes.write_text(json.dumps(data))
    result = loud_compile(root)
    assert result.exit_code == 0, result.output
    assert (root / PDF).read_bytes() == good
    assert "damaged entries of the probe cache were discarded" in result.stderr
    assert all(isinstance(e["info"]["width"], int) for e in json.loads(probes.read_text())["files"].values())


@pytest.mark.parametrize("content", [b"", b"[]", b'{"version": 3, "files": []}', b"\xff\xfe garbage"])
def test_a_probe_cache_of_any_shape_is_ignored(warm, content: bytes) -> None:
    root, good = warm
    (root / "build/.cache/probes.json").write_bytes(content)
    assert run_compile(root).exit_code == 0
    assert (root / PDF).read_bytes() == good


def test_a_prune_by_another_compile_does_not_pull_entries_from_under_this_one(warm, monkeypatch) -> None:
    """While this compile has looked its photos up in the cache and not yet embedded them, another
    process prunes the cache to nothing (`--cache-limit 0`, or watch and a manual compile)."""
    root, good = warm
    embed = render.embed_images
    prune = ("import sys; from bookpress.images.cache import cache_prune; "
             "print(cache_prune(sys.argv[1], 0))")

    def pruned_meanwhile(drawn, files, out, *args, **kwargs):
        done = subprocess.run([sys.executable, "-c", prune, str(root / CACHE)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
        assert done.returncode == 0 and done.stdout.strip() == "0", done.stderr  # it left the cache alone
        return embed(drawn, files, out, *args, **kwargs)

    monkeypatch.setattr(render, "embed_images", pruned_meanwhile)
    result = run_compile(root)
    assert result.exit_code == 0, result.output
    assert (root / PDF).read_bytes() == good
    monkeypatch.undo()
    assert run_compile(root, "--cache-limit", "0").exit_code == 0  # alone, the compile prunes as asked
    assert entries(root) == []


def bad_huffman_jpeg(path: Path, size: tuple[int, int]) -> Path:
    """A JPEG whose header reads well (size, EOI) but whose Huffman table is nonsense: it cannot be decoded."""
    out = io.BytesIO()
    Image.effect_noise(size, 50).convert("RGB").save(out, "JPEG", quality=90)
    data = bytearray(out.getvalue())
    at = data.index(b"\xff\xc4")
    data[at + 5:at + 21] = b"\xff" * 16
    path.write_bytes(bytes(data))
    return path


def test_a_jpeg_used_as_it_is_is_still_decoded_once(small_book: Path) -> None:
    # photos/a.jpg is 600x400 and placed larger: the file itself would go into the PDF, undecoded
    bad_huffman_jpeg(small_book / "photos/a.jpg", (600, 400))
    result = run_compile(small_book, "--no-cache")
    assert_rejected(result, "chapters/01.yaml:5:12:", "photo 'photos/a.jpg'", "cannot be decoded")
    assert not (small_book / PDF).exists()


def bad_tiff(path: Path) -> Path:
    """A TIFF whose header and strip table are right but whose LZW data is not."""
    Image.effect_noise((300, 200), 50).convert("RGB").save(path, compression="tiff_lzw")
    data = bytearray(path.read_bytes())
    with Image.open(path) as im:
        offset = im.tag_v2[273][0]
    data[offset + 10:offset + 60] = b"\xff" * 50
    path.write_bytes(bytes(data))
    return path


def test_photos_that_fail_only_when_decoded_are_reported_with_the_other_errors(small_book: Path) -> None:
    for i in range(3):
        bad_tiff(small_book / "photos/set" / f"{i:02}.tif")
        (small_book / "photos/set" / f"{i:02}.jpg").unlink()
    edit(small_book / "chapters/01.yaml", "    caption: A landscape.", "    captoin: A landscape.")
    result = run_compile(small_book)
    assert_rejected(result, "chapters/01.yaml:6:5:", "unknown key 'captoin'")
    for i in range(3):
        assert f"photo 'photos/set/{i:02}.tif' is truncated or damaged and cannot be decoded" in result.stderr
    assert result.stderr.count("error:") == 4
    assert "Using code not yet in table" not in result.stderr  # libtiff's own line is not printed raw


def tiff_with_a_bad_tag(path: Path) -> Path:
    """A sound TIFF whose ResolutionUnit is 7 (1-3 exist): libtiff complains on stderr, then decodes it."""
    Image.effect_noise((600, 400), 50).convert("RGB").save(path, compression="tiff_lzw", dpi=(300, 300))
    data = bytearray(path.read_bytes())
    ifd = struct.unpack_from("<I", data, 4)[0]
    for i in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack_from("<H", data, entry)[0] == 296:
            struct.pack_into("<H", data, entry + 8, 7)
    path.write_bytes(bytes(data))
    return path


def exif_cut_short(path: Path) -> Path:
    """A sound JPEG whose EXIF block ends before the data its description tag points to."""
    exif = Image.Exif()
    exif[0x010E] = "A long description that is stored at an offset " * 3
    Image.new("RGB", (600, 400), (90, 60, 30)).save(path, exif=exif.tobytes()[:-60])
    return path


def test_library_warnings_are_diagnostics_naming_the_photo(small_book: Path) -> None:
    tiff_with_a_bad_tag(small_book / "photos/b.tif")
    edit(small_book / "chapters/01.yaml", "photos/b.jpg", "photos/b.tif")
    exif_cut_short(small_book / "photos/a.jpg")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "bookpress.cli", "compile", str(small_book), "-j", "2"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "_TIFFVSetField" not in done.stderr.replace("the image library warns: _TIFFVSetField", "")
    assert "UserWarning" not in done.stderr and "warnings.warn" not in done.stderr
    lines = done.stderr.splitlines()
    assert any(line.startswith("chapters/01.yaml:11:23: warning: photo 'photos/b.tif': the image library warns:")
               and "ResolutionUnit" in line for line in lines), done.stderr
    assert any(line.startswith("chapters/01.yaml:5:12: warning: photo 'photos/a.jpg': the image library warns:")
               and "Skipping tag 270" in line for line in lines), done.stderr
