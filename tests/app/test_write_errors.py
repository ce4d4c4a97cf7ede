"""Where the book cannot be written (a full disk, a source file, a build/ leading out): exit 2 saying what to do."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, assert_rejected, run_compile

from bookpress import render

PDF = Path("build/small-book.pdf")


def test_no_space_while_the_pdf_is_written_is_a_usage_error(small_book: Path, monkeypatch) -> None:
    assert run_compile(small_book, "--no-cache").exit_code == 0
    good = (small_book / PDF).read_bytes()

    def full(drawn, files, out, *args, **kwargs):
        Path(out).write_bytes(b"%PDF-1.7\n a part")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out))

    monkeypatch.setattr(render, "embed_images", full)
    result = run_compile(small_book, "--no-cache")
    line = assert_rejected(result, "error:", "No space left on device", "free some space", code=2)
    assert "internal error" not in result.stderr and str(small_book / "build") in line
    assert (small_book / PDF).read_bytes() == good
    assert not [p for p in (small_book / "build").iterdir() if p.name.startswith(".")]


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs a private mount namespace (unshare -rm)")
@pytest.mark.parametrize("full", ["output", "build"])
def test_a_really_full_disk_is_a_usage_error(small_book: Path, tmp_path: Path, full: str) -> None:
    """A 200 KiB file system, mounted only for this one command: the drawn PDF does not fit."""
    disk = tmp_path / "disk" if full == "output" else small_book / "build"
    disk.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "bookpress.cli", "compile", str(small_book), "-q", "-j", "1"]
    command += ["-o", str(disk / "out.pdf")] if full == "output" else []
    script = f"mount -t tmpfs -o size=200k tmpfs '{disk}' && exec \"$@\""
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", *command], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "No space left on device" in result.stderr and "free some space" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("output", ["chapters/01.yaml", "book.yaml", "photos/a.jpg", "photos/set/00.jpg"])
def test_an_output_that_is_a_source_file_is_refused(small_book: Path, output: str, monkeypatch) -> None:
    before = (small_book / output).read_bytes()
    result = run_compile(small_book, "-o", small_book / output)
    assert_rejected(result, "error:", "is one of the manuscript's own files", "leave out -o", code=2)
    assert (small_book / output).read_bytes() == before
    monkeypatch.chdir(small_book)  # as the issue wrote it: -o chapters/01.yaml, from the manuscript folder
    assert run_compile(".", "-o", output).exit_code == 2
    assert (small_book / output).read_bytes() == before


def test_a_source_linked_from_the_manuscript_folder_is_refused_too(small_book: Path) -> None:
    os.symlink(small_book / "chapters/01.yaml", small_book / "link.yaml")
    before = (small_book / "chapters/01.yaml").read_bytes()
    assert run_compile(small_book, "-o", small_book / "link.yaml").exit_code == 2
    assert (small_book / "chapters/01.yaml").read_bytes() == before


def test_a_new_file_in_build_or_outside_is_fine(small_book: Path, tmp_path: Path) -> None:
    assert run_compile(small_book, "-o", small_book / "build/mine.pdf").exit_code == 0
    assert run_compile(small_book, "-o", tmp_path / "elsewhere.pdf").exit_code == 0
    assert (small_book / "build/mine.pdf").is_file() and (tmp_path / "elsewhere.pdf").is_file()


def test_an_output_link_into_the_sources_replaces_the_link_not_the_source(small_book: Path, tmp_path: Path) -> None:
    source = (small_book / "chapters/01.yaml").read_bytes()
    os.symlink(small_book / "chapters/01.yaml", tmp_path / "out.pdf")
    assert run_compile(small_book, "-o", tmp_path / "out.pdf").exit_code == 0
    assert (small_book / "chapters/01.yaml").read_bytes() == source
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("link", ["build", "build/.cache", "build/.cache/images", "build/.cache/layout",
                                  "build/.cache/layout/paragraphs", "build/.cache/pages", "build/.cache/checks"])
def test_a_build_folder_linked_out_of_the_manuscript_is_refused(small_book: Path, tmp_path: Path, link: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    # named like a cache entry (a prepared photo, or a record), which a prune would take
    victim = outside / ("0" * 32 + (".jpg" if link.endswith(("build", ".cache", "images")) else "-" + "0" * 16 + ".json"))
    victim.write_bytes(b"someone else's file")
    (small_book / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, small_book / link)
    result = run_compile(small_book, "--cache-limit", "0")
    assert_rejected(result, "error:", f"'{link}' is a symbolic link that leads outside", "remove the link", code=2)
    assert victim.read_bytes() == b"someone else's file"
    assert [p.name for p in outside.iterdir()] == [victim.name]
