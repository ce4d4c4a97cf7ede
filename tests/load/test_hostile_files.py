"""Hostile files in a manuscript: named pipes, devices, huge sparse files, links leading out of the folder.

Each case runs the real command in its own process with a time and memory limit: before
these checks a named pipe hung the compile for good and a link to /dev/zero filled the memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, assert_rejected, edit, write
from conftest import run_compile as compile_

FONT = REPO / "bookpress" / "data" / "fonts"
MEMORY = 3 << 30  # address space for the command: far more than a compile needs, far less than /dev/zero takes


class Finished:
    """What assert_rejected reads from a CliRunner result, from a finished process."""

    def __init__(self, done: subprocess.CompletedProcess) -> None:
        self.exit_code, self.stderr, self.output, self.exception = done.returncode, done.stderr, done.stdout, None


def bookpress(*args: object, timeout: float = 60) -> Finished:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    done = subprocess.run([sys.executable, "-m", "bookpress.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=timeout, preexec_fn=limits)
    return Finished(done)


def compile_limited(root: Path) -> Finished:
    return bookpress("compile", root, "-q", "-j", "1", "--no-cache")


def a_font() -> Path:
    return next(FONT.rglob("*.ttf"))


# -- named pipes and devices: refused before they are opened -------------------------------------------
@pytest.mark.parametrize("where", ["fonts/Pipe-Regular.ttf", "layouts/pipe.yaml", "chapters/01.yaml",
                                   "photos/set/zz.jpg", "photos/set/photoset.yaml"])
def test_a_named_pipe_is_refused_not_waited_for(small_book: Path, where: str) -> None:
    path = small_book / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    result = compile_limited(small_book)
    assert result.exit_code == 1, result.stderr
    assert "named pipe" in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("where", ["fonts/Zero-Regular.ttf", "layouts/zero.yaml", "photos/set/zz.jpg"])
def test_a_link_to_dev_zero_is_refused_not_read(small_book: Path, where: str) -> None:
    path = small_book / where
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/dev/zero", path)
    result = compile_limited(small_book)
    assert result.exit_code == 1, result.stderr
    assert ("leads outside the manuscript folder" in result.stderr or "is a device" in result.stderr), result.stderr
    assert "internal error" not in result.stderr


def test_a_huge_sparse_chapter_is_refused_from_its_size(small_book: Path) -> None:
    chapter = small_book / "chapters/01.yaml"
    with open(chapter, "r+b") as file:
        file.truncate(4 << 30)  # 4 GiB, almost none of it on disk
    result = compile_limited(small_book)  # in a 3 GiB address space: reading it whole fails
    assert_rejected(result, "chapters/01.yaml:", "the file is larger than 5 MiB", "split it")


def test_a_huge_sparse_photo_is_refused_from_its_size(small_book: Path) -> None:
    path = small_book / "photos/a.jpg"
    with open(path, "r+b") as file:
        file.truncate(5 << 30)
    assert_rejected(compile_limited(small_book), "chapters/01.yaml:5:12:", "photo 'photos/a.jpg' is larger than")


# -- links leading out of the manuscript: fonts/ and layouts/ as for photos ------------------------------
def test_a_font_linked_from_outside_is_refused(small_book: Path) -> None:
    (small_book / "fonts").mkdir()
    os.symlink(a_font(), small_book / "fonts/Outside-Regular.ttf")
    assert_rejected(compile_(small_book), "fonts/Outside-Regular.ttf:", "leads outside the manuscript folder",
                    "copy the font file")


def test_a_fonts_folder_linked_from_outside_is_refused(small_book: Path) -> None:
    os.symlink(a_font().parent, small_book / "fonts")
    assert_rejected(compile_(small_book), "fonts:", "the fonts folder is a symbolic link that leads outside")


def test_a_template_linked_from_outside_is_refused(small_book: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "mine.yaml",
                    "name: mine\nframes:\n  photo: {kind: photo, box: [0, 0, 100%, 100%]}\n")
    (small_book / "layouts").mkdir()
    os.symlink(outside, small_book / "layouts/mine.yaml")
    edit(small_book / "chapters/01.yaml", "page: two-up", "page: mine")
    result = compile_(small_book)
    assert_rejected(result, "layouts/mine.yaml:", "template file is a symbolic link that leads outside")


def test_a_layouts_folder_linked_from_outside_is_refused(small_book: Path, tmp_path: Path) -> None:
    write(tmp_path / "elsewhere" / "mine.yaml", "name: mine\nframes:\n  photo: {kind: photo, box: [0, 0, 100%, 100%]}\n")
    os.symlink(tmp_path / "elsewhere", small_book / "layouts")
    assert_rejected(compile_(small_book), "layouts:", "the layouts folder is a symbolic link that leads outside")


def test_fonts_and_templates_linked_inside_the_manuscript_are_fine(small_book: Path) -> None:
    (small_book / "shared").mkdir()
    font = small_book / "shared" / a_font().name
    font.write_bytes(a_font().read_bytes())
    (small_book / "fonts").mkdir()
    os.symlink(font, small_book / "fonts" / font.name)
    write(small_book / "shared/mine.yaml", "name: mine\nframes:\n  photo: {kind: photo, box: [0, 0, 100%, 100%]}\n")
    (small_book / "layouts").mkdir()
    os.symlink(small_book / "shared/mine.yaml", small_book / "layouts/mine.yaml")
    edit(small_book / "chapters/01.yaml", "  - photoset: photos/set", "  - page: mine\n    slots: {photo: {photo: photos/a.jpg}}")
    from bookpress.load.manuscript import load_manuscript
    from bookpress.load.templates import load_templates

    manuscript = load_manuscript(small_book)
    assert manuscript.font_folders == (small_book / "fonts",)
    assert load_templates(manuscript.layout_folders, root=manuscript.root).get("mine") is not None
    assert compile_(small_book).exit_code == 0
